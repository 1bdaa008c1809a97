from django_tasks import task


@task()
def make_copy(copy_id: int) -> str:
    from .copies import make_copy as make
    from .models import Copy

    copy = Copy.objects.select_related("item", "request", "made_by").filter(pk=copy_id).first()
    if copy is None or copy.state != "pending":
        return "skipped"
    return make(copy).state
