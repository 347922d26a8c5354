"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib, so that a fresh machine needs no GNU gettext
(Django's compilemessages calls msgfmt). Writes only catalogues whose .po is newer than the .mo."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    compiled = 0
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        if catalogue.fuzzy_entries():
            print(f"{po_path}: fuzzy entries are left out of the compiled catalogue", file=sys.stderr)
        catalogue.save_as_mofile(str(mo_path))
        compiled += 1
    print(f"compiled {compiled} catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
