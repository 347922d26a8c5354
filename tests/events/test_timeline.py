"""Registrations link to known contacts and companies, and show on the company's timeline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ouentai.community import services as community
from ouentai.community.selectors import company_timeline
from ouentai.events import services
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(yokohama):
    company = community.company_create(
        organization=yokohama, data=community.CompanyData(name="株式会社みなと精機"), actor=None
    )
    community.contact_create(
        company=company, data=community.ContactData(name="港 一郎", email="minato@example.jp"), actor=None
    )
    return company


def test_registration_links_by_email_then_by_company_name(event, company, registration_factory, kawasaki):
    by_email = registration_factory(event, email="MINATO@example.jp", company_name="別の名前")
    assert by_email.company_id == company.pk and by_email.contact.name == "港 一郎"
    by_name = registration_factory(event, email="new@example.jp", company_name="（株）みなと精機")
    assert by_name.company_id == company.pk and by_name.contact_id is None
    stranger = registration_factory(event, email="x@example.jp", company_name="株式会社ほかの会社")
    assert stranger.company_id is None
    # Another organization's event never links to 横浜's company.
    other = make_event(kawasaki, None)
    assert registration_factory(other, email="minato@example.jp").company_id is None


def test_registration_and_attendance_on_company_timeline(event, company, registration_factory, staff, client):
    registration = registration_factory(event, email="minato@example.jp", name="港 一郎")
    session = event.sessions.first()
    services.attendance_check_in(session=session, code=registration.code, actor=staff)
    titles = [e.title for e in company_timeline(company)]
    assert any("申込" in t and event.title in t for t in titles)
    assert any("出席" in t for t in titles)
    client.force_login(staff)
    page = client.get(reverse("community:company_detail", args=[company.pk])).content.decode()
    assert f"港 一郎 さんが「{event.title}」に出席" in page


def test_timeline_queries_do_not_grow_with_events(
    yokohama, staff, company, registration_factory, django_assert_max_num_queries
):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            company_timeline(company)
        return len(queries)

    first = make_event(yokohama, staff)
    registration_factory(first, email="minato@example.jp")
    one = count()
    for _ in range(5):
        other = make_event(yokohama, staff)
        registration = registration_factory(other, email="minato@example.jp")
        services.attendance_check_in(session=other.sessions.get(), code=registration.code, actor=staff)
    assert count() == one
