"""Every record page that shows the audit trail shows it in words (issue 11, defect 6): no action code,
no field name, no id, no raw dict. One test per page type; each failed on the old partial, which
printed the action code under its label."""

from __future__ import annotations

import itertools
import re
from html import unescape

import pytest
from django.urls import reverse

from ouentai.community import services as community
from ouentai.community.models import Company
from ouentai.content.services import faq_entry_create, faq_entry_move
from ouentai.core.audit import audit_record
from ouentai.events import services as event_services
from tests.community.factories import (
    APPLICATION,
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    InquiryFactory,
)
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

ACTION_CODE = re.compile(r"\b(community|content|engagements|events|network)\.[a-z_]+\.[a-z_]+\b")
RAW_KEY = re.compile(r"\b[a-z]+_(id|name|created|moved|folded|fields|code|kana)\b")


def audit_section(html: str) -> str:
    start = html.index('id="audit-heading"')
    return unescape(html[start : html.index("</section>", start)])


def assert_in_words(html: str, *expected: str) -> None:
    """The page's audit trail has every expected text, and no action code, key name or dict."""
    section = audit_section(html)
    assert not ACTION_CODE.search(section), ACTION_CODE.search(section)
    assert not RAW_KEY.search(section), RAW_KEY.search(section)
    assert "{'" not in section and "': " not in section
    for text in expected:
        assert text in section, (text, section)


def test_application_page(client, yokohama, staff, org_admin):
    application = ApplicationFactory.create(organization=yokohama)
    community.inbox_assign(item=application, assignee=org_admin, actor=staff)
    community.inbox_assign(item=application, assignee=staff, actor=staff)
    community.inbox_log_contact(item=application, channel="phone", note="日程を調整", actor=staff)
    community.application_convert(application=application, actor=staff)
    client.force_login(staff)
    html = client.get(reverse("community:application_detail", args=[application.pk])).content.decode()
    assert_in_words(
        html,
        "申込を受付",
        "担当者を割り当て",
        "担当者：山田 花子",
        "前の担当者：横浜 管理者",
        "方法：電話",
        "会員企業として登録",
        f"企業：{APPLICATION.company_name}",
        "担当者：田中 誠",
        "企業を新規に登録：はい",
    )


def test_inquiry_page(client, yokohama, staff):
    inquiry = InquiryFactory.create(
        organization=yokohama, name="中村 直樹", company_name="", email="nakamura@example.jp", subject="費用",
        message="費用は？",
    )  # fmt: skip
    community.inbox_log_contact(item=inquiry, channel="visit", note="説明した", actor=staff)
    community.inquiry_to_faq(
        inquiry=inquiry, question="費用は？", answer="無料です", publish=False, actor=staff
    )
    client.force_login(staff)
    html = client.get(reverse("community:inquiry_detail", args=[inquiry.pk])).content.decode()
    assert_in_words(html, "お問い合わせを受付", "方法：訪問", "Q&Aを作成", "Q&A：費用は？")


def test_company_page_with_a_merge(client, yokohama, staff):
    def make(name: str) -> Company:
        return CompanyFactory.create(organization=yokohama, name=name, actor=staff)

    keep = make("株式会社ミナト精機")
    remove = CompanyFactory.create(
        organization=yokohama,
        name="（株）ミナト精機",
        postal_code="2310023",
        phone="+81452011234",
        industry="E",
        employees=45,
        actor=staff,
    )
    community.company_update(
        company=keep, data=community.CompanyData(name="株式会社ミナト精機", employees=50), actor=staff
    )
    community.company_merge(keep=keep, remove=remove, actor=staff)
    client.force_login(staff)
    html = client.get(reverse("community:company_detail", args=[keep.pk])).content.decode()
    assert_in_words(
        html,
        "重複する企業を統合",
        "統合した企業：（株）ミナト精機",
        "郵便番号：〒231-0023",
        "電話番号：045-201-1234",
        "業種：E 製造業",
        "空欄を埋めた項目：",
        "変更した項目：従業員数",
    )


def test_company_page_query_count_does_not_grow_with_the_trail(
    client, yokohama, staff, org_admin, django_assert_max_num_queries
):
    company = CompanyFactory.create(organization=yokohama, name="株式会社港", actor=staff)
    client.force_login(staff)
    url = reverse("community:company_detail", args=[company.pk])
    client.get(url)

    numbers = itertools.count()

    def add_entries(n: int) -> None:
        for _ in range(n):
            i = next(numbers)
            contact = ContactFactory.create(
                company=company, name=f"担当 {i}", email=f"p{i}@example.jp", actor=staff
            )
            audit_record(
                actor=staff,
                action="community.membership.status_changed",
                target=company,
                details={
                    "from": "applied",
                    "to": "active",
                    "company_id": company.pk,
                    "contact_id": contact.pk,
                },
            )

    add_entries(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_entries(8)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert "担当者：担当 8" in audit_section(response.content.decode())


def test_faq_page(client, yokohama, staff):
    entry = faq_entry_create(
        organization=yokohama, question="費用は？", answer="無料", is_published=True, actor=staff
    )
    faq_entry_create(
        organization=yokohama, question="対象は？", answer="中小企業", is_published=True, actor=staff
    )
    faq_entry_move(entry=entry, direction=1, actor=staff)
    client.force_login(staff)
    html = client.get(reverse("content:faq_edit", args=[entry.pk])).content.decode()
    assert_in_words(html, "Q&Aを追加", "質問：費用は？", "Q&Aを並べ替え", "移動：下へ")


def test_event_and_registration_pages(client, yokohama, staff):
    event = make_event(yokohama, staff)
    registration = event_services.registration_create(
        event=event,
        data=event_services.RegistrationData(
            name="田中 誠", name_kana="", company_name="", email="tanaka@example.jp", phone="", answers={}
        ),
        actor=staff,
        source="console",
    )
    client.force_login(staff)
    html = client.get(f"/console/events/{event.pk}/").content.decode()
    assert_in_words(html, "イベントを作成", "イベントを更新", "開催回：2件追加")
    html = client.get(f"/console/events/{event.pk}/registrations/{registration.pk}/").content.decode()
    assert_in_words(html, "参加を確定", f"イベント：{event.title}")
