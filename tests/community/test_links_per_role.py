"""Defect 8 (issue 11), the console part: every link shown to a role opens for that role. A coordinator
sees only the applications and inquiries assigned to them, so the company timeline names the others
without linking to pages that would answer 404; the console home, the inbox, the company page and the
engagement page are walked link by link as a coordinator. The generated crawl of every role comes later;
these are the pages of this change."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community import services
from ouentai.community.models import Company
from ouentai.community.selectors import inbox_get, inbox_item_visible_to
from ouentai.events import services as event_services
from tests.accounts.factories import make_user
from tests.community.factories import APPLICATION, ApplicationFactory, InquiryFactory
from tests.engagements.factories import EngagementFactory
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[str]:
    """The site's own addresses linked from a page (not mail, phone or in-page anchors)."""
    links = {href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"#]*)', html)}
    return sorted(link for link in links if not link.startswith("/static/"))


def _assert_every_link_opens(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    broken = [(link, client.get(link).status_code) for link in _links(html)]
    assert [(link, status) for link, status in broken if status >= 400] == [], url
    return html


@pytest.fixture
def minato(yokohama: Organization, staff: User, coordinator: User) -> dict[str, Any]:
    """A company made from two applications (the first assigned to the coordinator, the second to
    staff) and asked one question by its contact (assigned to staff)."""
    mine = ApplicationFactory.create(organization=yokohama)
    services.inbox_assign(item=mine, assignee=coordinator, actor=staff)
    services.application_convert(application=mine, actor=staff)
    theirs = ApplicationFactory.create(
        organization=yokohama, email="sato@minato.example.jp", contact_name="佐藤 一"
    )
    services.inbox_assign(item=theirs, assignee=staff, actor=staff)
    services.application_convert(application=theirs, actor=staff)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.company_id == theirs.company_id
    question = InquiryFactory.create(organization=yokohama)
    services.inbox_assign(item=question, assignee=staff, actor=staff)
    return {"company": mine.company, "mine": mine, "theirs": theirs, "question": question}


def test_defect8_company_timeline_links_only_to_what_the_coordinator_may_open(
    client: Client, minato: dict[str, Any], coordinator: User, staff: User
) -> None:
    company: Company = minato["company"]
    mine, theirs, question = minato["mine"], minato["theirs"], minato["question"]
    url = reverse("community:company_detail", args=[company.pk])
    client.force_login(coordinator)
    html = _assert_every_link_opens(client, url)
    assert reverse("community:application_detail", args=[mine.pk]) in html
    # Staff's application and inquiry: on the timeline in words, without a link that would answer 404.
    assert theirs.reference in html and question.reference in html
    assert reverse("community:application_detail", args=[theirs.pk]) not in html
    assert reverse("community:inquiry_detail", args=[question.pk]) not in html
    client.force_login(staff)
    html = _assert_every_link_opens(client, url)
    for link in (
        reverse("community:application_detail", args=[mine.pk]),
        reverse("community:application_detail", args=[theirs.pk]),
        reverse("community:inquiry_detail", args=[question.pk]),
    ):
        assert link in html


def test_defect8_visibility_rule_is_the_detail_pages_rule(
    yokohama: Organization, kawasaki: Organization, staff: User, coordinator: User, org_admin: User
) -> None:
    """The predicate the pages link by answers exactly as the detail pages do, for every role and
    assignment (a member, a partner or an expert is never shown the console's inbox)."""
    other_coordinator = make_user(yokohama, Role.COORDINATOR, name="佐々木 次郎")
    users = [
        staff,
        org_admin,
        coordinator,
        other_coordinator,
        make_user(yokohama, Role.MEMBER),
        make_user(yokohama, Role.PARTNER),
        make_user(yokohama, Role.EXPERT),
        make_user(kawasaki, Role.STAFF),
    ]
    unassigned = ApplicationFactory.create(organization=yokohama)
    assigned = services.inbox_assign(
        item=ApplicationFactory.create(organization=yokohama, email="b@minato.example.jp"),
        assignee=coordinator,
        actor=staff,
    )
    inquiry = services.inbox_assign(
        item=InquiryFactory.create(organization=yokohama), assignee=other_coordinator, actor=staff
    )
    for user in users:
        for item in (unassigned, assigned, inquiry):
            try:
                inbox_get(type(item), user=user, pk=item.pk)
                opens = True
            except type(item).DoesNotExist:
                opens = False
            assert inbox_item_visible_to(user, item) is opens, (user.role, item.reference)
    assert inbox_item_visible_to(coordinator, assigned) and not inbox_item_visible_to(coordinator, unassigned)


def test_defect8_inbox_and_console_home_links_open_for_the_coordinator(
    client: Client, minato: dict[str, Any], coordinator: User
) -> None:
    client.force_login(coordinator)
    home = _assert_every_link_opens(client, reverse("community:home"))
    assert reverse("engagements_console:list") in home
    inbox = _assert_every_link_opens(client, reverse("community:application_list"))
    assert minato["mine"].reference in inbox and minato["theirs"].reference not in inbox
    _assert_every_link_opens(client, reverse("community:inquiry_list"))


def test_defect8_engagement_page_links_open_for_a_coordinator_who_is_not_its_lead(
    client: Client, minato: dict[str, Any], yokohama: Organization, coordinator: User, staff: User
) -> None:
    company: Company = minato["company"]
    engagement = EngagementFactory.create(
        organization=yokohama,
        company=company,
        title="受注の見える化",
        lead=staff,
        started_on=dt.date(2026, 10, 1),
        actor=staff,
    )
    # It starts in half an hour: the desk is open (nobody checks in at a session days ahead).
    event = make_event(yokohama, staff, title="DX経営者セミナー", starts_in=dt.timedelta(minutes=30))
    registration = event_services.registration_create(
        event=event,
        data=event_services.RegistrationData(
            name="田中 誠", company_name=company.name, email=APPLICATION.email
        ),
    )
    event_services.registration_link(registration=registration, company=company, contact=None, actor=staff)
    event_services.attendance_check_in(
        session=event.sessions.order_by("starts_at")[0], code=registration.code, actor=staff
    )
    client.force_login(coordinator)
    html = _assert_every_link_opens(client, reverse("engagements_console:detail", args=[engagement.pk]))
    assert "DX経営者セミナー" in html
    _assert_every_link_opens(client, reverse("community:company_detail", args=[company.pk]))
