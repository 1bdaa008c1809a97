from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("email-notifications/", views.email_notifications, name="email_notifications"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<str:token_key>/revoke/", views.token_revoke, name="token_revoke"),
]
