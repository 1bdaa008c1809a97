from django.urls import path

from . import administration as manage
from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("email-notifications/", views.email_notifications, name="email_notifications"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<str:token_key>/revoke/", views.token_revoke, name="token_revoke"),
    # The system administrator's pages (三员分立: accounts and units; roles are granted by
    # the security administrator under /administration/).
    path("manage/", manage.hub, name="manage"),
    path("manage/users/", manage.user_list, name="user_list"),
    path("manage/users/new/", manage.user_create, name="user_create"),
    path("manage/users/<int:pk>/", manage.user_edit, name="user_edit"),
    path("manage/users/<int:pk>/active/", manage.user_active, name="user_active"),
    path("manage/units/", manage.unit_list, name="unit_list"),
    path("manage/units/new/", manage.unit_create, name="unit_create"),
    path("manage/units/<int:pk>/", manage.unit_edit, name="unit_edit"),
    path("manage/units/<int:pk>/active/", manage.unit_active, name="unit_active"),
]
