"""Issue 11, defect 8: error pages are ours, in Japanese (English when chosen), with a way back and nothing
internal, in every setting but DEBUG (where developers keep Django's pages)."""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from ouentai.accounts.choices import Role
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db

INTERNALS = ("Traceback", "django.", "Django", "Bad Request (400)", "Server Error (500)", "Not Found</h1>")


def assert_ours(response, status, title):
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in html, html[:2000]
    assert f"エラーコード：{status}" in html
    for internal in INTERNALS:
        assert internal not in html, internal
    return html


def test_404_is_ours_with_a_way_back(client, yokohama):
    html = assert_ours(client.get("/no-such-page/"), 404, "ページが見つかりません")
    assert 'href="/"' in html and 'href="/contact/"' in html
    assert '<html lang="ja">' in html


def test_404_in_english_when_the_visitor_chose_english(client, yokohama):
    client.get("/language/en/?next=/")
    html = client.get("/no-such-page/").content.decode()
    assert "<h1>Page not found</h1>" in html and '<html lang="en">' in html


def test_404_inside_an_organizations_pages_is_in_its_name(client, yokohama, kawasaki):
    html = assert_ours(client.get("/o/kawasaki/news/999/"), 404, "ページが見つかりません")
    assert 'href="/o/kawasaki/"' in html and "ITコーディネータ川崎" in html


def test_console_errors_in_the_console_look_for_console_users_only(client, staff, yokohama):
    client.force_login(staff)
    html = assert_ours(client.get("/console/applications/999999/"), 404, "ページが見つかりません")
    assert "事務局コンソール" in html and 'class="console-header"' in html
    partner = make_user(yokohama, Role.PARTNER)
    client.force_login(partner)
    html = assert_ours(client.get("/console/"), 403, "このページを表示する権限がありません")
    assert 'class="console-header"' not in html  # the console's menu would not open for a partner


def test_400_is_ours(client, yokohama):
    assert_ours(client.get("/", HTTP_HOST="not-allowed.example"), 400, "リクエストを処理できませんでした")


def test_403_is_ours(client, yokohama):
    member = make_user(yokohama, Role.MEMBER)
    client.force_login(member)
    assert_ours(client.get("/console/"), 403, "このページを表示する権限がありません")


def test_405_is_ours_and_keeps_the_allowed_methods(client, yokohama):
    response = client.get("/accounts/logout/")
    assert_ours(response, 405, "この操作はできません")
    assert "POST" in response["Allow"]


def test_500_is_ours_without_internals(yokohama, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("ouentai.portal.views.faq_public_list", broken)
    client = Client(raise_request_exception=False)
    html = assert_ours(client.get("/faq/"), 500, "エラーが発生しました")
    assert "secret internal detail" not in html and "RuntimeError" not in html
    assert 'href="/"' in html


def test_500_when_even_the_page_cannot_be_rendered(yokohama, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("ouentai.portal.views.faq_public_list", broken)
    monkeypatch.setattr("ouentai.core.errorpages.render_to_string", broken)
    response = Client(raise_request_exception=False).get("/faq/")
    assert response.status_code == 500
    assert "エラーが発生しました" in response.content.decode() and "boom" not in response.content.decode()


def test_csrf_failure_is_ours(yokohama):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/contact/", {"name": "x"})
    html = assert_ours(response, 403, "送信を受け付けられませんでした")
    assert "読み込み直して" in html


def test_under_debug_developers_keep_djangos_pages(client, yokohama, settings):
    settings.DEBUG = True
    html = client.get("/no-such-page/").content.decode()
    assert "Using the URLconf defined in" in html  # Django's technical 404


@pytest.mark.parametrize("module", ["config.settings.test", "config.settings.production"])
def test_test_and_production_settings_use_our_pages(module):
    code = (
        "import django, json; django.setup(); from django.conf import settings; from django.urls import "
        "get_resolver; r = get_resolver(); print(json.dumps([settings.DEBUG, settings.CSRF_FAILURE_VIEW, "
        "[getattr(r.urlconf_module, f'handler{n}') for n in (400, 403, 404, 500)], "
        "'ouentai.core.errorpages.ErrorPageMiddleware' in settings.MIDDLEWARE]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "ouentai.example.jp",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    debug, csrf_view, handlers, middleware = json.loads(out.stdout)
    assert debug is False
    assert csrf_view == "ouentai.core.errorpages.csrf_failure"
    assert handlers == [
        "ouentai.core.errorpages.bad_request",
        "ouentai.core.errorpages.permission_denied",
        "ouentai.core.errorpages.page_not_found",
        "ouentai.core.errorpages.server_error",
    ]
    assert middleware
