from django_tasks import task


@task()
def sign_tree_head_daily() -> int:
    """第十八条: the log's head is signed at least daily, even on a quiet day."""
    from .services import sign_tree_head

    sth = sign_tree_head()
    return sth.tree_size if sth else 0
