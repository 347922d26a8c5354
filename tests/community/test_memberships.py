import datetime as dt

import pytest
from django.urls import reverse

from ouentai.community import services
from ouentai.community.models import Application, Membership
from ouentai.community.selectors import CompanyFilters, company_list, pipeline_counts, pipeline_list
from ouentai.community.services.memberships import add_years
from ouentai.community.tasks import pipeline_remind_coordinators
from ouentai.core.errors import DomainError
from ouentai.core.models import OutgoingMail
from tests.community.factories import CompanyFactory
from tests.community.post_data import application_post_data

pytestmark = pytest.mark.django_db


def test_status_follows_allowed_paths_and_sets_joining_date(yokohama, staff):
    membership = services.membership_create(company=CompanyFactory.create(organization=yokohama), actor=staff)
    assert membership.status == "applied" and membership.joined_on is None
    membership = services.membership_set_status(membership=membership, status="active", actor=staff)
    joined = membership.joined_on
    assert joined is not None
    membership = services.membership_set_status(membership=membership, status="lapsed", actor=staff)
    with pytest.raises(DomainError) as error:
        services.membership_set_status(membership=membership, status="applied", actor=staff)
    assert error.value.code == "membership.transition"
    membership = services.membership_set_status(membership=membership, status="active", actor=staff)
    assert membership.joined_on == joined  # coming back keeps the first joining date


def test_one_membership_per_company(yokohama, staff):
    target = CompanyFactory.create(organization=yokohama)
    services.membership_create(company=target, actor=staff)
    with pytest.raises(DomainError):
        services.membership_create(company=target, actor=staff)


def test_converting_an_application_makes_an_active_member(client, yokohama, staff):
    client.post(reverse("portal:apply"), application_post_data())
    services.application_convert(application=Application.objects.get(), actor=staff)
    assert Membership.objects.get().status == "active"


def test_add_years_handles_leap_day():
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)


def test_investment_sets_next_due_and_refuses_the_future(yokohama, staff):
    membership = services.membership_create(
        company=CompanyFactory.create(organization=yokohama), status="active", actor=staff
    )
    membership = services.membership_record_investment(
        membership=membership, on=dt.date(2023, 5, 1), note="販売管理の入れ替え", cycle_years=4, actor=staff
    )
    assert membership.next_investment_due == dt.date(2027, 5, 1)
    with pytest.raises(DomainError):
        services.membership_record_investment(
            membership=membership, on=dt.date(2099, 1, 1), note="", cycle_years=4, actor=staff
        )


def test_coordinator_must_belong_to_the_organization(yokohama, staff, kawasaki_staff, coordinator):
    membership = services.membership_create(company=CompanyFactory.create(organization=yokohama), actor=staff)
    with pytest.raises(DomainError):
        services.membership_assign_coordinator(membership=membership, coordinator=kawasaki_staff, actor=staff)
    services.membership_assign_coordinator(membership=membership, coordinator=coordinator, actor=staff)
    assert [
        c.name
        for c in company_list(organization=yokohama, filters=CompanyFilters(coordinator=str(coordinator.pk)))
    ] == ["株式会社みなと精機"]


def member_due(org, name, due, coordinator=None, status="active"):
    m = services.membership_create(
        company=CompanyFactory.create(organization=org, name=name), status=status, actor=None
    )
    Membership.objects.filter(pk=m.pk).update(next_investment_due=due, coordinator=coordinator)
    return m


def test_pipeline_buckets(yokohama, kawasaki, coordinator):
    today = dt.date(2026, 11, 27)
    member_due(yokohama, "期限切れ", dt.date(2026, 10, 1), coordinator)
    member_due(yokohama, "2か月後", dt.date(2027, 1, 20))
    member_due(yokohama, "5か月後", dt.date(2027, 4, 20))
    member_due(yokohama, "11か月後", dt.date(2027, 10, 20))
    member_due(yokohama, "2年後", dt.date(2028, 11, 1))
    member_due(yokohama, "退会済み", dt.date(2026, 10, 1), status="withdrawn")
    member_due(kawasaki, "川崎の会員", dt.date(2026, 10, 1))
    buckets = pipeline_list(organization=yokohama, today=today)
    assert {k: [m.company.name for m in v] for k, v in buckets.items()} == {
        "overdue": ["期限切れ"],
        "3": ["2か月後"],
        "6": ["5か月後"],
        "12": ["11か月後"],
    }
    assert pipeline_counts(organization=yokohama, today=today) == {"overdue": 1, "soon": 1}
    assert [
        m.company.name
        for m in pipeline_list(organization=yokohama, coordinator_id=coordinator.pk, today=today)["overdue"]
    ] == ["期限切れ"]


def test_monthly_reminder_once_per_coordinator(yokohama, coordinator):
    member_due(yokohama, "期限切れ", dt.date(2020, 1, 1), coordinator)
    member_due(yokohama, "担当なし", dt.date(2020, 1, 1))
    assert pipeline_remind_coordinators() == 1
    assert pipeline_remind_coordinators() == 0  # safe to run twice
    mail = OutgoingMail.objects.get(kind="pipeline.reminder")
    assert mail.to == coordinator.email
    assert "期限切れ" in mail.body and "担当なし" not in mail.body


def test_pipeline_page_and_membership_actions(
    client, yokohama, staff, coordinator, django_assert_max_num_queries
):
    target = CompanyFactory.create(organization=yokohama)
    client.force_login(staff)
    url = reverse("community:company_detail", args=[target.pk])
    assert client.post(url, {"action": "status", "status": "active"}).status_code == 400  # not a member yet
    assert client.post(url, {"action": "join"}).status_code == 302
    assert client.post(url, {"action": "status", "status": "active"}).status_code == 302
    assert client.post(url, {"action": "coordinator", "coordinator": coordinator.pk}).status_code == 302
    response = client.post(
        url, {"action": "investment", "on": "2022-12-01", "note": "会計ソフト導入", "cycle_years": "4"}
    )
    assert response.status_code == 302
    bad = client.post(
        url, {"action": "investment", "on": "2022-12-01", "note": "残しておく文", "cycle_years": "50"}
    )
    assert bad.status_code == 400 and "残しておく文" in bad.content.decode()
    for i in range(10):
        member_due(yokohama, f"会員{i}", dt.date(2026, 12, 1), coordinator)
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("community:pipeline")).content.decode()
    assert "株式会社みなと精機" in page and "会員9" in page
