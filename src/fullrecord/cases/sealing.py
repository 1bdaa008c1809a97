"""The sealed values a change of a party keeps inside its ``changes`` JSON (the new ID
number, address or contact it waits or was applied with, ``changes._diff``), made known
to the registry of sealed values so the self-check counts them and a key rotation
re-seals them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fullrecord.security import sealed, sm4

from .models import CaseChange

SEALED = frozenset({"id_number", "address", "contact"})
LABEL = "cases.casechange.changes"


def _party_changes() -> QuerySet[CaseChange]:
    return CaseChange.objects.exclude(party_name="")


def _items(changes: dict):
    for name, item in (changes or {}).items():
        if name in SEALED and isinstance(item, dict) and item.get("value") not in (None, ""):
            yield item


def counts() -> tuple[int, int]:
    held = plain = 0
    for changes in _party_changes().values_list("changes", flat=True).iterator():
        for item in _items(changes):
            held += 1
            if not (item.get("sealed") and sm4.is_sealed(str(item["value"]))):
                plain += 1
    return held, plain


def stale(kid: str, limit: int) -> list[int]:
    """Changes holding a sealed value under another key than ``kid``."""
    found = []
    rows = _party_changes().order_by("pk").values_list("pk", "changes")
    for pk, changes in rows.iterator():
        if any(
            item.get("sealed") and sm4.key_id_of(str(item["value"])) not in ("", kid)
            for item in _items(changes)
        ):
            found.append(pk)
            if len(found) >= limit:
                break
    return found


def reseal(pks: list[int]) -> tuple[int, set[str]]:
    kid, done, kids = sm4.key_id(), 0, set()
    for change in CaseChange.objects.select_for_update().filter(pk__in=pks).order_by("pk"):
        for item in _items(change.changes):
            old = sm4.key_id_of(str(item["value"])) if item.get("sealed") else ""
            if old and old != kid:
                item["value"] = sm4.seal(sm4.open_sealed(item["value"]))
                kids.add(old)
                done += 1
        change.save(update_fields=["changes"])
    return done, kids


def register() -> None:
    from .models import Party

    sealed.register_inside(
        sealed.SealedInside(LABEL, _("Value a party's change waits with"), counts, stale, reseal)
    )
    sealed.register_blind_index(Party, "id_number", "id_number_index")
