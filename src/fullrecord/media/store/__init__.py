"""The evidence store: originals addressed by SHA-256, written once, read many times.

Which backend is used is configuration only (``FULLRECORD_STORAGE``): ``local``
(a content-addressed directory under the data dir, the default) or ``s3``
(S3-compatible object storage written with Object Lock in compliance mode).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import BlobStore, StorageFull, StoreError

__all__ = ["BlobStore", "StoreError", "StorageFull", "get_store"]


@cache
def get_store() -> BlobStore:
    backend = settings.FULLRECORD_STORAGE["backend"]
    if backend == "local":
        from .local import LocalStore

        return LocalStore(settings.FULLRECORD_STORAGE["root"])
    if backend == "s3":
        from .s3 import S3Store

        return S3Store(**settings.FULLRECORD_STORAGE["s3"])
    raise ImproperlyConfigured(f"FULLRECORD_STORAGE={backend!r}: use local or s3")
