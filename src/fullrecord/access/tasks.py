"""Background work of the access app. Tasks call the services; services never call tasks:
the callers (views, API, the rendition provider) enqueue what a service registered."""

from django.db import transaction
from django_tasks import task

from . import copies
from .models import Copy


@task()
def make_copy(copy_id: int) -> str:
    copy = Copy.objects.select_related("item", "request", "made_by").filter(pk=copy_id).first()
    if copy is None or copy.state != "pending":
        return "skipped"
    return copies.make_copy(copy).state


def enqueue_copy(copy: Copy) -> Copy:
    """Hand a pending copy or rendition to a worker once the caller's transaction commits."""
    transaction.on_commit(lambda: make_copy.enqueue(copy.pk))
    return copy
