"""`make test`: fail when a user-facing text has no English translation.

Runs Django's makemessages (GNU xgettext) on a copy of the source tree's catalogue and compares the
extracted entries with the committed English catalogue: a new or changed Japanese text that is not in
locale/en must be added with `make messages` and translated. Skipped, with a note, where xgettext is
not installed (a fresh `make run` machine needs no gettext; CI installs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", ".tools", "var", "bench", "tests", "node_modules"]


def keys(path: Path) -> set[tuple[str, str]]:
    return {(entry.msgctxt or "", entry.msgid) for entry in polib.pofile(str(path)) if not entry.obsolete}


def main() -> int:
    if shutil.which("xgettext") is None:
        print("check_messages: xgettext not installed, catalogue completeness not checked", file=sys.stderr)
        return 0
    committed = keys(CATALOGUE)
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "django.po"
        shutil.copy2(CATALOGUE, backup)
        try:
            command = [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "en",
                "--no-obsolete",
                "--no-location",
                "-v",
                "0",
            ]
            command += [f"--ignore={name}" for name in IGNORE]
            subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 - our own manage.py, fixed arguments
            extracted = keys(CATALOGUE)
        finally:
            shutil.copy2(backup, CATALOGUE)
    missing = sorted(extracted - committed)
    if missing:
        print("Texts without an English translation (run `make messages`, then translate):", file=sys.stderr)
        for context, msgid in missing[:50]:
            print(f"  {context + ' | ' if context else ''}{msgid}", file=sys.stderr)
        return 1
    print(f"check_messages: {len(extracted)} texts, all in the English catalogue")
    return 0


if __name__ == "__main__":
    sys.exit(main())
