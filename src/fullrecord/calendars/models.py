"""The Chinese working-day calendar as data (行政处罚法第八十五条 counts working days).

Weekends are off and weekdays on, except for the days listed here: public
holidays on weekdays and make-up working days (调休) on weekends. A year is
only trusted once its :class:`CalendarYear` row says it is complete.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import DayKind


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Tick once the State Council's holiday arrangement for this year is entered."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 国务院办公厅关于2027年部分节假日安排的通知"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()
