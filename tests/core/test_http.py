"""Shared HTTP helpers: ids from requests, private responses, PDF responses, kept filters."""

from __future__ import annotations

import pytest
from django.http import HttpResponse, QueryDict

from ouentai.core.http import MAX_ID, int_param, pdf_response, private, query_without


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("12", 12),
        ("0", 0),
        (None, 0),
        ("", 0),
        ("１２", 0),  # full-width digits are not an id
        ("²", 0),  # isdigit() is True, int() would fail
        ("-1", 0),
        ("1e3", 0),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), 0),  # beyond bigint: no record, never a database error
        ("9" * 40, 0),
    ],
)
def test_int_param(value: str | None, number: int) -> None:
    assert int_param(value) == number


def test_private_response_is_neither_cached_nor_indexed() -> None:
    response = private(HttpResponse("x"))
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_pdf_response_names_the_file_in_ascii_and_utf8() -> None:
    response = pdf_response(b"%PDF-1.7", "計画書-3.pdf")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('inline; filename="')
    assert "filename*=UTF-8''%E8%A8%88" in disposition
    assert "no-store" in response["Cache-Control"]
    plain = pdf_response(b"%PDF-1.7", "report-1.pdf")
    assert plain["Content-Disposition"] == 'inline; filename="report-1.pdf"'


def test_query_without_keeps_the_other_filters() -> None:
    query = QueryDict("q=会計&page=3&status=open")
    assert QueryDict(query_without(query, "page")).dict() == {"q": "会計", "status": "open"}
