"""Exports never fail on stored text and never hand a spreadsheet a formula (defect 15 of the field
trial: control characters in a name made the .xlsx exports answer 500)."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ouentai.core.exports import export_response, stream_csv, write_xlsx


def _csv_cells(rows: list[list[str]]) -> list[list[str]]:
    data = b"".join(stream_csv(rows)).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data)))


def test_control_and_bidi_characters_do_not_break_the_xlsx() -> None:
    rows = [["名前"], ["株式会社\x01テスト\x1b[31m"], ["\u202eevil.exe"], ["a" * 40_000]]
    workbook = load_workbook(write_xlsx(rows, title="企業"))
    values = [row[0] for row in workbook.active.iter_rows(values_only=True)]
    assert values[1] == "株式会社テスト[31m"
    assert values[2] == "\u202eevil.exe"
    assert len(values[3]) == 32_767


def test_full_width_formula_starts_are_escaped_in_csv() -> None:
    cells = _csv_cells([["＝1+1", "｜cmd", "|calc", "@SUM(A1)", "普通の名前"]])
    assert cells == [["'＝1+1", "'｜cmd", "'|calc", "'@SUM(A1)", "普通の名前"]]


def test_export_response_streams_csv_and_is_private() -> None:
    response = export_response([["a"], ["b"]], file_format="csv", filename_stem="x", title="t")
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).decode("utf-8-sig") == "a\r\nb\r\n"  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=50), min_size=1, max_size=5))
def test_any_stored_text_exports_to_both_formats(cells: list[str]) -> None:
    load_workbook(write_xlsx([cells], title="t"))
    assert len(_csv_cells([cells])) >= 1
