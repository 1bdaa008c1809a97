"""Role × action × object: every view and API endpoint, called as every persona.

``MATRIX`` names, for every URL pattern of the project, each method it offers, the
personas for whom the action succeeds and what everyone else gets: 404 when the object
is out of their reach ("missing and forbidden are the same 404", docs/access.md), the
answer the page or API gives when they see the object but may not take the action, and
what an anonymous caller gets (a redirect to sign in on pages, 401 on the API). A method
an endpoint does not offer answers 405. Unsafe calls carry a body with which the action
succeeds for the allowed personas, and ``done`` checks that it took effect for them and
for nobody else; list calls check which of the objects each persona is shown.

A URL pattern without an entry here, or in ``EXEMPT`` with a reason, fails
``test_every_endpoint_has_a_matrix_entry``. The objects are built once for the module
(``endpoint_world``); every call runs in its own savepoint, so no call sees another's
effects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from fullrecord.access.models import AccessRequest, Copy
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.audit.models import AuditEntry
from fullrecord.cases.models import Case, CaseAssignment, Cause, CompletenessException, Party
from fullrecord.core.testing.factories import resident_id
from fullrecord.core.testing.personas import PERSONAS
from fullrecord.devices.models import (
    BookingCorrection,
    CameraBooking,
    CheckoutCorrection,
    ClipRequest,
    DeviceAlias,
    DeviceModel,
    FootageLoss,
    Maintenance,
    MaintenanceOverride,
    Mark,
)
from fullrecord.devices.models import Checkout as DeviceCheckout
from fullrecord.devices.models import Device as RecordingDevice
from fullrecord.devices.models import Fault as DeviceFault
from fullrecord.devices.models import Patrol as PatrolTask
from fullrecord.devices.tests import matrix_world as dw
from fullrecord.documents.models import (
    ApprovalStep,
    BureauTemplate,
    Document,
    DocumentType,
    PaperItem,
    PaperNotApplicable,
    Service,
)
from fullrecord.documents.tests.world import png, word_template
from fullrecord.media.models import CaseMediaLink, MediaItem, Upload
from fullrecord.notifications.models import Notification
from fullrecord.retention.models import CaseExport, CaseFileTerm, Hold, Sweep
from fullrecord.supervision.models import (
    FootageMark,
    InspectionPlan,
    Rectification,
    Review,
    RubricItem,
    SampleDraw,
)

from .endpoint_world import (
    ANONYMOUS,
    ARCHIVISTS_REQUESTS,
    AUDIT_SEARCHERS,
    CASE1_ASSIGN,
    CASE1_EDIT,
    CASE1_STOP,
    CASE1_VIEW,
    CASE2_EDIT,
    CASE2_VIEW,
    CASE_OPENERS,
    DOC_READ_ONLY,
    DOC_WRITERS,
    ENTRY1_READERS,
    EVERYONE,
    HOLD1_READERS,
    HOLD_PLACERS,
    INSPECTORS,
    ITEM1_CLASSIFY,
    ITEM1_VIEW,
    ITEM2_VIEW,
    NOBODY,
    OFFICERS_REQUESTS,
    ORDER_ANSWERERS,
    ORDER_VIEW,
    PLAN_READERS,
    SECURITY_MANAGERS,
    SECURITY_READERS,
    SUPERVISION_READERS,
    SWEEP_APPROVERS,
    SWEEP_READERS,
    TEMPLATE_KEEPERS,
    TERM_READERS,
    UPLOADERS,
    World,
    build_world,
    who,
)

W = World
U = User | None
TUS = {"Tus-Resumable": "1.0.0"}
OFFSET_TYPE = "application/offset+octet-stream"


@dataclass(frozen=True)
class Call:
    """One method of one endpoint, as every persona sees it."""

    method: str
    allowed: frozenset[str]
    ok: int = 200
    # The answer for everyone outside ``allowed`` ...
    refused: int = 404
    # ... except these, who see the object but may not take this action.
    also: Mapping[str, int] = field(default_factory=dict)
    anonymous: int | None = None  # None: 302 to sign in on pages, 401 on the API and tus
    variant: str = ""
    args: Callable[[W], dict] = lambda w: {}
    query: str = ""
    body: Callable[[W, U], Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    # The action's effect: true after an allowed call, false after any other.
    done: Callable[[W, U], bool] | None = None
    # On a 200: label -> the personas who must find it in the answer (all others must not).
    shows: Callable[[W], Mapping[str, frozenset[str]]] | None = None
    # persona -> why this cell is known to be wrong (xfail, strict).
    xfail: Mapping[str, str] = field(default_factory=dict)
    # Call only these personas (and anonymous): for a slow variant whose access path is
    # already proved by a sibling call for every persona.
    only: frozenset[str] | None = None

    def expected(self, persona: str, kind: str) -> int:
        if persona == ANONYMOUS:
            return self.anonymous or (302 if kind == "page" else 401)
        if persona in self.allowed:
            return self.ok
        return self.also.get(persona, self.refused)


def visible_to(allowed: frozenset[str], status: int) -> dict[str, int]:
    """Those in ``allowed`` (who see the object) get ``status`` for this action."""
    return dict.fromkeys(sorted(allowed), status)


# --- what the calls send and what they change --------------------------------------------

case1 = lambda w: {"pk": w.case1.pk}  # noqa: E731
case2 = lambda w: {"pk": w.case2.pk}  # noqa: E731
item1 = lambda w: {"pk": w.item1.pk}  # noqa: E731
item2 = lambda w: {"pk": w.item2.pk}  # noqa: E731
pending = lambda w: {"pk": w.pending.pk}  # noqa: E731
approved = lambda w: {"pk": w.approved.pk}  # noqa: E731


def _unit(w: W, u: U) -> int:
    return u.org_unit_id if u is not None else w.unit.pk


def case_form(w: W, u: U) -> dict:
    return {
        "cause": w.cause.pk,
        "source": "patrol",
        "org_unit": _unit(w, u),
        "discovered_on": timezone.localdate().isoformat(),
        "address": "矩阵新案地址",
        "summary": "",
        "latitude": "",
        "longitude": "",
        "parties-TOTAL_FORMS": "0",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }


def case_json(w: W, u: U) -> dict:
    return {
        "cause": w.cause.pk,
        "source": "patrol",
        "org_unit": _unit(w, u),
        "address": "矩阵新案地址",
    }


def opened(w: W, u: U) -> bool:
    return Case.objects.filter(created_by=u, address="矩阵新案地址").exists()


def case_edit_form(w: W, u: U) -> dict:
    c = w.case1
    return {
        "cause": c.cause_id,
        "source": c.source,
        "discovered_on": c.discovered_on.isoformat(),
        "address": "改正后的地址",
        "summary": "",
        "latitude": "",
        "longitude": "",
    }


def case1_address_changed(w: W, u: U) -> bool:
    return Case.objects.filter(pk=w.case1.pk, address="改正后的地址").exists()


def case1_stopped(w: W, u: U) -> bool:
    return Case.objects.get(pk=w.case1.pk).state == "stopped"


def case2_footage_excepted(w: W, u: U) -> bool:
    """case2 was found on patrol and no footage of it is linked: the leader explains why."""
    return CompletenessException.objects.filter(case=w.case2, recorded_by=u).exists()


def case2_exception(w: W, u: U) -> dict:
    return {
        "stage": "discovery",
        "kind": "audiovisual",
        "record": "footage",
        "reason": "执法记录仪电量耗尽，未能录像",
    }


def head_on_case1(w: W, u: U) -> bool:
    """The head is an officer of case1's own section: a section head assigns within it only
    (another section's officer is refused; cases/tests/test_only_assigners_put_...)."""
    return CaseAssignment.objects.filter(case=w.case1, officer=w.bureau.head).exists()


def officer2_off_case1(w: W, u: U) -> bool:
    return not CaseAssignment.objects.filter(case=w.case1, officer=w.bureau.officer2).exists()


def made_a_token(w: W, u: U) -> bool:
    return u is not None and AuthToken.objects.filter(user=u).exists()


def turned_off_email(w: W, u: U) -> bool:
    return u is not None and not User.objects.get(pk=u.pk).email_notifications


_TOKEN: dict[str, str] = {}


def officers_token(w: W) -> str:
    """A token of the officer's, made for this call (each call runs in its own savepoint)."""
    token, _key = AuthToken.objects.create(user=w.bureau.officer)
    _TOKEN["key"] = token.token_key
    return token.token_key


def officers_token_gone(w: W, u: U) -> bool:
    return not AuthToken.objects.filter(token_key=_TOKEN["key"]).exists()


def party(w: W, u: U) -> dict:
    return {
        "kind": "person",
        "name": "李四",
        "id_type": "resident_id",
        "id_number": resident_id(2),
        "legal_representative": "",
        "address": "",
        "contact": "",
    }


def party_added(w: W, u: U) -> bool:
    return Party.objects.filter(case=w.case1, name="李四").exists()


def _entry_by(action: str, u: U) -> bool:
    return u is not None and AuditEntry.objects.filter(action=action, actor=u).exists()


def nobody_made_archivist(w: W, u: U) -> bool:
    return w.bureau.nobody.role_grants.filter(role="archivist").exists()


# --- the system administrator's pages and API (accounts.access: admin only, else 404) ---

ADMINS = who("admin")
NEW_ACCOUNT = {
    "username": "matrix_new",
    "full_name": "矩阵新人",
    "email": "",
    "phone": "",
    "certificate_number": "",
}


def new_account_form(w: W, u: U) -> dict:
    return {**NEW_ACCOUNT, "org_unit": w.unit.pk}


def account_made(w: W, u: U) -> bool:
    return User.objects.filter(username="matrix_new").exists() and _entry_by("account.created", u)


def officer2_form(w: W, u: U) -> dict:
    p = w.bureau.officer2
    return {
        "username": p.username,
        "full_name": "矩阵改名",
        "org_unit": p.org_unit_id,
        "email": p.email,
        "phone": p.phone,
        "certificate_number": p.certificate_number,
    }


def officer2_renamed(w: W, u: U) -> bool:
    return User.objects.filter(pk=w.bureau.officer2.pk, full_name="矩阵改名").exists()


def officer2_deactivated(w: W, u: U) -> bool:
    return not User.objects.get(pk=w.bureau.officer2.pk).is_active


def new_unit_form(w: W, u: U) -> dict:
    return {"name": "矩阵新科", "kind": "section", "parent": w.unit.pk, "code": "MX1"}


def unit_made(w: W, u: U) -> bool:
    return OrgUnit.objects.filter(code="MX1").exists()


def unit_form(w: W, u: U) -> dict:
    unit = w.bureau.section2
    return {
        "name": "矩阵改名科",
        "kind": unit.kind,
        "parent": unit.parent_id,
        "code": unit.code,
        "number_prefix": unit.number_prefix,
    }


def unit_renamed(w: W, u: U) -> bool:
    return OrgUnit.objects.filter(pk=w.bureau.section2.pk, name="矩阵改名科").exists()


def empty_unit(w: W) -> dict:
    """A unit nobody belongs to, made for this call (closing needs it empty)."""
    unit = OrgUnit.objects.create(name="矩阵空科", kind="section", code="MXE", parent=w.unit)
    return {"pk": unit.pk}


def empty_unit_closed(w: W, u: U) -> bool:
    return OrgUnit.objects.filter(code="MXE", active=False).exists()


def cause_made(w: W, u: U) -> bool:
    return Cause.objects.filter(code="matrix-cause").exists()


def cause_renamed(w: W, u: U) -> bool:
    return Cause.objects.filter(pk=w.cause.pk, name="矩阵改名案由").exists()


def stop_order(w: W) -> dict:
    return {"pk": DocumentType.objects.get(code="stop_order").pk}


def stop_order_renamed(w: W, u: U) -> bool:
    return DocumentType.objects.filter(code="stop_order", name="矩阵改名文书").exists()


def stop_order_form(w: W, u: U) -> dict:
    t = DocumentType.objects.get(code="stop_order")
    return {
        "name": "矩阵改名文书",
        "required": "on" if t.required else "",
        "number_word": t.number_word,
        "two_officers": "on" if t.two_officers else "",
        "order": t.order,
        "active": "on",
    }


def cause_form(w: W, u: U) -> dict:
    c = w.cause
    return {
        "code": c.code,
        "name": "矩阵改名案由",
        "legal_basis": c.legal_basis,
        "active": "on",
        "order": c.order,
    }


officer2 = lambda w: {"pk": w.bureau.officer2.pk}  # noqa: E731
section2 = lambda w: {"pk": w.bureau.section2.pk}  # noqa: E731

POLICY_FORM = {
    "password_min_length": "12",
    "password_min_classes": "3",
    "password_history": "5",
    "password_max_age_days": "90",
    "idle_timeout_minutes": "20",
    "two_factor_roles": ["admin", "security_admin", "audit_admin", "leader"],
}
NEW_PASSWORD = "Matrix#Pass2026x"  # noqa: S105


def policy_changed(w: W, u: U) -> bool:
    from fullrecord.security.models import SecurityPolicy

    return SecurityPolicy.current().idle_timeout_minutes == 20


def own_password_changed(w: W, u: U) -> bool:
    return u is not None and User.objects.get(pk=u.pk).check_password(NEW_PASSWORD)


def party_removed(w: W, u: U) -> bool:
    return not Party.objects.filter(pk=w.party1.pk).exists()


def classification_form(w: W, u: U) -> dict:
    i = w.item1
    return {
        "org_unit": i.org_unit_id or "",
        "device_number": "DEV-MATRIX",
        "officer": i.officer_id or "",
        "used_at": timezone.localtime(i.used_at).strftime("%Y-%m-%dT%H:%M"),
        "party_name": i.party_name,
        "cause": i.cause_id or "",
        "task_reference": i.task_reference,
        "reason": "设备编号录错",
    }


def item1_reclassified(w: W, u: U) -> bool:
    return MediaItem.objects.get(pk=w.item1.pk).device_number == "DEV-MATRIX"


def item2_linked(w: W, u: U) -> bool:
    return CaseMediaLink.objects.filter(case=w.case2, item=w.item2).exists()


def filed(w: W, u: U) -> bool:
    return AccessRequest.objects.filter(requester=u, reason="矩阵测试").exists()


def state_of(name: str, state: str) -> Callable[[W, U], bool]:
    return lambda w, u: AccessRequest.objects.get(pk=getattr(w, name).pk).state == state


def copy_started(w: W, u: U) -> bool:
    return Copy.objects.filter(request=w.approved, state="pending").exists()


def exported(w: W, u: U) -> bool:
    return Copy.objects.filter(request=w.export, kind="export").exists()


def sweep1_approved_by(w: W, u: U) -> bool:
    sweep = Sweep.objects.get(pk=w.sweep1.pk)
    return u is not None and u.pk in (sweep.archivist_approval_by_id, sweep.leader_approval_by_id)


def sweep_proposed(w: W, u: U) -> bool:
    return Sweep.objects.filter(proposed_by=u).exclude(pk__in=[w.sweep1.pk, w.sweep2.pk]).exists()


def seeded_penalty_term() -> CaseFileTerm:
    """The seeded 30-year term of penalty cases (each call's changes are undone)."""
    return CaseFileTerm.objects.filter(outcome="penalty", years__isnull=False).order_by("pk")[0]


def penalty_term(w: W) -> dict:
    return {"pk": seeded_penalty_term().pk}


def inactive_term() -> CaseFileTerm:
    return CaseFileTerm.objects.filter(years__isnull=True, active=False).order_by("pk").first()


def hold_state(name: str, state: str) -> Callable[[W, U], bool]:
    return lambda w, u: Hold.objects.get(pk=getattr(w, name).pk).state == state


def sweep1_cancelled(w: W, u: U) -> bool:
    return Sweep.objects.get(pk=w.sweep1.pk).state == "cancelled"


def export_started(w: W, u: U) -> bool:
    return CaseExport.objects.filter(case=w.case1).exclude(pk=w.case_export.pk).exists()


def hold_placed(w: W, u: U) -> bool:
    return Hold.objects.filter(item=w.item1, placed_by=u, reason="obstruction").exists()


def all_read(w: W, u: U) -> bool:
    return u is not None and not Notification.objects.filter(recipient=u, read_at=None).exists()


def upload_opened(w: W, u: U) -> bool:
    return Upload.objects.filter(created_by=u).exists()


def upload_appended(w: W, u: U) -> bool:
    return Upload.objects.filter(created_by=w.bureau.officer, offset=5).exists()


def upload_cancelled(w: W, u: U) -> bool:
    return Upload.objects.filter(created_by=w.bureau.officer, state="terminated").exists()


def fresh_upload(w: W) -> dict:
    return {"upload_id": w.fresh_upload().pk}


def cases_shown(w: W) -> dict:
    return {w.case1.number: CASE1_VIEW, w.case2.number: CASE2_VIEW}


def items_shown_by_name(w: W) -> dict:
    return {w.item1.original_name: ITEM1_VIEW, w.item2.original_name: ITEM2_VIEW}


def items_shown_by_hash(w: W) -> dict:
    return {w.item1.sha256: ITEM1_VIEW, w.item2.sha256: ITEM2_VIEW}


def requests_shown(w: W) -> dict:
    return {
        w.pending.number: OFFICERS_REQUESTS,
        w.approved.number: OFFICERS_REQUESTS,
        w.export.number: ARCHIVISTS_REQUESTS,
    }


def requests_announced(w: W) -> dict:
    # The leader in charge is told of every request, the requester of the decision.
    return {
        w.pending.number: who("leader"),
        w.approved.number: who("leader", "officer"),
        w.export.number: who("leader", "archivist"),
    }


# --- written records (documents) ---------------------------------------------------------

doc_draft = lambda w: {"pk": w.docs.draft.pk}  # noqa: E731
doc_plain = lambda w: {"pk": w.docs.plain.pk}  # noqa: E731
doc_pending = lambda w: {"pk": w.docs.pending.pk}  # noqa: E731
doc_issued = lambda w: {"pk": w.docs.issued.pk}  # noqa: E731


def doc_act(which: str, action: str) -> Callable[[W], dict]:
    return lambda w: {"pk": getattr(w.docs, which).pk, "action": action}


def doc_file(which: str, kind: str) -> Callable[[W], dict]:
    return lambda w: {"pk": getattr(w.docs, which).pk, "kind": kind}


def drafted_by(code: str) -> Callable[[W, U], bool]:
    return lambda w, u: Document.objects.filter(
        case=w.case1, doc_type__code=code, created_by=u
    ).exists()


def status_is(which: str, status: str) -> Callable[[W, U], bool]:
    return lambda w, u: Document.objects.get(pk=getattr(w.docs, which).pk).status == status


def pending_step_decided(w: W, u: U) -> bool:
    return (
        u is not None
        and ApprovalStep.objects.filter(document=w.docs.pending, decided_by=u).exists()
    )


def issued_corrected(w: W, u: U) -> bool:
    return Document.objects.filter(previous=w.docs.issued, created_by=u).exists()


def issued_served(w: W, u: U) -> bool:
    return Service.objects.filter(document=w.docs.issued, recorded_by=u).exists()


def draft_edited(w: W, u: U) -> bool:
    return Document.objects.get(pk=w.docs.draft.pk).content.get("opinion") == "拟立案查处"


def template_set(w: W, u: U) -> bool:
    return BureauTemplate.objects.filter(uploaded_by=u).exists()


def draft_content(w: W, u: U) -> dict:
    return {**w.docs.draft.content, "opinion": "拟立案查处"}


def service_form(w: W, u: U) -> dict:
    return {
        "method": "direct",
        "served_on": timezone.localdate().isoformat(),
        "recipient": "张三",
        "proof": png("送达回证.png"),
    }


# The party's papers of case1 (a person, under the first seeded cause, 非法占地).
ID_CARD = "居民身份证或其他有效身份证件复印件"
LAND = "用地批准文件或土地使用权证明"


def paper_form(w: W, u: U) -> dict:
    item = PaperItem.objects.get(name=ID_CARD)
    return {"party": w.party1.pk, "item": item.pk, "file": png("身份证.png")}


def paper_filed(w: W, u: U) -> bool:
    return Document.objects.filter(
        case=w.case1, party=w.party1, paper_item__name=ID_CARD, created_by=u
    ).exists()


def not_applicable_form(w: W, u: U) -> dict:
    item = PaperItem.objects.get(name=LAND)
    return {"party": w.party1.pk, "item": item.pk, "reason": "当事人称无任何用地手续"}


def paper_not_applicable(w: W, u: U) -> bool:
    return PaperNotApplicable.objects.filter(case=w.case1, recorded_by=u).exists()


DOC_SEEN_REFUSED = visible_to(DOC_READ_ONLY, 302)
DOC_API_REFUSED = visible_to(DOC_READ_ONLY, 400)
CHANGE_DECIDERS = who("head", "leader")  # cases.changes.may_approve on case1


def change1_args(w: W) -> dict:
    return {"pk": w.case1.pk, "change_id": w.change1.pk}


def change1_applied(w: W, u: U) -> bool:
    return Case.objects.filter(pk=w.case1.pk, summary="审批后的摘要").exists()


def party1_contact_changed(w: W, u: U) -> bool:
    # The contact is sealed with SM4 (security): compare what the field reads back.
    return Party.objects.get(pk=w.party1.pk).contact == "13900000000"


def party1_form(w: W, u: U) -> dict:
    p = w.party1
    return {
        "kind": p.kind,
        "name": p.name,
        "id_type": p.id_type,
        "id_number": p.id_number,
        "legal_representative": "",
        "address": "",
        "contact": "13900000000",
        "reason": "",
    }


# --- supervision ------------------------------------------------------------------------

sv_plan = lambda w: {"pk": w.supervision.plan.pk}  # noqa: E731
sv_draft = lambda w: {"pk": w.supervision.draft.pk}  # noqa: E731
sv_started = lambda w: {"pk": w.supervision.started.pk}  # noqa: E731
sv_review = lambda w: {"pk": w.supervision.review.pk}  # noqa: E731
sv_order = lambda w: {"pk": w.supervision.order.pk}  # noqa: E731
sv_answered = lambda w: {"pk": w.supervision.answered.pk}  # noqa: E731


def sv_plan_form(w: W, u: U) -> dict:
    today = timezone.localdate()
    return {
        "title": "矩阵新计划",
        "period_start": (today - timedelta(days=30)).isoformat(),
        "period_end": today.isoformat(),
        "cases_per_stratum": "2",
        "footage_per_stratum": "0",
        "device_numbers": "",
    }


def sv_plan_made(w: W, u: U) -> bool:
    return InspectionPlan.objects.filter(title="矩阵新计划").exists()


def sv_draft_renamed(w: W, u: U) -> bool:
    return InspectionPlan.objects.filter(pk=w.supervision.draft.pk, title="矩阵新计划").exists()


def sv_started_drawn(w: W, u: U) -> bool:
    return SampleDraw.objects.filter(plan=w.supervision.started).exists()


def sv_draft_started(w: W, u: U) -> bool:
    return InspectionPlan.objects.get(pk=w.supervision.draft.pk).seed != ""


def sv_plan_closed(w: W, u: U) -> bool:
    return InspectionPlan.objects.get(pk=w.supervision.plan.pk).state == "closed"


def sv_entry_reviewed(w: W, u: U) -> bool:
    return Review.objects.filter(entry=w.supervision.open_entry).exists()


def sv_scores(w: W, u: U) -> dict:
    item = RubricItem.objects.get(kind="case", label="认定事实与适用法律")
    return {f"points-{item.pk}": "12", "comment": "矩阵评语", "save": "1"}


def sv_scored(w: W, u: U) -> bool:
    return Review.objects.filter(pk=w.supervision.review.pk, comment="矩阵评语").exists()


def sv_marked(w: W, u: U) -> bool:
    return FootageMark.objects.filter(note="矩阵标记").exists()


def sv_rubric_form(w: W, u: U) -> dict:
    return {
        "kind": "case",
        "label": "矩阵新标准",
        "guidance": "",
        "max_score": "5",
        "order": "99",
        "machine_check": "",
        "active": "on",
    }


def sv_rubric_added(w: W, u: U) -> bool:
    return RubricItem.objects.filter(label="矩阵新标准").exists()


def sv_rubric_edit_form(w: W, u: U) -> dict:
    item = w.supervision.rubric_item
    return {
        "kind": item.kind,
        "label": "矩阵改名",
        "guidance": "",
        "max_score": str(item.max_score),
        "order": "1",
        "machine_check": item.machine_check,
        "active": "on",
    }


def sv_rubric_renamed(w: W, u: U) -> bool:
    return RubricItem.objects.filter(pk=w.supervision.rubric_item.pk, label="矩阵改名").exists()


def sv_order_form(w: W, u: U) -> dict:
    return {
        "finding": "矩阵新整改",
        "requirement": "",
        "assignee": w.bureau.officer2.pk,
        "assignee_unit": "",
        "deadline": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }


def sv_order_issued(w: W, u: U) -> bool:
    return Rectification.objects.filter(finding="矩阵新整改").exists()


def sv_order_answered(w: W, u: U) -> bool:
    return Rectification.objects.get(pk=w.supervision.order.pk).state == "answered"


def sv_order_closed(w: W, u: U) -> bool:
    return Rectification.objects.get(pk=w.supervision.answered.pk).state == "closed"


def sv_recounted_by(w: W, u: U) -> bool:
    return AuditEntry.objects.filter(action="supervision.dashboard_refresh", actor=u).exists()


def sv_plans_shown(w: W) -> dict:
    return {w.supervision.plan.title: PLAN_READERS}


def sv_orders_shown(w: W) -> dict:
    return {w.supervision.order.number: ORDER_VIEW}


# --- the matrix ------------------------------------------------------------------------

MATRIX: dict[str, list[Call]] = {
    # Pages.
    "home": [Call("GET", EVERYONE, shows=cases_shown)],
    "core:dashboard": [Call("GET", EVERYONE, shows=cases_shown)],
    "core:todo": [Call("GET", EVERYONE)],
    "accounts:login": [
        # Signed-in people are sent on to the dashboard.
        Call("GET", NOBODY, refused=302, anonymous=200),
        Call(
            "POST",
            NOBODY,
            refused=302,
            anonymous=302,
            body=lambda w, u: {"username": "officer", "password": "pw"},
        ),
    ],
    "accounts:logout": [Call("POST", EVERYONE, ok=302)],
    "accounts:profile": [Call("GET", EVERYONE)],
    "accounts:token_create": [Call("POST", EVERYONE, done=made_a_token)],
    "accounts:email_notifications": [
        Call("POST", EVERYONE, ok=302, body=lambda w, u: {"on": "0"}, done=turned_off_email)
    ],
    "accounts:token_revoke": [
        Call(
            "POST",
            who("officer"),
            ok=302,
            args=lambda w: {"token_key": officers_token(w)},
            done=officers_token_gone,
        )
    ],
    "cases:list": [Call("GET", EVERYONE, shows=cases_shown)],
    "cases:create": [
        Call("GET", CASE_OPENERS),
        Call("POST", CASE_OPENERS, ok=302, body=case_form, done=opened),
    ],
    "cases:detail": [
        Call("GET", CASE1_VIEW, args=case1),
        Call("GET", CASE2_VIEW, args=case2, variant="case2"),
    ],
    "cases:edit": [
        Call("GET", CASE1_EDIT, args=case1),
        Call(
            "POST",
            CASE1_EDIT,
            ok=302,
            args=case1,
            body=case_edit_form,
            done=case1_address_changed,
        ),
    ],
    "cases:transition": [
        # Those who see the case but may not make the move are sent back to it with a message.
        Call(
            "POST",
            CASE1_STOP,
            ok=302,
            also=visible_to(CASE1_VIEW - CASE1_STOP, 302),
            args=lambda w: {"pk": w.case1.pk, "name": "stop"},
            body=lambda w, u: {"reason": ""},
            done=case1_stopped,
        )
    ],
    "cases:assign": [
        Call(
            "POST",
            CASE1_ASSIGN,
            ok=302,
            args=case1,
            body=lambda w, u: {"officer": w.bureau.head.pk},
            done=head_on_case1,
        )
    ],
    "cases:unassign": [
        Call(
            "POST",
            CASE1_ASSIGN,
            ok=302,
            args=lambda w: {"pk": w.case1.pk, "user_id": w.bureau.officer2.pk},
            done=officer2_off_case1,
        )
    ],
    "cases:party_add": [Call("POST", CASE1_EDIT, ok=302, args=case1, body=party, done=party_added)],
    "cases:party_edit": [
        Call("GET", CASE1_EDIT, args=lambda w: {"pk": w.case1.pk, "party_id": w.party1.pk}),
        Call(
            "POST",
            CASE1_EDIT,
            ok=302,
            args=lambda w: {"pk": w.case1.pk, "party_id": w.party1.pk},
            body=party1_form,
            done=party1_contact_changed,
        ),
    ],
    "cases:change_decide": [
        Call(
            "POST",
            CHANGE_DECIDERS,
            ok=302,
            args=change1_args,
            body=lambda w, u: {"approve": "1", "note": ""},
            done=change1_applied,
        )
    ],
    "cases:party_remove": [
        Call(
            "POST",
            CASE1_EDIT,
            ok=302,
            args=lambda w: {"pk": w.case1.pk, "party_id": w.party1.pk},
            done=party_removed,
        )
    ],
    # Written records: pages.
    "documents:case": [
        Call("GET", CASE1_VIEW, args=case1),
        Call(
            "POST",
            DOC_WRITERS,
            ok=302,
            also=DOC_SEEN_REFUSED,
            args=case1,
            body=lambda w, u: {"doc_type": w.docs.type_id("clue_register")},
            done=drafted_by("clue_register"),
        ),
    ],
    "documents:upload": [
        Call(
            "POST",
            DOC_WRITERS,
            ok=302,
            also=DOC_SEEN_REFUSED,
            args=case1,
            body=lambda w, u: {"doc_type": w.docs.type_id("expert_opinion"), "file": png()},
            done=drafted_by("expert_opinion"),
        )
    ],
    # The party's papers (第十条第三项): filed by those who file scans; a refusal to one
    # who reads the case is said on the page it sends them back to.
    "documents:paper_upload": [
        Call(
            "POST",
            DOC_WRITERS,
            ok=302,
            also=DOC_SEEN_REFUSED,
            args=case1,
            body=paper_form,
            done=paper_filed,
        )
    ],
    "documents:paper_not_applicable": [
        Call(
            "POST",
            DOC_WRITERS,
            ok=302,
            also=DOC_SEEN_REFUSED,
            args=case1,
            body=not_applicable_form,
            done=paper_not_applicable,
        )
    ],
    "documents:templates": [
        Call("GET", TEMPLATE_KEEPERS),
        Call(
            "POST",
            TEMPLATE_KEEPERS,
            ok=302,
            body=lambda w, u: {"doc_type": w.docs.type_id("stop_order"), "file": word_template()},
            done=template_set,
        ),
    ],
    "documents:detail": [
        Call("GET", CASE1_VIEW, args=doc_draft),
        # Those who read but may not draft get the form back with the refusal.
        Call(
            "POST",
            DOC_WRITERS,
            ok=302,
            also=visible_to(DOC_READ_ONLY, 200),
            args=doc_draft,
            body=draft_content,
            done=draft_edited,
        ),
    ],
    "documents:act": [
        Call(
            "POST",
            DOC_WRITERS,
            ok=302,
            also=DOC_SEEN_REFUSED,
            args=doc_act("draft", "submit"),
            done=status_is("draft", "pending"),
            variant="submit",
        ),
        Call(
            "POST",
            who("head"),
            ok=302,
            also=DOC_SEEN_REFUSED | visible_to(who("officer", "officer2", "leader"), 302),
            args=doc_act("pending", "approve"),
            body=lambda w, u: {"opinion": "同意立案"},
            done=pending_step_decided,
            variant="approve",
        ),
        Call(
            "POST",
            who("head"),
            ok=302,
            also=DOC_SEEN_REFUSED | visible_to(who("officer", "officer2", "leader"), 302),
            args=doc_act("pending", "reject"),
            body=lambda w, u: {"opinion": "证据不足"},
            done=pending_step_decided,
            variant="reject",
        ),
        Call(
            "POST",
            DOC_WRITERS,
            ok=302,
            also=DOC_SEEN_REFUSED,
            args=doc_act("plain", "issue"),
            done=status_is("plain", "issued"),
            variant="issue",
        ),
        Call(
            "POST",
            DOC_WRITERS,
            ok=302,
            also=DOC_SEEN_REFUSED,
            args=doc_act("issued", "correct"),
            body=lambda w, u: {"reason": "当事人姓名有误"},
            done=issued_corrected,
            variant="correct",
        ),
        # A refused service shows the form again, with what was entered.
        Call(
            "POST",
            DOC_WRITERS,
            ok=302,
            also=visible_to(DOC_READ_ONLY, 200),
            args=doc_act("issued", "serve"),
            body=service_form,
            done=issued_served,
            variant="serve",
        ),
    ],
    "documents:file": [
        Call("GET", CASE1_VIEW, args=doc_file("issued", "pdf"), variant="pdf"),
        Call("GET", CASE1_VIEW, args=doc_file("draft", "docx"), variant="docx"),
        Call(
            "GET",
            CASE1_VIEW,
            args=doc_file("pending", "approval"),
            variant="approval",
            only=who("officer", "inspector", "nobody", "other_officer"),
        ),
    ],
    # 缺失说明: only the leader in charge; those who see case2 are told so on its page.
    "cases:completeness_exception": [
        Call(
            "POST",
            who("leader"),
            ok=302,
            also=visible_to(CASE2_VIEW - who("leader"), 302),
            args=case2,
            body=case2_exception,
            done=case2_footage_excepted,
        )
    ],
    "media:list": [Call("GET", EVERYONE, shows=items_shown_by_name)],
    "media:status": [Call("GET", ITEM1_VIEW, args=item1)],
    "media:detail": [
        Call("GET", ITEM1_VIEW, args=item1),
        Call("GET", ITEM2_VIEW, args=item2, variant="item2"),
        Call(
            "POST",
            ITEM1_CLASSIFY,
            ok=302,
            args=item1,
            body=classification_form,
            done=item1_reclassified,
            variant="classify",
        ),
        # Those who see item2 and case2 but may not add evidence to it get the form back.
        Call(
            "POST",
            CASE2_EDIT,
            ok=302,
            also=visible_to(ITEM2_VIEW - CASE2_EDIT, 200),
            args=item2,
            body=lambda w, u: {"link": "1", "case_number": w.case2.number, "stage": ""},
            done=item2_linked,
            variant="link",
        ),
    ],
    "media:upload": [Call("GET", UPLOADERS)],
    "access:list": [Call("GET", EVERYONE, shows=requests_shown)],
    "access:create": [
        Call("GET", EVERYONE),
        # Anyone signed in may ask; the leader in charge decides (第十七条).
        Call(
            "POST",
            EVERYONE,
            ok=302,
            body=lambda w, u: {
                "purpose": "view",
                "case_number": w.case1.number,
                "items": "",
                "reason": "矩阵测试",
            },
            done=filed,
        ),
    ],
    "access:detail": [Call("GET", OFFICERS_REQUESTS, args=pending)],
    "access:decide": [
        Call(
            "POST",
            who("leader"),
            ok=302,
            also={"officer": 302},  # the requester, told they may not decide
            args=pending,
            body=lambda w, u: {"approve": "1", "days": "", "note": ""},
            done=state_of("pending", "approved"),
        )
    ],
    "access:revoke": [
        Call(
            "POST",
            who("leader"),
            ok=302,
            also={"officer": 302},
            args=approved,
            body=lambda w, u: {"reason": "案件已办结"},
            done=state_of("approved", "revoked"),
        )
    ],
    "access:withdraw": [
        Call(
            "POST",
            who("officer"),
            ok=302,
            also={"leader": 302},
            args=pending,
            done=state_of("pending", "withdrawn"),
        )
    ],
    "access:copy": [
        Call(
            "POST",
            who("officer"),
            ok=302,
            also={"leader": 302},  # sees the request, is not its requester
            args=lambda w: {"pk": w.approved.pk, "item_id": w.item2.pk},
            done=copy_started,
        )
    ],
    "access:export": [
        Call(
            "POST",
            who("archivist"),
            ok=302,
            also={"leader": 302},
            args=lambda w: {"pk": w.export.pk},
            done=exported,
        )
    ],
    "access:copy_download": [
        Call("GET", who("officer"), args=lambda w: {"pk": w.copy.pk}),
    ],
    "notifications:list": [
        Call(
            "GET",
            EVERYONE,
            shows=requests_announced,
        )
    ],
    "notifications:read_all": [Call("POST", EVERYONE, ok=302, done=all_read)],
    "audit:list": [Call("GET", AUDIT_SEARCHERS)],
    "security:index": [
        Call("GET", SECURITY_READERS),
        Call(
            "POST",
            SECURITY_MANAGERS,
            ok=302,
            also={"audit_admin": 403},
            body=lambda w, u: {"username": "nobody", "role": "archivist"},
            done=nobody_made_archivist,
        ),
    ],
    "security:user_action": [
        Call(
            "POST",
            SECURITY_MANAGERS,
            ok=302,
            also={"audit_admin": 403},
            args=lambda w: {"pk": w.bureau.officer2.pk, "action": "reset_password"},
            done=lambda w, u: _entry_by("security.password_reset", u),
        ),
        Call(
            "POST",
            SECURITY_MANAGERS,
            ok=302,
            also={"audit_admin": 403},
            variant="unlock",
            args=lambda w: {"pk": w.bureau.officer2.pk, "action": "unlock"},
        ),
    ],
    "security:policy": [
        Call("GET", SECURITY_READERS),
        Call(
            "POST",
            SECURITY_MANAGERS,
            ok=302,
            also={"audit_admin": 403},
            body=lambda w, u: POLICY_FORM,
            done=policy_changed,
        ),
    ],
    "security:compliance": [Call("GET", SECURITY_READERS)],
    "security:own_password": [
        Call("GET", EVERYONE),
        Call(
            "POST",
            EVERYONE,
            ok=302,
            body=lambda w, u: {
                "old_password": "pw",
                "new_password": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            done=own_password_changed,
        ),
    ],
    # Enrolment: the page and a wrong code (a right one needs the device's secret; the
    # browser journey and test_two_factor_sign_in enter right ones).
    "security:two_factor": [
        Call("GET", EVERYONE),
        Call("POST", EVERYONE, body=lambda w, u: {"token": "000000"}),
    ],
    "security:reveal_party": [
        Call(
            "POST",
            CASE1_VIEW,
            args=lambda w: {"pk": w.party1.pk, "field": "id_number"},
            done=lambda w, u: _entry_by("security.personal_data_shown", u),
        )
    ],
    "audit:detail": [Call("GET", ENTRY1_READERS, args=lambda w: {"seq": w.entry1.seq})],
    "audit:export": [
        Call("GET", AUDIT_SEARCHERS, args=lambda w: {"kind": "csv"}, variant="csv"),
        # A PDF takes a second to lay out; csv proves the access path for everyone.
        Call(
            "GET",
            AUDIT_SEARCHERS,
            args=lambda w: {"kind": "pdf"},
            variant="pdf",
            only=who("officer", "nobody"),
        ),
    ],
    # The API.
    "api:api-root": [Call("GET", EVERYONE)],
    "api:case-list": [
        Call("GET", EVERYONE, shows=cases_shown),
        # Opening a case is a right of the role; the service says so (400) to the others.
        Call("POST", CASE_OPENERS, ok=201, refused=400, body=case_json, done=opened),
    ],
    "api:case-detail": [
        Call("GET", CASE1_VIEW, args=case1),
        Call("GET", CASE2_VIEW, args=case2, variant="case2"),
        Call(
            "PATCH",
            CASE1_EDIT,
            args=case1,
            body=lambda w, u: {"address": "改正后的地址"},
            done=case1_address_changed,
        ),
    ],
    "api:case-deadlines": [Call("GET", CASE1_VIEW, args=case1)],
    "api:case-changes": [
        Call("GET", CASE1_VIEW, args=case1),
        Call(
            "POST",
            CASE1_EDIT,
            ok=201,
            args=case1,
            body=lambda w, u: {"values": {"address": "改正后的地址"}, "reason": ""},
            done=case1_address_changed,
        ),
    ],
    "api:case-decide-change": [
        Call(
            "POST",
            CHANGE_DECIDERS,
            args=change1_args,
            body=lambda w, u: {"approve": True},
            done=change1_applied,
        )
    ],
    "api:todo": [Call("GET", EVERYONE)],
    "api:case-timeline": [Call("GET", CASE1_VIEW, args=case1)],
    "api:case-completeness": [Call("GET", CASE1_VIEW, args=case1)],
    "api:case-completeness-exceptions": [
        Call("GET", CASE2_VIEW, args=case2),
        # Those who see case2 but are not its leader in charge get the service's reason.
        Call(
            "POST",
            who("leader"),
            ok=201,
            also=visible_to(CASE2_VIEW - who("leader"), 400),
            args=case2,
            body=case2_exception,
            done=case2_footage_excepted,
        ),
    ],
    "api:case-transitions": [
        Call("GET", CASE1_VIEW, args=case1),
        # Those who see the case but may not make the move get the service's reason (400).
        Call(
            "POST",
            CASE1_STOP,
            ok=201,
            also=visible_to(CASE1_VIEW - CASE1_STOP, 400),
            args=case1,
            body=lambda w, u: {"name": "stop"},
            done=case1_stopped,
        ),
    ],
    "api:case-officers": [
        Call(
            "POST",
            CASE1_ASSIGN,
            ok=201,
            args=case1,
            body=lambda w, u: {"officer": w.bureau.head.pk},
            done=head_on_case1,
        )
    ],
    "api:case-remove-officer": [
        Call(
            "DELETE",
            CASE1_ASSIGN,
            ok=204,
            args=lambda w: {"pk": w.case1.pk, "user_id": w.bureau.officer2.pk},
            done=officer2_off_case1,
        )
    ],
    "api:case-parties": [
        Call("POST", CASE1_EDIT, ok=201, args=case1, body=party, done=party_added)
    ],
    # Catalogues every signed-in user reads.
    "api:cause-list": [Call("GET", EVERYONE)],
    "api:cause-detail": [Call("GET", EVERYONE, args=lambda w: {"pk": w.cause.pk})],
    "api:time-limit-list": [Call("GET", EVERYONE)],
    "api:time-limit-detail": [Call("GET", EVERYONE, args=lambda w: {"pk": w.rule.pk})],
    "accounts:manage": [Call("GET", ADMINS)],
    "accounts:user_list": [Call("GET", ADMINS, query="?q=officer")],
    "accounts:user_create": [
        Call("GET", ADMINS),
        Call("POST", ADMINS, body=new_account_form, done=account_made),
    ],
    "accounts:user_edit": [
        Call("GET", ADMINS, args=officer2),
        Call("POST", ADMINS, ok=302, args=officer2, body=officer2_form, done=officer2_renamed),
    ],
    "accounts:user_active": [
        Call(
            "POST",
            ADMINS,
            ok=302,
            args=officer2,
            body=lambda w, u: {"active": "0", "reason": "调离"},
            done=officer2_deactivated,
        )
    ],
    "accounts:unit_list": [Call("GET", ADMINS)],
    "accounts:unit_create": [
        Call("GET", ADMINS),
        Call("POST", ADMINS, ok=302, body=new_unit_form, done=unit_made),
    ],
    "accounts:unit_edit": [
        Call("GET", ADMINS, args=section2),
        Call("POST", ADMINS, ok=302, args=section2, body=unit_form, done=unit_renamed),
    ],
    "accounts:unit_active": [
        Call(
            "POST",
            ADMINS,
            ok=302,
            args=empty_unit,
            body=lambda w, u: {"active": "0"},
            done=empty_unit_closed,
        )
    ],
    "cases:cause_list": [Call("GET", ADMINS)],
    "cases:cause_create": [
        Call("GET", ADMINS),
        Call(
            "POST",
            ADMINS,
            ok=302,
            body=lambda w, u: {"code": "matrix-cause", "name": "矩阵案由", "order": 0},
            done=cause_made,
        ),
    ],
    "cases:cause_edit": [
        Call("GET", ADMINS, args=lambda w: {"pk": w.cause.pk}),
        Call(
            "POST",
            ADMINS,
            ok=302,
            args=lambda w: {"pk": w.cause.pk},
            body=cause_form,
            done=cause_renamed,
        ),
    ],
    "documents:catalogue": [Call("GET", ADMINS)],
    "documents:type_edit": [
        Call("GET", ADMINS, args=stop_order),
        Call(
            "POST", ADMINS, ok=302, args=stop_order, body=stop_order_form, done=stop_order_renamed
        ),
    ],
    "api:manage-account-list": [
        Call("GET", ADMINS, query="?q=officer"),
        Call("POST", ADMINS, ok=201, body=new_account_form, done=account_made),
    ],
    "api:manage-account-detail": [
        Call("GET", ADMINS, args=officer2),
        Call(
            "PATCH",
            ADMINS,
            args=officer2,
            body=lambda w, u: {"full_name": "矩阵改名"},
            done=officer2_renamed,
        ),
    ],
    "api:manage-account-deactivate": [
        Call(
            "POST",
            ADMINS,
            args=officer2,
            body=lambda w, u: {"reason": "调离"},
            done=officer2_deactivated,
        )
    ],
    "api:manage-account-activate": [Call("POST", ADMINS, args=officer2)],
    "api:manage-org-unit-list": [
        Call("GET", ADMINS),
        Call("POST", ADMINS, ok=201, body=new_unit_form, done=unit_made),
    ],
    "api:manage-org-unit-detail": [
        Call("GET", ADMINS, args=section2),
        Call(
            "PATCH",
            ADMINS,
            args=section2,
            body=lambda w, u: {"name": "矩阵改名科"},
            done=unit_renamed,
        ),
    ],
    "api:manage-org-unit-close": [Call("POST", ADMINS, args=empty_unit, done=empty_unit_closed)],
    "api:manage-org-unit-reopen": [Call("POST", ADMINS, args=section2)],
    "api:manage-cause-list": [
        Call("GET", ADMINS),
        Call(
            "POST",
            ADMINS,
            ok=201,
            body=lambda w, u: {"code": "matrix-cause", "name": "矩阵案由"},
            done=cause_made,
        ),
    ],
    "api:manage-cause-detail": [
        Call("GET", ADMINS, args=lambda w: {"pk": w.cause.pk}),
        Call(
            "PATCH",
            ADMINS,
            args=lambda w: {"pk": w.cause.pk},
            body=lambda w, u: {"name": "矩阵改名案由"},
            done=cause_renamed,
        ),
    ],
    "api:manage-document-type-list": [Call("GET", ADMINS)],
    "api:manage-document-type-detail": [
        Call("GET", ADMINS, args=stop_order),
        Call(
            "PATCH",
            ADMINS,
            args=stop_order,
            body=lambda w, u: {"name": "矩阵改名文书"},
            done=stop_order_renamed,
        ),
    ],
    "api:me": [Call("GET", EVERYONE)],
    "api:org-unit-list": [Call("GET", EVERYONE)],
    "api:org-unit-detail": [Call("GET", EVERYONE, args=lambda w: {"pk": w.unit.pk})],
    "api:working-days": [Call("GET", EVERYONE, query="?start=2026-03-02&days=5")],
    "api:media-list": [Call("GET", EVERYONE, shows=items_shown_by_hash)],
    "api:media-detail": [
        Call("GET", ITEM1_VIEW, args=item1),
        Call("GET", ITEM2_VIEW, args=item2, variant="item2"),
    ],
    "api:media-classification": [
        Call(
            "PATCH",
            ITEM1_CLASSIFY,
            args=item1,
            body=lambda w, u: {"device_number": "DEV-MATRIX", "reason": "设备编号录错"},
            done=item1_reclassified,
        )
    ],
    "api:media-content": [
        Call("GET", ITEM1_VIEW, args=item1),
        # 第十八条第三项: originals leave only in the archivist's export, so even those who
        # see the record are refused its download (403: they know it exists).
        Call(
            "GET",
            NOBODY,
            also=visible_to(ITEM1_VIEW, 403),
            args=item1,
            query="?download=1",
            variant="download",
        ),
    ],
    "api:media-custody": [Call("GET", ITEM1_VIEW, args=item1)],
    "api:media-links": [
        Call(
            "POST",
            CASE2_EDIT,
            ok=201,
            args=item2,
            body=lambda w, u: {"case": w.case2.pk},
            done=item2_linked,
        )
    ],
    # A playback is granted to a session or an API token (the matrix's forced
    # authentication is neither: 403 to those who see the record). Who gets which bytes:
    # media/tests/test_every_read_is_covered_by_a_play_entry.py.
    "api:media-playback": [Call("POST", ITEM1_VIEW, ok=403, args=item1, body=lambda w, u: {})],
    "api:media-poster": [Call("GET", ITEM1_VIEW, args=item1)],
    "api:media-proxy": [Call("GET", ITEM1_VIEW, args=item1)],
    "api:media-thumbnail": [Call("GET", ITEM1_VIEW, args=item1)],
    "api:access-request-list": [
        Call("GET", EVERYONE, shows=requests_shown),
        Call(
            "POST",
            EVERYONE,
            ok=201,
            body=lambda w, u: {
                "purpose": "view",
                "reason": "矩阵测试",
                "case_number": w.case1.number,
            },
            done=filed,
        ),
    ],
    "api:access-request-detail": [Call("GET", OFFICERS_REQUESTS, args=pending)],
    "api:access-request-decision": [
        Call(
            "POST",
            who("leader"),
            also={"officer": 400},
            args=pending,
            body=lambda w, u: {"approve": True},
            done=state_of("pending", "approved"),
        )
    ],
    "api:access-request-revoke": [
        Call(
            "POST",
            who("leader"),
            also={"officer": 400},
            args=approved,
            body=lambda w, u: {"reason": "案件已办结"},
            done=state_of("approved", "revoked"),
        )
    ],
    "api:access-request-withdraw": [
        Call(
            "POST",
            who("officer"),
            also={"leader": 400},
            args=pending,
            done=state_of("pending", "withdrawn"),
        )
    ],
    "api:access-request-copies": [
        Call(
            "POST",
            who("officer"),
            ok=202,
            also={"leader": 400},
            args=approved,
            body=lambda w, u: {"item": w.item2.pk},
            done=copy_started,
        )
    ],
    "api:access-request-export": [
        Call(
            "POST",
            who("archivist"),
            ok=201,
            also={"leader": 400},
            args=lambda w: {"pk": w.export.pk},
            done=exported,
        )
    ],
    "api:copy-detail": [Call("GET", who("officer"), args=lambda w: {"pk": w.copy.pk})],
    "api:copy-content": [Call("GET", who("officer"), args=lambda w: {"pk": w.copy.pk})],
    # tus: adding records is a right of the role (403 to the others); an upload is its
    # creator's alone.
    "api:tus-uploads": [
        Call(
            "POST",
            UPLOADERS,
            ok=201,
            refused=403,
            headers={**TUS, "Upload-Length": "10"},
            done=upload_opened,
        )
    ],
    "api:tus-upload": [
        Call("HEAD", who("officer"), args=fresh_upload, headers=TUS),
        Call(
            "PATCH",
            who("officer"),
            ok=204,
            args=fresh_upload,
            body=lambda w, u: b"12345",
            headers={**TUS, "Upload-Offset": "0"},
            done=upload_appended,
        ),
        Call(
            "DELETE", who("officer"), ok=204, args=fresh_upload, headers=TUS, done=upload_cancelled
        ),
    ],
    # Written records: API.
    "api:case-documents": [
        Call("GET", CASE1_VIEW, args=case1),
        Call(
            "POST",
            DOC_WRITERS,
            ok=201,
            also=DOC_API_REFUSED,
            args=case1,
            body=lambda w, u: {"type": "clue_register"},
            done=drafted_by("clue_register"),
        ),
    ],
    "api:case-document-scans": [
        Call(
            "POST",
            DOC_WRITERS,
            ok=201,
            also=DOC_API_REFUSED,
            args=case1,
            body=lambda w, u: {"type": "expert_report", "file": png()},
            done=drafted_by("expert_report"),
        )
    ],
    "api:case-party-papers": [
        Call("GET", CASE1_VIEW, args=case1),
        Call(
            "POST",
            DOC_WRITERS,
            ok=201,
            also=DOC_API_REFUSED,
            args=case1,
            body=paper_form,
            done=paper_filed,
        ),
    ],
    "api:case-party-papers-not-applicable": [
        Call(
            "POST",
            DOC_WRITERS,
            ok=201,
            also=DOC_API_REFUSED,
            args=case1,
            body=not_applicable_form,
            done=paper_not_applicable,
        )
    ],
    "api:document-detail": [
        Call("GET", CASE1_VIEW, args=doc_draft),
        Call(
            "PATCH",
            DOC_WRITERS,
            also=DOC_API_REFUSED,
            args=doc_draft,
            body=lambda w, u: {"content": draft_content(w, u)},
            done=draft_edited,
        ),
    ],
    "api:document-pdf": [Call("GET", CASE1_VIEW, args=doc_issued)],
    "api:document-docx": [Call("GET", CASE1_VIEW, args=doc_draft)],
    "api:document-approval-sheet": [
        Call("GET", CASE1_VIEW, args=doc_pending, only=who("officer", "inspector", "nobody"))
    ],
    "api:document-submit": [
        Call(
            "POST",
            DOC_WRITERS,
            also=DOC_API_REFUSED,
            args=doc_draft,
            done=status_is("draft", "pending"),
        )
    ],
    "api:document-decision": [
        Call(
            "POST",
            who("head"),
            also=DOC_API_REFUSED | visible_to(who("officer", "officer2", "leader"), 400),
            args=doc_pending,
            body=lambda w, u: {"approve": True, "opinion": "同意"},
            done=pending_step_decided,
        )
    ],
    "api:document-issue": [
        Call(
            "POST",
            DOC_WRITERS,
            also=DOC_API_REFUSED,
            args=doc_plain,
            done=status_is("plain", "issued"),
        )
    ],
    "api:document-correct": [
        Call(
            "POST",
            DOC_WRITERS,
            ok=201,
            also=DOC_API_REFUSED,
            args=doc_issued,
            body=lambda w, u: {"reason": "当事人姓名有误"},
            done=issued_corrected,
        )
    ],
    "api:document-service": [
        Call(
            "POST",
            DOC_WRITERS,
            ok=201,
            also=DOC_API_REFUSED,
            args=doc_issued,
            body=service_form,
            done=issued_served,
        )
    ],
    "api:audit-entry-list": [Call("GET", AUDIT_SEARCHERS)],
    "api:audit-entry-detail": [Call("GET", ENTRY1_READERS, args=lambda w: {"seq": w.entry1.seq})],
    "api:audit-entry-proof": [Call("GET", ENTRY1_READERS, args=lambda w: {"seq": w.entry1.seq})],
    "api:audit-tree-heads": [Call("GET", AUDIT_SEARCHERS)],
    "api:security-compliance": [Call("GET", SECURITY_READERS)],
    "api:security-policy": [
        Call("GET", SECURITY_READERS),
        Call(
            "PATCH",
            SECURITY_MANAGERS,
            also={"audit_admin": 403},
            body=lambda w, u: {"idle_timeout_minutes": 20},
            done=policy_changed,
        ),
    ],
    "api:party-reveal": [
        Call(
            "POST",
            CASE1_VIEW,
            args=lambda w: {"pk": w.party1.pk},
            body=lambda w, u: {"field": "id_number"},
            done=lambda w, u: _entry_by("security.personal_data_shown", u),
        )
    ],
    "api:audit-consistency": [Call("GET", AUDIT_SEARCHERS, query="?old=1")],
    "api:audit-public-key": [Call("GET", AUDIT_SEARCHERS)],
    "api:audit-export": [
        Call("GET", AUDIT_SEARCHERS, args=lambda w: {"kind": "csv"}, variant="csv"),
        Call(
            "GET",
            AUDIT_SEARCHERS,
            args=lambda w: {"kind": "pdf"},
            variant="pdf",
            only=who("officer", "nobody"),
        ),
    ],
    # Retention (第十二、十三条, 第十八条第五项).
    # A leader of another county reads the page too, with only their bureau's sweeps.
    "retention:due": [Call("GET", SWEEP_READERS | who("outsider_leader"))],
    "retention:propose": [
        # One open sweep per bureau: sweep1 is open, so the archivist and the leader are sent
        # to it with a message (the allowed start: retention's own role matrix); the
        # inspection team reads the list; the other county's leader finds nothing due.
        Call(
            "POST",
            NOBODY,
            ok=302,
            also={"archivist": 302, "leader": 302, "inspector": 302, "outsider_leader": 302},
            done=sweep_proposed,
        )
    ],
    # Case-file terms: the administrator's; archivists, leaders and inspectors read them.
    "retention:terms": [Call("GET", TERM_READERS)],
    "retention:term_add": [
        Call("GET", who("admin")),
        Call(
            "POST",
            who("admin"),
            ok=302,
            body=lambda w, u: {
                "name": "矩阵期限",
                "outcome": "penalty",
                "years": "40",
                "reason": "矩阵",
            },
            done=lambda w, u: CaseFileTerm.objects.filter(name="矩阵期限").exists(),
        ),
    ],
    "retention:term_edit": [
        Call("GET", who("admin"), args=penalty_term),
        Call(
            "POST",
            who("admin"),
            ok=302,
            args=penalty_term,
            body=lambda w, u: {
                "name": "处罚案件",
                "outcome": "penalty",
                "years": "25",
                "reason": "矩阵",
            },
            done=lambda w, u: seeded_penalty_term().years == 25,
        ),
    ],
    "retention:term_active": [
        Call(
            "POST",
            who("admin"),
            ok=302,
            args=penalty_term,
            body=lambda w, u: {"active": "0", "note": "矩阵"},
            done=lambda w, u: not seeded_penalty_term().active,
        )
    ],
    "api:retention-term-list": [
        Call("GET", EVERYONE),
        Call(
            "POST",
            who("admin"),
            ok=201,
            refused=400,
            body=lambda w, u: {
                "name": "矩阵期限",
                "outcome": "penalty",
                "years": 40,
                "reason": "矩阵",
            },
            done=lambda w, u: CaseFileTerm.objects.filter(name="矩阵期限").exists(),
        ),
    ],
    "api:retention-term-detail": [
        Call("GET", TERM_READERS, args=penalty_term),
        Call(
            "PATCH",
            who("admin"),
            also=visible_to(TERM_READERS - who("admin"), 400),
            args=penalty_term,
            body=lambda w, u: {"years": 26, "reason": "矩阵"},
            done=lambda w, u: seeded_penalty_term().years == 26,
        ),
    ],
    "api:retention-term-deactivate": [
        Call(
            "POST",
            who("admin"),
            also=visible_to(TERM_READERS - who("admin"), 400),
            args=penalty_term,
            body=lambda w, u: {"reason": "矩阵"},
            done=lambda w, u: not seeded_penalty_term().active,
        )
    ],
    "api:retention-term-activate": [
        # The seeded permanent term for major cases starts inactive.
        Call(
            "POST",
            who("admin"),
            also=visible_to(TERM_READERS - who("admin"), 400),
            args=lambda w: {"pk": inactive_term().pk},
            body=lambda w, u: {"reason": "矩阵"},
            done=lambda w, u: CaseFileTerm.objects.filter(years__isnull=True, active=True).exists(),
        )
    ],
    "retention:sweep": [Call("GET", SWEEP_READERS, args=lambda w: {"pk": w.sweep1.pk})],
    "retention:approve": [
        Call(
            "POST",
            SWEEP_APPROVERS,
            ok=302,
            also={"inspector": 302},
            args=lambda w: {"pk": w.sweep1.pk},
            done=sweep1_approved_by,
        )
    ],
    "retention:cancel": [
        Call(
            "POST",
            SWEEP_APPROVERS,
            ok=302,
            also={"inspector": 302},
            args=lambda w: {"pk": w.sweep1.pk},
            body=lambda w, u: {"note": "矩阵复核"},
            done=sweep1_cancelled,
        )
    ],
    "retention:certificate": [
        Call(
            "GET",
            SWEEP_READERS,
            args=lambda w: {"pk": w.sweep2.pk},
            only=who("archivist", "officer", "nobody"),
        )
    ],
    "retention:holds": [
        # Lists are filtered to what each sees; the page itself is the roles'.
        Call("GET", HOLD1_READERS | who("other_head", "outsider_leader")),
        Call(
            "POST",
            HOLD_PLACERS,
            ok=302,
            also={"other_head": 400, "outsider_leader": 400},
            body=lambda w, u: {
                "target": "item",
                "target_id": str(w.item1.pk),
                "reason": "obstruction",
                "note": "",
            },
            done=hold_placed,
        ),
    ],
    "retention:hold": [Call("GET", HOLD1_READERS, args=lambda w: {"pk": w.hold1.pk})],
    "retention:ask_release": [
        Call(
            "POST",
            HOLD_PLACERS,
            ok=302,
            also={"archivist": 302},
            args=lambda w: {"pk": w.hold1.pk},
            body=lambda w, u: {"note": "复议期满"},
            done=hold_state("hold1", "release_asked"),
        )
    ],
    "retention:decide_release": [
        Call(
            "POST",
            who("leader"),
            ok=302,
            also=visible_to(HOLD1_READERS - who("leader"), 302),
            args=lambda w: {"pk": w.hold2.pk},
            body=lambda w, u: {"approve": "1", "note": ""},
            done=hold_state("hold2", "released"),
        )
    ],
    "retention:item": [Call("GET", ITEM1_VIEW, args=item1)],
    # The archivist's case-file export under the approved request for the whole case.
    "retention:case_export": [
        Call("GET", who("archivist"), args=case1),
        Call(
            "POST",
            who("archivist"),
            ok=302,
            args=case1,
            body=lambda w, u: {"request_number": w.case_request.number, "iso": "on"},
            done=export_started,
        ),
    ],
    "retention:export": [Call("GET", who("archivist"), args=lambda w: {"pk": w.case_export.pk})],
    "retention:export_download": [
        Call("GET", who("archivist"), args=lambda w: {"pk": w.case_export.pk})
    ],
    "api:retention-export-list": [
        Call(
            "POST",
            who("archivist"),
            ok=201,
            body=lambda w, u: {
                "case_number": w.case1.number,
                "request_number": w.case_request.number,
            },
            done=export_started,
        )
    ],
    "api:retention-export-detail": [
        Call("GET", who("archivist"), args=lambda w: {"pk": w.case_export.pk})
    ],
    "api:retention-item": [Call("GET", ITEM1_VIEW, args=item1)],
    "api:retention-hold-list": [
        Call("GET", EVERYONE),
        Call(
            "POST",
            HOLD_PLACERS,
            ok=201,
            refused=400,
            body=lambda w, u: {"reason": "obstruction", "item": w.item1.pk},
            done=hold_placed,
        ),
    ],
    "api:retention-hold-detail": [Call("GET", HOLD1_READERS, args=lambda w: {"pk": w.hold1.pk})],
    "api:retention-hold-release": [
        Call(
            "POST",
            HOLD_PLACERS,
            also={"archivist": 400},
            args=lambda w: {"pk": w.hold1.pk},
            body=lambda w, u: {"note": "复议期满"},
            done=hold_state("hold1", "release_asked"),
        )
    ],
    "api:retention-hold-decide": [
        Call(
            "POST",
            who("leader"),
            also=visible_to(HOLD1_READERS - who("leader"), 400),
            args=lambda w: {"pk": w.hold2.pk},
            body=lambda w, u: {"approve": True},
            done=hold_state("hold2", "released"),
        )
    ],
    "api:retention-sweep-list": [
        Call("GET", EVERYONE),
        # sweep1 of the county is open: the archivist and the leader are answered 409 with
        # it (the allowed start: retention's own role matrix); nobody else starts one.
        Call(
            "POST",
            NOBODY,
            refused=400,
            also={"archivist": 409, "leader": 409},
            done=sweep_proposed,
        ),
    ],
    "api:retention-sweep-detail": [Call("GET", SWEEP_READERS, args=lambda w: {"pk": w.sweep1.pk})],
    "api:retention-sweep-approve": [
        Call(
            "POST",
            SWEEP_APPROVERS,
            also={"inspector": 400},
            args=lambda w: {"pk": w.sweep1.pk},
            done=sweep1_approved_by,
        )
    ],
    # Supervision (第十九条、第二十条).
    "supervision:index": [Call("GET", SUPERVISION_READERS, shows=sv_plans_shown)],
    "supervision:plan_create": [
        Call("GET", INSPECTORS),
        Call("POST", INSPECTORS, ok=302, body=sv_plan_form, done=sv_plan_made),
    ],
    "supervision:plan": [Call("GET", PLAN_READERS, args=sv_plan)],
    "supervision:plan_edit": [
        Call("GET", INSPECTORS, args=sv_draft),
        Call("POST", INSPECTORS, ok=302, args=sv_draft, body=sv_plan_form, done=sv_draft_renamed),
    ],
    # The leader may draw only again, after reviews started: told so on the plan's page.
    "supervision:plan_draw": [
        Call(
            "POST", INSPECTORS, ok=302, also={"leader": 302}, args=sv_started, done=sv_started_drawn
        )
    ],
    "supervision:plan_start": [
        Call("POST", INSPECTORS, ok=302, args=sv_draft, done=sv_draft_started)
    ],
    "supervision:plan_close": [Call("POST", INSPECTORS, ok=302, args=sv_plan, done=sv_plan_closed)],
    "supervision:entry_review": [
        Call(
            "POST",
            INSPECTORS,
            ok=302,
            args=lambda w: {"pk": w.supervision.plan.pk, "entry_id": w.supervision.open_entry.pk},
            done=sv_entry_reviewed,
        )
    ],
    "supervision:review": [
        Call("GET", PLAN_READERS, args=sv_review),
        Call("POST", INSPECTORS, ok=302, args=sv_review, body=sv_scores, done=sv_scored),
    ],
    "supervision:review_mark": [
        Call(
            "POST",
            INSPECTORS,
            ok=302,
            args=lambda w: {"pk": w.supervision.footage_review.pk},
            body=lambda w, u: {"at_seconds": "1.5", "note": "矩阵标记"},
            done=sv_marked,
        )
    ],
    "supervision:rubric": [
        Call("GET", SUPERVISION_READERS),
        Call("POST", INSPECTORS, ok=302, body=sv_rubric_form, done=sv_rubric_added),
    ],
    "supervision:rubric_edit": [
        Call("GET", INSPECTORS, args=lambda w: {"pk": w.supervision.rubric_item.pk}),
        Call(
            "POST",
            INSPECTORS,
            ok=302,
            args=lambda w: {"pk": w.supervision.rubric_item.pk},
            body=sv_rubric_edit_form,
            done=sv_rubric_renamed,
        ),
    ],
    "supervision:rectifications": [Call("GET", EVERYONE, shows=sv_orders_shown)],
    "supervision:rectification_create": [
        Call("GET", INSPECTORS),
        Call("POST", INSPECTORS, ok=302, body=sv_order_form, done=sv_order_issued),
    ],
    "supervision:rectification": [Call("GET", ORDER_VIEW, args=sv_order)],
    # Those who see the order but may not answer it are sent back to it with a message.
    "supervision:rectification_answer": [
        Call(
            "POST",
            ORDER_ANSWERERS,
            ok=302,
            also=visible_to(PLAN_READERS, 302),
            args=sv_order,
            body=lambda w, u: {"answer": "矩阵答复", "evidence": "", "evidence_note": ""},
            done=sv_order_answered,
        )
    ],
    "supervision:rectification_judge": [
        Call(
            "POST",
            INSPECTORS,
            ok=302,
            also=visible_to(ORDER_VIEW - INSPECTORS, 302),
            args=sv_answered,
            body=lambda w, u: {"decision": "accept", "note": ""},
            done=sv_order_closed,
        )
    ],
    "supervision:findings": [Call("GET", SUPERVISION_READERS)],
    "supervision:dashboard": [Call("GET", SUPERVISION_READERS)],
    "supervision:dashboard_refresh": [
        Call("POST", INSPECTORS, ok=302, done=sv_recounted_by),
    ],
    "supervision:findings_export": [Call("GET", SUPERVISION_READERS)],
    "supervision:dashboard_export": [
        Call("GET", SUPERVISION_READERS, args=lambda w: {"kind": "xlsx"}),
        Call(
            "GET",
            SUPERVISION_READERS,
            args=lambda w: {"kind": "pdf"},
            variant="pdf",
            only=who("inspector", "officer"),
        ),
    ],
    "api:inspection-plan-list": [
        Call("GET", EVERYONE, shows=sv_plans_shown),
        Call(
            "POST",
            INSPECTORS,
            ok=201,
            refused=403,
            body=lambda w, u: {**sv_plan_form(w, u), "cases_per_stratum": 2, "device_numbers": []},
            done=sv_plan_made,
        ),
    ],
    "api:inspection-plan-detail": [
        Call("GET", PLAN_READERS, args=sv_plan),
        Call(
            "PATCH",
            INSPECTORS,
            also={"leader": 400},
            args=sv_draft,
            body=lambda w, u: {"title": "矩阵新计划"},
            done=sv_draft_renamed,
        ),
    ],
    "api:inspection-plan-sample": [
        Call("GET", PLAN_READERS, args=sv_plan),
        Call(
            "POST",
            INSPECTORS,
            ok=201,
            also={"leader": 400},
            args=sv_started,
            body=lambda w, u: {},
            done=sv_started_drawn,
        ),
    ],
    "api:inspection-plan-start": [
        Call("POST", INSPECTORS, args=sv_draft, body=lambda w, u: {}, done=sv_draft_started),
    ],
    "api:review-list": [
        Call("GET", EVERYONE),
        Call(
            "POST",
            INSPECTORS,
            ok=201,
            body=lambda w, u: {"entry": w.supervision.open_entry.pk},
            done=sv_entry_reviewed,
        ),
    ],
    "api:review-detail": [Call("GET", PLAN_READERS, args=sv_review)],
    "api:review-score": [
        Call(
            "POST",
            INSPECTORS,
            args=sv_review,
            body=lambda w, u: {"scores": [], "comment": "矩阵评语"},
            done=sv_scored,
        )
    ],
    "api:review-marks": [
        Call(
            "POST",
            INSPECTORS,
            ok=201,
            args=lambda w: {"pk": w.supervision.footage_review.pk},
            body=lambda w, u: {"at_seconds": 1.5, "note": "矩阵标记"},
            done=sv_marked,
        )
    ],
    "api:rectification-list": [
        Call("GET", EVERYONE, shows=sv_orders_shown),
        Call(
            "POST",
            INSPECTORS,
            ok=201,
            refused=403,
            body=lambda w, u: {**sv_order_form(w, u), "assignee_unit": None},
            done=sv_order_issued,
        ),
    ],
    "api:rectification-detail": [Call("GET", ORDER_VIEW, args=sv_order)],
    "api:rectification-answer": [
        Call(
            "POST",
            ORDER_ANSWERERS,
            also=visible_to(PLAN_READERS, 400),
            args=sv_order,
            body=lambda w, u: {"answer": "矩阵答复"},
            done=sv_order_answered,
        )
    ],
    "api:rectification-decision": [
        Call(
            "POST",
            INSPECTORS,
            also=visible_to(ORDER_VIEW - INSPECTORS, 400),
            args=sv_answered,
            body=lambda w, u: {"accept": True},
            done=sv_order_closed,
        )
    ],
    "api:supervision-dashboard": [Call("GET", SUPERVISION_READERS)],
    "api:supervision-dashboard-refresh": [
        Call("POST", INSPECTORS, body=lambda w, u: {}, done=sv_recounted_by),
    ],
    "api:supervision-findings": [Call("GET", SUPERVISION_READERS)],
    # Operations: no person's session opens the metrics, only the scraper's token or an
    # allowed address (test_metrics_are_for_the_scraper_only.py).
    "metrics": [Call("GET", NOBODY, refused=403, anonymous=403)],
}

# --- recording devices (devices/tests/matrix_world.py) -----------------------------------

device1 = lambda w: {"pk": w.devices.device1.pk}  # noqa: E731
device2 = lambda w: {"pk": w.devices.device2.pk}  # noqa: E731
device4 = lambda w: {"pk": w.devices.device4.pk}  # noqa: E731
device6 = lambda w: {"pk": w.devices.device6.pk}  # noqa: E731
checkout1 = lambda w: {"pk": w.devices.checkout1.pk}  # noqa: E731
fault1 = lambda w: {"pk": w.devices.fault1.pk}  # noqa: E731
patrol1 = lambda w: {"pk": w.devices.patrol1.pk}  # noqa: E731
device5 = lambda w: {"pk": w.devices.device5.pk}  # noqa: E731
model1 = lambda w: {"pk": w.devices.model1.pk}  # noqa: E731
CHECK_FORM = {
    f"check_{item}": "1" for item in ("power", "clock", "video", "audio", "storage", "battery")
}
CHECK_JSON = dict.fromkeys(("power", "clock", "video", "audio", "storage", "battery"), True)


def device1_out(w: W, u: U) -> bool:
    return DeviceCheckout.objects.filter(device=w.devices.device1, in_at=None).exists()


def checkout1_in(w: W, u: U) -> bool:
    return DeviceCheckout.objects.get(pk=w.devices.checkout1.pk).in_at is not None


def checkout1_corrected(w: W, u: U) -> bool:
    return CheckoutCorrection.objects.filter(checkout=w.devices.checkout1).exists()


def device1_fault(w: W, u: U) -> bool:
    return DeviceFault.objects.filter(device=w.devices.device1).exists()


def fault1_in_repair(w: W, u: U) -> bool:
    return DeviceFault.objects.get(pk=w.devices.fault1.pk).state == "in_repair"


def device1_maintained(w: W, u: U) -> bool:
    return Maintenance.objects.filter(device=w.devices.device1).exists()


def device6_booked(w: W, u: U) -> bool:
    return CameraBooking.objects.filter(device=w.devices.device6, booked_by=u).exists()


booking1 = lambda w: {"pk": w.devices.booking1.pk}  # noqa: E731


def booking1_corrected(w: W, u: U) -> bool:
    return BookingCorrection.objects.filter(booking=w.devices.booking1).exists()


def booking1_cancelled(w: W, u: U) -> bool:
    return CameraBooking.objects.get(pk=w.devices.booking1.pk).cancelled_at is not None


def booking1_form(w: W, u: U) -> dict:
    b = w.devices.booking1
    return {
        "starts_at": timezone.localtime(b.starts_at - timedelta(minutes=10)).strftime(
            "%Y-%m-%dT%H:%M:%S"
        ),
        "ends_at": timezone.localtime(b.ends_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "clock_offset": "0",
        "note": "",
        "reason": "询问提前十分钟开始",
    }


def booking_body(w: W, u: U) -> dict:
    start = timezone.localtime() - timedelta(hours=3)
    return {
        "task_kind": "interview",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }


def device4_allowed(w: W, u: U) -> bool:
    return MaintenanceOverride.objects.filter(device=w.devices.device4).exists()


def device1_edited(w: W, u: U) -> bool:
    return RecordingDevice.objects.get(pk=w.devices.device1.pk).serial == "SN-EDITED"


def device1_retired(w: W, u: U) -> bool:
    return RecordingDevice.objects.get(pk=w.devices.device1.pk).status == "retired"


def device5_footage_lost(w: W, u: U) -> bool:
    return FootageLoss.objects.filter(device=w.devices.device5).exists()


def model1_interval_set(w: W, u: U) -> bool:
    return DeviceModel.objects.get(pk=w.devices.model1.pk).maintenance_days == 30


def edit_form(w: W, u: U) -> dict:
    d = w.devices.device1
    return {
        "model": d.model_id,
        "serial": "SN-EDITED",
        "org_unit": d.org_unit_id,
        "storage_gb": "",
        "firmware": "",
    }


def models_shown(w: W) -> dict:
    return {w.devices.model1.name: who(*dw.MODEL1_VIEW)}


def registered(w: W, u: U) -> bool:
    return RecordingDevice.objects.filter(number="DSJ-NEW").exists()


def number_mapped(w: W, u: U) -> bool:
    return DeviceAlias.objects.filter(number="UNK-M").exists()


def patrol_set(w: W, u: U) -> bool:
    return PatrolTask.objects.filter(area="矩阵巡查").exists()


def item1_marked(w: W, u: U) -> bool:
    return Mark.objects.filter(item=w.item1).exists()


def item1_clip_asked(w: W, u: U) -> bool:
    return ClipRequest.objects.filter(item=w.item1).exists()


def correction_form(w: W, u: U) -> dict:
    c = w.devices.checkout1
    return {
        "out_at": timezone.localtime(c.out_at - timezone.timedelta(minutes=5)).strftime(
            "%Y-%m-%dT%H:%M:%S"
        ),
        "in_at": "",
        "officer": c.officer_id,
        "clock_offset": "0",
        "task_kind": c.task_kind,
        "case_number": c.case.number if c.case_id else "",
        "patrol": c.patrol_id or "",
        "task_note": "",
        "reason": "领取时间登记晚了五分钟",
    }


def patrol_team(u: U) -> list:
    if u is not None and u.username == "other_head":
        return ["other_officer"]
    return ["officer"]


def patrol_form(w: W, u: U) -> dict:
    team = User.objects.filter(username__in=patrol_team(u))
    return {
        "area": "矩阵巡查",
        "org_unit": _unit(w, u),
        "team": [t.pk for t in team],
        "starts_at": "2026-03-02T08:00:00",
        "ends_at": "2026-03-02T12:00:00",
        "note": "",
    }


def patrol_json(w: W, u: U) -> dict:
    return {
        "area": "矩阵巡查",
        "org_unit": _unit(w, u),
        "team": patrol_team(u),
        "starts_at": "2026-03-02T08:00:00+08:00",
        "ends_at": "2026-03-02T12:00:00+08:00",
    }


def devices_shown(w: W) -> dict:
    return {"DSJ-M1": who(*dw.DEVICE1_VIEW)}


DEVICES_MATRIX: dict[str, list[Call]] = {
    "devices:list": [Call("GET", EVERYONE, shows=devices_shown)],
    "devices:register": [
        Call("GET", who(*dw.REGISTRARS)),
        Call(
            "POST",
            who(*dw.REGISTRARS),
            ok=302,
            body=lambda w, u: {
                "number": "DSJ-NEW",
                "kind": "body_camera",
                "model": "DSJ-V7",
                "org_unit": w.unit.pk,
            },
            done=registered,
        ),
    ],
    "devices:detail": [Call("GET", who(*dw.DEVICE1_VIEW), args=device1)],
    "devices:checkout_create": [
        Call("GET", who(*dw.DEVICE1_CHECKOUT), args=device1),
        Call(
            "POST",
            who(*dw.DEVICE1_CHECKOUT),
            ok=302,
            args=device1,
            body=lambda w, u: {
                "task_kind": "survey",
                "device_clock": timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"),
                **CHECK_FORM,
            },
            done=device1_out,
        ),
    ],
    "devices:fault_report": [
        Call("GET", who(*dw.DEVICE1_REPORT), args=device1),
        Call(
            "POST",
            who(*dw.DEVICE1_REPORT),
            ok=302,
            args=device1,
            body=lambda w, u: {"kind": "battery", "note": "电池鼓包"},
            done=device1_fault,
        ),
    ],
    "devices:maintain": [
        Call(
            "POST",
            who(*dw.DEVICE1_MAINTAIN),
            ok=302,
            args=device1,
            body=lambda w, u: {"battery_test": "on", "note": "例行保养"},
            done=device1_maintained,
        )
    ],
    "devices:book": [
        Call(
            "POST",
            who(*dw.DEVICE6_BOOK),
            ok=302,
            args=device6,
            body=lambda w, u: {
                **booking_body(w, u),
                "officer": "" if u and u.has_role("officer") else w.bureau.officer.pk,
            },
            done=device6_booked,
        )
    ],
    "devices:override": [
        Call(
            "POST",
            who(*dw.DEVICE4_OVERRIDE),
            ok=302,
            args=device4,
            body=lambda w, u: {"reason": "备用机均在外，任务紧急"},
            done=device4_allowed,
        )
    ],
    "devices:edit": [
        Call("GET", who(*dw.DEVICE1_EDIT), args=device1),
        Call(
            "POST",
            who(*dw.DEVICE1_EDIT),
            ok=302,
            args=device1,
            body=edit_form,
            done=device1_edited,
        ),
    ],
    "devices:retire": [
        Call("GET", who(*dw.DEVICE1_RETIRE), args=device1),
        Call(
            "POST",
            who(*dw.DEVICE1_RETIRE),
            ok=302,
            args=device1,
            body=lambda w, u: {"reason": "外壳破裂，无维修价值"},
            done=device1_retired,
        ),
    ],
    "devices:footage_lost": [
        Call(
            "POST",
            who(*dw.DEVICE5_DECLARE),
            ok=302,
            args=device5,
            body=lambda w, u: {"lost-reason": "存储卡损坏，无法读取"},
            done=device5_footage_lost,
        )
    ],
    "devices:maintenance": [Call("GET", EVERYONE, shows=models_shown)],
    "devices:model_interval": [
        Call(
            "POST",
            who(*dw.MODEL1_INTERVAL),
            ok=302,
            args=model1,
            body=lambda w, u: {f"m{w.devices.model1.pk}-maintenance_days": "30"},
            done=model1_interval_set,
        )
    ],
    "devices:map_number": [
        Call(
            "POST",
            who(*dw.REGISTRARS),
            ok=302,
            body=lambda w, u: {"number": "UNK-M", "device": "DSJ-M1"},
            done=number_mapped,
        )
    ],
    "devices:booking": [
        Call("GET", who(*dw.BOOKING1_VIEW), args=booking1),
        Call(
            "POST",
            who(*dw.BOOKING1_CHANGE),
            ok=302,
            args=booking1,
            body=booking1_form,
            done=booking1_corrected,
        ),
    ],
    "devices:booking_cancel": [
        Call(
            "POST",
            who(*dw.BOOKING1_CHANGE),
            ok=302,
            args=booking1,
            body=lambda w, u: {"reason": "当事人未到场"},
            done=booking1_cancelled,
        )
    ],
    "devices:checkout": [Call("GET", who(*dw.CHECKOUT1_VIEW), args=checkout1)],
    "devices:checkin": [
        Call(
            "POST",
            who(*dw.CHECKOUT1_CHECKIN),
            ok=302,
            args=checkout1,
            body=lambda w, u: {"battery": "50", "storage_free": "60"},
            done=checkout1_in,
        )
    ],
    "devices:correct": [
        Call("GET", who(*dw.CHECKOUT1_CORRECT), args=checkout1),
        Call(
            "POST",
            who(*dw.CHECKOUT1_CORRECT),
            ok=302,
            args=checkout1,
            body=correction_form,
            done=checkout1_corrected,
        ),
    ],
    "devices:faults": [Call("GET", EVERYONE)],
    "devices:fault": [Call("GET", who(*dw.FAULT1_VIEW), args=fault1)],
    "devices:fault_move": [
        Call(
            "POST",
            who(*dw.FAULT1_REPAIR),
            ok=302,
            args=fault1,
            body=lambda w, u: {"to_state": "in_repair", "note": "送修"},
            done=fault1_in_repair,
        )
    ],
    "devices:patrols": [Call("GET", EVERYONE)],
    "devices:patrol_create": [
        Call("GET", who(*dw.PATROL_PLANNERS)),
        Call(
            "POST",
            who(*dw.PATROL_SETTERS),
            ok=302,
            also={"outsider_leader": 200},
            body=patrol_form,
            done=patrol_set,
        ),
    ],
    "devices:patrol": [Call("GET", who(*dw.PATROL1_VIEW), args=patrol1)],
    "devices:statistics": [Call("GET", who(*dw.STATISTICS))],
    "devices:mark_add": [
        Call(
            "POST",
            ITEM1_CLASSIFY,
            ok=302,
            args=item1,
            body=lambda w, u: {"at_seconds": "2.5", "kind": "notice", "note": "已告知"},
            done=item1_marked,
        )
    ],
    "devices:clip": [
        Call(
            "POST",
            ITEM1_VIEW,
            ok=302,
            args=item1,
            body=lambda w, u: {"start": "1", "end": "4", "reason": "复议举证"},
            done=item1_clip_asked,
        )
    ],
    "api:device-list": [
        Call("GET", EVERYONE, shows=devices_shown),
        Call(
            "POST",
            who(*dw.REGISTRARS),
            ok=201,
            body=lambda w, u: {
                "number": "DSJ-NEW",
                "kind": "body_camera",
                "model": "DSJ-V7",
                "org_unit": w.unit.pk,
            },
            done=registered,
        ),
    ],
    "api:device-detail": [
        Call("GET", who(*dw.DEVICE1_VIEW), args=device1),
        Call(
            "PATCH",
            who(*dw.DEVICE1_EDIT),
            args=device1,
            body=lambda w, u: {"serial": "SN-EDITED"},
            done=device1_edited,
        ),
    ],
    "api:device-retire": [
        Call(
            "POST",
            who(*dw.DEVICE1_RETIRE),
            args=device1,
            body=lambda w, u: {"reason": "外壳破裂，无维修价值"},
            done=device1_retired,
        )
    ],
    "api:device-footage-lost": [
        Call("GET", who(*dw.DEVICE1_VIEW), args=device5),
        Call(
            "POST",
            who(*dw.DEVICE5_DECLARE),
            ok=201,
            args=device5,
            body=lambda w, u: {"reason": "存储卡损坏，无法读取"},
            done=device5_footage_lost,
        ),
    ],
    "api:device-maintenance": [
        Call("GET", who(*dw.DEVICE1_VIEW), args=device1),
        Call(
            "POST",
            who(*dw.DEVICE1_MAINTAIN),
            ok=201,
            args=device1,
            body=lambda w, u: {"battery_test": True, "note": "例行保养"},
            done=device1_maintained,
        ),
    ],
    "api:device-bookings": [
        Call("GET", who(*dw.DEVICE1_VIEW), args=device6),
        Call(
            "POST",
            who(*dw.DEVICE6_BOOK),
            ok=201,
            args=device6,
            body=lambda w, u: {
                **booking_body(w, u),
                "officer": u.username if u and u.has_role("officer") else "officer",
            },
            done=device6_booked,
        ),
    ],
    "api:device-override": [
        Call(
            "POST",
            who(*dw.DEVICE4_OVERRIDE),
            ok=201,
            args=device4,
            body=lambda w, u: {"reason": "备用机均在外，任务紧急"},
            done=device4_allowed,
        )
    ],
    "api:device-model-list": [Call("GET", EVERYONE, shows=models_shown)],
    "api:device-model-detail": [
        Call("GET", who(*dw.MODEL1_VIEW), args=model1),
        Call(
            "PATCH",
            who(*dw.MODEL1_INTERVAL),
            args=model1,
            body=lambda w, u: {"maintenance_days": 30},
            done=model1_interval_set,
        ),
    ],
    "api:device-checkout": [
        Call(
            "POST",
            who(*dw.DEVICE1_CHECKOUT),
            ok=201,
            args=device1,
            body=lambda w, u: {"task_kind": "survey", "checklist": CHECK_JSON},
            done=device1_out,
        )
    ],
    "api:device-checkin": [
        Call(
            "POST",
            who(*dw.CHECKOUT1_CHECKIN),
            args=device2,
            body=lambda w, u: {"battery": 50},
            done=checkout1_in,
        )
    ],
    "api:camera-booking-list": [Call("GET", EVERYONE)],
    "api:camera-booking-detail": [Call("GET", who(*dw.BOOKING1_VIEW), args=booking1)],
    "api:camera-booking-correction": [
        Call(
            "POST",
            who(*dw.BOOKING1_CHANGE),
            args=booking1,
            body=lambda w, u: {"clock_offset": -3600, "reason": "摄像机时钟慢一小时"},
            done=booking1_corrected,
        )
    ],
    "api:camera-booking-cancel": [
        Call(
            "POST",
            who(*dw.BOOKING1_CHANGE),
            args=booking1,
            body=lambda w, u: {"reason": "当事人未到场"},
            done=booking1_cancelled,
        )
    ],
    "api:checkout-list": [Call("GET", EVERYONE)],
    "api:checkout-detail": [Call("GET", who(*dw.CHECKOUT1_VIEW), args=checkout1)],
    "api:checkout-corrections": [Call("GET", who(*dw.CHECKOUT1_VIEW), args=checkout1)],
    "api:checkout-correction": [
        Call(
            "POST",
            who(*dw.CHECKOUT1_CORRECT),
            args=checkout1,
            body=lambda w, u: {"clock_offset": 30, "reason": "领取时未核对时钟"},
            done=checkout1_corrected,
        )
    ],
    "api:device-fault-list": [
        Call("GET", EVERYONE),
        Call(
            "POST",
            who(*dw.DEVICE1_REPORT),
            ok=201,
            refused=400,
            body=lambda w, u: {"device": w.devices.device1.pk, "kind": "storage"},
            done=device1_fault,
        ),
    ],
    "api:device-fault-detail": [Call("GET", who(*dw.FAULT1_VIEW), args=fault1)],
    "api:device-fault-moves": [
        Call(
            "POST",
            who(*dw.FAULT1_REPAIR),
            args=fault1,
            body=lambda w, u: {"to_state": "in_repair"},
            done=fault1_in_repair,
        )
    ],
    "api:patrol-list": [
        Call("GET", EVERYONE),
        Call(
            "POST",
            who(*dw.PATROL_SETTERS),
            ok=201,
            also={"outsider_leader": 400},
            body=patrol_json,
            done=patrol_set,
        ),
    ],
    "api:patrol-detail": [Call("GET", who(*dw.PATROL1_VIEW), args=patrol1)],
    "api:media-marks": [
        Call("GET", ITEM1_VIEW, args=item1),
        Call(
            "POST",
            ITEM1_CLASSIFY,
            ok=201,
            args=item1,
            body=lambda w, u: {"at_seconds": 2.5, "kind": "arrival"},
            done=item1_marked,
        ),
    ],
    "api:device-statistics": [Call("GET", who(*dw.STATISTICS))],
}
MATRIX.update(DEVICES_MATRIX)


# URL patterns outside the matrix. A key ending in "*" covers every key or route it begins.
EXEMPT: dict[str, str] = {
    "admin:*": "Django's admin site: staff only; see the test_admin_* tests below",
    "admin/*": "the admin's unnamed catch-all, same as admin:*",
    "healthz": "the load balancer's probe, open to all, shows no records (test_healthz.py)",
    "readyz": "the load balancer's readiness probe, open to all, shows no records "
    "(test_readyz_says_whether_this_process_may_take_requests.py)",
    "favicon.ico": "a redirect to the static icon; static files are public, show no records",
    "set_language": "Django's language switch, stores a cookie, shows no records",
    "api:schema": "the OpenAPI description of the API, no records (test_api_schema.py)",
    "api:docs": "Swagger UI over the schema, no records",
    "api:redoc": "ReDoc over the schema, no records",
    "playback": "signed playback URLs: no object without a valid signature, and then only "
    "to the session or token that started the playback "
    "(media/tests/test_signed_playback_urls.py)",
}

PROBED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# (key, method) -> why a method the endpoint does not offer is known not to answer 405.
NOT_OFFERED_XFAIL: dict[tuple[str, str], str] = {}


# --- enumerating the project's URL patterns -------------------------------------------


def url_patterns() -> dict[str, str]:
    """Every URL pattern of the project: its key (namespaced name) -> its route.

    Unnamed patterns are keyed by their route; DRF's format-suffix twins are left out.
    """
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, route, inner)
            elif "format" not in pattern.pattern.regex.groupindex:
                name = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else route
                found.setdefault(name, route)

    walk(get_resolver().url_patterns, "", "")
    return found


def exempt(key: str, route: str, only: str | None = None) -> bool:
    for name in [only] if only else EXEMPT:
        if name.endswith("*"):
            if key.startswith(name[:-1]) or route.startswith(name[:-1]):
                return True
        elif key == name:
            return True
    return False


def test_every_endpoint_has_a_matrix_entry():
    patterns = url_patterns()
    missing = sorted(
        f"{key} ({route})"
        for key, route in patterns.items()
        if key not in MATRIX and not exempt(key, route)
    )
    stale = sorted(set(MATRIX) - set(patterns))

    assert not missing, (
        "URL patterns without a row in MATRIX (say who may call them, or add them to "
        f"EXEMPT with a reason): {missing}"
    )
    assert not stale, f"MATRIX rows for URL names that no longer exist: {stale}"


def test_every_exemption_still_covers_a_pattern():
    patterns = url_patterns()
    for name in EXEMPT:
        covered = [key for key, route in patterns.items() if exempt(key, route, only=name)]
        assert covered, f"EXEMPT names {name}, which matches no URL pattern any more"


def test_every_persona_and_anonymous_is_in_every_cell():
    for key, calls in MATRIX.items():
        for call in calls:
            outside = (set(call.also) | set(call.xfail)) - (set(PERSONAS) | {ANONYMOUS})
            assert not outside, (key, call.method, outside)
            assert not set(call.also) & call.allowed, (key, call.method)


# --- calling -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The objects, built once; each test's own transaction is a savepoint inside this one."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def kind_of(key: str) -> str:
    if key.startswith("api:tus-"):
        return "tus"
    return "api" if key.startswith("api:") else "page"


@pytest.fixture(scope="module")
def clients():
    """One page client and one API client for the module: building a client's handler
    loads the middleware (WhiteNoise scans every static file), too slow per test."""
    return {"page": Client(), "api": APIClient()}


def send(clients, key: str, call: Call, world: W, persona: str, method: str | None = None):
    kind = kind_of(key)
    method = method or call.method
    path = reverse(key, kwargs=call.args(world)) + call.query
    assert resolve(path.split("?")[0]).view_name == key, path
    user = None if persona == ANONYMOUS else world.user(persona)
    body = call.body(world, user) if call.body else None
    headers = dict(call.headers)
    if kind == "api":
        client = clients["api"]
        client.cookies.clear()
        client.force_authenticate(user)
        if method in ("GET", "HEAD"):
            return client.generic(method, path, headers=headers)
        # A body carrying a file (a scan, a proof of service) goes as multipart.
        files = isinstance(body, dict) and any(hasattr(v, "read") for v in body.values())
        return getattr(client, method.lower())(
            path, body, format="multipart" if files else "json", headers=headers
        )
    client = clients["page"]
    client.cookies.clear()
    if user is not None:
        client.force_login(user)
    if kind == "tus":
        return client.generic(
            method,
            path,
            data=body or b"",
            content_type=OFFSET_TYPE if body else "",
            headers=headers,
        )
    if method == "GET":
        return client.get(path, headers=headers)
    if method == "POST":
        return client.post(path, body or {}, headers=headers)
    return client.generic(method, path, headers=headers)


def cells():
    for key, calls in MATRIX.items():
        for call in calls:
            label = f"{key} {call.method}" + (f" {call.variant}" if call.variant else "")
            for persona in [*PERSONAS, ANONYMOUS]:
                if call.only is not None and persona not in call.only | {ANONYMOUS}:
                    continue
                marks = []
                if persona in call.xfail:
                    marks.append(pytest.mark.xfail(strict=True, reason=call.xfail[persona]))
                yield pytest.param(key, call, persona, id=f"{label} {persona}", marks=marks)


@pytest.mark.parametrize(("key", "call", "persona"), list(cells()))
def test_cell(world, clients, db, key, call, persona):
    expected = call.expected(persona, kind_of(key))

    response = send(clients, key, call, world, persona)
    # Reading a streamed body to its end closes it the way the test client expects;
    # closing it ourselves would fire request_finished and drop the connection, and with
    # it the module's transaction, on PostgreSQL.
    content = b"".join(response.streaming_content) if response.streaming else response.content

    assert response.status_code == expected, content[:300]
    if persona == ANONYMOUS and call.anonymous is None and kind_of(key) == "page":
        assert response["Location"].startswith(reverse("accounts:login"))
    if call.done is not None:
        user = None if persona == ANONYMOUS else world.user(persona)
        assert call.done(world, user) == (persona in call.allowed)
    if call.shows is not None and persona != ANONYMOUS and expected == 200:
        text = content.decode()
        seen = {label for label in call.shows(world) if label in text}
        meant = {label for label, personas in call.shows(world).items() if persona in personas}
        assert seen == meant, f"shown {sorted(seen)}, meant to be shown {sorted(meant)}"


def not_offered():
    for key, calls in MATRIX.items():
        offered = {call.method for call in calls}
        for method in PROBED_METHODS:
            if method in offered:
                continue
            marks = []
            if (key, method) in NOT_OFFERED_XFAIL:
                reason = NOT_OFFERED_XFAIL[key, method]
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            yield pytest.param(key, method, id=f"{key} {method}", marks=marks)


@pytest.mark.parametrize(("key", "method"), list(not_offered()))
def test_a_method_not_offered_answers_405(world, clients, db, key, method):
    call = MATRIX[key][0]
    # Someone the endpoint serves (or at least answers, when the world leaves nobody
    # allowed, as a sweep already open); the sign-in page serves only the signed-out.
    served = call.allowed or frozenset(call.also)
    persona = min(served) if served else ANONYMOUS

    response = send(clients, key, call, world, persona, method=method)

    assert response.status_code == 405


# --- the admin site ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_admin_sends_everyone_without_the_staff_flag_to_its_sign_in(world, db, persona):
    client = Client()
    client.force_login(world.user(persona))

    for path in (
        reverse("admin:index"),
        reverse("admin:media_mediaitem_changelist"),
        reverse("admin:audit_auditentry_change", args=[world.entry1.pk]),
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("admin:login")), path


@pytest.fixture
def staff_client(world, db):
    superuser = User.objects.create_superuser("matrix-root", password="pw", full_name="root")
    client = Client()
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("model", ["media_mediaitem", "audit_auditentry"])
def test_staff_may_read_but_not_change_or_delete_originals_and_audit_entries(
    world, staff_client, model
):
    obj = world.item1 if model == "media_mediaitem" else world.entry1
    before = (
        MediaItem.objects.filter(pk=obj.pk).values().get()
        if model == "media_mediaitem"
        else AuditEntry.objects.filter(pk=obj.pk).values().get()
    )
    change = reverse(f"admin:{model}_change", args=[obj.pk])
    delete = reverse(f"admin:{model}_delete", args=[obj.pk])
    changelist = reverse(f"admin:{model}_changelist")

    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(change).status_code == 200  # read-only
    assert staff_client.post(change, {"original_name": "x", "summary": "x"}).status_code == 403
    assert staff_client.get(delete).status_code == 403
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert staff_client.get(reverse(f"admin:{model}_add")).status_code == 403
    bulk = staff_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)

    after = type(obj).objects.filter(pk=obj.pk).values().get()
    assert after == before
