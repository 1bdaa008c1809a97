from django.urls import path

from fullrecord.core.api import Router

from .manage import AccountViewSet, UnitViewSet
from .views import OrgUnitViewSet, me

router = Router()
router.register("org-units", OrgUnitViewSet, basename="org-unit")
# The system administrator's (三员分立); roles are the security administrator's.
router.register("manage/accounts", AccountViewSet, basename="manage-account")
router.register("manage/org-units", UnitViewSet, basename="manage-org-unit")
urlpatterns = [path("me/", me, name="me"), *router.urls]
