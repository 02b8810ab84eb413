"""Compile the project's .po catalogs to .mo files.

`manage.py compilemessages` needs GNU gettext's msgfmt, which a newcomer's laptop (macOS,
Windows) often lacks. The Makefile uses msgfmt when it is there and this script otherwise, so
`make demo` shows the Russian interface everywhere.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def compile_all(locale_dir: Path) -> int:
    count = 0
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        catalog = polib.pofile(str(po_path))
        catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    return count


if __name__ == "__main__":
    compiled = compile_all(ROOT / "locale")
    sys.stdout.write(f"compiled {compiled} catalog(s) with polib\n")
