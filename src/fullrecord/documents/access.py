"""Who may read, draft, approve, issue and serve a case's written records.

Default deny, built on the case helper: whoever may see a case reads its written
records (the inspection team read-only); officers assigned to it, the section head
and the leader in charge draft, issue and serve; the legal reviewers draft the
review stage's records (法制审核意见, 集体讨论笔录); a step of an approval chain is
decided by a holder of its role who reaches the case and did not draft the document.
Missing and forbidden are the same 404.
"""

from __future__ import annotations

from fullrecord.accounts.choices import Role
from fullrecord.cases import access as case_access
from fullrecord.cases.choices import FINAL_STATES, Stage
from fullrecord.cases.models import Case
from fullrecord.core.refusals import Unreachable

from .models import Document, DocumentType

WRITERS = {Role.OFFICER, Role.SECTION_HEAD, Role.LEADER}
ISSUERS = WRITERS  # issuing stores the PDF as evidence: media.access.can_upload holds for them
TEMPLATE_KEEPERS = {Role.LEADER, Role.ADMIN}


def can_view_case(user, case: Case) -> bool:
    return case_access.can(user, "view", case)


def can_draft(user, case: Case, doc_type: DocumentType) -> bool:
    if case.state in FINAL_STATES or not doc_type.active:
        return False
    roles = case_access.acting_roles(user, case)
    if roles & WRITERS:
        return True
    return Role.LEGAL in roles and doc_type.stage == Stage.REVIEW


def can_file_papers(user, case: Case) -> bool:
    """File the party's papers and mark an item not applicable: those who draft and issue
    (the scans enter the evidence store: media.access.can_upload holds for them)."""
    return case.state not in FINAL_STATES and bool(case_access.acting_roles(user, case) & ISSUERS)


def can_issue(user, document: Document) -> bool:
    case = document.case
    return case.state not in FINAL_STATES and bool(case_access.acting_roles(user, case) & ISSUERS)


def can_serve(user, document: Document) -> bool:
    return can_issue(user, document)


def can_decide_step(user, document: Document, role: str) -> bool:
    if document.created_by_id == user.pk:
        return False  # nobody approves what they drafted
    return role in case_access.acting_roles(user, document.case)


def can_keep_templates(user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and bool(user.org_unit_id)
        and user.has_role(*TEMPLATE_KEEPERS)
    )


def get_case(user, pk, action: str = "view") -> Case:
    return case_access.get_case(user, pk, action)


def get_document(user, pk) -> Document:
    """The document if ``user`` may read it; else 404, whatever the reason."""
    try:
        document = Document.objects.select_related(
            "case", "case__org_unit", "case__cause", "doc_type", "created_by"
        ).get(pk=int(pk))
    except (Document.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Unreachable from None
    if not can_view_case(user, document.case):
        raise Unreachable
    return document
