"""The case state machine: which moves exist, who may make them, what they need.

No stage can be skipped: every move goes from one state to the next one on the
path of 第二条, or out through one of the exits (不予立案, 撤案, 终止, 移送).
Other apps add requirements to a move with :func:`requirement` (e.g. the written
records app will demand a 立案审批表 before ``file``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from fullrecord.accounts.choices import Role

from .choices import CaseState as S


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    reason_required: bool = False
    fields: tuple[str, ...] = ()  # extra inputs, e.g. the hearing date
    style: str = "primary"


@dataclass
class Context:
    """What a requirement may look at besides the case."""

    actor: object
    today: date
    reason: str = ""
    data: dict = field(default_factory=dict)
    # True when listing the moves a user may make: the inputs the move's form asks
    # for (reason, hearing date) are not given yet and must not count as blockers.
    preview: bool = False


OFFICER, HEAD, LEGAL, LEADER, ARCHIVIST = (
    Role.OFFICER,
    Role.SECTION_HEAD,
    Role.LEGAL,
    Role.LEADER,
    Role.ARCHIVIST,
)


def _t(name, label, sources, target, roles, **kwargs) -> Transition:
    return Transition(name, label, tuple(sources), target, frozenset(roles), **kwargs)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("stop", _("Record stopping the violation"), [S.DISCOVERED], S.STOPPED, [OFFICER, HEAD]),
        _t("file", _("File the case"), [S.STOPPED], S.FILED, [HEAD, LEADER]),
        _t("investigate", _("Start investigation"), [S.FILED], S.INVESTIGATING, [OFFICER, HEAD]),
        _t(
            "submit_review",
            _("Submit for legal review"),
            [S.INVESTIGATING],
            S.LEGAL_REVIEW,
            [OFFICER, HEAD],
        ),
        _t(
            "return_investigation",
            _("Return for further investigation"),
            [S.LEGAL_REVIEW],
            S.INVESTIGATING,
            [LEGAL],
            reason_required=True,
            style="secondary",
        ),
        _t(
            "collective_discussion",
            _("Refer to collective discussion"),
            [S.LEGAL_REVIEW],
            S.COLLECTIVE_DISCUSSION,
            [LEGAL, LEADER],
            style="secondary",
        ),
        _t(
            "notify",
            _("Notify the party of the proposed decision"),
            [S.LEGAL_REVIEW, S.COLLECTIVE_DISCUSSION],
            S.NOTIFIED,
            [LEGAL, LEADER],
        ),
        _t(
            "request_hearing",
            _("Record the party's hearing request"),
            [S.NOTIFIED],
            S.HEARING,
            [OFFICER, HEAD, LEGAL],
            fields=("hearing_date",),
            style="secondary",
        ),
        _t("decide", _("Issue the decision"), [S.NOTIFIED, S.HEARING], S.DECIDED, [LEADER]),
        _t("serve", _("Record service of the decision"), [S.DECIDED], S.SERVED, [OFFICER, HEAD]),
        _t("enforce", _("Start enforcement"), [S.SERVED], S.ENFORCING, [OFFICER, HEAD]),
        _t("close", _("Close the case"), [S.ENFORCING], S.CLOSED, [HEAD, LEADER]),
        _t("archive", _("Archive the case file"), [S.CLOSED], S.ARCHIVED, [ARCHIVIST]),
        # Exits.
        _t(
            "not_file",
            _("Decide not to file"),
            [S.DISCOVERED, S.STOPPED],
            S.NOT_FILED,
            [HEAD, LEADER],
            reason_required=True,
            style="danger",
        ),
        _t(
            "transfer",
            _("Transfer to another authority"),
            [S.DISCOVERED, S.STOPPED, S.FILED, S.INVESTIGATING],
            S.TRANSFERRED,
            [HEAD, LEADER],
            reason_required=True,
            style="danger",
        ),
        _t(
            "withdraw",
            _("Withdraw the case"),
            [S.FILED, S.INVESTIGATING, S.LEGAL_REVIEW, S.COLLECTIVE_DISCUSSION],
            S.WITHDRAWN,
            [LEADER],
            reason_required=True,
            style="danger",
        ),
        _t(
            "terminate",
            _("Terminate the case"),
            [
                S.FILED,
                S.INVESTIGATING,
                S.LEGAL_REVIEW,
                S.COLLECTIVE_DISCUSSION,
                S.NOTIFIED,
                S.HEARING,
                S.DECIDED,
                S.SERVED,
                S.ENFORCING,
            ],
            S.TERMINATED,
            [LEADER],
            reason_required=True,
            style="danger",
        ),
    ]
}

# A requirement returns None when satisfied, else the message that says what is missing.
Requirement = Callable[[object, Context], str | None]
_REQUIREMENTS: dict[str, list[Requirement]] = {}


def requirement(*transition_names: str) -> Callable[[Requirement], Requirement]:
    """Register a check that must pass before the named transitions may be made."""

    def register(func: Requirement) -> Requirement:
        for name in transition_names:
            if name not in TRANSITIONS:
                raise KeyError(f"unknown transition {name!r}")
            _REQUIREMENTS.setdefault(name, []).append(func)
        return func

    return register


def requirements_for(name: str) -> list[Requirement]:
    return list(_REQUIREMENTS.get(name, []))


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


# Who is expected to take a forward move when several roles may: the one closest to
# the work (an officer before the head, legal before the leader).
_PREFERENCE = (OFFICER, LEGAL, ARCHIVIST, HEAD, LEADER)


def next_moves(state: str) -> list[Transition]:
    """The forward moves from ``state`` (exits and returns are not what waits)."""
    return [t for t in transitions_from(state) if t.style == "primary"]


def expected_roles(transition: Transition) -> tuple[str, ...]:
    """The roles that may take ``transition``, the one expected to act first."""
    return tuple(role for role in _PREFERENCE if role in transition.roles)


def states_waiting_for(role: str) -> list[str]:
    """States whose next forward move is first of all ``role``'s (for the to-do queue)."""
    return sorted(
        {
            state
            for t in TRANSITIONS.values()
            if t.style == "primary" and expected_roles(t)[:1] == (role,)
            for state in t.sources
        }
    )
