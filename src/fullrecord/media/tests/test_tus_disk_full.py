"""A disk that fills during an upload: a clear 507, no half item, nothing else lost, resumable.

The spool directory is put on a real 3 MiB tmpfs, so ENOSPC comes from the kernel at the
true system edge. Mounting needs root (this project's test container runs as root); where
``mount`` is refused the fixture falls back to a stand-in that makes ``os.write`` raise
ENOSPC once the same 3 MiB are used; the test records which in its ``user_properties``
(``enospc``: ``tmpfs`` or ``simulated os.write``).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess

import pytest
from django.utils import translation

from fullrecord.media import tus
from fullrecord.media.models import MediaItem, Upload

from .tus_helpers import Tus, metadata

MiB = 1024 * 1024
SIZE = 3 * MiB


class SmallDisk:
    def __init__(self, path, kind: str) -> None:
        self.path = path
        self.kind = kind


@pytest.fixture
def small_spool(tmp_path, settings, monkeypatch, request):
    path = tmp_path / "spool"
    path.mkdir()
    mounted = (
        shutil.which("mount")
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(path)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    settings.FULLRECORD_SPOOL_DIR = path
    if mounted:
        request.node.user_properties.append(("enospc", "tmpfs"))
        yield SmallDisk(path, "tmpfs")
        subprocess.run(["umount", "-l", str(path)], check=False)
        return

    real_write = os.write

    def write(fd, data):
        used = sum(entry.stat().st_size for entry in path.iterdir())
        if used + len(data) > SIZE:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    request.node.user_properties.append(("enospc", "simulated os.write"))
    yield SmallDisk(path, "simulated")


def test_a_full_disk_answers_507_and_keeps_everything_else(bureau, small_spool):
    officer = Tus(bureau.officer)
    # Someone else's upload, half done, and other files share the disk.
    other = os.urandom(512 * 1024)
    other_location = officer.create(2 * len(other))["Location"]
    assert officer.patch(other_location, other, 0).status_code == 204
    neighbour = small_spool.path / "neighbour.bin"
    neighbour.write_bytes(os.urandom(MiB))

    data = os.urandom(2 * MiB)
    location = officer.create(len(data), metadata(filename="scene.mp4"))["Location"]
    upload = Upload.objects.get(pk=location.rsplit("/", 1)[1])
    assert officer.patch(location, data[: MiB // 2], 0).status_code == 204

    response = officer.patch(location, data[MiB // 2 :], MiB // 2)
    assert response.status_code == 507
    with translation.override("zh-hans"):  # the client asked for no language: the default
        assert response.content.decode() == str(tus.DISK_FULL)
    # No half item; the upload is where it was; the neighbours are untouched.
    assert not MediaItem.objects.exists()
    assert officer.head(location)["Upload-Offset"] == str(MiB // 2)
    assert tus.spool_path(upload.pk).stat().st_size == MiB // 2
    assert officer.head(other_location)["Upload-Offset"] == str(len(other))
    other_upload = Upload.objects.get(pk=other_location.rsplit("/", 1)[1])
    assert tus.spool_path(other_upload.pk).read_bytes() == other
    assert neighbour.stat().st_size == MiB

    # Space is freed; the same client carries on from the offset the server kept.
    neighbour.unlink()
    tus.forget_hash(upload.pk)
    done = officer.patch(location, data[MiB // 2 :], MiB // 2)
    assert done.status_code == 204, (small_spool.kind, done.content)
    assert done["X-Media-Sha256"] == hashlib.sha256(data).hexdigest()
    assert MediaItem.objects.get().size == len(data)
