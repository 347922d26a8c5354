import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from ouentai.community.models import Application, Inquiry
from ouentai.content.models import FaqEntry
from tests.community.post_data import application_post_data, inquiry_post_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["portal:home", "portal:faq", "portal:news_list", "portal:privacy", "portal:apply", "portal:contact"],
)
def test_public_pages_render(client, yokohama, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_apply_form_labels_are_exact(client, yokohama):
    html = client.get(reverse("portal:apply")).content.decode()
    for label in ["会社名", "会社名フリガナ", "担当者名", "担当者名フリガナ", "メールアドレス", "電話番号", "郵便番号",
                  "都道府県", "市区町村", "町域", "番地・建物名", "法人番号", "業種", "従業員数", "ご相談内容",
                  "個人情報の取扱いに同意する"]:  # fmt: skip
        assert f">{label}" in html, label


def test_valid_application_normalizes_and_shows_reference(client, yokohama):
    response = client.post(reverse("portal:apply"), application_post_data())
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.company_name == "株式会社ミナト精機"
    assert application.company_name_kana == "ミナトセイキ"
    assert application.contact_name == "田中 誠"
    assert application.contact_name_kana == "タナカ マコト"
    assert application.phone == "+81452011234"
    assert application.postal_code == "2310023"
    assert (application.prefecture, application.city, application.town) == (
        "神奈川県",
        "横浜市中区",
        "山下町",
    )
    assert application.municipality_code == "14104"
    assert application.address == "1-2-3 みなとビル4階"
    assert application.employees == 45
    assert Session.objects.count() == 0  # the receipt is a signed cookie, not a session per visitor
    thanks = client.get(response["Location"]).content.decode()
    assert f'<strong id="reference">{application.reference}</strong>' in thanks
    due = application.due_on
    assert f"{due.year}年（令和{due.year - 2018}年）{due.month}月{due.day}日" in thanks


def test_bad_input_keeps_everything_typed_and_explains_in_japanese(client, yokohama):
    data = application_post_data(
        phone="12345",
        corporate_number="7000012050003",
        company_name_kana="漢字",
        employees="たくさん",
        consent="",
    )
    response = client.post(reverse("portal:apply"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "電話番号を確認してください" in html
    assert "検査用数字が一致しません" in html
    assert "カタカナまたはひらがなで入力してください" in html
    assert "従業員数は0以上の数字で入力してください" in html
    assert "個人情報の取扱いに同意いただけない場合は送信できません" in html
    assert 'value="株式会社ﾐﾅﾄ精機"' in html  # what was typed is still there
    assert 'value="１－２－３ みなとビル４階"' in html
    assert 'aria-invalid="true"' in html
    assert Application.objects.count() == 0


def test_missing_fields_say_what_to_do(client, yokohama):
    response = client.post(
        reverse("portal:apply"), application_post_data(company_name="", email="not-an-email")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "入力してください" in html
    assert "メールアドレスの形式を確認してください" in html


def test_unknown_postal_code_needs_the_address_typed(client, yokohama):
    response = client.post(reverse("portal:apply"), application_post_data(postal_code="9999999"))
    assert response.status_code == 400
    assert "この郵便番号に当たる住所が見つかりません" in response.content.decode()
    ok = client.post(
        reverse("portal:apply"),
        application_post_data(postal_code="9999999", prefecture="東京都", city="千代田区"),
    )
    assert ok.status_code == 302


def test_reload_and_double_click_create_one_application(client, yokohama):
    data = application_post_data()
    first = client.post(reverse("portal:apply"), data)
    second = client.post(reverse("portal:apply"), data)
    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1


def test_honeypot_is_thanked_but_not_stored(client, yokohama):
    response = client.post(reverse("portal:apply"), application_post_data(website="http://spam.example"))
    assert response.status_code == 302
    assert Application.objects.count() == 0


def test_outdated_policy_asks_for_consent_again(client, yokohama):
    response = client.post(reverse("portal:apply"), application_post_data(policy_version="0.1"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "個人情報の取扱いが更新されました" in html
    assert 'name="policy_version" value="1.0"' in html
    assert Application.objects.count() == 0


def test_rate_limit_answers_429_and_keeps_the_form(client, yokohama, settings):
    settings.OUENTAI_PUBLIC_FORM_RATE = "2/m"
    for _ in range(2):
        client.post(reverse("portal:apply"), application_post_data())
    response = client.post(reverse("portal:apply"), application_post_data(company_name="三件目株式会社"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "しばらく待ってから" in html
    assert 'value="三件目株式会社"' in html
    assert Application.objects.count() == 2


def test_contact_form_creates_inquiry(client, yokohama):
    data = inquiry_post_data(
        name="中村 直樹", email="nakamura@example.jp", subject="費用について", message="費用を教えてください"
    )
    response = client.post(reverse("portal:contact"), data)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.reference in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("program_wide", [True, False])
def test_faq_shows_only_answered_published_entries_once(client, yokohama, program_wide):
    marked = {"is_program_wide": program_wide}
    FaqEntry.objects.create(organization=yokohama, question="公開の質問", answer="回答", position=1, **marked)
    FaqEntry.objects.create(
        organization=yokohama, question="回答のない質問", answer="  ", position=2, **marked
    )
    FaqEntry.objects.create(
        organization=yokohama,
        question="非公開の質問",
        answer="回答",
        is_published=False,
        position=3,
        **marked,
    )
    # The organization's own page shows its entries whether or not they are also program-wide.
    pages = [reverse("org:faq", kwargs={"org": "yokohama"})] + (
        [reverse("portal:faq")] if program_wide else []
    )
    for url in pages:
        html = client.get(url).content.decode()
        assert html.count("公開の質問") == 1
        assert "回答のない質問" not in html
        assert "非公開の質問" not in html
    if not program_wide:
        assert "公開の質問" not in client.get(reverse("portal:faq")).content.decode()


def test_postal_code_endpoint(client, yokohama):
    response = client.get(reverse("portal:postal_code", args=["2100007"]))
    assert response.json() == {
        "found": True,
        "prefecture": "神奈川県",
        "city": "川崎市川崎区",
        "town": "駅前本町",
    }
    assert client.get(reverse("portal:postal_code", args=["0000000"])).status_code == 404


def test_healthz_reports_database_and_queue(client, yokohama):
    client.post(reverse("portal:apply"), application_post_data())
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["queue"]["waiting"] == 1  # the confirmation; no staff to notify
    assert body["queue"]["mail_pending"] == 1


def test_language_links_switch_and_only_go_back_to_this_site(client, yokohama):
    response = client.get("/language/en/?next=/faq/")
    assert response.status_code == 302 and response["Location"] == "/faq/"
    assert 'lang="en"' in client.get("/faq/").content.decode()
    assert client.get("/language/en/?next=https://evil.example/")["Location"] == "/"
    assert client.get("/language/xx/").status_code == 404


def test_public_pages_carry_no_csrf_cookie_and_edits_show_at_once(
    client, staff, yokohama, django_capture_on_commit_callbacks
):
    first = client.get("/faq/")
    assert "csrftoken" not in first.cookies
    assert "csrftoken" not in client.get("/o/yokohama/faq/").cookies
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/console/content/faq/new/",
            {"question": "新しい質問", "answer": "新しい回答", "is_published": "on", "is_program_wide": "on"},
        )
    client.logout()
    assert "新しい質問" in client.get("/faq/").content.decode()
    assert "新しい質問" in client.get("/o/yokohama/faq/").content.decode()


def test_a_message_for_one_visitor_is_never_cached_for_others(client, yokohama, rf):
    from django.contrib import messages

    from ouentai.portal.views import home

    client.get("/")  # not cached yet; now cache it cleanly
    from django.core.cache import cache

    cache.clear()
    request = rf.get("/")
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.info(request, "あなただけへのお知らせ")
    assert "あなただけへのお知らせ" in home(request).content.decode()
    assert "あなただけへのお知らせ" not in client.get("/").content.decode()
