"""Evidence is never refused: odd names and odd bytes are taken in; what cannot be read is
reported, and the run goes on."""

from __future__ import annotations

import os

from fullrecord.media.models import IngestSource, MediaItem

from .ingesttree import clip, counted, ingest

HOSTILE = [
    "\u202egpj.exe.mp4",  # right-to-left override
    "a\x07b\x1bc\tline\nbreak.mp4",  # control characters
    "-rf --all.mp4",  # looks like options
    "evil\\..\\..\\windows.mp4",  # a Windows path climbing out
    "x" * 250 + ".mp4",  # longer than any name we keep
    "录像 (1) [副本].mp4",
]


def test_hostile_names_are_taken_in_with_harmless_names(bureau, tmp_path):
    root = tmp_path / "card"
    root.mkdir()
    for n, name in enumerate(HOSTILE):
        (root / name).write_bytes(f"footage {n}".encode())
    # A name that is not UTF-8 at all (cards formatted on Chinese Windows hold GBK names).
    os.mkdir(os.fsencode(root / "gbk"))
    with open(os.path.join(os.fsencode(root / "gbk"), "录像".encode("gbk") + b".mp4"), "wb") as f:
        f.write(b"gbk named footage")
    out, error = ingest(root, "--as", "officer")
    assert error is None, out
    assert counted(out, "new") == len(HOSTILE) + 1
    for item in MediaItem.objects.all():
        name = item.original_name
        assert "/" not in name and "\n" not in name and "\u202e" not in name
        assert len(name) <= 200
        assert not any(ord(ch) < 32 for ch in name)
    names = set(MediaItem.objects.values_list("original_name", flat=True))
    assert "gpj.exe.mp4" in names
    assert "abclinebreak.mp4" in names
    assert "windows.mp4" in names
    assert "录像 (1) [副本].mp4" in names
    gbk = MediaItem.objects.get(sha256__in=_sha(b"gbk named footage"))
    assert gbk.original_name == "录像.mp4"  # GBK bytes read as GBK
    assert IngestSource.objects.filter(path__endswith="gbk/录像.mp4").exists()
    # Printing them did not break the terminal either.
    assert "\u202e" not in out and "\x1b" not in out


def _sha(data: bytes) -> list[str]:
    import hashlib

    return [hashlib.sha256(data).hexdigest()]


def test_empty_random_and_misnamed_files_are_evidence_too(bureau, tmp_path):
    root = tmp_path / "card"
    root.mkdir()
    (root / "empty.mp4").write_bytes(b"")
    (root / "random.mp4").write_bytes(os.urandom(4096))
    clip(root / "really-a-video.txt")
    (root / "lonely.json").write_text('{"device": "DSJ-A1"}')  # describes nothing: a file
    out, error = ingest(root, "--as", "officer")
    assert error is None, out
    assert counted(out, "new") == 4
    assert MediaItem.objects.filter(size=0).exists()


def test_an_unreadable_file_is_reported_and_the_others_are_taken_in(bureau, tmp_path, monkeypatch):
    root = tmp_path / "card"
    root.mkdir()
    clip(root / "a.mp4")
    (root / "b.mp4").write_bytes(b"cannot be read")
    clip(root / "c.mp4", seconds=2)
    os.symlink(root / "gone.mp4", root / "dangling.mp4")
    real_open = open

    def failing_open(path, *args, **kwargs):
        if str(path).endswith("b.mp4"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    out, error = ingest(root, "--as", "officer")
    assert error is not None and "2 file(s)" in str(error)
    assert counted(out, "new") == 2
    assert counted(out, "failed") == 2
    assert "b.mp4: cannot read: Permission denied" in out
    assert "dangling.mp4: cannot read: broken link" in out
    # The next run, with the file readable again, takes in just that one.
    monkeypatch.setattr("builtins.open", real_open)
    os.unlink(root / "dangling.mp4")
    out, error = ingest(root, "--as", "officer")
    assert error is None
    assert counted(out, "new") == 1


def test_hidden_files_outside_links_and_special_files_are_skipped(bureau, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.mp4").write_bytes(b"not part of the export")
    root = tmp_path / "card"
    (root / "DSJ-A1").mkdir(parents=True)
    clip(root / "DSJ-A1" / "a.mp4")
    (root / ".DS_Store").write_bytes(b"finder")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "x.mp4").write_bytes(b"hidden")
    (root / "Thumbs.db").write_bytes(b"thumbs")
    os.symlink(outside / "secret.mp4", root / "secret.mp4")
    os.symlink(outside, root / "elsewhere")
    os.symlink(root / "DSJ-A1", root / "loop")  # the same folder again
    os.mkfifo(root / "pipe.mp4")
    out, error = ingest(root, "--as", "officer")
    assert error is None, out
    assert counted(out, "new") == 1
    assert counted(out, "skipped") == 7
    assert "link leading out of the tree 2" in out
    assert "not a regular file 1" in out
    assert not MediaItem.objects.filter(size=len(b"not part of the export")).exists()


def test_a_single_file_can_be_ingested(bureau, tmp_path):
    path = clip(tmp_path / "DSJ-A1_C0001_20260302090000_0001.MP4")
    out, error = ingest(path, "--as", "officer")
    assert error is None, out
    item = MediaItem.objects.get()
    assert item.device_number == "DSJ-A1"
