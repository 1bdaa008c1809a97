"""Every change to a case goes through here, with its audit entry, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.access import can_administer
from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.audit.labels import action_label
from fullrecord.audit.services import record
from fullrecord.notifications.services import notify

from . import completeness, deadlines
from .access import acting_roles, can, can_open_case, users_acting_as
from .choices import EXIT_STATES, TWO_OFFICER_STATES, CaseState, LimitKind
from .models import Case, CaseAssignment, CaseNumberCounter, CaseTransition, Cause, Party
from .workflow import (
    TRANSITIONS,
    Context,
    Transition,
    expected_roles,
    next_moves,
    requirement,
    requirements_for,
)


class CaseError(ValidationError):
    """A refused change; ``messages`` say what is missing, in the user's language."""


class TransitionRefused(CaseError):
    pass


# ---------------------------------------------------------------- opening a case


def _next_number(org_unit: OrgUnit, year: int) -> str:
    bureau = org_unit.bureau()
    counter, _created = CaseNumberCounter.objects.get_or_create(org_unit=bureau, year=year)
    counter = CaseNumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{bureau.code}-{year}-{counter.last:04d}"


def _check_officer(officer: User, case: Case, actor: User) -> None:
    """Assigning gives the officer the case and its footage: an active officer of the
    case's own unit or a unit below it; an officer of another unit of the bureau only by
    the leader in charge (a section head does not reach into another section's people);
    never anyone outside the bureau."""
    if not officer.is_active or not officer.has_role(Role.OFFICER):
        raise CaseError(_("%(name)s is not an active enforcement officer.") % {"name": officer})
    path = officer.org_unit.path if officer.org_unit_id else None
    if path and path.startswith(case.org_unit.path):
        return
    bureau = case.org_unit.bureau()
    if path and path.startswith(bureau.path) and Role.LEADER in acting_roles(actor, case):
        return
    raise CaseError(
        _("%(name)s does not belong to %(unit)s, which handles this case.")
        % {"name": officer, "unit": case.org_unit}
    )


@transaction.atomic
def create_case(
    *,
    actor: User,
    cause: Cause,
    source: str,
    org_unit: OrgUnit,
    address: str,
    summary: str = "",
    discovered_on: date | None = None,
    latitude=None,
    longitude=None,
    parties: list[dict[str, Any]] | None = None,
    officers: list[User] | None = None,
) -> Case:
    if not can_open_case(actor):
        raise CaseError(_("Only officers, section heads and leaders may open cases."))
    if not (actor.org_unit_id and org_unit.path.startswith(actor.org_unit.bureau().path)):
        raise CaseError(_("You may only open cases for the units of your own bureau."))
    if not cause.active:
        raise CaseError(_("The cause “%(cause)s” is no longer in use.") % {"cause": cause})
    today = timezone.localdate()
    discovered_on = discovered_on or today
    if discovered_on > today:
        raise CaseError(_("The discovery date cannot be in the future."))
    case = Case(
        cause=cause,
        source=source,
        org_unit=org_unit,
        address=address,
        summary=summary,
        discovered_on=discovered_on,
        latitude=latitude,
        longitude=longitude,
        created_by=actor,
    )
    case.number = "pending"
    case.full_clean(exclude=["number", "created_by"])
    case.number = _next_number(org_unit, today.year)
    case.save()
    for party in parties or []:
        _save_party(Party(case=case, **party))
    officers = list(dict.fromkeys(officers or []))  # each once, in the order given
    # Naming others is assigning them (reach to the case and its footage follows): only a
    # role that may assign officers on this case may do it; an officer opening a case is
    # assigned to it alone.
    if any(officer != actor for officer in officers) and not can(actor, "assign", case):
        raise CaseError(
            _("Only the section head or the leader may assign other officers to a case.")
        )
    if actor.has_role(Role.OFFICER) and actor not in officers:
        officers.insert(0, actor)
    for index, officer in enumerate(officers):
        _check_officer(officer, case, actor)
        CaseAssignment.objects.create(case=case, officer=officer, is_lead=index == 0)
    record(
        "case.create",
        actor=actor,
        obj=case,
        case_id=case.pk,
        summary=_("Opened case %(number)s") % {"number": case.number},
        data={
            "cause": cause.name,
            "source": source,
            "org_unit": org_unit.name,
            "officers": [o.username for o in officers],
        },
    )
    deadlines.on_state_entered(case, case.state, today, {})
    completeness.refresh(case)
    return case


def _save_party(party: Party) -> Party:
    party.full_clean()
    party.save()
    return party


EDITABLE_FIELDS = (
    "cause",
    "source",
    "address",
    "summary",
    "latitude",
    "longitude",
    "discovered_on",
)


def update_case(case: Case, *, actor: User, changes: dict[str, Any], reason: str = "") -> Case:
    """Change a case's facts: see :mod:`cases.changes` (a reason after 立案, and the
    section head's approval for what the law fixes). Returns the case as it now is."""
    from .changes import change_case

    change_case(case, actor=actor, changes=changes, reason=reason)
    return case


@transaction.atomic
def add_party(case: Case, *, actor: User, **fields: Any) -> Party:
    if not can(actor, "edit", case) or case.state == CaseState.ARCHIVED:
        raise CaseError(_("You may not edit this case."))
    party = _save_party(Party(case=case, **fields))
    record(
        "case.party_add",
        actor=actor,
        obj=party,
        case_id=case.pk,
        summary=_("Added party %(name)s") % {"name": party.name},
    )
    completeness.refresh(case)  # a party brings the papers it must submit
    return party


@transaction.atomic
def remove_party(party: Party, *, actor: User) -> None:
    case = party.case
    if not can(actor, "edit", case) or case.state == CaseState.ARCHIVED:
        raise CaseError(_("You may not edit this case."))
    if case.state not in (CaseState.DISCOVERED, CaseState.STOPPED):
        raise CaseError(_("Parties can only be removed before the case is filed."))
    record(
        "case.party_remove",
        actor=actor,
        obj=party,
        case_id=case.pk,
        summary=_("Removed party %(name)s") % {"name": party.name},
        data={"id_number": party.masked_id_number},
    )
    party.delete()
    completeness.refresh(case)


@transaction.atomic
def assign_officer(case: Case, officer: User, *, actor: User, lead: bool = False) -> CaseAssignment:
    if not can(actor, "assign", case):
        raise CaseError(_("Only the section head or the leader may assign officers."))
    _check_officer(officer, case, actor)
    if case.assignments.filter(officer=officer).exists():
        raise CaseError(_("%(name)s is already assigned to this case.") % {"name": officer})
    if lead:
        case.assignments.update(is_lead=False)
    assignment = CaseAssignment.objects.create(case=case, officer=officer, is_lead=lead)
    record(
        "case.assign",
        actor=actor,
        obj=case,
        case_id=case.pk,
        summary=_("Assigned %(name)s") % {"name": officer},
        data={"officer": officer.username},
    )
    return assignment


@transaction.atomic
def unassign_officer(case: Case, officer: User, *, actor: User) -> None:
    if not can(actor, "assign", case):
        raise CaseError(_("Only the section head or the leader may assign officers."))
    Case.objects.select_for_update().filter(pk=case.pk).first()
    remaining = case.assignments.exclude(officer=officer).count()
    if case.state in TWO_OFFICER_STATES and remaining < 2:
        raise CaseError(_("From investigation on, a case needs at least two officers (第十条)."))
    case.assignments.filter(officer=officer).delete()
    record(
        "case.unassign",
        actor=actor,
        obj=case,
        case_id=case.pk,
        summary=_("Removed %(name)s from the case") % {"name": officer},
        data={"officer": officer.username},
    )


# ---------------------------------------------------------------- the state machine


@dataclass
class TransitionOption:
    transition: Transition
    blockers: list[str]

    @property
    def allowed(self) -> bool:
        return not self.blockers


def check_transition(case: Case, transition: Transition, ctx: Context) -> list[str]:
    """Everything that stands in the way of ``transition`` now; empty means go."""
    if case.state not in transition.sources:
        return [
            _("The case is at “%(state)s”; “%(action)s” is not possible from there.")
            % {"state": case.get_state_display(), "action": transition.label}
        ]
    problems = []
    if not acting_roles(ctx.actor, case) & transition.roles:
        from fullrecord.accounts.choices import Role as R

        names = "、".join(str(R(r).label) for r in sorted(transition.roles))
        problems.append(
            _("Only %(roles)s responsible for this case may do this.") % {"roles": names}
        )
    if transition.reason_required and not ctx.reason.strip():
        problems.append(_("A reason is required."))
    for check in requirements_for(transition.name):
        message = check(case, ctx)
        if message:
            problems.append(str(message))
    return problems


def available_transitions(
    case: Case, user: User, today: date | None = None
) -> list[TransitionOption]:
    """The moves from the current state the user holds a role for, each with its blockers."""
    ctx = Context(actor=user, today=today or timezone.localdate(), reason="-", preview=True)
    roles = acting_roles(user, case)
    options = []
    for transition in TRANSITIONS.values():
        if case.state in transition.sources and roles & transition.roles:
            blockers = check_transition(case, transition, ctx)
            options.append(TransitionOption(transition, blockers))
    return options


def do_transition(
    case: Case,
    name: str,
    *,
    actor: User,
    reason: str = "",
    data: dict[str, Any] | None = None,
    today: date | None = None,
) -> CaseTransition:
    """Move ``case`` by transition ``name``; all of it or none of it.

    The state is changed by a conditional UPDATE on the state the checks saw,
    so the same move sent twice at once applies once.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused(_("Unknown transition “%(name)s”.") % {"name": name})
    # Only the inputs this move asks for: a stray hearing date on another move
    # must not start a hearing notice (or fail to parse halfway through).
    data = {k: v for k, v in (data or {}).items() if k in transition.fields}
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("org_unit").get(pk=case.pk)
        ctx = Context(actor=actor, today=today, reason=reason, data=data)
        problems = check_transition(locked, transition, ctx)
        if problems:
            raise TransitionRefused(problems)
        from_state = locked.state
        updates: dict[str, Any] = {"state": transition.target, "updated_at": timezone.now()}
        if transition.target == CaseState.FILED:
            updates["filed_on"] = today
        if transition.target == CaseState.CLOSED:
            updates["closed_on"] = today
        changed = Case.objects.filter(pk=locked.pk, state=from_state).update(**updates)
        if changed != 1:
            raise TransitionRefused(_("The case was moved by someone else just now; reload it."))
        for key, value in updates.items():
            setattr(locked, key, value)
        step = CaseTransition.objects.create(
            case=locked,
            name=name,
            from_state=from_state,
            to_state=transition.target,
            actor=actor,
            reason=reason.strip(),
            data={k: str(v) for k, v in data.items()},
        )
        deadlines.on_state_entered(locked, transition.target, today, data)
        completeness.refresh(locked)  # a new stage reached brings its expectations
        record(
            "case.transition",
            actor=actor,
            obj=locked,
            case_id=locked.pk,
            summary=f"{locked.number}: {transition.label}",
            data={
                "transition": name,
                "from": from_state,
                "to": transition.target,
                "reason": reason.strip(),
                **{k: str(v) for k, v in data.items()},
            },
        )
        _tell_next_actors(locked, actor)
    for key in (
        "state",
        "filed_on",
        "closed_on",
        "updated_at",
        "completeness_missing",
        "completeness_missing_stages",
        "completeness_checked_at",
    ):
        setattr(case, key, getattr(locked, key))
    return step


# ---------------------------------------------------------------- who acts next


@dataclass
class NextStep:
    transition: Transition
    users: list[User]

    @property
    def names(self) -> str:
        return "、".join(str(u) for u in self.users)


def next_steps(case: Case) -> list[NextStep]:
    """Each forward move from the case's state and the people expected to take it:
    those of the first role (officer, legal, archivist, head, leader) who reach the case."""
    steps = []
    for transition in next_moves(case.state):
        for role in expected_roles(transition):
            users = users_acting_as(case, {role})
            if users:
                steps.append(NextStep(transition, users))
                break
    return steps


def next_actors(case: Case, viewer: User) -> list[NextStep]:
    """What the case page says of who acts next: only the steps that are not the viewer's."""
    return [step for step in next_steps(case) if viewer not in step.users]


def _tell_next_actors(case: Case, actor: User) -> None:
    """A move that makes someone the next actor tells them (in the application; by
    e-mail too when the operator configured it, see notifications)."""
    for step in next_steps(case):
        notify(
            [u for u in step.users if u != actor],
            _("Case %(number)s is at “%(state)s”: “%(action)s” is yours to do.")
            % {
                "number": case.number,
                "state": case.get_state_display(),
                "action": step.transition.label,
            },
            link=case.get_absolute_url(),
            key=f"case-next-{case.pk}-{case.state}",
        )


# ---------------------------------------------------------------- built-in requirements


@requirement("file")
def _has_party(case: Case, ctx: Context) -> str | None:
    if not case.parties.exists():
        return _("Record at least one party (当事人) before filing.")
    return None


@requirement(
    *(
        t.name
        for t in TRANSITIONS.values()
        if t.target in TWO_OFFICER_STATES and t.target not in EXIT_STATES
    )
)
def _two_certified_officers(case: Case, ctx: Context) -> str | None:
    """第十条: from investigation on, the records name at least two officers with
    certificates, so every move into those stages needs them on the case."""
    officers = [a.officer for a in case.assignments.select_related("officer")]
    certified = [o for o in officers if o.certificate_number and o.is_active]
    if len(certified) < 2:
        missing = [str(o) for o in officers if not o.certificate_number]
        message = _(
            "At least two assigned officers with enforcement certificate numbers are "
            "required (第十条); %(count)s assigned have one."
        ) % {"count": len(certified)}
        if missing:
            message += " " + _("Missing certificate: %(names)s.") % {"names": "、".join(missing)}
        return message
    return None


def _window_end(case: Case, code: str):
    deadline = (
        case.deadlines.filter(rule__code=code, kind=LimitKind.WINDOW, cancelled=False)
        .order_by("-started_on")
        .first()
    )
    return deadline.due_on if deadline else None


@requirement("decide")
def _party_windows_ended(case: Case, ctx: Context) -> str | None:
    """The party's 陈述申辩 and hearing-request windows must run out before a decision."""
    if case.state != CaseState.NOTIFIED:
        return None
    for code, label in (
        ("statement_window", _("statement and defence")),
        ("hearing_request_window", _("hearing request")),
    ):
        end = _window_end(case, code)
        if end and ctx.today <= end:
            return _("The party's %(what)s window runs until %(date)s; the decision must wait.") % {
                "what": label,
                "date": end.isoformat(),
            }
    return None


@requirement("decide")
def _hearing_held(case: Case, ctx: Context) -> str | None:
    if case.state != CaseState.HEARING:
        return None
    hearing = (
        case.deadlines.filter(kind=LimitKind.NOTICE, cancelled=False)
        .order_by("-started_on")
        .first()
    )
    if hearing and ctx.today < hearing.due_on:
        return _("The hearing is set for %(date)s; decide after it is held.") % {
            "date": hearing.due_on.isoformat()
        }
    return None


@requirement("request_hearing")
def _hearing_date_valid(case: Case, ctx: Context) -> str | None:
    window_end = _window_end(case, "hearing_request_window")
    if window_end and ctx.today > window_end:
        return _("The party's window to request a hearing ended on %(date)s.") % {
            "date": window_end.isoformat()
        }
    raw = ctx.data.get("hearing_date")
    if not raw:
        return None if ctx.preview else _("Give the hearing date.")
    if isinstance(raw, str):
        try:
            raw = date.fromisoformat(raw)
        except ValueError:
            return _("The hearing date is not a valid date (use YYYY-MM-DD).")
        ctx.data["hearing_date"] = raw
    earliest = deadlines.earliest_hearing_date(ctx.today)
    if earliest and raw < earliest.date:
        return _(
            "The party must be told seven working days ahead (第六十四条): the hearing can be "
            "held on %(date)s at the earliest."
        ) % {"date": earliest.date.isoformat()}
    return None


def record_view(case: Case, *, actor: User) -> None:
    """第十七条: every look at a case file is recorded; under an access request, with its number."""
    from .access import acting_roles, request_for_case

    data = {}
    if not acting_roles(actor, case):
        via = request_for_case(actor, case)
        if via is not None:
            data["request"] = via.number
    record(
        "case.view",
        actor=actor,
        obj=case,
        case_id=case.pk,
        summary=f"{action_label('case.view')}：{case.number}",
        data=data,
    )


# ---------------------------------------------------------------- the cause catalogue

CAUSE_FIELDS = ("code", "name", "legal_basis", "active", "order")


@transaction.atomic
def save_cause(cause: Cause | None, *, actor: User, **values: Any) -> Cause:
    """Add a cause (案由) or change one, by the system administrator (三员分立). A cause is
    retired (``active`` off), never deleted: cases keep naming theirs. Its code is fixed
    once made, since imports and the demo name causes by code."""
    if not can_administer(actor):
        raise CaseError(_("Only the system administrator keeps the catalogues."))
    creating = cause is None
    cause = Cause() if creating else Cause.objects.select_for_update().get(pk=cause.pk)
    changed = {}
    for name, value in values.items():
        if name not in CAUSE_FIELDS or (name == "code" and not creating):
            if name == "code" and value == cause.code:
                continue
            raise CaseError(_("This field cannot be changed here: %(name)s") % {"name": name})
        value = value.strip() if isinstance(value, str) else value
        if getattr(cause, name) != value:
            changed[name] = {"from": str(getattr(cause, name)), "to": str(value)}
            setattr(cause, name, value)
    if not changed:
        return cause
    try:
        cause.full_clean()
    except ValidationError as exc:
        raise CaseError(exc.messages) from None
    cause.save()
    record(
        "case.cause_created" if creating else "case.cause_changed",
        actor=actor,
        obj=cause,
        summary=(_("Cause %(name)s added") if creating else _("Cause %(name)s changed"))
        % {"name": cause.name},
        data={"changed": changed},
    )
    return cause
