from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("administration/", views.index, name="index"),
    path("administration/users/<int:pk>/<str:action>/", views.user_action, name="user_action"),
    path("administration/policy/", views.policy, name="policy"),
    path("administration/compliance/", views.compliance_report, name="compliance"),
    path("administration/me/password/", views.own_password, name="own_password"),
    path("administration/me/two-factor/", views.two_factor, name="two_factor"),
    path("personal-data/parties/<int:pk>/<str:field>/", views.reveal_party, name="reveal_party"),
]
