"""The server never holds a chunk in memory: the body is read in blocks and written out.

Asserted on the code path (the request body is only ever read ``BLOCK`` bytes at a time,
``request.body`` is never touched) and on Python's own allocation tracer during a 64 MiB
PATCH. The server process's resident memory during a 4 GiB upload is measured by
``bench/bench_ingest.py`` (``ingest_peak_rss_mb``).
"""

from __future__ import annotations

import os
import tracemalloc

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from fullrecord.accounts.services import issue_api_token
from fullrecord.media import tus, tus_views
from fullrecord.media.models import Upload

from .tus_helpers import OFFSET_TYPE, Tus

MiB = 1024 * 1024
LENGTH = 64 * MiB


@pytest.fixture
def patch_request(bureau):
    """A PATCH carrying the whole 64 MiB, built before any measurement starts."""
    location = Tus(bureau.officer).create(LENGTH)["Location"]
    upload = Upload.objects.get()
    request = RequestFactory().generic(
        "PATCH",
        location,
        data=os.urandom(LENGTH),
        content_type=OFFSET_TYPE,
        headers={
            "Authorization": f"Token {issue_api_token(bureau.officer)}",
            "Tus-Resumable": "1.0.0",
            "Upload-Offset": "0",
        },
    )
    return request, upload


def test_the_body_is_read_in_blocks_and_never_whole(patch_request, monkeypatch):
    request, upload = patch_request
    sizes: list[int] = []
    real_read = request.read

    def read(size=-1):
        sizes.append(size)
        return real_read(size)

    monkeypatch.setattr(request, "read", read)
    monkeypatch.setattr(
        HttpRequest, "body", property(lambda self: pytest.fail("request.body was read"))
    )
    response = tus_views.upload(request, upload_id=str(upload.pk))
    assert response.status_code == 204, response.content
    assert sizes and max(sizes) <= tus.BLOCK and -1 not in sizes
    assert sum(1 for size in sizes if size > 0) >= LENGTH // tus.BLOCK


def test_python_allocates_a_few_blocks_not_the_chunk(patch_request):
    request, upload = patch_request
    tracemalloc.start()
    try:
        response = tus_views.upload(request, upload_id=str(upload.pk))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 204
    # The direct-write buffer is an mmap, outside the tracer: this is the Python side only.
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB for a {LENGTH // MiB} MiB chunk"
