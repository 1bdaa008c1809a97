"""Background work of retention; each task calls a service."""

from __future__ import annotations

from django_tasks import task


@task()
def run_due() -> dict:
    from . import services

    return services.run_due()


@task()
def fixity_start() -> dict:
    from . import fixity

    return fixity.step(start=True)


@task()
def fixity_step() -> dict:
    from . import fixity

    return fixity.step()


@task()
def export_case(export_id: int) -> str:
    from . import export

    return export.run(export_id)


@task()
def recompute_after_term_change(actor_id: int | None = None) -> int:
    """A case-file term was added, edited or removed: the keep-until dates of the evidence
    of cases follow it now, not at the next daily listing."""
    from fullrecord.accounts.models import User

    from . import services

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return services.refresh_all(actor=actor, evidence_only=True)
