"""``fullrecord compliance``: the 等保 / 密评 self-check, one line per control."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fullrecord.security import compliance


class Command(BaseCommand):
    help = "List the application-layer controls of 等保 2.0 and 密评 level 3 with pass/fail/n/a."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--fail-on-fail", action="store_true", help="Exit with status 1 when a control fails."
        )

    def handle(self, *args, fail_on_fail: bool, **options) -> None:
        results = compliance.run()
        for item in results:
            mark = {"pass": "PASS", "fail": "FAIL", "n/a": "N/A "}[item.result]
            line = (
                f"{mark}  {item.control.code:5} {item.control.standard} {item.control.clause}: "
                f"{item.control.title} — {item.evidence}"
            )
            style = {"pass": self.style.SUCCESS, "fail": self.style.ERROR}.get(item.result, str)
            self.stdout.write(style(line))
        failed = [r for r in results if r.result == "fail"]
        self.stdout.write(
            f"{len(results)} controls: {len(results) - len(failed)} pass or not applicable, "
            f"{len(failed)} fail."
        )
        if failed and fail_on_fail:
            raise CommandError(f"{len(failed)} control(s) fail.")
