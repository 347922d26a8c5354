"""Issue 11, defect 2: a public site for every organization (/o/<slug>/ and its own host name) beside the
program-wide pages at /, each with its own Q&A, news, privacy policy and forms in its name."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ouentai.accounts.choices import OrganizationKind
from ouentai.accounts.hosts import validate_public_host
from ouentai.community.models import Application, Inquiry
from ouentai.content import services as content_services
from ouentai.content.models import FaqEntry, NewsItem, PrivacyPolicy
from ouentai.core.errors import DomainError
from ouentai.engagements.models import DiagnosisResult
from tests.accounts.factories import OrganizationFactory
from tests.community.factories import CompanyFactory, MemberFactory
from tests.community.post_data import application_post_data
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

KAWASAKI_POSTAL = "2100007"  # 川崎市川崎区駅前本町
YOKOHAMA_POSTAL = "2310023"  # 横浜市中区山下町
TOKYO_POSTAL = "1000001"  # 千代田区千代田: no organization's area


@pytest.fixture
def content(yokohama, kawasaki):
    """Q&A and news of both organizations; 横浜 (the default) speaks for the program."""
    FaqEntry.objects.create(
        organization=yokohama, question="事業全体の質問", answer="回答", is_program_wide=True
    )
    FaqEntry.objects.create(organization=yokohama, question="横浜だけの質問", answer="回答")
    FaqEntry.objects.create(organization=kawasaki, question="川崎の質問", answer="回答")
    day = dt.date(2026, 11, 1)
    NewsItem.objects.create(
        organization=yokohama, title="事業全体のお知らせ", body="本文", published_on=day, is_program_wide=True
    )
    NewsItem.objects.create(organization=yokohama, title="横浜のお知らせ", body="本文", published_on=day)
    NewsItem.objects.create(organization=kawasaki, title="川崎のお知らせ", body="本文", published_on=day)
    PrivacyPolicy.objects.filter(organization=kawasaki).update(body="川崎の方針本文")
    PrivacyPolicy.objects.filter(organization=yokohama).update(body="横浜の方針本文")


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_defect_2_each_organization_shows_its_own_content(client, content):
    kawasaki_faq = page(client, "/o/kawasaki/faq/")
    assert "川崎の質問" in kawasaki_faq and "横浜だけの質問" not in kawasaki_faq
    assert "事業全体の質問" not in kawasaki_faq
    yokohama_faq = page(client, "/o/yokohama/faq/")
    assert "横浜だけの質問" in yokohama_faq and "事業全体の質問" in yokohama_faq
    assert "川崎の質問" not in yokohama_faq
    program_faq = page(client, "/faq/")
    assert "事業全体の質問" in program_faq
    assert "横浜だけの質問" not in program_faq and "川崎の質問" not in program_faq

    kawasaki_news = page(client, "/o/kawasaki/news/")
    assert "川崎のお知らせ" in kawasaki_news and "横浜のお知らせ" not in kawasaki_news
    assert "事業全体のお知らせ" in page(client, "/news/")
    assert "川崎のお知らせ" not in page(client, "/news/")
    assert "川崎のお知らせ" in page(client, "/o/kawasaki/")
    other = NewsItem.objects.get(title="横浜のお知らせ")
    page(client, f"/o/kawasaki/news/{other.pk}/", status=404)  # another organization's item

    assert "川崎の方針本文" in page(client, "/o/kawasaki/privacy/")
    assert "横浜の方針本文" in page(client, "/privacy/")


def test_organization_pages_speak_in_its_name_and_link_to_its_pages(client, content):
    html = page(client, "/o/kawasaki/")
    assert "<title>トップ | ITコーディネータ川崎 | 応援隊</title>" in html
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    for name in ("faq", "news", "events", "diagnosis", "contact", "apply"):
        assert f'href="/o/kawasaki/{name}/"' in header, name
    assert 'href="/o/kawasaki/privacy/"' in html
    assert "川崎市" in html  # its area
    program = page(client, "/")
    assert 'href="/o/kawasaki/"' in program and 'href="/o/yokohama/"' in program  # organizations listed
    assert "川崎市" in program and "横浜市" in program


def test_unknown_or_non_implementing_organizations_have_no_pages(client, yokohama):
    OrganizationFactory.create(
        name="中小機構", short_name="中小機構", slug="smrj", kind=OrganizationKind.SUPPORT, policy=None
    )
    for url in ("/o/nowhere/", "/o/nowhere/faq/", "/o/smrj/", "/o/smrj/apply/"):
        page(client, url, status=404)


def test_defect_2_a_kawasaki_edit_shows_at_once_on_kawasaki_and_never_on_yokohama(
    client, kawasaki_staff, content, django_capture_on_commit_callbacks, django_assert_num_queries
):
    urls = ["/", "/faq/", "/o/yokohama/", "/o/yokohama/faq/", "/o/kawasaki/", "/o/kawasaki/faq/"]
    for url in urls:
        page(client, url)  # now cached
    with django_assert_num_queries(0):  # served from the cache
        page(client, "/o/kawasaki/faq/")
    client.force_login(kawasaki_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("content:faq_create"),
            {
                "question": "川崎の新しい質問",
                "answer": "川崎の回答",
                "is_published": "on",
                "is_program_wide": "on",
            },
        )
    assert response.status_code == 302
    assert FaqEntry.objects.get(question="川崎の新しい質問").is_program_wide is False  # not offered to 川崎
    client.logout()
    assert "川崎の新しい質問" in page(client, "/o/kawasaki/faq/")
    for url in ["/", "/faq/", "/o/yokohama/", "/o/yokohama/faq/"]:
        assert "川崎の新しい質問" not in page(client, url), url


def test_only_the_program_organization_marks_entries_program_wide(kawasaki, yokohama, kawasaki_staff, staff):
    with pytest.raises(DomainError) as refused:
        content_services.faq_entry_create(
            organization=kawasaki, question="質問", answer="回答", is_published=True, actor=kawasaki_staff,
            is_program_wide=True,
        )  # fmt: skip
    assert refused.value.code == "content.program_wide_forbidden"
    entry = content_services.faq_entry_create(
        organization=yokohama,
        question="質問",
        answer="回答",
        is_published=True,
        actor=staff,
        is_program_wide=True,
    )
    assert entry.is_program_wide


def test_console_links_to_the_organizations_own_public_pages(client, kawasaki_staff, staff, yokohama):
    client.force_login(kawasaki_staff)
    html = page(client, reverse("content:faq_list"))
    assert 'href="/o/kawasaki/faq/"' in html
    assert "事業全体" not in html  # 川崎 does not speak for the program
    assert 'name="is_program_wide"' not in page(client, reverse("content:faq_create"))
    client.force_login(staff)
    html = page(client, reverse("content:faq_list"))
    assert 'href="/o/yokohama/faq/"' in html and 'href="/faq/"' in html
    assert 'name="is_program_wide"' in page(client, reverse("content:faq_create"))


def test_defect_2_applying_on_an_organizations_pages_goes_to_it_under_its_policy(
    client, yokohama, kawasaki, kawasaki_staff
):
    form = page(client, "/o/kawasaki/apply/")
    assert 'href="/o/kawasaki/privacy/"' in form and "ITコーディネータ川崎の個人情報の取扱いです" in form
    assert "川崎市です" in form  # its area, with a way to find another organization
    # A 横浜 address, sent from 川崎's pages: 川崎 receives it (the person agreed to 川崎's policy)...
    response = client.post("/o/kawasaki/apply/", application_post_data(postal_code=YOKOHAMA_POSTAL))
    assert response.status_code == 302 and response["Location"] == "/o/kawasaki/apply/thanks/"
    application = Application.objects.get()
    assert application.organization == kawasaki
    assert application.privacy_policy is not None and application.privacy_policy.organization == kawasaki
    thanks = page(client, response["Location"])
    assert application.reference in thanks and 'href="/o/kawasaki/"' in thanks
    # ...and its staff see that the address is in 横浜's area.
    client.force_login(kawasaki_staff)
    detail = page(client, reverse("community:application_detail", args=[application.pk]))
    assert "この住所はITコーディネータ横浜の担当地域です" in detail
    # An address in its own area carries no such note.
    client.logout()
    client.post("/o/kawasaki/apply/", application_post_data(postal_code=KAWASAKI_POSTAL))
    own = Application.objects.exclude(pk=application.pk).get()
    client.force_login(kawasaki_staff)
    assert "担当地域です" not in page(client, reverse("community:application_detail", args=[own.pk]))


def test_defect_2_the_program_wide_forms_still_route_by_area(client, yokohama, kawasaki):
    form = page(client, "/apply/")
    assert "ご住所の地域を担当する実施機関" in form and 'href="/privacy/"' in form
    client.post("/apply/", application_post_data(postal_code=KAWASAKI_POSTAL))
    client.post("/apply/", application_post_data(postal_code=TOKYO_POSTAL, email="t@example.jp"))
    assert list(Application.objects.order_by("received_at").values_list("organization__slug", flat=True)) == [
        "kawasaki",
        "yokohama",  # outside every area: the default organization
    ]
    policies = set(Application.objects.values_list("privacy_policy__organization__slug", flat=True))
    assert policies == {"yokohama"}


def test_contact_on_an_organizations_pages_goes_to_it(client, yokohama, kawasaki):
    data = {
        "form_token": "3f0b6f3e-6d4b-4c55-8f83-5a3f1d2b9c01", "policy_version": "1.0", "website": "",
        "name": "佐藤 一郎", "email": "sato@example.jp", "postal_code": YOKOHAMA_POSTAL,
        "subject": "相談", "message": "相談したい", "consent": "on",
    }  # fmt: skip
    response = client.post("/o/kawasaki/contact/", data)
    assert response["Location"] == "/o/kawasaki/contact/thanks/"
    assert Inquiry.objects.get().organization == kawasaki


def test_mail_links_point_at_the_receiving_organizations_pages(client, yokohama, kawasaki, settings):
    settings.OUENTAI_PUBLIC_BASE_URL = "https://ouentai.example.jp"
    client.post("/apply/", application_post_data(postal_code=KAWASAKI_POSTAL))
    confirmation = Application.objects.get().organization
    assert confirmation == kawasaki
    from ouentai.core.models import OutgoingMail

    body = OutgoingMail.objects.get(kind="application.confirmation").body
    assert "https://ouentai.example.jp/o/kawasaki/" in body
    assert not mail.outbox  # queued, not sent in the request


def test_finder_names_the_organization_for_a_postal_code(client, yokohama, kawasaki):
    html = page(client, "/find/?postal_code=210-0007")
    result = html[html.index("finder-result") :]
    assert "担当は<strong>ITコーディネータ川崎</strong>です" in result
    assert 'href="/o/kawasaki/apply/"' in result
    outside = page(client, f"/find/?postal_code={TOKYO_POSTAL}")
    assert (
        "この地域を担当する実施機関はまだありません" in outside
        and "ITコーディネータ横浜が受け付け" in outside
    )
    unknown = page(client, "/find/?postal_code=0000000", status=400)
    assert "この郵便番号の住所は見つかりませんでした" in unknown
    assert 'action="/find/"' in page(client, "/")  # the finder is on the program-wide home


def test_events_of_an_organization_on_its_pages_and_all_on_the_program_wide_list(
    client, yokohama, kawasaki, staff, kawasaki_staff
):
    make_event(yokohama, staff, title="横浜の研修")
    kawasaki_event = make_event(kawasaki, kawasaki_staff, title="川崎のセミナー")
    everything = page(client, "/events/")
    assert "横浜の研修" in everything and "川崎のセミナー" in everything
    own = page(client, "/o/kawasaki/events/")
    assert "川崎のセミナー" in own and "横浜の研修" not in own
    assert 'href="/o/kawasaki/events/feed.ics"' in own
    assert "川崎のセミナー" in page(client, "/o/kawasaki/")  # upcoming on its home
    feed = page(client, "/o/kawasaki/events/feed.ics")
    assert "川崎のセミナー" in feed and "横浜の研修" not in feed
    detail = page(client, f"/events/{kawasaki_event.pk}/")
    # The event's page is in its organizer's name, and the consent is to the organizer's policy.
    assert 'href="/o/kawasaki/privacy/"' in detail and 'href="/o/kawasaki/events/"' in detail


def test_diagnosis_on_an_organizations_pages_uses_its_questionnaire(client, yokohama, kawasaki):
    form = client.get("/o/kawasaki/diagnosis/")
    assert form.status_code == 200
    questionnaire = form.context["questionnaire"]
    assert questionnaire.organization == kawasaki
    answers = {
        name: field.choices[-1][0]
        for name, field in form.context["form"].fields.items()
        if hasattr(field, "choices")
    }
    response = client.post("/o/kawasaki/diagnosis/", answers)
    result = DiagnosisResult.objects.get()
    assert response["Location"] == f"/o/kawasaki/diagnosis/result/{result.token}/"
    html = page(client, response["Location"])
    assert 'href="/o/kawasaki/apply/"' in html
    page(client, f"/o/yokohama/diagnosis/result/{result.token}/", status=404)  # not 横浜's questionnaire
    assert page(client, "/diagnosis/")  # the program-wide one still works
    assert client.get("/diagnosis/").context["questionnaire"].organization == yokohama


def test_organization_host_serves_its_pages_at_the_root(client, yokohama, kawasaki, content, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "itc-kawasaki.example.jp"]
    kawasaki.public_host = "itc-kawasaki.example.jp"
    kawasaki.full_clean()
    kawasaki.save()
    host = {"HTTP_HOST": "itc-kawasaki.example.jp"}
    home = client.get("/", **host).content.decode()
    assert "<title>トップ | ITコーディネータ川崎 | 応援隊</title>" in home
    assert 'href="/faq/"' in home and "/o/kawasaki/" not in home  # links without the prefix
    assert "http://127.0.0.1:8000/" in home  # the program-wide pages are on the site's own address
    faq = client.get("/faq/", **host).content.decode()
    assert "川崎の質問" in faq and "事業全体の質問" not in faq
    assert client.get("/o/kawasaki/faq/", **host).status_code == 200
    assert client.get("/console/", **host).status_code == 302  # not an organization page: as anywhere
    # The same cached page is not served on the site's own address with the host's links.
    assert "川崎の質問" not in page(client, "/faq/")
    assert 'href="/o/kawasaki/faq/"' in page(client, "/o/kawasaki/")
    # The mail links use the organization's host.
    settings.OUENTAI_PUBLIC_BASE_URL = "https://ouentai.example.jp"
    from ouentai.accounts.addresses import organization_public_url

    assert organization_public_url(kawasaki, "faq") == "https://itc-kawasaki.example.jp/faq/"
    assert organization_public_url(yokohama, "faq") == "https://ouentai.example.jp/o/yokohama/faq/"


def test_a_host_not_allowed_is_refused_before_any_lookup(
    client, kawasaki, settings, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/", HTTP_HOST="evil.example.jp")
    assert response.status_code == 400
    assert "リクエストを処理できませんでした" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("itc-kawasaki.example.jp", True),
        ("ITC.example.jp", False),  # lower case only
        ("itc-kawasaki.example.jp:8000", False),
        ("https://itc-kawasaki.example.jp", False),
        ("10.0.0.1", False),
        ("not-allowed.example.jp", False),
        ("127.0.0.1", False),
    ],
)
def test_public_host_must_be_an_allowed_host_name(settings, value, valid):
    settings.ALLOWED_HOSTS = ["127.0.0.1", ".example.jp", "10.0.0.1"]
    settings.ALLOWED_HOSTS.remove(".example.jp")
    settings.ALLOWED_HOSTS += ["itc-kawasaki.example.jp", "itc.example.jp"]
    if valid:
        validate_public_host(value)
    else:
        with pytest.raises(ValidationError):
            validate_public_host(value)


def test_the_sites_own_host_cannot_be_an_organizations(settings):
    settings.OUENTAI_PUBLIC_BASE_URL = "https://ouentai.example.jp"
    settings.ALLOWED_HOSTS = ["ouentai.example.jp"]
    with pytest.raises(ValidationError):
        validate_public_host("ouentai.example.jp")


def test_only_operators_set_the_host_name_in_the_admin(client, yokohama):
    from tests.accounts.factories import make_user

    admin_user = make_user(yokohama, "org_admin", is_staff=True)
    client.force_login(admin_user)
    html = page(client, reverse("admin:accounts_organization_change", args=[yokohama.pk]))
    assert 'name="public_host"' not in html  # shown read-only to an organization admin


def test_member_area_links_to_the_members_organization(client, kawasaki, kawasaki_staff):
    company = CompanyFactory.create(
        organization=kawasaki, name="株式会社川崎テスト", name_kana="カワサキテスト"
    )
    client.force_login(MemberFactory.create(company=company).user)
    html = page(client, reverse("my:home"))
    assert 'href="/o/kawasaki/diagnosis/"' in html and 'href="/o/kawasaki/events/"' in html


def test_demo_data_gives_each_organization_its_own_content(client):
    from django.core.management import call_command

    call_command("demo_data")
    kawasaki = page(client, "/o/kawasaki/faq/")
    assert "ITコーディネータ川崎はどの地域を担当していますか" in kawasaki
    assert "横浜のセミナーはどこで開かれますか" not in kawasaki
    program = page(client, "/faq/")
    assert "どのような会社が参加できますか" in program and "ITコーディネータ川崎はどの地域" not in program
    assert "横浜のセミナー" not in program
    assert "個別相談会" in page(client, "/o/kawasaki/news/")
    assert "個別相談会" not in page(client, "/news/")
    flagged = Application.objects.get(company_name="株式会社鶴見ものづくり工房")
    assert flagged.organization.slug == "kawasaki" and flagged.municipality_code.startswith("141")
    assert re.search(r"ITコーディネータ横浜", page(client, "/"))


@pytest.mark.parametrize(
    ("url", "most"),
    [
        ("/o/kawasaki/", 4),
        ("/o/kawasaki/faq/", 2),
        ("/o/kawasaki/news/", 3),
        ("/o/kawasaki/apply/", 3),
        ("/", 4),
    ],
)
def test_organization_pages_read_in_a_constant_number_of_queries(
    client, content, url, most, django_assert_max_num_queries
):
    with django_assert_max_num_queries(most):
        page(client, url)
