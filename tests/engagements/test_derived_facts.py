"""Defect 7 (issue 11), the community, engagements and member-area parts: a derived fact is computed by
one function and every page reads it. A company's IT経営力の段階 is the latest assessment (a diagnosis
taken for it records it), so its page, the list, the list's filter and the export agree; a company's event
registrations are one selector that the console and the member area both read."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from ouentai.accounts.models import Organization, User
from ouentai.community import services as community
from ouentai.community.models import Company
from ouentai.core.audit import audit_details, audit_entries_for
from ouentai.engagements import services
from ouentai.engagements.models import DiagnosisResult
from ouentai.events import services as event_services
from tests.community.factories import CompanyFactory
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

STAGE_1 = "第1段階 IT不良資産化"


def take_diagnosis(organization: Organization, company: Company | None, answer: int) -> DiagnosisResult:
    """Every question answered with its ``answer``-th choice (0: the stage-1 behaviour)."""
    questionnaire = services.questionnaire_for(organization)
    answers = {
        str(question.pk): list(question.choices.all())[answer].pk
        for dimension in questionnaire.dimensions.all()
        for question in dimension.questions.all()
    }
    return services.diagnosis_submit(questionnaire=questionnaire, answers=answers, company=company)


def test_defect7_stage_1_diagnosis_shows_on_the_company_page_the_list_and_its_filter(
    client: Client, yokohama: Organization, company: Company, staff: User
) -> None:
    result = take_diagnosis(yokohama, company, 0)
    assert result.stage == 1
    company.refresh_from_db()
    assert company.it_stage == 1
    client.force_login(staff)
    page = client.get(reverse("community:company_detail", args=[company.pk])).content.decode()
    assert STAGE_1 in page and "未評価" not in page
    listed = client.get(reverse("community:company_list")).content.decode()
    assert STAGE_1 in listed
    filtered = client.get(reverse("community:company_list"), {"it_stage": "1"}).content.decode()
    assert company.name in filtered
    assert (
        company.name not in client.get(reverse("community:company_list"), {"it_stage": "2"}).content.decode()
    )
    export = client.get(reverse("community:company_export"), {"it_stage": "1", "format": "csv"})
    assert STAGE_1 in b"".join(export.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]


def test_defect7_the_latest_assessment_is_the_companys_stage(
    yokohama: Organization, company: Company, staff: User
) -> None:
    """Staff who assessed the company typed a stage; a diagnosis taken later replaces it, and a later
    staff assessment replaces that. Each change is in the company's history, in words."""
    data = community.CompanyData(name=company.name, it_stage=3)
    community.company_update(company=company, data=data, actor=staff)
    take_diagnosis(yokohama, company, 0)
    company.refresh_from_db()
    assert company.it_stage == 1
    entry = audit_entries_for(company)[0]
    assert entry.action == "community.company.it_stage_recorded"
    details = dict(audit_details(entry))
    assert STAGE_1 in details.values() and "第3段階 組織全体最適化" in details.values()
    community.company_update(
        company=company, data=community.CompanyData(name=company.name, it_stage=2), actor=staff
    )
    take_diagnosis(yokohama, None, 3)  # anonymous: no company to record it on
    company.refresh_from_db()
    assert company.it_stage == 2


def test_defect7_companies_diagnosed_before_take_the_stage_of_their_latest_result(
    yokohama: Organization, company: Company, staff: User
) -> None:
    """The data migration: a company left 未評価 with results gets the latest result's stage; a stage
    staff typed stays."""
    typed = CompanyFactory.create(organization=yokohama, name="青葉テック", it_stage=4)
    for target, answer in ((company, 3), (company, 0), (typed, 0)):
        take_diagnosis(yokohama, target, answer)
    Company.objects.filter(pk__in=[company.pk, typed.pk]).update(it_stage=None)
    Company.objects.filter(pk=typed.pk).update(it_stage=4)
    migration = importlib.import_module("ouentai.engagements.migrations.0002_company_it_stage_from_diagnosis")
    migration.fill(apps, None)
    assert dict(Company.objects.values_list("name", "it_stage")) == {company.name: 1, "青葉テック": 4}


def test_defect7_member_area_and_console_list_the_same_registrations(
    client: Client, yokohama: Organization, company: Company, member: User, staff: User, run_queued_tasks: Any
) -> None:
    """The console lists a company's registrations on its timeline and its engagement's page; the
    member area used to list only those linked through a contact, so it said 「イベント申込はまだありません」
    while the console showed three."""
    community.company_update(
        company=company,
        data=community.CompanyData(name=company.name, phone="+81452011234"),
        actor=staff,
    )
    titles = ["DX経営者セミナー", "経営者研修 第2期", "事例発表会 2026秋"]
    events = [make_event(yokohama, staff, title=title) for title in titles]

    def register(event: Any, **fields: Any) -> Any:
        return event_services.registration_create(
            event=event, data=event_services.RegistrationData(name="港 一郎", **fields)
        )

    register(events[0], company_name="別の表記", email="minato@example.jp")  # the contact's address
    register(events[1], company_name="ﾐﾅﾄ精機㈱", email="new@example.jp", phone="045-201-1234")
    by_staff = register(events[2], company_name="みなと", email="kouhou@example.jp")
    run_queued_tasks()
    event_services.registration_link(registration=by_staff, company=company, contact=None, actor=staff)
    stranger = register(events[0], company_name="株式会社みなと精機", email="other@example.jp")  # name alone
    run_queued_tasks()
    stranger.refresh_from_db()
    assert stranger.company_id is None

    client.force_login(staff)
    console = client.get(reverse("community:company_detail", args=[company.pk])).content.decode()
    client.force_login(member)
    my = client.get(reverse("my:home")).content.decode()
    for title in titles:
        assert f"「{title}」に申込" in console
        assert title in my
    assert "イベント申込はまだありません" not in my
