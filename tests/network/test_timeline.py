"""Dispatches and their visits appear on the company's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ouentai.community.selectors import company_timeline
from ouentai.network import services
from ouentai.network.models import Expert
from tests.clock import clock_at, days_ago_this_year
from tests.engagements.factories import EngagementFactory
from tests.network.factories import DispatchFactory

pytestmark = pytest.mark.django_db


def test_dispatch_and_visits_on_company_timeline(yokohama, sme, scheme, staff, partner, expert_user):
    yesterday = days_ago_this_year(1)
    with clock_at(yesterday):  # approved yesterday morning, visited the same day
        request = DispatchFactory.create(
            organization=yokohama,
            company=sme,
            scheme=scheme,
            theme="it",
            requested_visits=2,
            actor=staff,
            expert=Expert.objects.get(user=expert_user),
            approved_by=partner,
        )
    services.visit_log(
        request=request,
        actor=expert_user,
        visited_on=yesterday,
        starts_at=dt.time(10),
        ends_at=dt.time(12),
        summary="在庫の数え方を確認",
    )
    entries = company_timeline(sme)
    dispatch = next(e for e in entries if e.kind == "dispatch")
    assert dispatch.title == "専門家派遣「専門家派遣（中小企業119型）」（IT活用・デジタル化）"
    assert dispatch.detail == "実施中"
    visit = next(e for e in entries if e.kind == "dispatch_visit")
    assert visit.title == "専門家の訪問（専門 花子）" and visit.detail == "在庫の数え方を確認"


def test_engagement_page_lists_its_dispatches_with_visits(
    client, yokohama, sme, scheme, staff, partner, expert_user
):

    engagement = EngagementFactory.create(
        organization=yokohama,
        company=sme,
        title="在庫の見える化",
        lead=staff,
        started_on=timezone.localdate(),
        actor=staff,
    )
    request = DispatchFactory.create(
        organization=yokohama,
        company=sme,
        scheme=scheme,
        theme="it",
        requested_visits=1,
        engagement_id=engagement.pk,
        actor=staff,
        expert=Expert.objects.get(user=expert_user),
        approved_by=partner,
    )
    services.visit_log(
        request=request,
        actor=expert_user,
        visited_on=timezone.localdate(),
        starts_at=dt.time(10),
        ends_at=dt.time(12),
        summary="受注画面の操作を確認",
    )
    client.force_login(staff)
    for url in (f"/console/engagements/{engagement.pk}/", f"/console/companies/{sme.pk}/"):
        page = client.get(url).content.decode()
        assert "専門家派遣（中小企業119型）" in page and "受注画面の操作を確認" in page, url
