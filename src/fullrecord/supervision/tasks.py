"""Background work of the inspection team's app: tasks call the services, never the reverse."""

from django_tasks import task

from . import figures, services


@task()
def escalate_overdue_rectifications() -> int:
    """第十九条: an order past its deadline goes to the section head and the leader in charge."""
    return services.escalate_overdue()


@task()
def refresh_dashboard() -> int:
    """Recount the dashboard's figures (per month, section and officer)."""
    return figures.refresh()
