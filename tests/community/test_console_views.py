import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ouentai.community.models import Application, Company
from tests.accounts.factories import PASSWORD
from tests.community.factories import CompanyFactory, ContactFactory
from tests.community.post_data import application_post_data
from tests.engagements.factories import EngagementFactory
from tests.network.external import console_urls
from tests.network.factories import DispatchFactory, ExpertFactory, SchemeFactory, SupportOrganizationFactory

pytestmark = pytest.mark.django_db


def submit_application(client, **overrides):
    client.post(reverse("portal:apply"), application_post_data(**overrides))
    return Application.objects.order_by("-id").first()


@pytest.fixture
def application(client, yokohama):
    app = submit_application(client)
    client.session.flush()
    return app


def test_console_has_urls_to_check():
    assert len(console_urls(1)) >= 10


def test_anonymous_is_sent_to_login_from_every_console_url(client, application):
    for url in console_urls(application.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_other_organization_gets_404_for_every_record_page(client, application, kawasaki_staff, yokohama):
    client.force_login(kawasaki_staff)
    for url in console_urls(application.pk):
        if "<" in url or url.endswith("/console/"):
            continue
        response = client.get(url)
        if "/applications/" in url and url != "/console/applications/":
            assert response.status_code == 404, url
    response = client.post(
        reverse("community:application_detail", args=[application.pk]),
        {"action": "assign", "assignee": kawasaki_staff.pk},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.assignee is None
    listing = client.get(reverse("community:application_list")).content.decode()
    assert application.reference not in listing


def test_user_without_organization_is_refused(client, yokohama):
    from ouentai.accounts.models import User

    user = User.objects.create_user("loose@example.jp", PASSWORD, name="所属なし")
    client.force_login(user)
    assert client.get(reverse("community:application_list")).status_code == 403


def test_coordinator_sees_only_assigned_items(client, application, coordinator, staff):
    client.force_login(coordinator)
    assert client.get(reverse("community:application_detail", args=[application.pk])).status_code == 404
    client.force_login(staff)
    client.post(
        reverse("community:application_detail", args=[application.pk]),
        {"action": "assign", "assignee": coordinator.pk},
    )
    client.force_login(coordinator)
    assert client.get(reverse("community:application_detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("content:faq_list")).status_code == 403


def test_inbox_query_count_does_not_grow_with_rows(client, yokohama, staff):
    client.force_login(staff)
    for i in range(3):
        submit_application(client, email=f"a{i}@example.jp")
    url = reverse("community:application_list")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(30):
        submit_application(client, email=f"b{i}@example.jp")
    Application.objects.update(assignee=staff)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("/console/applications/") >= 33
    assert len(many) == len(few)


def test_detail_query_count_is_bounded(client, application, staff, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("community:application_detail", args=[application.pk])).status_code == 200


def test_inbox_filters(client, yokohama, staff):
    client.force_login(staff)
    late = submit_application(client, email="late@example.jp", company_name="遅延株式会社")
    submit_application(client, email="new@example.jp", company_name="新規株式会社")
    Application.objects.filter(pk=late.pk).update(due_on=dt.date(2020, 1, 6))
    overdue = client.get(reverse("community:application_list"), {"overdue": "on"}).content.decode()
    assert "遅延株式会社" in overdue and "新規株式会社" not in overdue
    assert "期限超過" in overdue
    searched = client.get(reverse("community:application_list"), {"q": "新規"}).content.decode()
    assert "新規株式会社" in searched and "遅延株式会社" not in searched
    unassigned = client.get(reverse("community:application_list"), {"assignee": "none"}).content.decode()
    assert "新規株式会社" in unassigned


def test_whole_flow_through_console(client, application, staff):
    client.force_login(staff)
    url = reverse("community:application_detail", args=[application.pk])
    assert client.post(url, {"action": "assign", "assignee": staff.pk}).status_code == 302
    refused = client.post(
        url, {"action": "contact", "channel": "phone", "occurred_at": "2026-11-26T10:00", "note": ""}
    )
    assert refused.status_code == 400
    assert "入力してください" in refused.content.decode()
    logged = client.post(
        url, {"action": "contact", "channel": "phone", "occurred_at": "2026-11-26T10:00", "note": "日程調整"}
    )
    assert logged.status_code == 302
    assert client.post(url, {"action": "convert"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "converted"
    company = Company.objects.get()
    page = client.get(reverse("community:company_detail", args=[company.pk])).content.decode()
    assert "株式会社ミナト精機" in page
    assert "企業を登録" in page  # the company's history, in words (issue 11, defect 6)
    assert "community.company.created" not in page
    detail = client.get(url).content.decode()
    for action in ["申込を受付", "担当者を割り当て", "会員企業として登録"]:
        assert action in detail
    assert "community.application." not in detail


def test_future_contact_time_is_refused_with_note_kept(client, application, staff):
    client.force_login(staff)
    url = reverse("community:application_detail", args=[application.pk])
    response = client.post(
        url,
        {
            "action": "contact",
            "channel": "visit",
            "occurred_at": "2099-01-01T10:00",
            "note": "未来の訪問メモ",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "未来の日時は記録できません" in html
    assert "未来の訪問メモ" in html


def test_staff_of_other_org_cannot_see_company(client, application, staff, kawasaki_staff):
    client.force_login(staff)
    client.post(reverse("community:application_detail", args=[application.pk]), {"action": "convert"})
    company = Company.objects.get()
    client.force_login(kawasaki_staff)
    assert client.get(reverse("community:company_detail", args=[company.pk])).status_code == 404


def test_login_page_and_login(client, staff):
    page = client.get(reverse("accounts:login"))
    assert "メールアドレス" in page.content.decode()
    bad = client.post(reverse("accounts:login"), {"username": staff.email, "password": "wrong"})
    assert "メールアドレスまたはパスワードが正しくありません" in bad.content.decode()
    ok = client.post(reverse("accounts:login"), {"username": staff.email, "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == reverse("community:home")


def test_org_admin_uses_django_admin_scoped_to_own_organization(client, org_admin, kawasaki_staff, staff):
    client.force_login(org_admin)
    page = client.get("/admin/accounts/user/")
    assert page.status_code == 200
    html = page.content.decode()
    assert staff.email in html and kawasaki_staff.email not in html
    assert client.get(f"/admin/accounts/user/{kawasaki_staff.pk}/change/").status_code in (302, 404)


def test_console_home_counts(client, yokohama, staff, django_assert_max_num_queries):
    submit_application(client)
    client.force_login(staff)
    # 8 for the community's own counts, one per card of events, engagements and dispatches.
    with django_assert_max_num_queries(11):
        html = client.get(reverse("community:home")).content.decode()
    assert "山田 花子さん、こんにちは" in html
    assert "IT投資の見込み" in html and "未割り当て" in html
    assert "公開中でこれから開催" in html and "支援機関の承認待ち" in html and "進行中" in html


def test_every_record_page_of_another_organization_is_404(
    client, yokohama, staff, kawasaki_staff, application
):
    """Walk every console URL that names a record, filled with real records of organization A, as a
    staff member of organization B."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ouentai.community import services
    from ouentai.content.models import FaqEntry
    from ouentai.core.calendar import fiscal_year, local_today
    from ouentai.engagements import services as engagement_services
    from ouentai.events import services as event_services
    from ouentai.outcomes.services import annual_report_request
    from tests.cases.factories import CaseFactory, completed_engagement
    from tests.events.factories import make_event
    from tests.knowhow.factories import ItemFactory

    inquiry = services.inquiry_submit(
        data=services.InquiryData(
            name="中村", name_kana="", company_name="", email="n@example.jp", phone="", postal_code="",
            municipality_code="", subject="件名", message="内容",
        ),
        token=uuid.uuid4(), consent=True, policy=yokohama_policy(yokohama), policy_version="1.0",
    )[0]  # fmt: skip
    company = CompanyFactory.create(organization=yokohama, name="A社", actor=staff)
    other = CompanyFactory.create(organization=yokohama, name="B社", actor=staff)
    contact = ContactFactory.create(company=company, name="担当", actor=staff)
    record = services.import_upload(
        organization=yokohama, upload=SimpleUploadedFile("a.csv", "会社名\nA社\n".encode()), actor=staff
    )
    letter = services.newsletter_save(
        organization=yokohama,
        newsletter=None,
        subject="件名",
        body="本文",
        segment=None,
        per_minute=10,
        actor=staff,
    )
    faq = FaqEntry.objects.create(organization=yokohama, question="質問", answer="回答")
    event = make_event(yokohama, staff)
    registration = event_services.registration_create(
        event=event, data=event_services.RegistrationData(name="参加者", email="p@example.jp")
    )
    engagement = EngagementFactory.create(
        organization=yokohama,
        company=company,
        title="案件",
        lead=staff,
        started_on=dt.date(2026, 10, 1),
        actor=staff,
    )
    attachment = engagement_services.attachment_add(
        engagement=engagement, upload=SimpleUploadedFile("memo.txt", "メモ".encode()), actor=staff
    )
    engagement_services.plan_save(
        engagement=engagement, title="計画書", sections={"current_state": "現状"}, actor=staff
    )
    support = SupportOrganizationFactory.create(organization=yokohama, name="支援機関A", kind="national")
    scheme = SchemeFactory.create(
        organization=yokohama, support_organization=support, name="制度A", sme_only=False, visits_per_year=3
    )
    expert = ExpertFactory.create(organization=yokohama, name="専門家A")
    dispatch = DispatchFactory.create(
        organization=yokohama, company=company, scheme=scheme, theme="it", requested_visits=1, actor=staff
    )
    reply_template = services.reply_template_save(
        organization=yokohama,
        template=None,
        data=services.ReplyTemplateData(name="受付のお礼", kind="both", subject="件名", body="本文"),
        actor=staff,
    )
    case = CaseFactory.create(engagement=completed_engagement(organization=yokohama))
    knowhow = ItemFactory.create(
        organization=yokohama, actor=staff, file=SimpleUploadedFile("a.md", "第1版".encode())
    )  # own organization only
    report = annual_report_request(organization=yokohama, year=fiscal_year(local_today()), actor=staff)
    ids: dict[str, dict[str, int | str]] = {
        "outcomes/reports": {"pk": report.pk},
        "cases": {"pk": case.pk, "engagement_pk": case.engagement_id, "media_pk": 0, "consent_pk": 0},
        "knowhow": {"pk": knowhow.pk, "number": 1},
        "replies/templates": {"pk": reply_template.pk},
        "network/organizations": {"pk": support.pk},
        "network/schemes": {"pk": scheme.pk},
        "network/experts": {"pk": expert.pk},
        "network/dispatches": {"pk": dispatch.pk},
        "engagements": {
            "pk": engagement.pk,
            "attachment_pk": attachment.pk,
            "number": 1,
            "company_pk": company.pk,
        },
        "events": {"pk": event.pk, "reg_pk": registration.pk, "fmt": "csv"},
        "applications": {"pk": application.pk},
        "inquiries": {"pk": inquiry.pk},
        "companies/import": {"pk": record.pk},
        "companies": {"pk": company.pk, "contact_pk": contact.pk, "other_pk": other.pk},
        "newsletters": {"pk": letter.pk},
        "content/faq": {"pk": faq.pk},
    }
    checked = 0
    client.force_login(kawasaki_staff)
    for pattern in console_patterns():
        if "<int:" not in pattern:
            continue
        prefix = next(p for p in ids if pattern.startswith(f"console/{p}/"))
        url = "/" + pattern
        for name, value in ids[prefix].items():
            url = url.replace(f"<int:{name}>", str(value)).replace(f"<str:{name}>", str(value))
        answers = {client.get(url).status_code, client.post(url, {"action": "assign"}).status_code}
        assert 404 in answers and answers <= {404, 405}, url  # 405: that method is not served at all
        checked += 1
    assert checked >= 40  # every record page there is today


def yokohama_policy(org):
    from ouentai.content.models import PrivacyPolicy

    return PrivacyPolicy.objects.get(organization=org)


def console_patterns() -> list[str]:
    patterns = []

    def walk(items, prefix):
        for p in items:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and (prefix + str(p.pattern)).startswith("console/"):
                patterns.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return patterns
