"""Changes of a case's facts and of a party's particulars (案件信息变更).

Before 立案 the facts are still being gathered: a change takes effect at once and
is recorded. From 立案 on every change needs a reason and shows on the case
timeline as before → after; the facts the law fixes once the case is filed
(案由, 发现日期, how it was found, the party's identity) change only when the
section head or the leader in charge approves. A change asked by one of them
takes effect at once, with their reason: they are the ones who approve.

Each write and its audit entry happen in one transaction, as everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import User
from fullrecord.audit.services import record
from fullrecord.notifications.services import notify
from fullrecord.security import sm4
from fullrecord.security.fields import SealedTextField

from . import completeness
from .access import acting_roles, can, users_acting_as
from .choices import CaseState, ChangeState
from .models import Case, CaseChange, Party

CASE_FIELDS = ("cause", "source", "address", "summary", "latitude", "longitude", "discovered_on")
PARTY_FIELDS = (
    "kind",
    "name",
    "id_type",
    "id_number",
    "legal_representative",
    "address",
    "contact",
)
# What the filed case rests on: changed only with the section head's or leader's approval.
FIXED_CASE_FIELDS = frozenset({"cause", "discovered_on", "source"})
FIXED_PARTY_FIELDS = frozenset({"kind", "name", "id_type", "id_number"})
BEFORE_FILING = frozenset({CaseState.DISCOVERED, CaseState.STOPPED})
APPROVER_ROLES = frozenset({Role.SECTION_HEAD, Role.LEADER})


def _error(message):
    from .services import CaseError

    return CaseError(message)


def _sealed(obj: models.Model, name: str) -> bool:
    """Personal data sealed at rest (SM4): an identity number, an address, a contact."""
    return isinstance(obj._meta.get_field(name), SealedTextField)


def _shown(obj: models.Model, name: str) -> str:
    """The value as people read it: choices by their label, a cause by its name, personal
    data masked (the change, its timeline entry, notice and audit entry never hold it in
    clear: 个人信息保护法, 密评)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if _sealed(obj, name):
        return sm4.mask(value) if name == "id_number" else sm4.mask_text(value)
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _raw(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _set(obj: models.Model, name: str, raw: Any) -> None:
    field = obj._meta.get_field(name)
    if field.is_relation:
        setattr(obj, field.attname, raw)
    else:
        setattr(obj, name, field.to_python(raw))


def may_approve(user: User, case: Case) -> bool:
    return bool(acting_roles(user, case) & APPROVER_ROLES) and can(user, "edit", case)


def approvers(case: Case) -> list[User]:
    """Who decides a change of this case: its section heads, else the leader in charge."""
    heads = users_acting_as(case, {Role.SECTION_HEAD})
    return heads or users_acting_as(case, {Role.LEADER})


def pending_for(user: User) -> QuerySet[CaseChange]:
    """Changes waiting for ``user``'s decision (for the to-do queue)."""
    from .access import visible_cases

    if not user.has_role(*APPROVER_ROLES):
        return CaseChange.objects.none()
    return (
        CaseChange.objects.filter(
            state=ChangeState.PENDING, case__in=visible_cases(user, include_grants=False)
        )
        .exclude(requested_by=user)
        .select_related("case", "requested_by")
    )


def _diff(target: models.Model, changes: dict[str, Any], allowed: tuple[str, ...]) -> dict:
    diff = {}
    for name, value in changes.items():
        if name not in allowed:
            raise _error(_("The field %(field)s cannot be changed here.") % {"field": name})
        if getattr(target, name) == value:
            continue
        if isinstance(target, Party) and target.keeps(name, value):
            continue  # the masked value sent back: unchanged (个人信息保护法)
        before = _shown(target, name)
        _set(target, name, _raw(value))
        diff[name] = {"before": before, "after": _shown(target, name), "value": _raw(value)}
        if _sealed(target, name):  # the value waiting for approval is sealed too
            diff[name].update(value=sm4.seal(str(_raw(value))), sealed=True)
    return diff


def _value(item: dict) -> Any:
    return sm4.open_sealed(item["value"]) if item.get("sealed") else item["value"]


@transaction.atomic
def change_case(
    case: Case, *, actor: User, changes: dict[str, Any], reason: str = ""
) -> CaseChange | None:
    """Change the case's facts now, or ask for it when the law wants an approval.

    Returns the change (in effect or awaiting approval), or None when nothing differs.
    """
    if not can(actor, "edit", case):
        raise _error(_("You may not edit this case."))
    locked = Case.objects.select_for_update().select_related("org_unit", "cause").get(pk=case.pk)
    diff = _diff(locked, changes, CASE_FIELDS)
    if not diff:
        return None
    locked.full_clean()  # a bad value is refused now, not when the head approves
    change = _submit(locked, locked, actor, diff, reason, FIXED_CASE_FIELDS)
    if change.state == ChangeState.APPLIED:
        for name in diff:
            setattr(case, name, getattr(locked, name))
    return change


@transaction.atomic
def change_party(
    party: Party, *, actor: User, changes: dict[str, Any], reason: str = ""
) -> CaseChange | None:
    """Correct a party's particulars; their identity needs approval after 立案."""
    case = party.case
    if not can(actor, "edit", case):
        raise _error(_("You may not edit this case."))
    locked_case = Case.objects.select_for_update().select_related("org_unit").get(pk=case.pk)
    locked = Party.objects.get(pk=party.pk)
    name = locked.name  # as the party was known when the change was asked
    diff = _diff(locked, changes, PARTY_FIELDS)
    if not diff:
        return None
    locked.full_clean()
    return _submit(locked_case, locked, actor, diff, reason, FIXED_PARTY_FIELDS, party_name=name)


def _submit(
    case: Case, target, actor: User, diff: dict, reason: str, fixed, party_name: str = ""
) -> CaseChange:
    reason = reason.strip()
    filed = case.state not in BEFORE_FILING
    if filed and not reason:
        raise _error(_("After filing, every change of a case needs a reason."))
    needs_approval = filed and bool(fixed & diff.keys())
    party = target if isinstance(target, Party) else None
    waiting = CaseChange.objects.filter(case=case, party=party, state=ChangeState.PENDING)
    clash = sorted(set().union(*(c.changes.keys() for c in waiting)) & diff.keys())
    if clash:
        raise _error(
            _("A change of %(fields)s is already awaiting approval; it is decided first.")
            % {"fields": "、".join(str(target._meta.get_field(n).verbose_name) for n in clash)}
        )
    change = CaseChange(
        case=case,
        party=party,
        party_name=party_name,
        changes=diff,
        reason=reason,
        needs_approval=needs_approval,
        requested_by=actor,
    )
    if needs_approval and not may_approve(actor, case):
        change.state = ChangeState.PENDING
        change.save()
        record(
            "case.change_request",
            actor=actor,
            obj=case,
            case_id=case.pk,
            summary=_("Asked to change case %(number)s: %(changes)s")
            % {"number": case.number, "changes": change.summary()},
            data={"change": change.pk, "reason": reason, "changes": _audit_changes(change)},
        )
        notify(
            [u for u in approvers(case) if u != actor],
            _("%(who)s asks to change case %(number)s: %(changes)s")
            % {"who": actor, "number": case.number, "changes": change.summary()},
            link=case.get_absolute_url() + "#changes",
        )
        return change
    target.save()
    change.state = ChangeState.APPLIED
    if needs_approval:  # the approver asked it: approved by the asking
        change.decided_by, change.decided_at = actor, timezone.now()
    change.save()
    _record_applied(case, change, actor)
    return change


def _audit_changes(change: CaseChange) -> dict[str, list[str]]:
    return {name: [item["before"], item["after"]] for name, item in change.changes.items()}


def _record_applied(case: Case, change: CaseChange, actor: User) -> None:
    record(
        "case.party_edit" if change.party_name else "case.edit",
        actor=actor,
        obj=case,
        case_id=case.pk,
        summary=_("Changed case %(number)s: %(changes)s")
        % {"number": case.number, "changes": change.summary()},
        data={
            "changes": _audit_changes(change),
            "reason": change.reason,
            "change": change.pk,
            **({"party": change.party_name} if change.party_name else {}),
        },
    )
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    # A new cause or a party's kind changes what the records expect (the party's papers).
    completeness.refresh(case)


@transaction.atomic
def decide_change(change: CaseChange, *, actor: User, approve: bool, note: str = "") -> CaseChange:
    """The section head (or leader) approves or rejects a change; approving applies it."""
    locked = CaseChange.objects.select_for_update().get(pk=change.pk)
    case = Case.objects.select_for_update().select_related("org_unit").get(pk=locked.case_id)
    if not may_approve(actor, case):
        raise _error(_("Only the section head or the leader in charge decides this change."))
    if locked.requested_by_id == actor.pk:
        raise _error(_("A change is decided by someone other than the one who asked it."))
    if locked.state != ChangeState.PENDING:
        raise _error(_("This change has already been decided."))
    note = note.strip()
    if not approve and not note:
        raise _error(_("Say why the change is rejected."))
    if approve:
        target = case
        if locked.party_name:
            if locked.party_id is None:
                raise _error(_("The party of this change is no longer on the case."))
            target = Party.objects.get(pk=locked.party_id)
        for name, item in locked.changes.items():
            if _shown(target, name) != item["before"]:
                raise _error(
                    _("%(field)s has changed since the request; ask again.")
                    % {"field": target._meta.get_field(name).verbose_name}
                )
            _set(target, name, _value(item))
        target.full_clean()
        target.save()
    locked.state = ChangeState.APPLIED if approve else ChangeState.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
    locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    record(
        "case.change_approve" if approve else "case.change_reject",
        actor=actor,
        obj=case,
        case_id=case.pk,
        summary=(
            _("Approved the change of case %(number)s: %(changes)s")
            if approve
            else _("Rejected the change of case %(number)s: %(changes)s")
        )
        % {"number": case.number, "changes": locked.summary()},
        data={"change": locked.pk, "note": note, "requested_by": locked.requested_by.username},
    )
    if approve:
        _record_applied(case, locked, actor)
    notify(
        [locked.requested_by],
        (
            _("Your change of case %(number)s was approved.")
            if approve
            else _("Your change of case %(number)s was rejected: %(note)s")
        )
        % {"number": case.number, "note": note},
        link=case.get_absolute_url() + "#changes",
    )
    return locked
