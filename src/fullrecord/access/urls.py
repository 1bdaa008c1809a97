from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/decision/", views.request_decide, name="decide"),
    path("<int:pk>/revoke/", views.request_revoke, name="revoke"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="withdraw"),
    path("<int:pk>/items/<int:item_id>/copy/", views.copy_create, name="copy"),
    path("<int:pk>/export/", views.export_create, name="export"),
    path("copies/<int:pk>/download/", views.copy_download, name="copy_download"),
]
