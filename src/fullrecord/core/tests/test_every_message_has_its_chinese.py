"""Every message of the interface has its Chinese: no English fragment in zh-hans.

Two checks: the committed catalogue has no empty or fuzzy translation, and every
message the code and templates mark for translation is in the catalogue at all
(extracted by Django's ``makemessages`` from a copy of the source tree, so the
working tree is never touched).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

SOURCE = Path(__file__).resolve().parents[2]  # src/fullrecord
CATALOGUE = SOURCE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

HOW_TO_FIX = f"""
How to fix it (everyone appends to this one catalogue, so keep it additive):
  1. Write the entries with their Chinese in a scratch file, e.g. /tmp/mine.po:
         msgid "Your English message, exactly as in the code"
         msgstr "中文译文"
     (plural messages need msgid_plural and msgstr[0]; a context needs msgctxt.)
  2. Run:  .venv/bin/python tools/po_append.py /tmp/mine.po
     It appends only the entries the catalogue lacks, at the END of
     {CATALOGUE.relative_to(SOURCE.parent.parent)}, and compiles django.mo.
  3. Commit both django.po and django.mo.
  An entry that is already there with an empty msgstr or marked "#, fuzzy": write its
  Chinese in place (and remove the fuzzy flag), then run msgfmt as po_append.py does.
"""


# Apps whose author is still writing their Chinese, and why; a message found only in
# these apps is not yet counted. Each row must be removed once its app is done: the
# test fails when a row no longer excuses anything.
STILL_BEING_TRANSLATED: dict[str, str] = {}


def _only_in_pending_apps(entry: polib.POEntry) -> bool:
    apps = {path.split("/")[0] for path, _line in entry.occurrences}
    return bool(apps) and apps <= STILL_BEING_TRANSLATED.keys()


def _listing(entries: list[polib.POEntry]) -> str:
    return "\n".join(
        f"  - {e.msgid!r}" + (f" (context {e.msgctxt!r})" if e.msgctxt else "") for e in entries
    )


def _missing_chinese(entry: polib.POEntry) -> bool:
    if entry.obsolete or not entry.msgid:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or any(not v.strip() for v in entry.msgstr_plural.values())
    return not entry.msgstr.strip()


def test_the_catalogue_has_no_empty_or_fuzzy_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [e for e in catalogue if _missing_chinese(e)]
    assert not missing, (
        f"{len(missing)} message(s) of the zh-hans catalogue have no Chinese:\n"
        f"{_listing(missing)}\n{HOW_TO_FIX}"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext")
def test_every_message_of_the_code_is_in_the_catalogue(tmp_path, monkeypatch, settings):
    settings.LOCALE_PATHS = []  # makemessages writes into the copy's locale/, never the real one
    tree = tmp_path / "fullrecord"
    shutil.copytree(
        SOURCE,
        tree,
        ignore=shutil.ignore_patterns("__pycache__", "tests", "*.mo", "static"),
    )
    monkeypatch.chdir(tree)
    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)

    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    extracted = polib.pofile(str(tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert len(extracted) > 500, "makemessages extracted next to nothing: is the copy right?"
    absent = [e for e in extracted if e.msgid and (e.msgctxt, e.msgid) not in known]
    missing = [e for e in absent if not _only_in_pending_apps(e)]
    excusing = {path.split("/")[0] for e in absent for path, _line in e.occurrences}
    stale = sorted(STILL_BEING_TRANSLATED.keys() - excusing)
    assert not stale, (
        f"{stale} have every message in the catalogue now: remove them from "
        "STILL_BEING_TRANSLATED in this test."
    )
    assert not missing, (
        f"{len(missing)} message(s) marked for translation in the code are not in the "
        f"zh-hans catalogue at all:\n{_listing(missing)}\n{HOW_TO_FIX}"
    )
