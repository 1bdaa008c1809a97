"""The periodic sweep queues analysis a crash left unqueued, and removes the part files of
killed work (``kill -9`` of a real process) while keeping those live work still holds."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fullrecord.media import derived
from fullrecord.media.analysis import analyse_item
from fullrecord.media.analysis.pictures import replacing
from fullrecord.media.choices import DerivativeKind, ProbeStatus
from fullrecord.media.models import MediaItem, Upload
from fullrecord.media.spool import spool_chunks, spool_dir
from fullrecord.media.sweep import GRACE, sweep

from .evidence import ingest_bytes
from .mediafiles import ingest_file

pytestmark = pytest.mark.django_db

LATER = GRACE + timedelta(minutes=1)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> Path:
    """Spool and derived directories of this test alone (a subprocess gets the same)."""
    data = tmp_path / "data"
    settings.FULLRECORD_SPOOL_DIR = data / "spool"
    settings.FULLRECORD_DERIVED_DIR = data / "derived"
    return data


def named(path: Path) -> str:
    """How the sweep's report names a file: spool/… or derived/…"""
    spool, derived_root = Path(settings.FULLRECORD_SPOOL_DIR), Path(settings.FULLRECORD_DERIVED_DIR)
    if path.is_relative_to(spool):
        return f"spool/{path.relative_to(spool)}"
    return f"derived/{path.relative_to(derived_root)}"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def analysis_tasks(item_id: int, status=TaskResultStatus.READY):
    return DBTaskResult.objects.filter(
        task_path="fullrecord.media.tasks.analyse_media",
        status=status,
        args_kwargs__args=[item_id],
    )


def test_an_item_whose_analysis_was_never_queued_is_queued_once(
    bureau, database_tasks, time_machine
):
    # The item commits; the enqueue after commit never ran (a test transaction never
    # commits, as a crash between the two never does).
    item = ingest_bytes(bureau.officer, b"footage never analysed", "lost.mp4").item
    assert item.status == ProbeStatus.PENDING
    assert not analysis_tasks(item.pk).exists()

    assert sweep().queued == []  # perhaps its enqueue is a moment away
    time_machine.move_to(timezone.now() + LATER, tick=False)
    assert sweep().queued == [item.pk]
    assert analysis_tasks(item.pk).count() == 1
    assert sweep().queued == []  # queued already: not twice


def test_an_item_whose_analysis_failed_for_good_is_left_to_the_administrator(
    bureau, database_tasks, time_machine
):
    item = ingest_bytes(bureau.officer, b"footage that kills workers", "bad.mp4").item
    from fullrecord.media.tasks import analyse_media

    result = analyse_media.enqueue(item.pk)
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.FAILED)
    time_machine.move_to(timezone.now() + LATER, tick=False)
    assert sweep().queued == []


KILLED_WORK = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from fullrecord.media.analysis.pictures import replacing
    from fullrecord.media.spool import spool_chunks

    def blocks():
        yield b"first block"
        print("spooling", flush=True)
        sys.stdin.read()  # until killed
        yield b"never"

    with replacing(__import__("pathlib").Path(sys.argv[1])) as temp:
        temp.write_bytes(b"half a playable copy")
        spool_chunks(blocks())
    """
)


def start_killable_work(data: Path, proxy_path: Path) -> subprocess.Popen:
    """A real process transcoding into ``proxy_path`` and spooling, as ingest and analysis do."""
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WORK, str(proxy_path)],
        env=dict(os.environ, FULLRECORD_DATA_DIR=str(data), PYTHONPATH=os.pathsep.join(sys.path)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "spooling"  # both files exist and are locked
    return process


def parts() -> set[Path]:
    found = set(spool_dir().glob("*.part"))
    found |= set(Path(settings.FULLRECORD_DERIVED_DIR).glob("*/*/.*.part"))
    return found


def test_part_files_of_killed_work_are_removed_and_those_of_live_work_kept(
    bureau, mpeg4_avi, time_machine, data_dir
):
    item = ingest_file(mpeg4_avi, actor=bureau.officer)
    proxy, _relative = derived.path_for(item, DerivativeKind.PROXY, "mp4")
    before = parts()
    process = start_killable_work(data_dir, proxy)
    leftovers = parts() - before
    assert len(leftovers) == 2  # spool/<uuid>.part and derived/…/.proxy.mp4.<hex>.part

    receiving = Upload.objects.create(
        length=10, created_by=bureau.officer, expires_at=timezone.now() + timedelta(days=1)
    )
    kept_tus = spool_dir() / f"tus-{receiving.pk.hex}.part"
    kept_tus.write_bytes(b"resumable")
    orphan_tus = spool_dir() / f"tus-{uuid.uuid4().hex}.part"
    orphan_tus.write_bytes(b"no upload")

    time_machine.move_to(timezone.now() + LATER, tick=False)
    report = sweep()
    assert report.live == 2  # the running process holds both
    assert all(path.exists() for path in leftovers)
    assert report.removed == [named(orphan_tus)]
    assert kept_tus.exists()

    process.kill()  # kill -9 mid-transcode, mid-spool
    process.wait()
    assert all(path.exists() for path in leftovers)  # nothing else removes them

    # The rerun of the analysis is not disturbed by the killed transcode's part file.
    assert analyse_item(MediaItem.objects.get(pk=item.pk)) == ProbeStatus.PROXY
    assert proxy.is_file()

    report = sweep()
    assert sorted(report.removed) == sorted(named(path) for path in leftovers)
    assert report.live == 0
    assert not any(path.exists() for path in leftovers)
    assert kept_tus.exists()
    assert proxy.is_file()


def test_a_part_file_being_written_now_is_kept_even_when_old(bureau, time_machine):
    """The lock, not the age, tells live work: a stalled upload keeps its spool file."""
    target = Path(settings.FULLRECORD_DERIVED_DIR) / "ab" / ("ab" + "0" * 62) / "poster.jpg"
    target.parent.mkdir(parents=True, exist_ok=True)
    seen = {}

    def blocks():
        yield b"first"
        time_machine.move_to(timezone.now() + LATER, tick=False)
        seen["report"] = sweep()
        yield b"second"

    with replacing(target) as temp:
        temp.write_bytes(b"poster being made")
        spooled = spool_chunks(blocks())
        assert temp.exists()
    assert seen["report"].removed == []
    assert seen["report"].live == 2
    assert spooled.path.read_bytes() == b"firstsecond"
    spooled.path.unlink()


HELD_WORK_DIR = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from fullrecord.media.spool import work_dir

    with work_dir() as work:
        (work / "copy.mp4").write_bytes(b"half a watermarked copy")
        print(work, flush=True)
        sys.stdin.read()  # until killed
    """
)


def test_the_scratch_directory_of_a_killed_copy_is_removed_and_a_live_one_kept(
    bureau, time_machine, data_dir
):
    """A watermarked copy or an export works in ``spool/work-*.dir``: ``kill -9`` of the
    worker making it leaves the directory, which the sweep removes once nobody holds it."""
    process = subprocess.Popen(
        [sys.executable, "-c", HELD_WORK_DIR],
        env=dict(
            os.environ, FULLRECORD_DATA_DIR=str(data_dir), PYTHONPATH=os.pathsep.join(sys.path)
        ),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    killed = Path(process.stdout.readline().strip())
    assert (killed / "copy.mp4").is_file()

    time_machine.move_to(timezone.now() + LATER, tick=False)
    seen = {}
    from fullrecord.media.spool import work_dir

    with work_dir() as live:
        (live / "export.zip").write_bytes(b"being zipped")
        seen["report"] = sweep()  # both held: the process's and this one
        assert live.is_dir()
    assert seen["report"].live == 2 and seen["report"].removed == []
    assert killed.is_dir()

    process.kill()  # kill -9 in the middle of making the copy
    process.wait()
    report = sweep()
    assert report.removed == [f"spool/{killed.name}/"]
    assert not killed.exists()
    assert list(spool_dir().glob("work-*.dir")) == []
