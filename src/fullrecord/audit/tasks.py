from django_tasks import task


@task()
def sign_and_deliver_tree_heads() -> int:
    """Every minute: sign the tree if it grew (第十八条), then send the heads out.

    An unchanged tree gets no new head. Returns the size of the head signed, or 0.
    """
    from .services import sign_tree_head
    from .sinks import deliver_heads

    sth = sign_tree_head()
    deliver_heads()
    return sth.tree_size if sth else 0


@task()
def sign_tree_head_daily() -> int:
    """The former daily job's name, kept so a task queued before an upgrade still runs."""
    return sign_and_deliver_tree_heads.call()
