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
