from django.urls import path

from .views import working_days

urlpatterns = [path("calendar/working-days/", working_days, name="working-days")]
