"""The nomination export: staff choose published cases of their organization and download them as
.xlsx with Japanese headers and 西暦 dates; anonymized cases stay anonymized; other organizations'
cases, unpublished ones and other roles get nothing; every export is audited."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from ouentai.accounts.models import User
from ouentai.cases.choices import CaseVariant
from ouentai.cases.models import Case
from ouentai.core.models import AuditEntry
from tests.cases.factories import CaseFactory, completed_engagement, publish
from tests.community.factories import CompanyFactory

pytestmark = pytest.mark.django_db

URL = "/console/cases/nominations/"


def _public(organization: Any, variant: str = CaseVariant.NAMED, **fields: Any) -> Case:
    company = CompanyFactory.create(organization=organization, in_yokohama=True, employees=12)
    return publish(
        CaseFactory.create(engagement=completed_engagement(company=company), **fields), variant=variant
    )


def _sheet(response: Any) -> list[list[Any]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_staff_choose_and_download_their_published_cases(
    client: Client, yokohama: Any, kawasaki: Any, staff: User
) -> None:
    named = _public(yokohama, CaseVariant.NAMED, title="名前を出す事例")
    anonymous = _public(yokohama, CaseVariant.ANONYMOUS, title="匿名の事例")
    draft = CaseFactory.create(
        engagement=completed_engagement(company=CompanyFactory.create(organization=yokohama))
    )
    theirs = _public(kawasaki, title="川崎の事例")
    client.force_login(staff)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert named.title in html and anonymous.title in html
    assert draft.title not in html and theirs.title not in html

    response = client.get(URL, {"ids": f"{named.pk},{anonymous.pk},{draft.pk},{theirs.pk}"})
    assert response.status_code == 200
    assert 'attachment; filename="case-nominations-' in response["Content-Disposition"]
    rows = _sheet(response)
    header, *body = rows
    assert header[:4] == ["事例の表題", "要約", "企業名", "公開の形"]
    assert "公開日" in header and "支援の開始日" in header and "KPI（支援前→支援後）" in header
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_title) == {named.title, anonymous.title}  # the draft and Kawasaki's are left out
    assert by_title[named.title]["企業名"] == "株式会社みなと精機"
    assert by_title[named.title]["地域"] == "神奈川県横浜市中区"
    assert by_title[anonymous.title]["企業名"] == "（匿名で公開）"
    assert by_title[anonymous.title]["地域"] == "神奈川県"
    assert "みなと精機" not in str(list(by_title[anonymous.title].values()))
    published = by_title[named.title]["公開日"]
    assert isinstance(published, dt.datetime) and published.year >= 2026  # a 西暦 date cell
    assert (
        "売上高：1,000万円（2026-10-01）→ 1,170万円（2027-03-15）"
        in by_title[named.title]["KPI（支援前→支援後）"]
    )
    assert by_title[named.title]["事例のページ"] == f"http://testserver/cases/{named.public_key}/"
    entry = AuditEntry.objects.get(action="cases.nominations.exported")
    assert entry.actor_id == staff.pk and entry.details["cases"] == sorted([named.pk, anonymous.pk])


def test_no_case_chosen_or_none_of_ours_is_a_message_not_a_file(
    client: Client, yokohama: Any, kawasaki: Any, staff: User
) -> None:
    theirs = _public(kawasaki)
    client.force_login(staff)
    for ids in ("", "abc", str(theirs.pk), "９"):
        response = client.get(URL, {"ids": ids})
        assert response.status_code == 400
        assert "書き出す事例を1件以上選んでください。" in response.content.decode()
    assert not AuditEntry.objects.filter(action="cases.nominations.exported").exists()


def test_only_staff_may_export(client: Client, yokohama: Any, coordinator: User) -> None:
    case = _public(yokohama)
    assert client.get(URL, {"ids": case.pk}).status_code == 302  # to the login page
    client.force_login(coordinator)
    assert client.get(URL, {"ids": case.pk}).status_code == 403
