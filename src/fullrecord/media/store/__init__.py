"""The evidence store: originals addressed by SHA-256, written once, read many times.

Which backend is used is configuration only (``FULLRECORD_STORAGE``): ``local``
(a content-addressed directory under the data dir, the default) or ``s3``
(S3-compatible object storage written with Object Lock in compliance mode).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import BlobStore, StorageFull, StoreError, StoreUnavailable

__all__ = [
    "BlobStore",
    "StoreError",
    "StorageFull",
    "StoreUnavailable",
    "get_store",
    "local_store",
    "s3_store",
]


@cache
def get_store() -> BlobStore:
    backend = settings.FULLRECORD_STORAGE["backend"]
    if backend == "local":
        return local_store()
    if backend == "s3":
        return s3_store()
    raise ImproperlyConfigured(f"FULLRECORD_STORAGE={backend!r}: use local or s3")


def local_store():
    """The local store under the data dir, whichever backend is in use (for migrating)."""
    from .local import LocalStore

    return LocalStore(settings.FULLRECORD_STORAGE["root"])


def s3_store():
    """The S3 store the ``FULLRECORD_S3_*`` variables describe, whichever backend is in use."""
    from .s3 import S3Store

    config = settings.FULLRECORD_STORAGE["s3"]
    if not config.get("endpoint_url"):
        raise ImproperlyConfigured("FULLRECORD_S3_ENDPOINT is not set")
    return S3Store(**config)
