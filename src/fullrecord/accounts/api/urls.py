from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import OrgUnitViewSet, me

router = DefaultRouter()
router.register("org-units", OrgUnitViewSet, basename="org-unit")
urlpatterns = [path("me/", me, name="me"), *router.urls]
