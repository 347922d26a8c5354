"""The demo success cases (`manage.py demo_data`): made the real way from completed engagements, public
ones in the library and its search, every workflow state shown, dates spread like a real library's, and
nothing duplicated when the command runs again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from ouentai.cases.choices import CaseStatus, CaseVariant, ConsentMethod
from ouentai.cases.demo_texts import CASES
from ouentai.cases.models import Case, CaseConsent, CaseKpi
from ouentai.cases.selectors.public import CASE_SEARCH_KIND, public_cases
from ouentai.community.models import Company
from ouentai.core.models import SearchEntry
from ouentai.core.search import search_filter
from ouentai.engagements.choices import EngagementStatus
from ouentai.engagements.models import Engagement, KpiMeasurement

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        CaseKpi.objects.count(),
        CaseConsent.objects.count(),
        Company.objects.count(),
        Engagement.objects.count(),
        SearchEntry.objects.filter(kind=CASE_SEARCH_KIND).count(),
    )


def _found(query: str) -> set[int]:
    return set(search_filter(public_cases(), kind=CASE_SEARCH_KIND, query=query).values_list("pk", flat=True))


def test_demo_cases_fill_the_library_the_real_way_and_are_not_duplicated() -> None:
    call_command("demo_data", verbosity=0)
    counts = _counts()
    call_command("demo_data", verbosity=0)
    assert _counts() == counts  # the second run adds nothing

    cases = list(Case.objects.select_related("engagement", "company"))
    assert len(cases) == len(CASES) >= 30
    assert {c.status for c in cases} == set(CaseStatus.values)  # every state shows in the demo

    public = list(public_cases())
    assert len(public) >= 30
    assert len({c.industry for c in public}) >= 6
    assert len({c.prefecture for c in public}) >= 2
    assert {c.variant for c in public} == set(CaseVariant.values)
    assert {c.size_band for c in public} >= {"1-5", "6-20", "21-50", "51-100", "101-300"}

    # Each case comes from a completed engagement, and its KPI figures are the engagement's records.
    for case in cases:
        assert case.completed_on is not None
        assert case.engagement.status == EngagementStatus.COMPLETED
        assert case.company_id == case.engagement.company_id
        assert case.challenge == case.engagement.challenges  # taken from the engagement, not retyped
        kpis = list(case.kpis.select_related("kpi"))
        assert len(kpis) >= 2
        for shown in kpis:
            assert shown.kpi is not None and shown.kpi.engagement_id == case.engagement_id
            latest = KpiMeasurement.objects.filter(kpi=shown.kpi).order_by("-measured_on").first()
            assert latest is not None
            assert (shown.before_value, shown.before_on) == (shown.kpi.baseline_value, shown.kpi.baseline_on)
            assert (shown.after_value, shown.after_on) == (latest.value, latest.measured_on)
            assert shown.before_on < shown.after_on <= case.completed_on
        assert case.it_stage_before is not None and case.it_stage_after is not None
        assert case.it_stage_before < case.it_stage_after

    # Consents as the services record them: by a member of the company online, or a signed form.
    live = CaseConsent.objects.filter(case__in=public, withdrawn_at__isnull=True).select_related("case")
    assert {c.method for c in live} == set(ConsentMethod.values)
    for consent in live:
        assert consent.variant == consent.case.variant
        if consent.method == ConsentMethod.ONLINE:
            assert consent.given_by is not None
            assert consent.given_by.member_account.company_id == consent.case.company_id
        else:
            assert consent.signed_form and consent.signer_name
    withdrawn = Case.objects.get(status=CaseStatus.WITHDRAWN)
    assert withdrawn.consents.get().withdrawn_at == withdrawn.withdrawn_at

    # Published over the last 18 months, at different moments, each after its approval and consent.
    now = timezone.now()
    published = sorted(c.published_at for c in public if c.published_at)
    assert now - dt.timedelta(days=548) <= published[0] and published[-1] <= now
    assert published[-1] - published[0] >= dt.timedelta(days=365)
    assert len(set(published)) == len(published)
    for case in public:
        consent = case.consents.get(withdrawn_at__isnull=True)
        assert case.approved_at and case.published_at and case.completed_on
        assert case.engagement.started_on < case.completed_on < case.approved_at.date()
        assert case.approved_at < consent.given_at < case.published_at

    # In the search index exactly while public, found by two-character words in either width.
    indexed = set(SearchEntry.objects.filter(kind=CASE_SEARCH_KIND).values_list("object_id", flat=True))
    assert indexed == {c.pk for c in public}
    public_ids = {c.pk for c in public}
    for word in ("在庫", "受注", "会計", "勤怠", "予約", "請求", "EC", "AI"):
        hits = _found(word)
        assert hits and hits <= public_ids, word
    assert _found("ＥＣ") == _found("EC")
    assert _found("ｸﾗｳﾄﾞ") == _found("クラウド")
    named = next(c for c in public if c.variant == CaseVariant.NAMED)
    assert named.pk in _found(named.company.core_name)
    for case in public:
        if case.variant == CaseVariant.ANONYMOUS:
            assert case.pk not in _found(case.company.core_name)  # the name never reaches the index
