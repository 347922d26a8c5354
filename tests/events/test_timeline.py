"""Registrations link to known contacts and companies, and show on the company's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ouentai.community.selectors import company_timeline
from ouentai.events import services
from tests.community.factories import CompanyFactory, ContactFactory
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(yokohama):
    company = CompanyFactory.create(organization=yokohama, name="株式会社みなと精機", phone="+81452011234")
    ContactFactory.create(company=company, name="港 一郎", email="minato@example.jp")
    return company


def test_registration_links_by_email_then_by_company_name_and_phone(
    event, company, registration_factory, kawasaki, run_queued_tasks
):
    """The one "same company" rule (community.dedup.same_company): a known contact's address, or the
    name together with the phone number; a name alone could be another firm with the same trade name."""
    by_email = registration_factory(event, email="MINATO@example.jp", company_name="別の名前")
    by_name = registration_factory(
        event, email="new@example.jp", company_name="（株）みなと精機", phone="+81452011234"
    )
    same_name_only = registration_factory(event, email="other@example.jp", company_name="みなと精機㈱")
    stranger = registration_factory(event, email="x@example.jp", company_name="株式会社ほかの会社")
    # Another organization's event never links to 横浜's company.
    other = registration_factory(make_event(kawasaki, None), email="minato@example.jp")
    # Linking runs in the worker, after the person has their answer.
    run_queued_tasks()
    for registration in (by_email, by_name, same_name_only, stranger, other):
        registration.refresh_from_db()
    assert by_email.company_id == company.pk and by_email.contact.name == "港 一郎"
    assert by_name.company_id == company.pk and by_name.contact_id is None
    assert same_name_only.company_id is None and same_name_only.contact_id is None
    assert stranger.company_id is None
    assert other.company_id is None


def test_registration_and_attendance_on_company_timeline(
    event, company, registration_factory, staff, client, run_queued_tasks, time_machine
):
    registration = registration_factory(event, email="minato@example.jp", name="港 一郎")
    run_queued_tasks()
    session = event.sessions.first()
    time_machine.move_to(session.starts_at)
    services.attendance_check_in(session=session, code=registration.code, actor=staff)
    titles = [e.title for e in company_timeline(company)]
    assert any("申込" in t and event.title in t for t in titles)
    assert any("出席" in t for t in titles)
    client.force_login(staff)
    page = client.get(reverse("community:company_detail", args=[company.pk])).content.decode()
    assert f"港 一郎 さんが「{event.title}」に出席" in page


def test_timeline_queries_do_not_grow_with_events(
    yokohama, staff, company, registration_factory, run_queued_tasks, time_machine
):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            company_timeline(company)
        return len(queries)

    first = make_event(yokohama, staff)
    registration_factory(first, email="minato@example.jp")
    run_queued_tasks()
    one = count()
    for _ in range(5):
        # Each starts in half an hour: registration is open and the desk too.
        other = make_event(yokohama, staff, starts_in=dt.timedelta(minutes=30))
        registration = registration_factory(other, email="minato@example.jp")
        services.attendance_check_in(
            session=other.sessions.order_by("starts_at")[0], code=registration.code, actor=staff
        )
    run_queued_tasks()
    assert len([e for e in company_timeline(company) if e.kind.startswith("event_")]) == 11
    assert count() == one
