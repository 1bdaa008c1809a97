"""``fullrecord sample PLAN_ID [--verify] [--json]``: show a plan's sample, or re-draw and compare.

With ``--verify`` every recorded draw is drawn again from the plan's seed and its
recorded population with the algorithm of docs/supervision.md, the seed is derived
again from the plan and its signed tree head, and the result compared; the command
exits 1 on any difference. Reading only: nothing is written, nothing is recorded.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from fullrecord.supervision import sampling, services
from fullrecord.supervision.models import InspectionPlan


class Command(BaseCommand):
    help = "Show an inspection plan's sample, or re-draw it and compare (--verify)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--verify", action="store_true", help="re-draw and compare")
        parser.add_argument(
            "--json", action="store_true", help="print the inputs and the sample as JSON"
        )

    def handle(self, *args, plan_id: int, verify: bool, json: bool, **options) -> None:
        plan = InspectionPlan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"No inspection plan {plan_id}.")
        draw = plan.current_draw
        if draw is None:
            raise CommandError(f"Plan {plan_id} has no sample drawn yet.")
        if json:
            self._json(plan, draw)
        else:
            self._text(plan, draw)
        if verify:
            reports = services.verify_plan(plan)
            failed = False
            for report in reports:
                for note in report.notes:
                    self.stdout.write(f"draw {report.draw}: note: {note}")
                for problem in report.problems:
                    self.stderr.write(f"draw {report.draw}: PROBLEM: {problem}")
                failed |= not report.ok
                if report.ok:
                    self.stdout.write(f"draw {report.draw}: re-drawn, same sample")
            if failed:
                raise CommandError("The sample could not be reproduced.")
            self.stdout.write(self.style.SUCCESS("verified: every draw reproduces"))

    def _text(self, plan: InspectionPlan, draw) -> None:
        self.stdout.write(f"plan {plan.pk}: {plan.title}")
        self.stdout.write(f"algorithm: {sampling.VERSION}")
        self.stdout.write(
            f"signed tree head: size {plan.seed_tree_size} root {plan.seed_root_hash}"
        )
        self.stdout.write(f"seed: {plan.seed}")
        self.stdout.write(f"draw {draw.number} at {draw.drawn_at.isoformat()}")
        sizes = services.sizes_of(draw.scope)
        for kind, strata in draw.sample.items():
            for stratum, ids in strata.items():
                size = len(draw.population.get(kind, {}).get(stratum, []))
                asked = sizes[kind].of(stratum)
                whole = " (all taken)" if f"{kind}:{stratum}" in draw.all_taken else ""
                self.stdout.write(
                    f"{kind} stratum {stratum!r}: asked {asked}, {len(ids)} of {size}{whole}: "
                    + " ".join(str(i) for i in ids)
                )

    def _json(self, plan: InspectionPlan, draw) -> None:
        self.stdout.write(
            json_dumps(
                {
                    "plan": plan.pk,
                    "algorithm": sampling.VERSION,
                    "tree_size": plan.seed_tree_size,
                    "root_hash": plan.seed_root_hash,
                    "seed": plan.seed,
                    "draw": draw.number,
                    "sizes": services.sizes_as_json(services.sizes_of(draw.scope)),
                    "population": draw.population,
                    "sample": draw.sample,
                    "all_taken": draw.all_taken,
                }
            )
        )


def json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
