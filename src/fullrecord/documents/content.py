"""What a drafted document says: filled from the case, validated per type, resolved for print."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from fullrecord.cases.models import Case

from .choices import Field
from .models import DocumentType

DEFAULT_PAYMENT = "自收到本决定书之日起十五日内，持本决定书到指定银行缴纳罚款，逾期不缴纳的，每日按罚款数额的百分之三加处罚款。"
DEFAULT_REMEDIES = "如不服本决定，可以在收到本决定书之日起六十日内向本级人民政府或者上一级自然资源主管部门申请行政复议，也可以在六个月内依法向人民法院提起行政诉讼。"

# 行政处罚法第五十九条: the parts a 行政处罚决定书 must carry (the bureau and date are
# added at issue).
DECISION_PARTS = (
    Field.PARTY,
    Field.FACTS,
    Field.EVIDENCE,
    Field.LEGAL_BASIS,
    Field.PENALTY,
    Field.PAYMENT,
    Field.REMEDIES,
)
DECISION_CODE = "penalty_decision"


def field_label(name: str) -> str:
    return str(Field(name).label)


def party_line(case: Case) -> str:
    parts = []
    for party in case.parties.all():
        text = party.name
        if party.legal_representative:
            text += _("(legal representative: %(name)s)") % {"name": party.legal_representative}
        if party.address:
            text += _(", address: %(address)s") % {"address": party.address}
        parts.append(text)
    return "；".join(parts)


def filled_from_case(case: Case, doc_type: DocumentType) -> dict:
    """A new draft's content: what the case already knows."""
    officers = [
        a.officer_id
        for a in case.assignments.select_related("officer")
        if a.officer.is_active and a.officer.certificate_number
    ]
    values = {
        Field.PARTY: party_line(case),
        Field.CAUSE: case.cause.name,
        Field.OFFICERS: officers,
        Field.PLACE: case.address,
        Field.TIME: "",
        Field.FACTS: case.summary,
        Field.EVIDENCE: "",
        Field.LEGAL_BASIS: case.cause.legal_basis,
        Field.PENALTY: "",
        Field.PAYMENT: DEFAULT_PAYMENT,
        Field.REMEDIES: DEFAULT_REMEDIES,
        Field.BODY: "",
        Field.OPINION: "",
    }
    return {str(name): values[name] for name in doc_type.fields if name in values}


def officers_of(content: dict) -> list:
    ids = [int(i) for i in content.get(Field.OFFICERS, []) if str(i).isdigit()]
    users = get_user_model().objects.in_bulk(ids)
    return [users[i] for i in ids if i in users]


def problems(doc_type: DocumentType, content: dict) -> list[str]:
    """What is missing for this type, in the user's language, each naming the part."""
    found: list[str] = []
    if doc_type.two_officers:
        certified = [u for u in officers_of(content) if u.certificate_number]
        if len(certified) < 2:
            found.append(
                _(
                    "Article 10(2): a %(type)s names at least two officers with their "
                    "enforcement certificate numbers; it names %(count)s."
                )
                % {"type": doc_type.name, "count": len(certified)}
            )
        uncertified = [str(u) for u in officers_of(content) if not u.certificate_number]
        if uncertified:
            found.append(
                _("%(names)s has no enforcement certificate number.")
                % {"names": "、".join(uncertified)}
            )
    if doc_type.code == DECISION_CODE:
        for part in DECISION_PARTS:
            if not str(content.get(part, "")).strip():
                found.append(
                    _("Article 59 of the Administrative Penalty Law: the %(type)s lacks %(part)s.")
                    % {"type": doc_type.name, "part": field_label(part)}
                )
    return found


def clean(doc_type: DocumentType, raw: dict) -> dict:
    """Only the type's parts, as text (officers as a list of ids)."""
    content: dict = {}
    for name in doc_type.fields:
        value = raw.get(name, [] if name == Field.OFFICERS else "")
        if name == Field.OFFICERS:
            if isinstance(value, str):
                value = [v for v in value.replace("，", ",").split(",") if v.strip()]
            content[name] = [int(v) for v in value if str(v).strip().isdigit()]
        else:
            content[name] = str(value or "").strip()[:20000]
    return content
