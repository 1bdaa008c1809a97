from django.urls import path

from fullrecord.core.api import Router

from .views import OrgUnitViewSet, me

router = Router()
router.register("org-units", OrgUnitViewSet, basename="org-unit")
urlpatterns = [path("me/", me, name="me"), *router.urls]
