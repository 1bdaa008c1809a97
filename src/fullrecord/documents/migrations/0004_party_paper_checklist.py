"""The checklist of the party's papers per cause and kind of party (第十条第三项).

Seeds an empty checklist from ``documents/catalogue.py`` (``PAPERS``; items of a cause
the bureau has renamed away are left out), adds the document type the papers are filed
under, and retires the catalogue's first party types (当事人身份证明, 土地权属证明材料,
授权委托书), which were the same for every case. Their scans stay in the case file as
they were; where the case has one party they are filed against the matching item of its
checklist, so a case that had its party's identity on file still has it. Every case is
marked for a fresh completeness check (``fullrecord recompute_completeness``).
"""

from django.db import migrations

from fullrecord.documents.catalogue import PAPERS, RETIRED_PARTY_TYPES

PARTY_PAPER = "party_paper"


def _item_for(code, party, items):
    """The checklist item an old party scan stands for, for this party; None if none."""
    if code == "party_identity":
        wanted = [i for i in items if i.cause_id is None and i.party_kind == party.kind]
    elif code == "party_authorisation":
        wanted = [i for i in items if i.cause_id is None and i.party_kind == "" and not i.required]
    else:  # the land certificate: the first required item of the case's cause
        wanted = [i for i in items if i.cause_id == party.case.cause_id and i.required]
    return wanted[0] if wanted else None


def forward(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    Document = apps.get_model("documents", "Document")
    PaperItem = apps.get_model("documents", "PaperItem")
    Cause = apps.get_model("cases", "Cause")
    Case = apps.get_model("cases", "Case")

    if not DocumentType.objects.filter(code=PARTY_PAPER).exists():
        last = DocumentType.objects.order_by("-order").values_list("order", flat=True).first()
        DocumentType.objects.create(
            code=PARTY_PAPER,
            name="当事人提交材料",
            stage="investigation",
            required=False,
            source="party",
            order=(last or 0) + 10,
        )
    if not PaperItem.objects.exists():
        causes = dict(Cause.objects.values_list("code", "pk"))
        for order, (cause, kind, name, required, note) in enumerate(PAPERS):
            if cause is not None and cause not in causes:
                continue
            PaperItem.objects.create(
                cause_id=causes.get(cause),
                party_kind=kind,
                name=name,
                required=required,
                note=note,
                stage="investigation",
                order=order * 10,
            )
    DocumentType.objects.filter(code__in=RETIRED_PARTY_TYPES).update(active=False)

    items = list(PaperItem.objects.order_by("order", "pk"))
    old = Document.objects.filter(
        doc_type__code__in=RETIRED_PARTY_TYPES, paper_item__isnull=True
    ).select_related("doc_type", "case")
    for document in old:
        parties = list(document.case.parties.select_related("case"))
        if len(parties) != 1:
            continue  # whose paper it is, the officer says by filing it again
        item = _item_for(document.doc_type.code, parties[0], items)
        if item is not None:
            document.paper_item = item
            document.party = parties[0]
            document.save(update_fields=["paper_item", "party"])
    Case.objects.update(completeness_checked_at=None)


def backward(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.filter(code__in=RETIRED_PARTY_TYPES).update(active=True)


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_party_papers"), ("cases", "0006_personal_data_in_changes_masked")]

    operations = [migrations.RunPython(forward, backward)]
