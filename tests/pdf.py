"""Reading the PDFs the application renders, as a reader's tools would (poppler-utils): the text, and
whether page one renders with only Noto CJK fonts, all embedded (the no-tofu check)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdf_text(pdf: bytes, folder: Path, name: str = "document.pdf") -> str:
    path = folder / name
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(pdf: bytes, folder: Path, name: str = "fonts.pdf") -> list[str]:
    """Render page 1 (it must produce a real image) and return the font names, asserting every font is
    Noto Sans/Serif CJK JP and embedded."""
    path = folder / name
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(folder / "page")], check=True
    )
    (png,) = folder.glob("page*.png")
    assert png.stat().st_size > 2000
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    names = [row[0].split("+")[-1].replace("-", "") for row in rows]
    assert names and all(n.startswith(("NotoSansCJKJP", "NotoSerifCJKJP")) for n in names), names
    # Columns: name type encoding emb sub uni object ID — "emb" is the 5th from the end.
    assert all(row[-5] == "yes" for row in rows), fonts
    return names
