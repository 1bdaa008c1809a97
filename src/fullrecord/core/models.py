from django.db import models
from django.utils import timezone


class PeriodicRun(models.Model):
    """When a periodic job was last enqueued; the row lock keeps schedulers on several
    machines from enqueuing it twice."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_enqueued_at:%Y-%m-%d %H:%M}"
