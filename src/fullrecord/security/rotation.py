"""Rotating the personal-data key (密评 key management, GB/T 39786-2021 8.6).

The operator makes a new key file, names it in ``FULLRECORD_DATA_KEY_FILE`` and keeps the
old one readable in ``FULLRECORD_DATA_KEY_PREVIOUS_FILES``; ``fullrecord rotate_sm4_key``
then seals every sealed value again under the new key (and recomputes the blind indexes
derived from it), a batch per transaction, each batch an audit entry in that
transaction. It is resumable: what it looks for is "not sealed under the current key",
so a run stopped half-way (or a value written meanwhile under the old key by a process
not restarted yet) is simply picked up by the next run. When nothing is left, the final
entry says so and the old key file can be removed from the setting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from fullrecord.audit.services import record

from . import keys, sealed, sm4


class RotationError(Exception):
    """A value cannot be read with the current key or any earlier one kept."""


@dataclass
class Outcome:
    key: str
    resealed: dict[str, int] = field(default_factory=dict)
    previous_keys: set[str] = field(default_factory=set)
    left: int = 0

    @property
    def total(self) -> int:
        return sum(self.resealed.values())


def left_to_do(batch: int = 1) -> dict[str, int]:
    """Which registered places still hold a value not under the current key (a sample)."""
    kid = sm4.key_id()
    found = {h.label: len(h.stale(kid, batch)) for h in sealed.holders()}
    return {label: count for label, count in found.items() if count}


def rotate(
    *, batch: int = 500, actor=None, progress: Callable[[str, int], None] | None = None
) -> Outcome:
    """Seal again under the current key every value sealed under an earlier one (or
    still plain). Stops with ``RotationError`` at a value no kept key opens; what was done
    before stays done."""
    kid = sm4.key_id()
    outcome = Outcome(kid)
    for holder in sealed.holders():
        count = 0
        while True:
            pks = holder.stale(kid, batch)
            if not pks:
                break
            with transaction.atomic():
                try:
                    done, kids = holder.reseal(pks)
                except sm4.DecryptionFailed as exc:
                    raise RotationError(
                        _(
                            "%(where)s: a value cannot be opened (%(why)s); add the key it was "
                            "sealed under to FULLRECORD_DATA_KEY_PREVIOUS_FILES and run again"
                        )
                        % {"where": holder.label, "why": exc}
                    ) from exc
                record(
                    "security.data_key_resealed",
                    actor=actor,
                    summary=_("Re-sealed %(count)d values of %(where)s under key %(key)s")
                    % {"count": done, "where": holder.label, "key": kid},
                    data={"field": holder.label, "count": done, "key": kid, "from": sorted(kids)},
                )
            if not done:
                break  # nothing could be re-sealed: do not loop on it
            count += done
            outcome.previous_keys |= kids
            if progress:
                progress(holder.label, count)
        if count:
            outcome.resealed[holder.label] = count
    outcome.left = sum(left_to_do().values())
    with transaction.atomic():
        record(
            "security.data_key_rotated",
            actor=actor,
            summary=(
                _("Every sealed value is under key %(key)s (%(count)d re-sealed)")
                if not outcome.left
                else _("Key rotation to %(key)s stopped with values left (%(count)d re-sealed)")
            )
            % {"key": kid, "count": outcome.total},
            data={
                "key": kid,
                "resealed": outcome.resealed,
                "from": sorted(outcome.previous_keys),
                "previous_key_files": len(keys.previous_data_keys()),
                "left": outcome.left,
            },
        )
    return outcome
