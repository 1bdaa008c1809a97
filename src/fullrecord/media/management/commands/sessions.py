from django.core.management.base import BaseCommand
from django.db.models import Count, Sum

from fullrecord.media import sessions
from fullrecord.media.models import RecordingSession


class Command(BaseCommand):
    help = (
        "Recording sessions per device (第九条第三项). With --rebuild, recompute them from the "
        "segments (after changing the tolerances, or to repair them)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="Recompute the sessions from the segments."
        )
        parser.add_argument("--device", help="Only this device number.")

    def handle(self, *args, rebuild: bool, device: str | None, **options) -> None:
        if rebuild:
            counts = sessions.rebuild(device)
            for number, count in counts.items():
                self.stdout.write(f"{number}: {count} session(s)")
            self.stdout.write(
                self.style.SUCCESS(f"Rebuilt the sessions of {len(counts)} device(s).")
            )
            return
        rows = RecordingSession.objects.all()
        if device is not None:
            rows = rows.filter(device_number=device)
        summary = (
            rows.values("device_number")
            .annotate(
                count=Count("id"),
                segments=Sum("segment_count"),
                interruptions=Sum("interruption_count"),
            )
            .order_by("device_number")
        )
        self.stdout.write("device\tsessions\tsegments\tinterruptions")
        for row in summary:
            self.stdout.write(
                f"{row['device_number']}\t{row['count']}\t{row['segments']}\t{row['interruptions']}"
            )
