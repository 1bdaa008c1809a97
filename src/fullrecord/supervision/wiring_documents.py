"""What supervision reads from the written-records app (第八条、第十条、第二十条第一项).

Registered in ``SupervisionConfig.ready`` once the documents app is installed: the
case-file review's "documents not served" check, and the written records present per
stage for the dashboard's recording coverage. Read-only; the documents app's modules are
imported inside the functions, so this module loads without it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from fullrecord.cases.models import Case

from . import checks, figures, findings
from .choices import MachineCheck

# 行政执法文书 handed to the party are served (送达): notices and decisions.
SERVED_TO_PARTY = ("通知书", "告知书", "决定书")


def _to_party() -> Q:
    condition = Q(pk__in=[])
    for suffix in SERVED_TO_PARTY:
        condition |= Q(doc_type__name__endswith=suffix)
    return condition


def documents_served(case: Case) -> checks.Check:
    """Every issued notice and decision of the case has its service recorded (送达回证)."""
    from fullrecord.documents.choices import Status
    from fullrecord.documents.models import Document

    issued = Document.objects.filter(case=case, status=Status.ISSUED).filter(_to_party())
    if not issued.exists():
        return checks.Check(MachineCheck.SERVICE, None, [_("No notice or decision issued yet.")])
    unserved = issued.filter(services__isnull=True).select_related("doc_type")
    return checks.Check(
        MachineCheck.SERVICE,
        not unserved.exists(),
        [
            _("%(doc)s %(number)s was issued but its service is not recorded.")
            % {"doc": d.doc_type.name, "number": d.number}
            for d in unserved
        ],
    )


def written_records_per_stage() -> Iterable[tuple[int, str]]:
    """(case, stage) pairs holding a written record present in the case file."""
    from fullrecord.documents.choices import PRESENT
    from fullrecord.documents.models import Document

    return (
        Document.objects.filter(status__in=PRESENT)
        .order_by()
        .values_list("case_id", "stage")
        .distinct()
    )


def written_record_at(stage: str) -> Exists:
    """The case holds a written record of ``stage`` in its file: what the completeness
    grid counts as a present written record there (an active type's issued or received
    document, the party's own papers left out), as one ``EXISTS`` for the no-record
    finding."""
    from fullrecord.documents.choices import PARTY_PAPER, PRESENT, Source
    from fullrecord.documents.models import Document

    return Exists(
        Document.objects.filter(
            case=OuterRef("pk"),
            status__in=PRESENT,
            doc_type__active=True,
            doc_type__stage=stage,
        )
        .exclude(doc_type__code=PARTY_PAPER)
        .exclude(doc_type__source=Source.PARTY)
    )


def register() -> None:
    if not apps.is_installed("fullrecord.documents"):
        return
    checks.register_case_check(MachineCheck.SERVICE, documents_served)
    figures.STAGE_RECORD_SOURCES.append(written_records_per_stage)
    findings.STAGE_RECORD_EXISTS.append(written_record_at)
