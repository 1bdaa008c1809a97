"""The inspection team's work, the only writer of its rows (第十九条、第二十条).

Each change runs in one transaction with its audit entry. Refusals are
:class:`SupervisionError` with a message in the user's language; nothing is half done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.audit.models import SignedTreeHead
from fullrecord.audit.services import record, sign_tree_head
from fullrecord.cases.choices import Stage, states_of_stage
from fullrecord.cases.models import Case, Cause
from fullrecord.media.models import MediaItem
from fullrecord.notifications.services import notify

from . import access, checks, figures, sampling
from .choices import (
    Answer,
    CaseStrata,
    FootageStrata,
    PlanState,
    RectificationEvent,
    RectificationState,
    ReviewState,
    SampleKind,
)
from .models import (
    FootageMark,
    InspectionPlan,
    Rectification,
    RectificationCounter,
    RectificationStep,
    Review,
    ReviewScore,
    RubricItem,
    SampleDraw,
    SampleEntry,
)

FOOTAGE_KINDS = ("video", "audio")


class SupervisionError(ValidationError):
    pass


# --- plans ---------------------------------------------------------------------------------


def _scope_of(plan: InspectionPlan) -> dict[str, Any]:
    return {
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "sections": sorted(plan.sections.values_list("pk", flat=True)),
        "officers": sorted(plan.officers.values_list("pk", flat=True)),
        "causes": sorted(plan.causes.values_list("pk", flat=True)),
        "stages": sorted(plan.stages),
        "media_kinds": sorted(plan.media_kinds or FOOTAGE_KINDS),
        "device_numbers": sorted(plan.device_numbers),
        "case_strata": plan.case_strata,
        "footage_strata": plan.footage_strata,
        "stratum_sizes": _sizes_table(plan.stratum_sizes),
        "cases_per_stratum": plan.cases_per_stratum,
        "footage_per_stratum": plan.footage_per_stratum,
    }


def _sizes_table(table: dict | None) -> dict[str, dict[str, int]]:
    table = table or {}
    return {kind: dict(sorted((table.get(kind) or {}).items())) for kind in sampling.KINDS}


STRATA_BY = {
    SampleKind.CASE: {c.value for c in CaseStrata},
    SampleKind.FOOTAGE: {c.value for c in FootageStrata},
}


def _check_strata(bureau: OrgUnit, values: dict[str, Any], errors: dict[str, list[str]]) -> bool:
    """The size table names strata of the chosen kind of stratification; True when it asks
    for at least one record."""
    table = values.get("stratum_sizes") or {}
    by = {
        SampleKind.CASE: values.get("case_strata") or CaseStrata.SECTION,
        SampleKind.FOOTAGE: values.get("footage_strata") or FootageStrata.SECTION,
    }
    asks = False
    if not isinstance(table, dict) or set(table) - set(sampling.KINDS):
        errors.setdefault("stratum_sizes", []).append(
            _("Sizes per stratum are given for case files and footage only.")
        )
        return False
    units = None
    for kind in sampling.KINDS:
        if by[kind] not in STRATA_BY[kind]:
            errors.setdefault(f"{kind}_strata", []).append(_("Unknown stratification."))
            continue
        sizes = table.get(kind) or {}
        if not isinstance(sizes, dict):
            errors.setdefault("stratum_sizes", []).append(_("Give each stratum a number."))
            continue
        for stratum, n in sizes.items():
            if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 10000:
                errors.setdefault("stratum_sizes", []).append(
                    _("Stratum %(stratum)s: the size must be a whole number from 0 to 10000.")
                    % {"stratum": stratum or "—"}
                )
                continue
            asks |= n > 0
            if by[kind] == "source":
                known = len(stratum) <= 50
            elif not (stratum.isascii() and stratum.isdigit()):
                known = False
            elif by[kind] == CaseStrata.CAUSE:
                known = Cause.objects.filter(pk=int(stratum)).exists()
            else:
                if units is None:
                    units = set(
                        OrgUnit.objects.filter(path__startswith=bureau.path).values_list(
                            "pk", flat=True
                        )
                    )
                known = int(stratum) in units
            if not known:
                errors.setdefault("stratum_sizes", []).append(
                    _("Stratum %(stratum)s is not a %(by)s of this bureau.")
                    % {"stratum": stratum or "—", "by": STRATUM_NOUN[by[kind]]}
                )
    return asks


STRATUM_NOUN = {
    "section": gettext_lazy("section"),
    "cause": gettext_lazy("case type"),
    "source": gettext_lazy("device number"),
}


def _check_plan_fields(bureau: OrgUnit, values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    start, end = values.get("period_start"), values.get("period_end")
    if start and end and start > end:
        errors.setdefault("period_end", []).append(_("The period must end after it starts."))
    asks = _check_strata(bureau, values, errors)
    if not values.get("cases_per_stratum") and not values.get("footage_per_stratum") and not asks:
        errors.setdefault("cases_per_stratum", []).append(
            _("The scope is empty: ask for at least one case file or footage item per stratum.")
        )
    for unit in values.get("sections") or []:
        if not unit.path.startswith(bureau.path):
            errors.setdefault("sections", []).append(
                _("%(unit)s is not part of this bureau.") % {"unit": unit}
            )
    for officer in values.get("officers") or []:
        if not (officer.org_unit_id and officer.org_unit.path.startswith(bureau.path)):
            errors.setdefault("officers", []).append(
                _("%(name)s does not work in this bureau.") % {"name": officer}
            )
    unknown = set(values.get("stages") or []) - set(Stage.values)
    if unknown:
        errors.setdefault("stages", []).append(
            _("Unknown stage: %(stages)s.") % {"stages": ", ".join(sorted(unknown))}
        )
    kinds = set(values.get("media_kinds") or []) - {"video", "audio", "photo", "other"}
    if kinds:
        errors.setdefault("media_kinds", []).append(
            _("Unknown kind of footage: %(kinds)s.") % {"kinds": ", ".join(sorted(kinds))}
        )
    if errors:
        raise SupervisionError(errors)


PLAN_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "stages",
    "media_kinds",
    "device_numbers",
    "case_strata",
    "footage_strata",
    "stratum_sizes",
    "cases_per_stratum",
    "footage_per_stratum",
)
PLAN_RELATIONS = ("sections", "officers", "causes")


def _clean_lists(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    if isinstance(values.get("stratum_sizes"), dict):
        values["stratum_sizes"] = {
            kind: {str(k).strip(): v for k, v in sizes.items()}
            if isinstance(sizes, dict)
            else sizes
            for kind, sizes in values["stratum_sizes"].items()
        }
    for name in ("stages", "media_kinds", "device_numbers"):
        if name in values:
            values[name] = sorted({str(v).strip() for v in values[name] or [] if str(v).strip()})
    return values


@transaction.atomic
def create_plan(*, actor: User, **values: Any) -> InspectionPlan:
    if not access.is_team(actor):
        raise SupervisionError(_("Only the inspection team plans inspections."))
    values = _clean_lists(values)
    bureau = actor.org_unit.bureau()
    if not (values.get("title") or "").strip():
        raise SupervisionError({"title": [_("Give the plan a title.")]})
    _check_plan_fields(bureau, values)
    if "stratum_sizes" in values:
        values["stratum_sizes"] = _sizes_table(values["stratum_sizes"])
    plan = InspectionPlan.objects.create(
        bureau=bureau,
        created_by=actor,
        **{name: values[name] for name in PLAN_FIELDS if name in values},
    )
    for name in PLAN_RELATIONS:
        getattr(plan, name).set(values.get(name) or [])
    record(
        "supervision.plan_create",
        actor=actor,
        obj=plan,
        summary=_("Inspection plan “%(title)s” created") % {"title": plan.title},
        data=_scope_of(plan),
    )
    return plan


def reviews_started(plan: InspectionPlan) -> bool:
    return Review.objects.filter(plan=plan).exists()


@transaction.atomic
def update_plan(plan: InspectionPlan, *, actor: User, **values: Any) -> InspectionPlan:
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if not access.can_manage(actor, plan):
        raise SupervisionError(_("Only the inspection team of this bureau edits the plan."))
    if any(name in values for name in ("seed_tree_size", "seed_root_hash", "seed")):
        if plan.seed:
            raise SupervisionError(_("The seed of a drawn plan cannot be changed."))
        raise SupervisionError(_("The seed is taken from the signed audit log, not chosen."))
    if plan.state == PlanState.CLOSED:
        raise SupervisionError(_("The plan is closed."))
    if plan.state != PlanState.DRAFT:
        # Once the seed is known, a scope changed afterwards could be chosen to steer the draw.
        raise SupervisionError(_("The plan has started: its scope and sizes can no longer change."))
    values = _clean_lists(values)
    before = _scope_of(plan)
    merged = {**{n: getattr(plan, n) for n in PLAN_FIELDS}, **values}
    for name in PLAN_RELATIONS:
        merged[name] = values[name] if name in values else list(getattr(plan, name).all())
    if not (merged.get("title") or "").strip():
        raise SupervisionError({"title": [_("Give the plan a title.")]})
    _check_plan_fields(plan.bureau, merged)
    if "stratum_sizes" in values:
        values["stratum_sizes"] = _sizes_table(values["stratum_sizes"])
    for name in PLAN_FIELDS:
        if name in values:
            setattr(plan, name, values[name])
    plan.save()
    for name in PLAN_RELATIONS:
        if name in values:
            getattr(plan, name).set(values[name] or [])
    record(
        "supervision.plan_edit",
        actor=actor,
        obj=plan,
        summary=_("Inspection plan “%(title)s” changed") % {"title": plan.title},
        data={"before": before, "after": _scope_of(plan)},
    )
    return plan


# --- the population and the draw ----------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def population(
    bureau: OrgUnit, scope: dict[str, Any], *, as_of: datetime | None = None
) -> dict[str, dict[str, list[int]]]:
    """Step 2 of the algorithm: every case file and footage item in scope, per stratum.

    A stratum is what the plan stratifies by (scope ``case_strata``/``footage_strata``):
    the record's section (0 for footage of no unit), the case's cause, or the footage's
    device number (empty when it has none); the previous release stratified by section.
    With ``as_of``, records that came in later are left out, so a draw can be redone.
    """
    start = date.fromisoformat(scope["period_start"])
    end = date.fromisoformat(scope["period_end"])
    units = OrgUnit.objects.filter(path__startswith=bureau.path)
    if scope.get("sections"):
        paths = OrgUnit.objects.filter(pk__in=scope["sections"]).values_list("path", flat=True)
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(path__startswith=path)
        units = units.filter(condition)
    unit_ids = list(units.values_list("pk", flat=True))
    result: dict[str, dict[str, list[int]]] = {"case": {}, "footage": {}}

    sizes = sizes_of(scope)
    if sizes[SampleKind.CASE].default or any(sizes[SampleKind.CASE].strata.values()):
        by_cause = scope.get("case_strata") == CaseStrata.CAUSE
        cases = Case.objects.filter(
            org_unit_id__in=unit_ids, discovered_on__gte=start, discovered_on__lte=end
        )
        if scope.get("causes"):
            cases = cases.filter(cause_id__in=scope["causes"])
        if scope.get("stages"):
            states = [s for stage in scope["stages"] for s in states_of_stage(stage)]
            cases = cases.filter(state__in=states)
        if scope.get("officers"):
            cases = cases.filter(assignments__officer_id__in=scope["officers"])
        if as_of is not None:
            cases = cases.filter(created_at__lte=as_of)
        column = "cause_id" if by_cause else "org_unit_id"
        for pk, stratum in cases.order_by().values_list("pk", column).distinct():
            result["case"].setdefault(str(stratum), []).append(pk)

    if sizes[SampleKind.FOOTAGE].default or any(sizes[SampleKind.FOOTAGE].strata.values()):
        by_source = scope.get("footage_strata") == FootageStrata.SOURCE
        items = MediaItem.objects.filter(
            org_unit_id__in=unit_ids,
            used_at__gte=_day_start(start),
            used_at__lt=_day_start(end + timedelta(days=1)),
            kind__in=scope.get("media_kinds") or FOOTAGE_KINDS,
        )
        if scope.get("device_numbers"):
            items = items.filter(device_number__in=scope["device_numbers"])
        if scope.get("officers"):
            items = items.filter(officer_id__in=scope["officers"])
        if as_of is not None:
            items = items.filter(received_at__lte=as_of)
        if by_source:
            for pk, device in items.order_by().values_list("pk", "device_number"):
                result["footage"].setdefault(device or "", []).append(pk)
        else:
            for pk, unit in items.order_by().values_list("pk", "org_unit_id"):
                result["footage"].setdefault(str(unit or 0), []).append(pk)

    for strata in result.values():
        for stratum in strata:
            strata[stratum].sort()
    return result


def _latest_head() -> SignedTreeHead:
    sign_tree_head()  # the log has grown since the last head: sign what is there now
    head = SignedTreeHead.objects.order_by("-tree_size").first()
    if head is None:
        raise SupervisionError(_("The audit log has no signed tree head yet; try again shortly."))
    return head


def sizes_of(scope: dict[str, Any]) -> dict[str, sampling.Sizes]:
    """The size of each stratum, from a plan's scope or a draw's recorded one (a draw of the
    previous release recorded only the one size per kind: every stratum takes it)."""
    table = scope.get("stratum_sizes") or {}
    return {
        SampleKind.CASE: sampling.Sizes(
            int(scope.get("cases_per_stratum") or 0), dict(table.get("case") or {})
        ),
        SampleKind.FOOTAGE: sampling.Sizes(
            int(scope.get("footage_per_stratum") or 0), dict(table.get("footage") or {})
        ),
    }


def sizes_as_json(sizes: dict[str, sampling.Sizes]) -> dict[str, dict[str, Any]]:
    return {kind: {"default": s.default, "strata": s.strata} for kind, s in sizes.items()}


@transaction.atomic
def start_plan(plan: InspectionPlan, *, actor: User) -> InspectionPlan:
    """开始: the plan starts and its seed is fixed from the latest signed tree head, for good.

    Its scope and sizes are fixed with it: knowing the seed, one could otherwise pick a scope
    that draws the records one wants.
    """
    if not access.can_manage(actor, plan):
        raise SupervisionError(_("Only the inspection team of this bureau starts the plan."))
    head = _latest_head()
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != PlanState.DRAFT or plan.seed:
        raise SupervisionError(_("The plan has already started; its seed is fixed."))
    plan.seed_tree_size = head.tree_size
    plan.seed_root_hash = head.root_hash
    plan.seed = sampling.derive_seed(plan.pk, head.tree_size, head.root_hash)
    plan.seeded_at = timezone.now()
    plan.started_by = actor
    plan.state = PlanState.ACTIVE
    plan.save()
    record(
        "supervision.plan_start",
        actor=actor,
        obj=plan,
        summary=_("Inspection plan “%(title)s” started; seed fixed from signed tree head %(size)s")
        % {"title": plan.title, "size": head.tree_size},
        data={
            "seed": plan.seed,
            "tree_size": plan.seed_tree_size,
            "root_hash": plan.seed_root_hash,
            "algorithm": sampling.VERSION,
            "scope": _scope_of(plan),
        },
    )
    return plan


@transaction.atomic
def draw_sample(plan: InspectionPlan, *, actor: User, reason: str = "") -> SampleDraw:
    """Draw (or draw again) the plan's sample with its fixed seed; every draw is recorded."""
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    reason = (reason or "").strip()
    if not access.can_draw(actor, plan):
        raise SupervisionError(_("Only the inspection team of this bureau draws the sample."))
    if plan.state == PlanState.CLOSED:
        raise SupervisionError(_("The plan is closed."))
    if not plan.seed:
        raise SupervisionError(
            _("Start the plan first: starting fixes the seed from the signed audit log.")
        )
    previous = plan.draws.order_by("-number").first()
    if previous is not None and reviews_started(plan):
        if not actor.has_role(Role.LEADER):
            raise SupervisionError(
                _(
                    "Reviews have started: only the leader in charge may draw again, "
                    "and must say why."
                )
            )
        if not reason:
            raise SupervisionError(
                {"reason": [_("Say why the sample is drawn again after reviews started.")]}
            )
    elif previous is None and not access.can_manage(actor, plan):
        raise SupervisionError(_("Only the inspection team of this bureau draws the sample."))
    scope = _scope_of(plan)
    now = timezone.now()
    members = population(plan.bureau, scope, as_of=now)
    if not any(members[kind] for kind in members):
        raise SupervisionError(
            _("The scope holds no case file and no footage in this period: nothing to draw.")
        )
    drawn = sampling.draw(plan.seed, members, sizes_of(scope))
    draw = SampleDraw.objects.create(
        plan=plan,
        number=(previous.number + 1) if previous else 1,
        drawn_at=now,
        drawn_by=actor,
        reason=reason,
        scope=scope,
        population=members,
        sample=drawn.sample,
        all_taken=drawn.all_taken,
    )
    entries = []
    for kind, strata in drawn.sample.items():
        for stratum, ids in strata.items():
            for rank, pk in enumerate(ids, start=1):
                entries.append(
                    SampleEntry(
                        draw=draw,
                        kind=kind,
                        stratum=stratum,
                        rank=rank,
                        case_id=pk if kind == SampleKind.CASE else None,
                        item_id=pk if kind == SampleKind.FOOTAGE else None,
                    )
                )
    SampleEntry.objects.bulk_create(entries)
    record(
        "supervision.draw",
        actor=actor,
        obj=plan,
        summary=_("Sample %(n)s of “%(title)s” drawn: %(count)s records")
        % {"n": draw.number, "title": plan.title, "count": len(entries)},
        data={
            "draw": draw.number,
            "seed": plan.seed,
            "tree_size": plan.seed_tree_size,
            "root_hash": plan.seed_root_hash,
            "algorithm": sampling.VERSION,
            "reason": reason,
            "sizes": sizes_as_json(sizes_of(scope)),
            "population": {k: sum(len(v) for v in s.values()) for k, s in members.items()},
            "sample": drawn.sample,
            "all_taken": drawn.all_taken,
        },
    )
    return draw


@dataclass
class Verification:
    draw: int
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_plan(plan: InspectionPlan) -> list[Verification]:
    """Re-draw every recorded draw from the seed and compare (``fullrecord sample --verify``).

    Problems: a seed that does not follow from the plan and its signed head, a head that
    is not in the log's signed heads, a recorded sample the algorithm does not give back.
    Notes: the population recounted today as of the draw's time differs from the one
    recorded (a record reclassified since, for instance) — the recorded one was drawn from.
    """
    reports = []
    head = SignedTreeHead.objects.filter(tree_size=plan.seed_tree_size).first()
    for draw in plan.draws.order_by("number"):
        report = Verification(draw=draw.number)
        if plan.seed != sampling.derive_seed(plan.pk, plan.seed_tree_size, plan.seed_root_hash):
            report.problems.append(_("The seed does not follow from the plan and its tree head."))
        if head is None or head.root_hash != plan.seed_root_hash:
            report.problems.append(
                _("The seed's tree head (size %(size)s) is not among the signed heads.")
                % {"size": plan.seed_tree_size}
            )
        again = sampling.draw(plan.seed, draw.population, sizes_of(draw.scope))
        if again.sample != draw.sample:
            report.problems.append(
                _("Drawing again from the recorded population gives another sample.")
            )
        stored = {(e.kind, str(e.stratum)): [] for e in draw.entries.all()}
        for e in draw.entries.order_by("kind", "stratum", "rank"):
            stored[(e.kind, str(e.stratum))].append(e.case_id or e.item_id)
        recorded = {
            (kind, stratum): ids
            for kind, strata in draw.sample.items()
            for stratum, ids in strata.items()
            if ids
        }
        if stored != recorded:
            report.problems.append(_("The sampled records listed differ from the recorded sample."))
        now_population = population(plan.bureau, draw.scope, as_of=draw.drawn_at)
        if now_population != draw.population:
            report.notes.append(
                _(
                    "Counted again today, the population as of the draw differs from the "
                    "recorded one (records changed since); the recorded one was drawn from."
                )
            )
        reports.append(report)
    return reports


@transaction.atomic
def close_plan(plan: InspectionPlan, *, actor: User) -> InspectionPlan:
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if not access.can_manage(actor, plan):
        raise SupervisionError(_("Only the inspection team of this bureau closes the plan."))
    if plan.state != PlanState.ACTIVE:
        raise SupervisionError(_("Only a started plan can be closed."))
    plan.state = PlanState.CLOSED
    plan.save(update_fields=["state"])
    record("supervision.plan_close", actor=actor, obj=plan, summary=_("Plan closed"))
    return plan


# --- the rubric ----------------------------------------------------------------------------

RUBRIC_FIELDS = (
    "kind",
    "label",
    "guidance",
    "max_score",
    "is_check",
    "machine_check",
    "order",
    "active",
)


@transaction.atomic
def save_rubric_item(*, actor: User, item: RubricItem | None = None, **values: Any) -> RubricItem:
    if not access.is_team(actor):
        raise SupervisionError(_("Only the inspection team edits the rubric."))
    if "max_score" in values and (values["max_score"] is None or int(values["max_score"]) < 1):
        raise SupervisionError({"max_score": [_("The maximum score must be at least 1.")]})
    if "label" in values and not (values["label"] or "").strip():
        raise SupervisionError({"label": [_("Name the criterion.")]})
    before = {n: getattr(item, n) for n in RUBRIC_FIELDS} if item else {}
    if item is None:
        item = RubricItem(**{n: v for n, v in values.items() if n in RUBRIC_FIELDS})
    else:
        for name, value in values.items():
            if name in RUBRIC_FIELDS:
                setattr(item, name, value)
    item.full_clean()
    item.save()
    record(
        "supervision.rubric",
        actor=actor,
        obj=item,
        summary=_("Rubric item “%(label)s” saved") % {"label": item.label},
        data={"before": before, "after": {n: getattr(item, n) for n in RUBRIC_FIELDS}},
    )
    return item


def rubric(kind: str):
    return RubricItem.objects.filter(kind=kind, active=True).order_by("order", "id")


# --- reviews -------------------------------------------------------------------------------


@transaction.atomic
def open_review(entry: SampleEntry, *, actor: User) -> Review:
    """Open the review of one sampled record, the machine's findings pre-filled."""
    entry = SampleEntry.objects.select_related("draw__plan", "case", "item").get(pk=entry.pk)
    plan = entry.draw.plan
    if not access.can_manage(actor, plan):
        raise SupervisionError(_("Only the inspection team of this bureau reviews."))
    existing = Review.objects.filter(entry=entry).first()
    if existing is not None:
        return existing
    if entry.draw_id != plan.current_draw.pk:
        raise SupervisionError(_("This record belongs to an earlier draw of the plan."))
    if plan.state == PlanState.CLOSED:
        raise SupervisionError(_("The plan is closed."))
    found = (
        checks.case_checks(entry.case)
        if entry.kind == SampleKind.CASE
        else checks.item_checks(entry.item)
    )
    review = Review.objects.create(
        entry=entry,
        plan=plan,
        kind=entry.kind,
        reviewer=actor,
        machine_findings=[c.as_dict() for c in found],
    )
    by_key = {c.check: c for c in found}
    scores = []
    for item in rubric(entry.kind):
        check = by_key.get(item.machine_check) if item.machine_check else None
        if check is None or check.ok is None:
            continue
        scores.append(
            ReviewScore(
                review=review,
                item=item,
                points=None if item.is_check else (item.max_score if check.ok else 0),
                answer=(Answer.YES if check.ok else Answer.NO) if item.is_check else "",
                comment="；".join(check.messages)[:500],
                prefilled=True,
            )
        )
    ReviewScore.objects.bulk_create(scores)
    subject = entry.case or entry.item
    record(
        "supervision.review_open",
        actor=actor,
        obj=review,
        case_id=entry.case_id,
        summary=_("Review of %(subject)s opened") % {"subject": subject},
        data={"plan": plan.pk, "kind": entry.kind, "machine": review.machine_findings},
    )
    return review


def _total(review: Review) -> int | None:
    got = possible = 0
    for score in review.scores.select_related("item"):
        if score.item.is_check:
            if score.answer == Answer.NOT_APPLICABLE:
                continue
            possible += score.item.max_score
            got += score.item.max_score if score.answer == Answer.YES else 0
        elif score.points is not None:
            possible += score.item.max_score
            got += score.points
    return round(100 * got / possible) if possible else None


@transaction.atomic
def score_review(
    review: Review,
    *,
    actor: User,
    scores: list[dict[str, Any]],
    comment: str | None = None,
    submit: bool = False,
) -> Review:
    """Score rubric items (points 0..max, or yes/no/not applicable) and optionally submit."""
    review = Review.objects.select_for_update(of=("self",)).select_related("plan").get(pk=review.pk)
    if not access.can_manage(actor, review.plan):
        raise SupervisionError(_("Only the inspection team of this bureau reviews."))
    if review.state == ReviewState.SUBMITTED:
        raise SupervisionError(_("This review has been submitted and can no longer change."))
    items = {i.pk: i for i in rubric(review.kind)}
    errors: list[str] = []
    cleaned = []
    for given in scores:
        try:
            item = items[int(given.get("item"))]
        except (KeyError, TypeError, ValueError):
            errors.append(
                _("Criterion %(item)s is not in the rubric for this review.")
                % {"item": given.get("item")}
            )
            continue
        points, answer = given.get("points"), (given.get("answer") or "").strip()
        if item.is_check:
            if answer not in Answer.values:
                errors.append(
                    _("%(label)s: answer yes, no or not applicable.") % {"label": item.label}
                )
                continue
            points = None
        else:
            if points in (None, ""):
                cleaned.append((item, None, "", given))
                continue
            try:
                points = int(points)
            except (TypeError, ValueError):
                points = -1
            if not 0 <= points <= item.max_score:
                errors.append(
                    _("%(label)s: the score must be between 0 and %(max)s.")
                    % {"label": item.label, "max": item.max_score}
                )
                continue
            answer = ""
        cleaned.append((item, points, answer, given))
    if errors:
        raise SupervisionError(errors)
    for item, points, answer, given in cleaned:
        ReviewScore.objects.update_or_create(
            review=review,
            item=item,
            defaults={
                "points": points,
                "answer": answer,
                "comment": (given.get("comment") or "").strip()[:500],
                "prefilled": False,
            },
        )
    if comment is not None:
        review.comment = comment.strip()
    if submit:
        done = {
            s.item_id
            for s in review.scores.all()
            if (s.answer if s.item.is_check else s.points is not None)
        }
        missing = [i.label for pk, i in items.items() if pk not in done]
        if missing:
            raise SupervisionError(
                _("Score every criterion before submitting: %(items)s.")
                % {"items": "、".join(missing)}
            )
        review.state = ReviewState.SUBMITTED
        review.submitted_at = timezone.now()
    review.score = _total(review)
    review.save()
    record(
        "supervision.review_submit" if submit else "supervision.review_score",
        actor=actor,
        obj=review,
        case_id=review.entry.case_id,
        summary=(
            _("Review submitted, score %(score)s") if submit else _("Review scored: %(score)s")
        )
        % {"score": review.score if review.score is not None else "—"},
        data={
            "scores": [{"item": i.pk, "points": p, "answer": a} for i, p, a, _given in cleaned],
            "score": review.score,
        },
    )
    return review


@transaction.atomic
def add_mark(review: Review, *, actor: User, at_seconds: float, note: str) -> FootageMark:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("plan", "entry__item")
        .get(pk=review.pk)
    )
    if not access.can_manage(actor, review.plan):
        raise SupervisionError(_("Only the inspection team of this bureau reviews."))
    if review.kind != SampleKind.FOOTAGE:
        raise SupervisionError(_("Moments are marked on footage only."))
    if review.state == ReviewState.SUBMITTED:
        raise SupervisionError(_("This review has been submitted and can no longer change."))
    note = (note or "").strip()
    if not note:
        raise SupervisionError({"note": [_("Say what happens at this moment.")]})
    try:
        at_seconds = float(at_seconds)
    except (TypeError, ValueError):
        at_seconds = -1.0
    duration = review.entry.item.duration
    if not at_seconds >= 0 or (duration is not None and at_seconds > duration + 1):
        raise SupervisionError({"at_seconds": [_("The moment must lie within the recording.")]})
    mark = FootageMark.objects.create(
        review=review, at_seconds=at_seconds, note=note[:300], made_by=actor
    )
    record(
        "supervision.mark",
        actor=actor,
        obj=review,
        summary=_("Moment %(at)s s marked: %(note)s") % {"at": f"{at_seconds:.1f}", "note": note},
        data={"item": review.entry.item_id, "at": at_seconds, "note": note},
    )
    return mark


# --- rectification orders ----------------------------------------------------------------


def _next_number(year: int) -> str:
    counter, _created = RectificationCounter.objects.get_or_create(year=year)
    counter = RectificationCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"ZG-{year}-{counter.last:04d}"


def _answerers(order: Rectification) -> list[User]:
    """Who is told of an order: the officer, or the heads of the section it is assigned to."""
    if order.assignee_id:
        return [order.assignee]
    return list(
        User.objects.filter(
            role_grants__role=Role.SECTION_HEAD,
            is_active=True,
            org_unit=order.assignee_unit,
        ).distinct()
    )


def _step(order: Rectification, event: str, actor: User | None, note: str = "") -> None:
    RectificationStep.objects.create(rectification=order, event=event, actor=actor, note=note)


@transaction.atomic
def issue_rectification(
    *,
    actor: User,
    finding: str,
    deadline: date,
    assignee: User | None = None,
    assignee_unit: OrgUnit | None = None,
    requirement: str = "",
    plan: InspectionPlan | None = None,
    review: Review | None = None,
    case: Case | None = None,
    item: MediaItem | None = None,
) -> Rectification:
    """责令改正 (第十九条): a finding becomes an order with an assignee and a deadline."""
    if not access.is_team(actor):
        raise SupervisionError(_("Only the inspection team orders correction."))
    bureau = actor.org_unit.bureau()
    errors: dict[str, list[str]] = {}
    if not (finding or "").strip():
        errors["finding"] = [_("Say what was found.")]
    if (assignee is None) == (assignee_unit is None):
        errors["assignee"] = [_("Assign the order to one officer or to one section.")]
    elif assignee is not None and not (
        assignee.is_active and access.in_bureau(actor, assignee.org_unit)
    ):
        errors["assignee"] = [_("%(name)s does not work in this bureau.") % {"name": assignee}]
    elif assignee_unit is not None and not access.in_bureau(actor, assignee_unit):
        errors["assignee_unit"] = [
            _("%(unit)s is not part of this bureau.") % {"unit": assignee_unit}
        ]
    if deadline is None or deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    if review is not None:
        plan = review.plan
        case = case or review.entry.case
        item = item or review.entry.item
    if plan is not None and not access.can_manage(actor, plan):
        errors["plan"] = [_("This plan belongs to another bureau.")]
    if case is not None and not access.in_bureau(actor, case.org_unit):
        errors["case"] = [_("This case belongs to another bureau.")]
    if errors:
        raise SupervisionError(errors)
    order = Rectification.objects.create(
        number=_next_number(timezone.localdate().year),
        bureau=bureau,
        finding=finding.strip(),
        requirement=(requirement or "").strip(),
        plan=plan,
        review=review,
        case=case,
        item=item,
        assignee=assignee,
        assignee_unit=assignee_unit,
        deadline=deadline,
        issued_by=actor,
    )
    _step(order, RectificationEvent.ISSUED, actor, order.finding)
    record(
        "supervision.rectification_issue",
        actor=actor,
        obj=order,
        case_id=case.pk if case else None,
        summary=_("Rectification order %(number)s issued to %(to)s, due %(due)s")
        % {"number": order.number, "to": order.assigned_to, "due": deadline.isoformat()},
        data={
            "finding": order.finding,
            "requirement": order.requirement,
            "assignee": assignee.pk if assignee else None,
            "assignee_unit": assignee_unit.pk if assignee_unit else None,
            "deadline": deadline.isoformat(),
            "item": item.pk if item else None,
        },
    )
    notify(
        _answerers(order),
        _("Rectification order %(number)s: correct by %(due)s. %(finding)s")
        % {"number": order.number, "due": deadline.isoformat(), "finding": order.finding},
        link=order.get_absolute_url(),
        level="warning",
        key=f"rectification-{order.pk}",
    )
    return order


@transaction.atomic
def answer_rectification(
    order: Rectification,
    *,
    actor: User,
    answer: str,
    evidence: list[MediaItem] | tuple = (),
    evidence_note: str = "",
) -> Rectification:
    order = Rectification.objects.select_for_update().get(pk=order.pk)
    if not access.can_answer(actor, order):
        raise SupervisionError(
            _("Only the officer or the section the order is assigned to may answer it.")
        )
    if order.state != RectificationState.OPEN:
        raise SupervisionError(_("This order is not waiting for an answer."))
    if not (answer or "").strip():
        raise SupervisionError({"answer": [_("Say what was corrected.")]})
    from fullrecord.media.access import visible_media

    evidence = list(evidence)
    seen = set(
        visible_media(actor).filter(pk__in=[i.pk for i in evidence]).values_list("pk", flat=True)
    )
    if any(i.pk not in seen for i in evidence):
        raise SupervisionError({"evidence": [_("Evidence must be records you can see.")]})
    order.answer = answer.strip()
    order.evidence_note = (evidence_note or "").strip()[:500]
    order.answered_at = timezone.now()
    order.state = RectificationState.ANSWERED
    order.save()
    order.evidence.add(*evidence)
    _step(order, RectificationEvent.ANSWERED, actor, order.answer)
    record(
        "supervision.rectification_answer",
        actor=actor,
        obj=order,
        case_id=order.case_id,
        summary=_("Rectification order %(number)s answered") % {"number": order.number},
        data={
            "answer": order.answer,
            "evidence": [i.pk for i in evidence],
            "evidence_note": order.evidence_note,
        },
    )
    notify(
        [order.issued_by],
        _("Rectification order %(number)s was answered by %(name)s.")
        % {"number": order.number, "name": actor},
        link=order.get_absolute_url(),
    )
    return order


@transaction.atomic
def judge_rectification(
    order: Rectification,
    *,
    actor: User,
    accept: bool,
    note: str = "",
    deadline: date | None = None,
) -> Rectification:
    """Accept and close, or reopen with a note (and optionally a new deadline)."""
    order = Rectification.objects.select_for_update().get(pk=order.pk)
    if not access.can_judge(actor, order):
        raise SupervisionError(_("Only the inspection team accepts or reopens an order."))
    if order.state != RectificationState.ANSWERED:
        raise SupervisionError(_("Only an answered order can be accepted or reopened."))
    note = (note or "").strip()
    if accept:
        order.state = RectificationState.CLOSED
        order.closed_at = timezone.now()
        event, action = RectificationEvent.ACCEPTED, "supervision.rectification_close"
    else:
        if not note:
            raise SupervisionError({"note": [_("Say what still needs correcting.")]})
        if deadline is not None:
            if deadline < timezone.localdate():
                raise SupervisionError({"deadline": [_("The deadline cannot be in the past.")]})
            order.deadline = deadline
        order.state = RectificationState.OPEN
        order.escalated_at = None
        event, action = RectificationEvent.REOPENED, "supervision.rectification_reopen"
    order.save()
    _step(order, event, actor, note)
    record(
        action,
        actor=actor,
        obj=order,
        case_id=order.case_id,
        summary=(
            _("Rectification order %(number)s accepted and closed")
            if accept
            else _("Rectification order %(number)s reopened")
        )
        % {"number": order.number},
        data={"note": note, "deadline": order.deadline.isoformat()},
    )
    notify(
        _answerers(order),
        (
            _("Rectification order %(number)s was accepted and closed.")
            if accept
            else _("Rectification order %(number)s was reopened: %(note)s")
        )
        % {"number": order.number, "note": note},
        link=order.get_absolute_url(),
        level="info" if accept else "warning",
    )
    return order


def escalation_recipients(order: Rectification) -> list[User]:
    """The section head of the assignee's section and the bureau's leaders in charge."""
    unit = order.assignee.org_unit if order.assignee_id else order.assignee_unit
    heads = User.objects.filter(role_grants__role=Role.SECTION_HEAD, is_active=True, org_unit=unit)
    leaders = User.objects.filter(
        role_grants__role=Role.LEADER,
        is_active=True,
        org_unit__path__startswith=order.bureau.path,
    )
    return list((heads | leaders).distinct())


def escalate_overdue(today: date | None = None) -> int:
    """Overdue open orders go to the section head and the leader in charge, once each."""
    today = today or timezone.localdate()
    count = 0
    for pk in Rectification.objects.filter(
        state=RectificationState.OPEN, deadline__lt=today, escalated_at=None
    ).values_list("pk", flat=True):
        with transaction.atomic():
            order = Rectification.objects.select_for_update().get(pk=pk)
            if order.state != RectificationState.OPEN or order.escalated_at is not None:
                continue
            order.escalated_at = timezone.now()
            order.save(update_fields=["escalated_at"])
            _step(order, RectificationEvent.ESCALATED, None)
            recipients = escalation_recipients(order)
            record(
                "supervision.rectification_escalate",
                obj=order,
                case_id=order.case_id,
                summary=_("Rectification order %(number)s overdue since %(due)s: escalated")
                % {"number": order.number, "due": order.deadline.isoformat()},
                data={
                    "recipients": [u.pk for u in recipients],
                    "deadline": order.deadline.isoformat(),
                },
            )
            notify(
                recipients,
                _("Rectification order %(number)s (%(to)s) is overdue since %(due)s.")
                % {
                    "number": order.number,
                    "to": order.assigned_to,
                    "due": order.deadline.isoformat(),
                },
                link=order.get_absolute_url(),
                level="warning",
                key=f"rectification-overdue-{order.pk}",
            )
            count += 1
    return count


def causes() -> list[Cause]:
    return list(Cause.objects.filter(active=True))


# --- the dashboard ---------------------------------------------------------------------------


@transaction.atomic
def recount_dashboard(*, actor: User) -> int:
    """ "Count again now": the dashboard's figures recounted at once, and recorded."""
    if not access.is_team(actor):
        raise SupervisionError(_("Only the inspection team recounts the figures."))
    before = figures.refreshed_at()
    rows = figures.refresh()
    record(
        "supervision.dashboard_refresh",
        actor=actor,
        summary=_("Dashboard figures counted again"),
        data={
            "rows": rows,
            "previous": before.isoformat() if before else None,
            "counted_at": figures.refreshed_at().isoformat(),
        },
    )
    return rows


# --- reading: the strata of a plan and its draw, for the page ------------------------------


def stratum_label(by: str, stratum: str, names: dict[tuple[str, str], str]) -> str:
    if by == FootageStrata.SOURCE:
        return stratum or _("(no device number)")
    if stratum == "0":
        return _("(no section)")
    return names.get((by, stratum), stratum)


def strata_summary(plan: InspectionPlan, draw: SampleDraw | None) -> list[dict[str, Any]]:
    """Per kind and stratum: the size asked, the records in scope, how many were taken and
    whether the stratum was taken whole — what the plan's page shows."""
    scope = draw.scope if draw is not None else _scope_of(plan)
    sizes = sizes_of(scope)
    population = draw.population if draw is not None else {}
    sample = draw.sample if draw is not None else {}
    whole = set(draw.all_taken) if draw is not None else set()
    by = {
        SampleKind.CASE: scope.get("case_strata") or CaseStrata.SECTION,
        SampleKind.FOOTAGE: scope.get("footage_strata") or FootageStrata.SECTION,
    }
    wanted = {
        kind: set(population.get(kind, {})) | set(sizes[kind].strata) for kind in sampling.KINDS
    }
    ids = {s for kind in sampling.KINDS for s in wanted[kind] if s.isascii() and s.isdigit()}
    names = {("section", str(u.pk)): str(u) for u in OrgUnit.objects.filter(pk__in=ids)}
    names |= {("cause", str(c.pk)): str(c) for c in Cause.objects.filter(pk__in=ids)}
    kinds = dict(SampleKind.choices)
    rows = []
    for kind in sampling.KINDS:
        for stratum in sorted(wanted[kind], key=sampling.stratum_order):
            asked = sizes[kind].of(stratum)
            if asked <= 0 and draw is None:
                continue
            rows.append(
                {
                    "kind": kinds[kind],
                    "stratum": stratum_label(by[kind], stratum, names),
                    "asked": asked,
                    "named": stratum in sizes[kind].strata,
                    "population": len(population.get(kind, {}).get(stratum, []))
                    if draw is not None
                    else None,
                    "taken": len(sample.get(kind, {}).get(stratum, []))
                    if draw is not None
                    else None,
                    "all_taken": f"{kind}:{stratum}" in whole,
                }
            )
    return rows
