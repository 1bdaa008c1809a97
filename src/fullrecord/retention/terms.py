"""The write path of case-file terms (第十二条): how long a kind of case's file — and so its
evidence — is kept, added, edited and deactivated by the administrator (系统管理员).

Kept apart from ``services.py`` (past its 800 lines); the same habits: one transaction
with its audit entry, refusals as :class:`~.services.RetentionError` in the user's
language. Every change queues ``tasks.recompute_after_term_change`` once committed — the
task the Django admin queues too — so the keep-until dates of the evidence of cases
follow at once, not at the next daily listing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import User
from fullrecord.audit.services import record
from fullrecord.cases.models import Cause

from .choices import Outcome
from .models import CaseFileTerm
from .services import RetentionError

TERM_KEEPERS = (Role.ADMIN,)
# The longest term anyone keeps a case file for a number of years; longer is 永久.
MAX_YEARS = 100
FIELDS = ("name", "outcome", "years", "causes")


def can_manage(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.has_role(*TERM_KEEPERS)
    )


def queue_recompute(actor: User | None) -> None:
    """Once the change is committed, the worker recomputes the evidence of every case."""
    from .tasks import recompute_after_term_change

    actor_id = actor.pk if actor is not None else None
    transaction.on_commit(lambda: recompute_after_term_change.enqueue(actor_id=actor_id))


def _state(term: CaseFileTerm) -> dict[str, Any]:
    return {
        "name": term.name,
        "outcome": term.outcome,
        "years": term.years,
        "causes": sorted(term.causes.values_list("pk", flat=True)),
        "active": term.active,
    }


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The fields given, checked; refusals name what is wrong."""
    cleaned: dict[str, Any] = {}
    if "name" in values:
        name = (values["name"] or "").strip()
        if not name:
            raise RetentionError(_("Give the term a name."))
        cleaned["name"] = name[:100]
    if "outcome" in values:
        if values["outcome"] not in Outcome.values:
            raise RetentionError(_("Choose which cases the term applies to."))
        cleaned["outcome"] = values["outcome"]
    if "years" in values:
        years = values["years"]
        if years in ("", None):
            years = None
        elif not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= MAX_YEARS:
            raise RetentionError(
                _("A term is 1 to %(max)s years, or empty for permanent (永久).")
                % {"max": MAX_YEARS}
            )
        cleaned["years"] = years
    if "causes" in values:
        ids = sorted({getattr(c, "pk", c) for c in values["causes"] or []})
        causes = list(Cause.objects.filter(pk__in=ids))
        if len(causes) != len(ids):
            raise RetentionError(_("One of the causes does not exist."))
        cleaned["causes"] = causes
    return cleaned


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RetentionError(_("Say why: every change of a case-file term is recorded."))
    return reason[:2000]


def _refuse_unless_keeper(actor: User) -> None:
    if not can_manage(actor):
        raise RetentionError(_("Only the administrator edits case-file terms."))


def _record(action: str, term: CaseFileTerm, actor: User, summary: str, **data: Any) -> None:
    record(action, actor=actor, obj=term, summary=summary, data={"term": term.pk, **data})


def add_term(
    *,
    actor: User,
    name: str,
    outcome: str,
    years: int | None,
    causes: Iterable[Cause | int] = (),
    reason: str,
) -> CaseFileTerm:
    """A new term, in force at once; a longer one moves the keep-until dates of evidence."""
    _refuse_unless_keeper(actor)
    reason = _reason(reason)
    values = _clean({"name": name, "outcome": outcome, "years": years, "causes": causes})
    with transaction.atomic():
        causes_of = values.pop("causes")
        term = CaseFileTerm.objects.create(active=True, **values)
        term.causes.set(causes_of)
        _record(
            "retention.term_added",
            term,
            actor,
            _("Case-file term added: %(name)s") % {"name": term.name},
            after=_state(term),
            reason=reason,
        )
        queue_recompute(actor)
    return term


def change_term(term: CaseFileTerm, *, actor: User, reason: str, **changes: Any) -> CaseFileTerm:
    """Edit a term's name, outcome, years or causes (only those given)."""
    _refuse_unless_keeper(actor)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise RetentionError(_("Only the name, outcome, years and causes of a term change."))
    reason = _reason(reason)
    values = _clean(changes)
    with transaction.atomic():
        locked = CaseFileTerm.objects.select_for_update().get(pk=term.pk)
        before = _state(locked)
        causes_of = values.pop("causes", None)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        if causes_of is not None:
            locked.causes.set(causes_of)
        after = _state(locked)
        if after == before:
            raise RetentionError(_("Nothing was changed."))
        _record(
            "retention.term_changed",
            locked,
            actor,
            _("Case-file term changed: %(name)s") % {"name": locked.name},
            before=before,
            after=after,
            reason=reason,
        )
        queue_recompute(actor)
    return locked


def set_active(term: CaseFileTerm, *, actor: User, active: bool, reason: str) -> CaseFileTerm:
    """Deactivate a term (it no longer applies; the row stays, for the dates it gave and its
    history) or put it back in force."""
    _refuse_unless_keeper(actor)
    reason = _reason(reason)
    with transaction.atomic():
        changed = CaseFileTerm.objects.filter(pk=term.pk, active=not active).update(active=active)
        if not changed:
            raise RetentionError(
                _("This term is already in force.")
                if active
                else _("This term is already inactive.")
            )
        term.refresh_from_db()
        _record(
            "retention.term_activated" if active else "retention.term_deactivated",
            term,
            actor,
            (
                _("Case-file term put back in force: %(name)s")
                if active
                else _("Case-file term deactivated: %(name)s")
            )
            % {"name": term.name},
            after=_state(term),
            reason=reason,
        )
        queue_recompute(actor)
    return term


def describe(term: CaseFileTerm) -> str:
    """The term's length in the user's language."""
    if term.permanent:
        return _("Permanent")
    return _("%(years)s years") % {"years": term.years}
