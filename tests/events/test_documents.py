"""The PDFs made after an event: the certificate of completion (and its rule) and the reception desk's
name list. Text is checked with pdftotext and fonts with pdffonts: without a Japanese font WeasyPrint
draws boxes and raises nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ouentai.accounts.models import Organization, User
from ouentai.events import reports, services
from ouentai.events.models import Event, Registration
from tests.accounts.factories import PASSWORD
from tests.events.factories import make_event
from tests.pdf import pdf_fonts, pdf_text

Factory = Callable[..., Registration]


@pytest.fixture
def three_sessions(yokohama: Organization, staff: User) -> Event:
    return make_event(yokohama, staff, sessions=3, required_sessions=2, title="IT経営実践講座 2026")


def _attend(event: Event, registration: Registration, count: int, staff: User, clock: Any) -> None:
    """Check the person in at the door of the first ``count`` sessions, and leave the clock an hour
    after the last of them ended."""
    for session in list(event.sessions.order_by("starts_at"))[:count]:
        clock.move_to(session.starts_at - dt.timedelta(minutes=5))
        services.attendance_check_in(session=session, code=registration.code, actor=staff)
        clock.move_to(session.ends_at + dt.timedelta(hours=1))


def _login(client: Client, user: User) -> None:
    assert client.login(email=user.email, password=PASSWORD)


def test_certificate_rule_two_of_three(
    client: Client, three_sessions: Event, staff: User, registration_factory: Factory, time_machine: Any
) -> None:
    registration = registration_factory(three_sessions, name="修了 花子", company_name="株式会社みらい")
    console_url = reverse("events_console:certificate", args=[three_sessions.pk, registration.pk])
    public_url = reverse("events:certificate", args=[registration.token])
    _login(client, staff)

    _attend(three_sessions, registration, 1, staff, time_machine)
    assert not reports.certificate_data(registration).eligible
    assert client.get(console_url).status_code == 404
    refusal = client.get(public_url)
    assert refusal.status_code == 404
    assert "3回のうち2回以上" in refusal.content.decode()

    _attend(three_sessions, registration, 2, staff, time_machine)
    assert reports.certificate_data(registration).eligible
    _login(client, staff)  # two weeks later: the first login has expired
    assert client.get(console_url).status_code == 200
    response = client.get(public_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]


def test_certificate_pdf_text_and_embedded_noto_fonts(
    client: Client,
    three_sessions: Event,
    staff: User,
    registration_factory: Factory,
    tmp_path: Path,
    time_machine: Any,
) -> None:
    registration = registration_factory(three_sessions, name="修了 花子", company_name="株式会社みらい")
    _attend(three_sessions, registration, 2, staff, time_machine)
    _login(client, staff)
    response = client.get(reverse("events_console:certificate", args=[three_sessions.pk, registration.pk]))
    pdf = response.content
    assert pdf.startswith(b"%PDF")

    text = pdf_text(pdf, tmp_path)
    for expected in (
        "修了証",
        "修了 花子",
        "IT経営実践講座 2026",
        "株式会社みらい",
        "ITコーディネータ横浜",
        "令和",
    ):
        assert expected in text, expected
    assert f"{three_sessions.pk}-{registration.code}" in text

    # Page 1 renders, and every font in it is Noto CJK and embedded (no tofu, no substitution).
    names = pdf_fonts(pdf, tmp_path, "certificate.pdf")
    assert any(name.startswith("NotoSerifCJKJP") for name in names)  # the Mincho face for the name


def test_name_list_has_confirmed_people_only(
    client: Client, event: Event, staff: User, registration_factory: Factory, tmp_path: Path
) -> None:
    kept = [
        registration_factory(event, name="受付 一郎", name_kana="ウケツケ イチロウ"),
        registration_factory(event, name="安藤 二郎", name_kana="アンドウ ジロウ"),
    ]
    gone = registration_factory(event, name="取消 三郎", name_kana="トリケシ サブロウ")
    services.registration_cancel(registration=gone, actor=staff)
    _login(client, staff)
    response = client.get(reverse("events_console:namelist", args=[event.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    for registration in kept:
        assert registration.name in text
        assert registration.code in text
    assert "取消 三郎" not in text
    assert text.index("安藤 二郎") < text.index("受付 一郎")  # sorted by フリガナ
    assert re.search(r"\b1\s*/\s*1\b", text)
    assert "ITコーディネータ横浜" in text
    assert "□" in text
