from django.urls import path, re_path

from . import views

urlpatterns = [
    path("entries/", views.entry_list, name="audit-entry-list"),
    path("entries/<int:seq>/", views.entry_detail, name="audit-entry-detail"),
    path("entries/<int:seq>/proof", views.entry_proof, name="audit-entry-proof"),
    path("tree-heads/", views.tree_heads, name="audit-tree-heads"),
    path("consistency", views.consistency, name="audit-consistency"),
    path("public-key", views.public_key, name="audit-public-key"),
    re_path(r"^export\.(?P<kind>csv|pdf)$", views.export, name="audit-export"),
]
