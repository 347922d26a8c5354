"""The member area (/my/): a member sees their own company's engagements, plans, diagnosis results and
event registrations and nothing of any other company; members never reach the console; staff invite
members by mail with a one-time link."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community import services as community
from ouentai.community.models import Company, Contact, MemberAccount, MemberInvitation
from ouentai.engagements import services
from ouentai.engagements.models import DiagnosisResult, Engagement, PlanVersion
from ouentai.events.models import Registration
from tests.accounts.factories import PASSWORD, make_user
from tests.community.factories import CompanyFactory, ContactFactory
from tests.engagements.factories import EngagementFactory, KpiFactory
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

OTHER_NAME = "株式会社よそのしょうかい"
OTHER_TITLE = "他社の在庫管理の刷新"
GOOD_PASSWORD = "minato-seiki-2026-kaizen"


def make_engagement(organization: Organization, company: Company, lead: User, title: str) -> Engagement:
    return EngagementFactory.create(
        organization=organization,
        company=company,
        title=title,
        lead=lead,
        started_on=dt.date(2026, 10, 1),
        challenges="紙の台帳",
    )


def save_plan(engagement: Engagement, actor: User, title: str = "IT経営計画書") -> PlanVersion:
    return services.plan_save(
        engagement=engagement,
        title=title,
        sections={"current_state": f"{engagement.title}の現状", "strategy": "短納期の小口受注"},
        actor=actor,
    )


def take_diagnosis(organization: Organization, company: Company | None) -> DiagnosisResult:
    questionnaire = services.questionnaire_for(organization)
    answers = {
        str(question.pk): list(question.choices.all())[1].pk
        for dimension in questionnaire.dimensions.all()
        for question in dimension.questions.all()
    }
    return services.diagnosis_submit(questionnaire=questionnaire, answers=answers, company=company)


@pytest.fixture
def other_company(yokohama: Organization) -> Company:
    company = CompanyFactory.create(organization=yokohama, name=OTHER_NAME)
    ContactFactory.create(company=company, name="余所 次郎", email="yoso@example.jp")
    return company


@pytest.fixture
def other_engagement(yokohama: Organization, other_company: Company, coordinator: User) -> Engagement:
    engagement = make_engagement(yokohama, other_company, coordinator, OTHER_TITLE)
    save_plan(engagement, coordinator, title="他社の計画書")
    return engagement


@pytest.fixture
def member_client(client: Any, member: User) -> Any:
    client.force_login(member)
    return client


# --- the member sees their own company only ------------------------------------------------------------


def test_home_lists_own_engagement_and_nothing_of_another_company(
    member_client, yokohama, company, engagement, other_company, other_engagement, coordinator, staff
):
    plan = save_plan(engagement, coordinator)
    kpi = KpiFactory.create(
        engagement=engagement,
        name="受注処理時間",
        unit="分",
        direction="decrease",
        baseline_value=Decimal("240"),
        baseline_on=dt.date(2026, 10, 1),
        target_value=Decimal("60"),
        target_on=dt.date(2027, 3, 31),
        actor=coordinator,
    )
    services.kpi_measure(kpi=kpi, measured_on=dt.date(2026, 12, 1), value=Decimal("90"), actor=coordinator)
    own_result = take_diagnosis(yokohama, company)
    other_result = take_diagnosis(yokohama, other_company)
    event = make_event(yokohama, staff, title="DX経営者研修 横浜")
    other_event = make_event(yokohama, staff, title="他社だけが申し込んだ勉強会")
    for ev, owner in ((event, company), (other_event, other_company)):
        registration = Registration.objects.create(
            organization=yokohama,
            event=ev,
            status="confirmed",
            name="参加 者",
            company=owner,
            contact=owner.contacts.first() or owner.contacts.create(organization=yokohama, name="担当"),
        )
        assert registration.pk

    response = member_client.get(reverse("my:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "株式会社みなと精機" in page
    assert engagement.title in page
    assert reverse("my:engagement", args=[engagement.pk]) in page
    assert reverse("my:plan_pdf", args=[engagement.pk, plan.number]) in page
    assert 'aria-current="step"' in page
    assert reverse("diagnosis:result", args=[own_result.token]) in page
    assert reverse("diagnosis:form") in page
    assert "DX経営者研修 横浜" in page
    # Nothing of the other company: its name, engagement, plan, diagnosis result or registrations.
    assert OTHER_NAME not in page
    assert OTHER_TITLE not in page
    assert "他社の計画書" not in page
    assert str(other_result.token) not in page
    assert "他社だけが申し込んだ勉強会" not in page
    assert reverse("my:engagement", args=[other_engagement.pk]) not in page
    # Private and not indexed.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in page

    detail = member_client.get(reverse("my:engagement", args=[engagement.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "受注処理時間" in text and "達成" in text and "未達成" in text  # 90 min > 60 min target
    assert "受注票が紙で" in text
    assert reverse("my:plan_pdf", args=[engagement.pk, 1]) in text
    assert OTHER_NAME not in text
    assert "no-store" in detail["Cache-Control"]


def test_engagement_page_hides_staff_only_records(member_client, engagement, coordinator):
    services.note_add(engagement=engagement, body="社長は値引きに慎重（社内メモ）", actor=coordinator)
    page = member_client.get(reverse("my:engagement", args=[engagement.pk])).content.decode()
    assert "社内メモ" not in page
    assert "監査" not in page


def test_another_companys_engagement_and_plan_are_404(
    member_client, other_engagement, kawasaki, kawasaki_staff
):
    assert member_client.get(reverse("my:engagement", args=[other_engagement.pk])).status_code == 404
    assert member_client.get(reverse("my:plan_pdf", args=[other_engagement.pk, 1])).status_code == 404
    # Another organization's company and engagement too.
    far_company = CompanyFactory.create(organization=kawasaki, name="株式会社かわさき")
    coordinator = make_user(kawasaki, Role.COORDINATOR)
    far = make_engagement(kawasaki, far_company, coordinator, "川崎の案件")
    assert member_client.get(reverse("my:engagement", args=[far.pk])).status_code == 404


def test_plan_pdf_of_own_engagement(member_client, engagement, coordinator):
    save_plan(engagement, coordinator)
    response = member_client.get(reverse("my:plan_pdf", args=[engagement.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert member_client.get(reverse("my:plan_pdf", args=[engagement.pk, 2])).status_code == 404


def test_diagnosis_page_shows_results_over_time(member_client, yokohama, company, other_company):
    first = take_diagnosis(yokohama, company)
    DiagnosisResult.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=200))
    take_diagnosis(yokohama, company)
    other = take_diagnosis(yokohama, other_company)
    take_diagnosis(yokohama, None)
    response = member_client.get(reverse("my:diagnosis"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(reverse("diagnosis:result", args=[first.token])) == 1
    assert str(other.token) not in page
    assert page.count('<th scope="row"') == 2
    for score in first.scores:
        assert score["name"] in page
    assert reverse("diagnosis:form") in page


def test_home_query_count_is_constant(member, member_client, yokohama, company, coordinator, staff):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(reverse("my:home")).status_code == 200
        return len(queries)

    first = make_engagement(yokohama, company, coordinator, "案件1")
    save_plan(first, coordinator)
    take_diagnosis(yokohama, company)
    count()  # the first page of a process fits the case recommender (cases.selectors.recommend)
    one = count()
    for n in range(2, 6):
        engagement = make_engagement(yokohama, company, coordinator, f"案件{n}")
        save_plan(engagement, coordinator)
        save_plan(engagement, coordinator, title=f"案件{n}の計画書 改訂")
        take_diagnosis(yokohama, company)
    event = make_event(yokohama, staff)
    Registration.objects.create(
        organization=yokohama,
        event=event,
        status="confirmed",
        name="a",
        company=company,
        contact=company.contacts.first(),
    )
    five = count()
    assert five == one, (one, five)
    assert five <= 12


# --- who may open what ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, yokohama):
    for url in (reverse("my:home"), reverse("my:diagnosis"), reverse("my:engagement", args=[1])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_staff_and_coordinators_get_403_on_my(client, staff, coordinator, org_admin):
    for user in (staff, coordinator, org_admin):
        client.force_login(user)
        response = client.get(reverse("my:home"))
        assert response.status_code == 403
        page = response.content.decode()
        assert "会員企業の方のページです" in page
        assert reverse("community:home") in page  # a way to the console


def test_member_without_account_gets_403(client, yokohama):
    user = make_user(yokohama, Role.MEMBER)
    client.force_login(user)
    response = client.get(reverse("my:home"))
    assert response.status_code == 403
    assert reverse("community:home") not in response.content.decode()


def _console_routes() -> list[str]:
    routes: list[str] = []

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and (prefix + str(p.pattern)).startswith("console/"):
                routes.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return routes


def test_member_is_refused_on_every_console_url(
    member_client, yokohama, company, engagement, other_company, staff, coordinator
):
    plan = save_plan(engagement, coordinator)
    event = make_event(yokohama, staff)
    registration = Registration.objects.create(
        organization=yokohama, event=event, status="confirmed", name="参加 者", company=company
    )
    contact = Contact.objects.filter(company=company).first()
    assert contact is not None
    # The record each route's first id names (by its section), then the other parameters.
    section_ids = {
        "companies": company.pk,
        "events": event.pk,
        "engagements": engagement.pk,
    }
    other_ids = {
        "reg_pk": registration.pk,
        "contact_pk": contact.pk,
        "other_pk": other_company.pk,
        "company_pk": company.pk,
        "number": plan.number,
        "attachment_pk": 1,
    }
    routes = _console_routes()
    checked = []
    for route in routes:
        section = route.split("/")[1]
        url = re.sub(r"<int:pk>", str(section_ids.get(section, company.pk)), route)
        url = re.sub(r"<int:(\w+)>", lambda m: str(other_ids.get(m.group(1), 1)), url)
        url = re.sub(r"<str:\w+>", "csv", url)
        url = re.sub(r"<slug:\w+>", "engagements_started", url)
        url = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", url)
        assert "<" not in url, route
        response = member_client.get("/" + url)
        assert response.status_code == 403, url
        checked.append("/" + url)
    for must in (
        "/console/",
        "/console/companies/",
        "/console/events/",
        "/console/engagements/",
        f"/console/companies/{company.pk}/",
        f"/console/events/{event.pk}/",
        f"/console/engagements/{engagement.pk}/",
        f"/console/companies/{company.pk}/invite/",
    ):
        assert must in checked, must
    # A write is refused as well.
    response = member_client.post(
        reverse("community:member_invite", args=[company.pk]), {"contact": contact.pk}
    )
    assert response.status_code == 403
    assert not MemberInvitation.objects.exists()


def test_login_sends_members_to_my_and_staff_to_console(client, member, staff):
    login = reverse("accounts:login")
    response = client.post(login, {"username": member.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("my:home")
    client.logout()
    response = client.post(
        login + "?next=" + reverse("my:diagnosis"), {"username": member.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("my:diagnosis")
    client.logout()
    response = client.post(
        login + "?next=https://evil.example.com/", {"username": member.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("my:home")
    client.logout()
    response = client.post(login, {"username": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("community:home")


# --- invitations -------------------------------------------------------------------------------------


def test_invitation_flow(client, staff, company, run_queued_tasks):
    contact = company.contacts.get()
    client.force_login(staff)
    invite_url = reverse("community:member_invite", args=[company.pk])
    page = client.get(invite_url)
    assert page.status_code == 200
    assert "minato@example.jp" in page.content.decode()
    response = client.post(invite_url, {"contact": contact.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("community:company_detail", args=[company.pk])
    listing = client.get(invite_url).content.decode()
    assert "招待メールを送信しました" in listing
    assert "受諾待ちの招待" in listing and "minato@example.jp" in listing

    run_queued_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["minato@example.jp"]
    found = re.search(r"/my/join/[0-9a-f-]{36}/", str(message.body))
    assert found is not None, message.body
    link = found.group(0)
    invitation = MemberInvitation.objects.get()
    assert link == reverse("portal:member_join", args=[invitation.token])

    client.logout()
    form = client.get(link)
    assert form.status_code == 200
    text = form.content.decode()
    assert "minato@example.jp" in text and 'name="password1"' in text
    assert "no-store" in form["Cache-Control"]

    weak = client.post(link, {"password1": "12345", "password2": "12345"})
    assert weak.status_code == 400
    weak_text = weak.content.decode()
    assert "短すぎます" in weak_text
    assert 'id="id_password1_error"' in weak_text
    assert not User.objects.filter(email="minato@example.jp").exists()

    mismatch = client.post(link, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})
    assert mismatch.status_code == 400
    assert "一致しません" in mismatch.content.decode()

    done = client.post(link, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("my:home")
    user = User.objects.get(email="minato@example.jp")
    assert user.role == Role.MEMBER and user.check_password(GOOD_PASSWORD)
    account = MemberAccount.objects.get(user=user)
    assert account.company == company and account.contact == contact
    home = client.get(reverse("my:home"))
    assert home.status_code == 200  # signed in
    assert "ようこそ" in home.content.decode()

    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "使用済み" in again.content.decode()
    assert client.post(link, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}).status_code == 410
    assert User.objects.filter(email="minato@example.jp").count() == 1

    # The new member signs in with the password and lands in the member area.
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": GOOD_PASSWORD})
    assert response["Location"] == reverse("my:home")


def test_expired_or_unknown_invitation_is_410(client, staff, company):
    invitation = community.member_invite(company=company, contact=company.contacts.get(), actor=staff)
    MemberInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    link = reverse("portal:member_join", args=[invitation.token])
    response = client.get(link)
    assert response.status_code == 410
    assert "事務局" in response.content.decode()
    assert client.post(link, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}).status_code == 410
    assert not User.objects.filter(email="minato@example.jp").exists()
    unknown = reverse("portal:member_join", args=["6f1c2d3e-0000-4000-8000-000000000000"])
    assert client.get(unknown).status_code == 410


def test_join_posts_are_rate_limited(client, staff, company, settings):
    settings.OUENTAI_PUBLIC_FORM_RATE = "2/m"
    invitation = community.member_invite(company=company, contact=company.contacts.get(), actor=staff)
    link = reverse("portal:member_join", args=[invitation.token])
    statuses = [client.post(link, {"password1": "1", "password2": "1"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert "しばらく待って" in client.post(link, {}).content.decode()


def test_invite_refuses_contact_without_email_or_with_existing_account(client, staff, company):
    client.force_login(staff)
    url = reverse("community:member_invite", args=[company.pk])
    no_mail = ContactFactory.create(company=company, name="電話 のみ")
    response = client.post(url, {"contact": no_mail.pk})
    assert response.status_code == 400
    assert "メールアドレスが登録されていない担当者は招待できません。" in response.content.decode()

    existing = ContactFactory.create(company=company, name="山田 花子", email=staff.email)
    response = client.post(url, {"contact": existing.pk})
    assert response.status_code == 400
    assert "このメールアドレスのアカウントはすでにあります。" in response.content.decode()
    assert not MemberInvitation.objects.exists()


def test_invite_page_scope_and_roles(client, company, other_company, kawasaki_staff, coordinator, staff):
    url = reverse("community:member_invite", args=[company.pk])
    client.force_login(kawasaki_staff)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    # A contact of another company cannot be chosen for this one.
    client.force_login(staff)
    response = client.post(url, {"contact": other_company.contacts.get().pk})
    assert response.status_code == 400
    assert not MemberInvitation.objects.exists()


def test_invite_page_lists_member_accounts(client, staff, company, member):
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("community:member_invite", args=[company.pk]))
    assert page.status_code == 200
    assert member.email in page.content.decode()
    assert len(queries) <= 12


def test_registration_linked_only_by_company_name_is_not_shown(
    member_client, yokohama, staff, company, run_queued_tasks
):
    """Another firm with the same trade name registering under it must not appear in this member's area.
    The name alone no longer links a registration to a company (the "same company" rule of
    community.dedup), so the member area, like the console, may list every registration linked to the
    company; this one stays a lead of no company."""
    from ouentai.events import services as event_services

    event = make_event(yokohama, staff, title="同名の会社が申し込んだ研修")
    registration = event_services.registration_create(
        event=event,
        data=event_services.RegistrationData(
            name="別会社 の人", company_name=company.name, email="someone@another-firm.example.jp"
        ),
    )
    run_queued_tasks()
    registration.refresh_from_db()
    assert registration.company_id is None
    page = member_client.get(reverse("my:home")).content.decode()
    assert "同名の会社が申し込んだ研修" not in page
