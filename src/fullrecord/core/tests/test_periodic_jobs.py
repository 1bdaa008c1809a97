"""The scheduler enqueues each periodic job once per period, whoever runs it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.audit.models import SignedTreeHead
from fullrecord.audit.services import record
from fullrecord.core.models import PeriodicRun
from fullrecord.core.periodic import JOBS, enqueue_due


@pytest.mark.django_db
def test_every_job_is_enqueued_on_the_first_check_and_not_again_within_its_period():
    now = timezone.now()
    assert set(enqueue_due(now)) == {job.name for job in JOBS}
    assert enqueue_due(now + timedelta(seconds=30)) == []
    assert enqueue_due(now + timedelta(minutes=1, seconds=1)) == ["sign_tree_head"]
    assert "expire_uploads" in enqueue_due(now + timedelta(hours=1, minutes=1))


@pytest.mark.django_db
def test_the_every_minute_job_signs_the_tree_head(settings):
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 1000
    record("test.one")
    record("test.two")
    enqueue_due()  # the immediate task backend runs the job here
    assert SignedTreeHead.objects.filter(tree_size=2).exists()
    assert PeriodicRun.objects.filter(name="sign_tree_head").exists()
