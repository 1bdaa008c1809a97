"""Parties' personal data inside a document's text, masked for readers (个人信息保护法).

A drafted document quotes the party: the party part is free text filled from the case,
so the identity number, address and phone typed there are the party's own. Whoever may
draft the document works on it in full; everyone else who reads the case file (the
inspection team, archivists, approvers, approved access requests) sees those values
masked as on the case page, and shows one in full there, as a recorded action. The
issued PDF is the document served on the party and stays as issued.
"""

from __future__ import annotations

from .models import Document


def replacements(document: Document) -> list[tuple[str, str]]:
    """Each personal value of the case's parties with its mask, longest first."""
    pairs = []
    for party in document.case.parties.all():
        for value, masked in (
            (party.id_number, party.masked_id_number),
            (party.address, party.masked_address),
            (party.contact, party.masked_contact),
        ):
            if value and value != masked:
                pairs.append((value, masked))
    # Longest first, so an address that contains a shorter value is masked whole.
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def mask_text(text: str, replacements: list[tuple[str, str]]) -> str:
    for value, masked in replacements:
        text = text.replace(value, masked)
    return text


def masked_printable(document: Document, printable: dict) -> dict:
    """``printable`` with the parties' personal data masked in every part."""
    pairs = replacements(document)
    if not pairs:
        return printable
    sections = [
        {**section, "text": mask_text(str(section["text"]), pairs)}
        for section in printable.get("sections", [])
    ]
    return {**printable, "sections": sections}


def masked_content(content: dict, pairs: list[tuple[str, str]]) -> dict:
    """``content`` (a document's parts) with the values of ``pairs`` masked."""
    if not pairs:
        return content
    return {
        name: mask_text(value, pairs) if isinstance(value, str) else value
        for name, value in content.items()
    }
