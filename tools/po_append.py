"""Append to the zh-hans catalogue the entries of another .po that it lacks, and compile.

Usage: ``python tools/po_append.py NEW.po``. Entries already present (same msgid and
context) are left as they are; nothing else in the file is rewrapped or reordered, so
eight people appending at once merge without conflicts beyond the end of the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "src/fullrecord/locale/zh_Hans/LC_MESSAGES"


def main(new_path: str) -> int:
    po_path = CATALOGUE / "django.po"
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path))}
    fresh = [e for e in polib.pofile(new_path) if (e.msgctxt, e.msgid) not in known and e.msgid]
    if fresh:
        with po_path.open("a", encoding="utf-8") as out:
            for entry in fresh:
                out.write("\n" + entry.__unicode__(wrapwidth=0))
    subprocess.run(  # noqa: S603 - fixed arguments
        ["msgfmt", "-c", "-o", str(CATALOGUE / "django.mo"), str(po_path)],  # noqa: S607
        check=True,
    )
    print(f"{len(fresh)} entries appended")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
