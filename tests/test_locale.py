"""Translation catalogs: Russian is the first language, so every string must be translated."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
RU_PO = Path("locale") / "ru" / "LC_MESSAGES" / "django.po"


def untranslated(po_path: Path) -> list[str]:
    """msgids of a catalog with an empty (or partly empty plural) or fuzzy translation."""
    missing = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            empty = not entry.msgstr_plural or not all(entry.msgstr_plural.values())
        else:
            empty = not entry.msgstr
        if empty or entry.fuzzy:
            missing.append(entry.msgid)
    return missing


def test_russian_catalog_translates_every_string():
    catalogs = sorted((LOCALE / "ru" / "LC_MESSAGES").glob("*.po"))
    assert LOCALE / "ru" / "LC_MESSAGES" / "django.po" in catalogs, "run makemessages -l ru"
    problems = {po.name: untranslated(po) for po in catalogs}
    problems = {name: ids for name, ids in problems.items() if ids}
    report = "\n".join(f"{name}: {msgid!r}" for name, ids in problems.items() for msgid in ids)
    assert not problems, f"untranslated or fuzzy Russian strings:\n{report}"


def test_english_catalog_exists():
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.po").is_file(), "run makemessages -l en"


def test_checker_lists_empty_fuzzy_and_partial_plural_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
"n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "Open"
msgstr "Открыта"

msgid "Claimed"
msgstr ""

#, fuzzy
msgid "Delivered"
msgstr "Доставлена"

msgid "%(count)d task"
msgid_plural "%(count)d tasks"
msgstr[0] "%(count)d задача"
msgstr[1] "%(count)d задачи"
msgstr[2] ""

msgid "%(count)d block"
msgid_plural "%(count)d blocks"
msgstr[0] "%(count)d дом"
msgstr[1] "%(count)d дома"
msgstr[2] "%(count)d домов"

#~ msgid "Old string"
#~ msgstr ""
""",
        encoding="utf-8",
    )
    assert untranslated(po) == ["Claimed", "Delivered", "%(count)d task"]


def test_catalog_holds_every_string_of_the_code(tmp_path):
    """A string added to the code but never extracted would show in English to everyone:
    extract afresh from a copy of the sources and compare with the committed catalog."""
    root = LOCALE.parent
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "build", "tests", "bench", "*.mo", "__pycache__"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ru", "--no-location", "-v", "0"],
        cwd=copy,
        env={**os.environ, "DEBUG": "1"},
        check=True,
    )
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / RU_PO)) if not e.obsolete}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(root / RU_PO)) if not e.obsolete}
    missing = sorted(msgid for _ctx, msgid in extracted - committed)
    assert not missing, f"run makemessages -l ru and translate: {missing}"
