from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")  # 法定节假日
    WORKDAY = "workday", _("Make-up working day")  # 调休上班
