"""The deletion certificate as a PDF, printed from its audit entry (第十八条第五项).

The entry is the certificate: what was deleted (name, SHA-256, size, rule, cases), who
approved and when. The PDF is a rendering of it that carries the entry's sequence number
and hash, so anyone can check it against the log (`fullrecord verify`, an audit export).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from fullrecord.audit.exports import cjk_font
from fullrecord.audit.services import record

from .choices import Rule
from .models import Sweep


def _when(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "—"


def pdf_bytes(sweep: Sweep) -> bytes:
    from fpdf import FPDF

    entry = sweep.certificate
    data = entry.data
    font, index = cjk_font()
    pdf = FPDF(orientation="P", format="A4")
    pdf.set_title(_("Deletion certificate %(number)s") % {"number": data["number"]})
    pdf.set_creator("fullrecord")
    pdf.add_font("cjk", fname=font, collection_font_number=index)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.cell(
        0, 10, _("Certificate of deletion of originals"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("cjk", size=10)
    lines = [
        _("Sweep: %(number)s") % {"number": data["number"]},
        _("Deleted at: %(when)s") % {"when": _when(data["deleted_at"])},
        _("Listed at: %(when)s; not before %(grace)s")
        % {"when": _when(data["listed_at"]), "grace": data["grace_until"]},
    ]
    for approval in data["approvals"]:
        role = _("archivist") if approval["as"] == "archivist" else _("leader in charge")
        lines.append(
            _("Approved by %(name)s (%(user)s), %(role)s, at %(when)s")
            % {
                "name": approval["name"] or approval["user"],
                "user": approval["user"],
                "role": role,
                "when": _when(approval["at"]),
            }
        )
    lines.append(
        _("Audit entry no. %(seq)s, entry hash %(hash)s")
        % {"seq": entry.seq, "hash": entry.entry_hash}
    )
    lines.append(
        _("%(count)s originals deleted, %(bytes)s bytes in all.")
        % {"count": len(data["deleted"]), "bytes": sum(d["size"] for d in data["deleted"])}
    )
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for number, deleted in enumerate(data["deleted"], 1):
        rule = (
            str(Rule(deleted["rule"]).label) if deleted["rule"] in Rule.values else deleted["rule"]
        )
        pdf.set_font("cjk", size=9)
        pdf.multi_cell(
            0,
            5,
            f"{number}. {deleted['name']} · {deleted['size']} B · "
            + _("kept until %(date)s") % {"date": deleted["keep_until"]}
            + f" · {rule}"
            + (f" · {deleted['cases']}" if deleted.get("cases") else ""),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("cjk", size=7)
        pdf.multi_cell(0, 4, f"SHA-256 {deleted['sha256']}", new_x="LMARGIN", new_y="NEXT")
    for kept in data.get("kept", []):
        pdf.set_font("cjk", size=8)
        pdf.multi_cell(
            0,
            4,
            _("Kept after all: %(sha)s — %(why)s") % {"sha": kept["sha256"], "why": kept["why"]},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())


def issue(sweep: Sweep, *, actor) -> bytes:
    """The PDF for a download, recorded as such."""
    pdf = pdf_bytes(sweep)
    with transaction.atomic():
        record(
            "retention.certificate_download",
            actor=actor,
            obj=sweep,
            summary=_("Deletion certificate %(number)s downloaded") % {"number": sweep.number},
            data={"number": sweep.number, "certificate_seq": sweep.certificate.seq},
        )
    return pdf
