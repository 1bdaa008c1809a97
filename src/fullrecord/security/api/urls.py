from django.urls import path

from . import views

urlpatterns = [
    path("security/compliance/", views.ComplianceView.as_view(), name="security-compliance"),
    path("security/policy/", views.PolicyView.as_view(), name="security-policy"),
    path("parties/<int:pk>/reveal/", views.RevealView.as_view(), name="party-reveal"),
]
