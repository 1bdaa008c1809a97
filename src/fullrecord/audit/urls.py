from django.urls import path, re_path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("<int:seq>/", views.entry_detail, name="detail"),
    re_path(r"^export\.(?P<kind>csv|pdf)$", views.export, name="export"),
]
