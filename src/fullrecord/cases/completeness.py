"""Completeness of a case's full-process record (第十一条, 第十八条第一项).

For every stage a case has reached, which written and audiovisual records it
holds and which are missing. The apps that hold records say what they expect
with :func:`register`; this module only gathers what they say, so ``cases``
knows no record type. Any service that changes a case's records calls
:func:`refresh` in the same transaction, so the stored summary the case list
filters on is never stale.

A record that could not be made (the camera's battery died, 第九条第六项) is
excepted by the leader in charge with a written reason (缺失说明): it then no
longer counts as missing, and the grid and the timeline show why. A move that
leaves a stage needs that stage's required records present or excepted;
closing (结案) and archiving (归档) need the whole case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import timeline
from .choices import EXIT_STATES, STAGE_OF_STATE, CaseState, RecordKind, Stage
from .models import Case, CompletenessException
from .workflow import TRANSITIONS, Context, requirement

# The stages of the path of 第二条, in order (the exits are not a stage of the record).
PATH: tuple[str, ...] = tuple(s for s in Stage.values if s != Stage.EXIT)
KINDS: tuple[str, ...] = tuple(RecordKind.values)


@dataclass(frozen=True)
class Entry:
    """One cell of the per-stage grid: a record the stage expects, and whether it is there."""

    stage: str  # a cases.choices.Stage value
    kind: str  # "written", "audiovisual" or "party"
    label: str  # what is expected, in the user's language (e.g. 询问笔录)
    present: bool
    required: bool = True
    detail: str = ""  # e.g. 文号 or the number of linked items
    url: str = ""
    # A stable name of the record, what an exception is recorded against; the label
    # when empty (document type names do not change with the interface language).
    code: str = ""
    # Why the record does not apply to this case, said by whoever keeps it (a party's
    # paper an officer marked 不适用): not missing, and shown with the reason.
    not_applicable: str = ""

    @property
    def key(self) -> str:
        return self.code or str(self.label)


Rule = Callable[[Case], Iterable[Entry]]
_RULES: list[Rule] = []


def register(rule: Rule) -> Rule:
    """Add what an app expects of a case's stages (call from ``AppConfig.ready``)."""
    _RULES.append(rule)
    return rule


def rules() -> list[Rule]:
    return list(_RULES)


# ---------------------------------------------------------------- stages


def _exit_from_stage(case: Case) -> str:
    """The stage a case was in when it left by an exit (不予立案, 撤案, 终止, 移送)."""
    cached = getattr(case, "_completeness_exit_from", None)
    if cached is None:
        step = case.transitions.filter(to_state=case.state).order_by("-at", "-id").first()
        cached = STAGE_OF_STATE[step.from_state] if step else Stage.DISCOVERY
        case._completeness_exit_from = cached
    return cached


def current_stage(case: Case) -> str:
    """The stage the case is in; for a case that ended early, the stage it ended in."""
    if case.state in EXIT_STATES:
        return _exit_from_stage(case)
    return STAGE_OF_STATE[case.state]


def stages_reached(case: Case) -> list[str]:
    """The stages of the path the case has entered, in order.

    No stage is skipped (``cases.workflow``), so they are the path up to the
    current one; only a case that ended early needs its exit move looked up.
    """
    return list(PATH[: PATH.index(current_stage(case)) + 1])


def entries(case: Case) -> list[Entry]:
    """Every expected record of the stages the case has reached, from every app."""
    reached = set(stages_reached(case))
    found: list[Entry] = []
    for rule in _RULES:
        found.extend(e for e in rule(case) if e.stage in reached)
    return found


# ---------------------------------------------------------------- the grid


@dataclass
class Cell:
    entry: Entry
    exception: CompletenessException | None = None
    # False in the stage a case ended early in: nothing more will be recorded there.
    counted: bool = True

    @property
    def status(self) -> str:
        """present, not_applicable, excepted, missing, or optional (expected, not
        required, not there)."""
        if self.entry.present:
            return "present"
        if self.entry.not_applicable:
            return "not_applicable"
        if self.exception is not None:
            return "excepted"
        if self.entry.required and self.counted:
            return "missing"
        return "optional"

    @property
    def missing(self) -> bool:
        return self.status == "missing"


@dataclass
class StageRow:
    stage: str
    current: bool
    cells: list[Cell] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)

    def of_kind(self, kind: str) -> list[Cell]:
        return [c for c in self.cells if c.entry.kind == kind]

    @property
    def columns(self) -> list[tuple[str, str, list[Cell]]]:
        return [(kind, str(RecordKind(kind).label), self.of_kind(kind)) for kind in KINDS]

    @property
    def missing(self) -> list[Cell]:
        return [c for c in self.cells if c.missing]

    @property
    def status(self) -> str:
        """complete, missing (a required record is neither there nor excepted), or empty."""
        if not self.cells:
            return "empty"
        return "missing" if self.missing else "complete"


@dataclass
class Grid:
    case: Case
    rows: list[StageRow]

    @property
    def missing(self) -> list[Cell]:
        return [c for row in self.rows for c in row.missing]

    @property
    def missing_stages(self) -> list[str]:
        return [row.stage for row in self.rows if row.missing]

    def row(self, stage: str) -> StageRow | None:
        return next((r for r in self.rows if r.stage == stage), None)


def grid(case: Case) -> Grid:
    """The per-stage grid: each stage reached, what it expects, present, excepted or missing."""
    reached = stages_reached(case)
    here = current_stage(case)
    ended_early = case.state in EXIT_STATES
    exceptions = {
        (x.stage, x.kind, x.record): x
        for x in CompletenessException.objects.filter(case=case).select_related("recorded_by")
    }
    rows = {stage: StageRow(stage, current=stage == here) for stage in reached}
    for entry in entries(case):
        rows[entry.stage].cells.append(
            Cell(
                entry,
                exception=exceptions.get((entry.stage, entry.kind, entry.key)),
                counted=not (ended_early and entry.stage == here),
            )
        )
    return Grid(case, [rows[s] for s in reached])


# ---------------------------------------------------------------- the stored summary


def summary_values(case: Case, now: datetime | None = None) -> dict:
    found = grid(case)
    return {
        "completeness_missing": len(found.missing),
        "completeness_missing_stages": ",".join(found.missing_stages),
        "completeness_checked_at": now or timezone.now(),
    }


def refresh(case: Case) -> None:
    """Recompute what the case lacks; call after any change of its records, in the same transaction."""
    values = summary_values(case)
    Case.objects.filter(pk=case.pk).update(**values)
    for name, value in values.items():
        setattr(case, name, value)


def mark_all_stale() -> int:
    """After a change of what stages expect (a catalogue edit): every case is checked again.

    ``fullrecord recompute_completeness`` recomputes them (it takes the unchecked by default).
    """
    return Case.objects.update(completeness_checked_at=None)


def refresh_unchecked(limit: int = 2000, batch: int = 200) -> int:
    """Recompute up to ``limit`` cases not yet checked (after an upgrade or a catalogue
    edit), a batch per transaction; the scheduler calls it until none is left."""
    done = 0
    while done < limit:
        with transaction.atomic():
            ids = list(
                Case.objects.filter(completeness_checked_at__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[: min(batch, limit - done)]
            )
            if not ids:
                break
            for case in Case.objects.filter(pk__in=ids).select_for_update().order_by("pk"):
                refresh(case)
        done += len(ids)
    return done


def missing_stage_labels(case: Case) -> list[str]:
    codes = [c for c in (case.completeness_missing_stages or "").split(",") if c]
    return [str(Stage(c).label) for c in codes if c in Stage.values]


# ---------------------------------------------------------------- refusing moves


def _describe(cells: list[Cell], with_stage: bool) -> str:
    parts = []
    for cell in cells:
        label = str(cell.entry.label)
        if with_stage:
            label = f"{Stage(cell.entry.stage).label}·{label}"
        parts.append(label)
    return "、".join(parts)


def _forward(source_state: str, target_state: str) -> bool:
    """True when a move leaves its stage for a later stage of the path."""
    if target_state in EXIT_STATES:
        return False
    source, target = STAGE_OF_STATE[source_state], STAGE_OF_STATE[target_state]
    return PATH.index(target) > PATH.index(source)


WHOLE_CASE_MOVES = ("close", "archive")


def blocking(case: Case, name: str) -> list[Cell]:
    """The missing records that stand in the way of move ``name`` now."""
    move = TRANSITIONS[name]
    if case.state not in move.sources or not _forward(case.state, move.target):
        return []
    found = grid(case)
    if name in WHOLE_CASE_MOVES:
        return found.missing
    row = found.row(current_stage(case))
    return row.missing if row else []


def _requirement_for(name: str):
    def records_of_the_stage_left(case: Case, ctx: Context) -> str | None:
        missing = blocking(case, name)
        if not missing:
            return None
        if name in WHOLE_CASE_MOVES:
            message = _(
                "The case file is incomplete (第十一条): %(records)s missing. "
                "Add them, or have the leader in charge record why they could not be made."
            )
        else:
            message = _(
                "The stage “%(stage)s” lacks required records (第十一条): %(records)s. "
                "Add them, or have the leader in charge record why they could not be made."
            )
        return message % {
            "stage": Stage(current_stage(case)).label,
            "records": _describe(missing, with_stage=name in WHOLE_CASE_MOVES),
        }

    records_of_the_stage_left.__qualname__ = f"records_of_the_stage_left[{name}]"
    return records_of_the_stage_left


for _name, _move in TRANSITIONS.items():
    if any(_forward(s, _move.target) for s in _move.sources):
        requirement(_name)(_requirement_for(_name))


# ---------------------------------------------------------------- exceptions (缺失说明)


class CompletenessError(ValidationError):
    """A refused exception; the message says why, in the user's language."""


def may_except(user, case: Case) -> bool:
    """Only the leader in charge (主管负责人) of the case's bureau records an exception."""
    from fullrecord.accounts.choices import Role

    from .access import acting_roles

    if case.state in (CaseState.ARCHIVED, *EXIT_STATES):
        return False
    return Role.LEADER in acting_roles(user, case)


def record_exception(
    case: Case, *, actor, stage: str, kind: str, record: str, reason: str
) -> CompletenessException:
    """The leader in charge says why a required record could not be made; audited."""
    from fullrecord.audit.services import record as audit

    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("org_unit").get(pk=case.pk)
        if not may_except(actor, locked):
            raise CompletenessError(
                _("Only the leader in charge may record why a record is missing (缺失说明).")
            )
        if len(reason) < 4:
            raise CompletenessError(
                _("Say why the record could not be made (for example: the camera failed).")
            )
        row = grid(locked).row(stage)
        cell = next(
            (
                c
                for c in (row.cells if row else [])
                if (c.entry.kind, c.entry.key) == (kind, record)
            ),
            None,
        )
        if cell is None or not cell.entry.required:
            raise CompletenessError(_("This stage of the case does not require that record."))
        if cell.entry.present:
            raise CompletenessError(_("That record is present; there is nothing to explain."))
        if cell.exception is not None:
            raise CompletenessError(_("Why that record is missing has already been recorded."))
        exception = CompletenessException.objects.create(
            case=locked,
            stage=stage,
            kind=kind,
            record=record,
            label=str(cell.entry.label)[:200],
            reason=reason,
            recorded_by=actor,
        )
        audit(
            "case.completeness_exception",
            actor=actor,
            obj=exception,
            case_id=locked.pk,
            summary=_("Recorded why %(record)s is missing at %(stage)s")
            % {"record": exception.label, "stage": Stage(stage).label},
            data={"stage": stage, "kind": kind, "record": record, "reason": reason},
        )
        refresh(locked)
    for name in ("completeness_missing", "completeness_missing_stages", "completeness_checked_at"):
        setattr(case, name, getattr(locked, name))
    return exception


@timeline.provider
def _exceptions(case: Case) -> list[timeline.TimelineItem]:
    return [
        timeline.TimelineItem(
            at=x.recorded_at,
            kind="completeness_exception",
            stage=x.stage,
            title=_("Missing record explained: %(record)s") % {"record": x.label},
            detail=x.reason,
            actor=str(x.recorded_by),
            extra={"record_kind": x.kind, "record": x.record},
        )
        for x in case.completeness_exceptions.select_related("recorded_by")
    ]
