"""The rules of a dispatch scheme: visits per 年度 (the boundary is April 1), per theme, eligibility,
area, application window; and the path a request takes from draft to closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.network import selectors, services
from ouentai.network.models import DispatchRequest, Expert
from tests.clock import clock_at, days_ago_this_year
from tests.community.factories import CompanyFactory
from tests.network.factories import DispatchFactory

pytestmark = pytest.mark.django_db


def request_for(org, company, scheme, actor, *, visits=2, theme="management", on=None):
    return DispatchFactory.create(
        organization=org,
        company=company,
        scheme=scheme,
        theme=theme,
        requested_visits=visits,
        first_preferred_on=on or timezone.localdate(),
        actor=actor,
    )


def submitted(org, company, scheme, actor, **kw):
    return services.dispatch_submit(request=request_for(org, company, scheme, actor, **kw), actor=actor)


def test_three_visits_per_year_then_refused_with_what_is_left(yokohama, sme, scheme, staff):
    submitted(yokohama, sme, scheme, staff, visits=2)
    with pytest.raises(DomainError) as error:
        request_for(yokohama, sme, scheme, staff, visits=2)
    assert error.value.code == "dispatch.limit"
    assert error.value.field == "requested_visits"
    assert "令和8年度" in str(error.value.message) and "残りは1回" in str(error.value.message)
    assert submitted(yokohama, sme, scheme, staff, visits=1).status == "submitted"


def test_it_theme_has_five(yokohama, sme, scheme, staff):
    submitted(yokohama, sme, scheme, staff, visits=3, theme="it")
    submitted(yokohama, sme, scheme, staff, visits=2, theme="it")
    with pytest.raises(DomainError, match="残りは0回"):
        request_for(yokohama, sme, scheme, staff, visits=1, theme="it")
    # Five visits used: a non-IT theme (3 allowed) has nothing left either.
    with pytest.raises(DomainError):
        request_for(yokohama, sme, scheme, staff, visits=1, theme="finance")


@pytest.mark.parametrize(
    ("first", "second", "allowed"),
    [
        (dt.date(2027, 3, 31), dt.date(2027, 4, 1), True),  # 令和8年度 and 令和9年度: separate allowances
        (dt.date(2026, 4, 1), dt.date(2027, 3, 31), False),  # both in 令和8年度
        (dt.date(2026, 3, 31), dt.date(2026, 4, 1), True),  # 令和7年度 and 令和8年度
    ],
)
def test_fiscal_year_boundary_is_april_first(yokohama, sme, scheme, staff, first, second, allowed):
    submitted(yokohama, sme, scheme, staff, visits=3, on=first)
    if allowed:
        assert request_for(yokohama, sme, scheme, staff, visits=3, on=second).fiscal_year == (
            second.year if second.month >= 4 else second.year - 1
        )
    else:
        with pytest.raises(DomainError):
            request_for(yokohama, sme, scheme, staff, visits=1, on=second)


def test_rejected_and_cancelled_requests_free_their_visits(yokohama, sme, scheme, staff, partner):
    first = submitted(yokohama, sme, scheme, staff, visits=3)
    services.dispatch_reject(request=first, actor=partner, note="予算の都合")
    second = submitted(yokohama, sme, scheme, staff, visits=3)
    services.dispatch_cancel(request=second, actor=staff)
    assert submitted(yokohama, sme, scheme, staff, visits=3).status == "submitted"


def test_large_company_and_unknown_size_are_not_eligible(yokohama, scheme, staff):
    big = CompanyFactory.create(
        organization=yokohama,
        name="大手製造株式会社",
        municipality_code="14104",
        industry="E",
        employees=5000,
        capital_yen=10_000_000_000,
    )
    with pytest.raises(DomainError) as error:
        request_for(yokohama, big, scheme, staff)
    assert error.value.code == "dispatch.not_sme"
    unknown = CompanyFactory.create(organization=yokohama, name="規模不明株式会社", municipality_code="14104")
    with pytest.raises(DomainError) as error:
        request_for(yokohama, unknown, scheme, staff)
    assert error.value.code == "dispatch.sme_unknown"


def test_area_and_window(yokohama, sme, scheme, staff):
    tokyo = CompanyFactory.create(
        organization=yokohama,
        name="東京の会社株式会社",
        municipality_code="13101",
        industry="E",
        employees=10,
    )
    with pytest.raises(DomainError) as error:
        request_for(yokohama, tokyo, scheme, staff)
    assert error.value.code == "dispatch.area"
    today = timezone.localdate()
    scheme.opens_on = today + dt.timedelta(days=1)
    scheme.save()
    with pytest.raises(DomainError, match="からです"):
        request_for(yokohama, sme, scheme, staff)
    scheme.opens_on, scheme.closes_on = None, today - dt.timedelta(days=1)
    scheme.save()
    with pytest.raises(DomainError, match="終了しました"):
        request_for(yokohama, sme, scheme, staff)


def test_whole_path_is_audited_and_refuses_shortcuts(
    yokohama, sme, scheme, staff, partner, expert_user, member_of
):
    member = member_of(sme)
    day = days_ago_this_year(3)
    with clock_at(day):  # filed and approved three days ago, visited since
        request = request_for(yokohama, sme, scheme, staff, visits=2, theme="it")
        with pytest.raises(DomainError):  # not submitted yet
            services.dispatch_approve(request=request, actor=partner)
        services.dispatch_submit(request=request, actor=staff)
        with pytest.raises(DomainError) as error:  # staff are not the support organization
            services.dispatch_approve(request=request, actor=staff)
        assert error.value.code == "dispatch.not_partner"
        services.dispatch_assign_expert(
            request=request, expert=Expert.objects.get(user=expert_user), actor=staff
        )
        services.dispatch_approve(request=request, actor=partner, note="承認します")
    for start in (dt.time(10), dt.time(14)):
        services.visit_log(
            request=request, actor=expert_user, visited_on=day, starts_at=start,
            ends_at=dt.time(start.hour + 2), summary="受注の流れを確認",
        )  # fmt: skip
    with pytest.raises(DomainError) as error:
        services.visit_log(
            request=request,
            actor=expert_user,
            visited_on=day,
            starts_at=dt.time(17),
            ends_at=dt.time(18),
            summary="追加",
        )
    assert error.value.code == "visit.limit"
    with pytest.raises(DomainError) as error:
        services.report_submit(request=request, actor=expert_user, fields={"summary": "概要"})
    assert error.value.field == "advice"
    services.report_submit(
        request=request,
        actor=expert_user,
        fields={"summary": "概要", "advice": "助言", "next_steps": "次の一歩"},
    )
    with pytest.raises(DomainError):
        services.dispatch_confirm(request=request, actor=partner, rating=5)
    services.dispatch_confirm(request=request, actor=member, rating=5, comment="助かりました")
    services.dispatch_close(request=request, actor=staff)
    request.refresh_from_db()
    assert request.status == "closed" and request.rating == 5
    actions = [e.action for e in reversed(list(audit_entries_for(request)))]
    assert actions == [
        "network.request.created",
        "network.request.submitted",
        "network.request.expert_assigned",
        "network.request.approved",
        "network.request.updated",
        "network.visit.logged",
        "network.visit.logged",
        "network.report.submitted",
        "network.request.confirmed",
        "network.request.closed",
    ]


def test_only_the_assigned_expert_logs_visits(yokohama, sme, scheme, staff, partner, expert_user):
    request = submitted(yokohama, sme, scheme, staff, visits=1)
    services.dispatch_approve(request=request, actor=partner)
    with pytest.raises(DomainError) as error:
        services.visit_log(
            request=request, actor=expert_user, visited_on=timezone.localdate(), starts_at=dt.time(10),
            ends_at=dt.time(12), summary="訪問",
        )  # fmt: skip
    assert error.value.code == "dispatch.not_expert"
    assert DispatchRequest.objects.get(pk=request.pk).status == "approved"


@pytest.mark.parametrize("order", [("management", "it"), ("it", "management")])
def test_per_theme_allowance_does_not_depend_on_order(yokohama, sme, scheme, staff, order):
    """3 a year, 5 with IT among the themes: management 3 + IT 2 pass in either order."""
    first, second = order
    submitted(yokohama, sme, scheme, staff, visits=3 if first == "management" else 2, theme=first)
    submitted(yokohama, sme, scheme, staff, visits=3 if second == "management" else 2, theme=second)
    with pytest.raises(DomainError):
        request_for(yokohama, sme, scheme, staff, visits=1, theme="it")


def test_visits_must_fall_in_the_requests_fiscal_year(yokohama, sme, scheme, staff, partner, expert_user):
    next_year = dt.date(timezone.localdate().year + 1, 4, 2)
    request = request_for(yokohama, sme, scheme, staff, visits=1, on=next_year)
    services.dispatch_assign_expert(request=request, expert=Expert.objects.get(user=expert_user), actor=staff)
    services.dispatch_submit(request=request, actor=staff)
    services.dispatch_approve(request=request, actor=partner)
    with pytest.raises(DomainError) as error:
        services.visit_log(
            request=request, actor=expert_user, visited_on=timezone.localdate(), starts_at=dt.time(10),
            ends_at=dt.time(12), summary="前倒しの訪問",
        )  # fmt: skip
    assert error.value.code == "visit.fiscal_year"


def test_fee_counts_at_most_the_schemes_hours_per_visit_and_rounds_once(
    yokohama, sme, scheme, staff, partner, expert_user
):
    from ouentai.core.calendar import fiscal_year

    request = request_for(yokohama, sme, scheme, staff, visits=5, theme="it")
    services.dispatch_assign_expert(request=request, expert=Expert.objects.get(user=expert_user), actor=staff)
    services.dispatch_submit(request=request, actor=staff)
    services.dispatch_approve(request=request, actor=partner)
    today = timezone.localdate()
    # One long visit (8 hours, capped at the scheme's 2) and four of 1h15.
    visits = [(dt.time(10), dt.time(18))] + [(dt.time(h), dt.time(h + 1, 15)) for h in (8, 10, 13, 15)]
    for start, end in visits:
        services.visit_log(
            request=request, actor=expert_user, visited_on=today, starts_at=start, ends_at=end, summary="訪問"
        )
    (row,) = selectors.dispatch_totals(
        organization_id=yokohama.pk, fiscal_year=fiscal_year(request.first_preferred_on)
    )
    assert row.visits == 5
    assert row.minutes == 120 + 4 * 75
    assert str(row.hours) == "7.0"
    assert row.fee == 70_000 and row.covered_fee == 70_000
