"""Each indicator's counting rule at its edges: the 年度 boundary in Japan time (31 March 23:59 and
1 April 00:01), withdrawn cases, cancelled registrations, the same person or company counted once per
year, merged companies, and never another organization's records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization
from ouentai.cases.services.workflow import case_withdraw
from ouentai.community.models import Company
from ouentai.community.services import company_merge
from ouentai.engagements import services as engagement_services
from ouentai.engagements.choices import EngagementStatus
from ouentai.engagements.models import DiagnosisResult, Questionnaire
from ouentai.events import services as event_services
from ouentai.outcomes.indicators import RULES, counted
from ouentai.outcomes.selectors import outcomes_for
from tests.accounts.factories import OrganizationFactory, make_user
from tests.cases.factories import CaseFactory, completed_engagement, publish
from tests.clock import clock_at
from tests.community.factories import CompanyFactory
from tests.engagements.factories import EngagementFactory
from tests.events.factories import RegistrationFactory, make_event

pytestmark = pytest.mark.django_db

LAST_MINUTE = timezone.make_aware(dt.datetime(2027, 3, 31, 23, 59))
FIRST_MINUTE = timezone.make_aware(dt.datetime(2027, 4, 1, 0, 1))


def _counts(key: str, organization: Organization, year: int) -> int:
    first, last = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    return len(counted(RULES[key], organization.pk, first, last))


def test_engagements_started_and_completed_fall_in_the_year_of_their_day() -> None:
    organization = OrganizationFactory.create()
    before = EngagementFactory.create(organization=organization, started_on=dt.date(2027, 3, 31))
    after = EngagementFactory.create(organization=organization, started_on=dt.date(2027, 4, 1))
    with clock_at(LAST_MINUTE):
        engagement_services.engagement_set_status(
            engagement=before, status=EngagementStatus.COMPLETED, actor=before.lead
        )
    with clock_at(FIRST_MINUTE):
        engagement_services.engagement_set_status(
            engagement=after, status=EngagementStatus.COMPLETED, actor=after.lead
        )
    assert (
        _counts("engagements_started", organization, 2026),
        _counts("engagements_started", organization, 2027),
    ) == (1, 1)
    assert (
        _counts("engagements_completed", organization, 2026),
        _counts("engagements_completed", organization, 2027),
    ) == (1, 1)
    # Reopened in the new year: no longer a completion of the old one.
    with clock_at(FIRST_MINUTE):
        engagement_services.engagement_set_status(
            engagement=before, status=EngagementStatus.ACTIVE, actor=before.lead
        )
    assert _counts("engagements_completed", organization, 2026) == 0
    # Another organization's engagement is never counted.
    EngagementFactory.create(started_on=dt.date(2027, 3, 31))
    assert _counts("engagements_started", organization, 2026) == 1


def test_a_withdrawn_case_no_longer_counts_as_published() -> None:
    organization = OrganizationFactory.create()
    with clock_at(LAST_MINUTE):
        kept = publish(CaseFactory.create(engagement=completed_engagement(organization=organization)))
    with clock_at(FIRST_MINUTE):
        withdrawn = publish(CaseFactory.create(engagement=completed_engagement(organization=organization)))
    assert (
        _counts("cases_published", organization, 2026),
        _counts("cases_published", organization, 2027),
    ) == (1, 1)
    case_withdraw(case=withdrawn, actor=make_user(organization, Role.STAFF), reason="企業の申し出")
    assert (
        _counts("cases_published", organization, 2026),
        _counts("cases_published", organization, 2027),
    ) == (1, 0)
    assert (
        kept.pk
        == counted(RULES["cases_published"], organization.pk, dt.date(2026, 4, 1), dt.date(2027, 3, 31))[0][1]
    )


def test_attendees_count_once_per_year_and_never_for_a_cancelled_registration() -> None:
    organization = OrganizationFactory.create()
    staff = make_user(organization, Role.STAFF)
    with clock_at(dt.date(2027, 3, 20)):
        event = make_event(
            organization, staff, kind="kickoff", capacity=10, sessions=2, starts_in=dt.timedelta(days=4)
        )
        same = RegistrationFactory.create(event=event, email="tanaka@example.jp")
        other = RegistrationFactory.create(event=event, email="suzuki@example.jp")
        cancelled = RegistrationFactory.create(event=event, email="sato@example.jp")
        training = make_event(
            organization, staff, kind="training", capacity=10, sessions=1, starts_in=dt.timedelta(days=4)
        )
        trainee = RegistrationFactory.create(event=training, email="tanaka@example.jp")
    first, second = list(event.sessions.order_by("starts_at"))
    with clock_at(timezone.make_aware(dt.datetime(2027, 3, 24, 14))):
        for registration in (same, cancelled):
            event_services.attendance_set(registration=registration, session=first, present=True, actor=staff)
        event_services.attendance_set(
            registration=trainee, session=training.sessions.get(), present=True, actor=staff
        )
    with clock_at(timezone.make_aware(dt.datetime(2027, 3, 31, 14))):
        for registration in (same, other):
            event_services.attendance_set(
                registration=registration, session=second, present=True, actor=staff
            )
        event_services.registration_cancel(registration=cancelled, actor=staff)
    # 田中 came twice and counts once; 佐藤 cancelled; 鈴木 once. The training is its own indicator.
    assert _counts("seminar_attendees", organization, 2026) == 2
    assert _counts("training_attendees", organization, 2026) == 1
    # The same person in the next year counts again there.
    assert _counts("seminar_attendees", organization, 2027) == 0


def test_diagnosis_takers_and_stage_rises_count_companies_once_and_follow_a_merge() -> None:
    organization = OrganizationFactory.create()
    staff = make_user(organization, Role.STAFF)
    questionnaire = Questionnaire.objects.create(organization=organization, title="IT経営力診断")
    first = CompanyFactory.create(organization=organization, name="株式会社みなと精機")
    twin = CompanyFactory.create(organization=organization, name="みなと精機株式会社")

    def diagnose(company: Company, stage: int, moment: dt.datetime) -> None:
        result = DiagnosisResult.objects.create(
            organization=organization,
            questionnaire=questionnaire,
            company=company,
            stage=stage,
            score=Decimal(stage),
        )
        DiagnosisResult.objects.filter(pk=result.pk).update(created_at=moment)

    diagnose(first, 1, timezone.make_aware(dt.datetime(2026, 5, 1, 10)))
    diagnose(first, 2, timezone.make_aware(dt.datetime(2026, 9, 1, 10)))
    diagnose(twin, 1, timezone.make_aware(dt.datetime(2026, 10, 1, 10)))
    diagnose(twin, 1, FIRST_MINUTE)
    assert _counts("diagnosis_takers", organization, 2026) == 2
    assert _counts("stage_rose", organization, 2026) == 1
    assert _counts("diagnosis_takers", organization, 2027) == 1
    company_merge(keep=first, remove=twin, actor=staff)
    # One company now: diagnosed in 2026 (counted once) and in 2027; the 2027 result (stage 1 after 2)
    # is no rise.
    assert _counts("diagnosis_takers", organization, 2026) == 1
    assert _counts("diagnosis_takers", organization, 2027) == 1
    assert _counts("stage_rose", organization, 2026) == 1
    assert _counts("stage_rose", organization, 2027) == 0


def test_year_view_compares_with_the_same_day_last_year_and_moves_with_the_clock() -> None:
    organization = OrganizationFactory.create()
    for day in (dt.date(2025, 4, 10), dt.date(2025, 6, 1), dt.date(2026, 4, 2), dt.date(2027, 3, 31)):
        EngagementFactory.create(organization=organization, started_on=day)

    def started(today: dt.date, year: int) -> tuple[Decimal, Decimal]:
        view = outcomes_for(organization=organization, year=year, today=today)
        outcome = next(o for o in view.outcomes if o.indicator.key == "engagements_started")
        return outcome.actual, outcome.last_year_same_period

    assert started(dt.date(2026, 5, 1), 2026) == (1, 1)  # last year to 2025-05-01: the April one
    assert started(dt.date(2027, 3, 31), 2026) == (2, 2)
    assert started(dt.date(2027, 4, 1), 2026) == (2, 2)  # the year is over: counted in full
    assert started(dt.date(2027, 4, 1), 2027) == (0, 0)  # last year to 2026-04-01
    assert started(dt.date(2027, 4, 2), 2027) == (0, 1)
    assert started(dt.date(2026, 3, 31), 2026) == (0, 2)  # not begun yet
