"""The factories the tests and the benchmarks share (tests/<app>/factories.py): a record that a service
keeps is made by that service (its derived fields, its audit entry, the rules it checks), each factory
makes a consistent record on its own, and what a person types into a form is plain data that the load
generators can import without Django."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from factory.errors import UnsupportedStrategy

from ouentai.accounts.choices import Role
from ouentai.community.selectors import COMPANY_SEARCH_KIND
from ouentai.content.models import PrivacyPolicy
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.models import SearchEntry
from tests.accounts.factories import OrganizationFactory
from tests.community.factories import ApplicationFactory, CompanyFactory, MemberFactory
from tests.engagements.factories import EngagementFactory, KpiFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.network.factories import (
    DispatchFactory,
    ExpertFactory,
    PartnerFactory,
    SchemeFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


def test_a_record_a_service_keeps_is_never_built_from_its_fields() -> None:
    for factory in (CompanyFactory, EventFactory, EngagementFactory, DispatchFactory, ApplicationFactory):
        with pytest.raises(UnsupportedStrategy):
            factory.build()


def test_a_company_comes_with_what_company_create_derives_and_its_audit_entry() -> None:
    company = CompanyFactory.create(
        name="みなと精機㈱", in_yokohama=True, employees=45, capital_yen=10_000_000
    )
    assert (company.legal_form, company.legal_form_position, company.core_name) == (
        "株式会社",
        "after",
        "みなと精機",
    )
    assert company.is_sme is True and company.city_code == "14100"
    assert SearchEntry.objects.get(kind=COMPANY_SEARCH_KIND, object_id=company.pk).title.startswith(
        "ミナト精機"
    )
    assert [entry.action for entry in audit_entries_for(company)] == ["community.company.created"]


def test_a_company_the_service_refuses_is_not_made() -> None:
    first = CompanyFactory.create(corporate_number="7000012050002")
    with pytest.raises(DomainError):
        CompanyFactory.create(organization=first.organization, corporate_number="7000012050002")


def test_an_event_is_published_with_its_sessions_and_takes_registrations() -> None:
    event = EventFactory.create(capacity=1)
    sessions = list(event.sessions.order_by("starts_at"))
    assert event.is_published and len(sessions) == 2
    assert (event.starts_at, event.ends_at) == (sessions[0].starts_at, sessions[-1].ends_at)
    first, second = RegistrationFactory.create_batch(2, event=event)
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    assert first.email != second.email


def test_an_engagement_made_alone_is_led_by_a_coordinator_of_its_organization() -> None:
    kpi = KpiFactory.create(measurements=2)
    engagement = kpi.engagement
    assert engagement.lead.role == Role.COORDINATOR
    assert engagement.lead.organization_id == engagement.organization_id == engagement.company.organization_id
    assert list(engagement.phase_changes.values_list("to_phase", flat=True)) == ["strategy"]
    assert list(kpi.measurements.values_list("value", flat=True)) == [Decimal("1050"), Decimal("1110")]


def test_a_dispatch_request_follows_its_path_through_the_scheme_rules() -> None:
    draft = DispatchFactory.create()
    assert draft.status == "draft" and draft.company.is_sme
    partner = PartnerFactory.create(support_organization=draft.scheme.support_organization)
    expert = ExpertFactory.create(
        organization=draft.organization, skills=[SkillFactory.create(themes=["it"])]
    )
    approved = DispatchFactory.create(
        organization=draft.organization, company=draft.company, scheme=draft.scheme, actor=draft.created_by,
        requested_visits=1, expert=expert, approved_by=partner.user,
    )  # fmt: skip
    assert (approved.status, approved.expert) == ("approved", expert)
    actions = {entry.action for entry in audit_entries_for(approved)}
    assert {"network.request.created", "network.request.submitted", "network.request.approved"} <= actions
    # The scheme's limit (3 visits per 年度, the draft not counted) is the service's: 1 + 3 is refused.
    with pytest.raises(DomainError):
        DispatchFactory.create(
            organization=draft.organization, company=draft.company, scheme=draft.scheme, actor=draft.created_by,
            requested_visits=3, submit=True,
        )  # fmt: skip


def test_a_scheme_is_saved_by_scheme_save() -> None:
    scheme = SchemeFactory.create(report_fields=["next_steps", "summary"])
    assert scheme.report_fields == ["summary", "next_steps"]  # in the report's order
    with pytest.raises(DomainError):
        SchemeFactory.create(visits_per_year=0)


def test_people_belong_to_the_organization_of_their_records() -> None:
    member = MemberFactory.create()
    assert member.user.role == Role.MEMBER and member.user.organization_id == member.company.organization_id
    partner = PartnerFactory.create()
    assert partner.user.role == Role.PARTNER
    assert partner.user.organization_id == partner.support_organization.organization_id


def test_an_organization_has_a_current_policy_unless_told_otherwise() -> None:
    with_policy = OrganizationFactory.create(areas=[("14100", "横浜市")])
    assert PrivacyPolicy.objects.get(organization=with_policy, is_current=True).version == "1.0"
    assert list(with_policy.areas.values_list("code", flat=True)) == ["14100"]
    assert not PrivacyPolicy.objects.filter(organization=OrganizationFactory.create(policy=None)).exists()


def test_post_data_imports_no_django() -> None:
    """The load generators of `make bench` post the tests' form data from a process without Django."""
    code = (
        "import sys; import tests.community.post_data, tests.events.post_data; "
        "sys.exit(any(name.split('.')[0] in ('django', 'ouentai') for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
