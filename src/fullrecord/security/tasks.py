"""Background work of the security app, through Django's tasks API."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_sm3(sha256: str) -> str:
    """After ingest: the SM3 digest beside the SHA-256 (ingest itself stays as fast)."""
    from .digests import compute

    return "computed" if compute(sha256) else "not computed"


def queue_sm3(sender, *, item_id: int, **kwargs) -> None:
    """Connected to ``media.signals.item_received``."""
    from fullrecord.media.models import MediaItem

    sha256 = MediaItem.objects.filter(pk=item_id).values_list("sha256", flat=True).first()
    if sha256:
        compute_sm3.enqueue(sha256)


@task()
def sm3_sweep() -> dict:
    """Daily: compute digests a crash left out, re-check every kept one."""
    from .digests import check

    report = check()
    return {"checked": report.checked, "computed": report.computed, "failed": len(report.failures)}


@task()
def cosign_tree_heads() -> int:
    """Every minute: SM2-sign the tree heads the Ed25519 path signed since (heads.py)."""
    from .heads import cosign_pending

    return cosign_pending()
