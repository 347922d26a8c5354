"""Our own error pages: 400, 403, 404, 405, 500 and a refused CSRF check, in Japanese (English when the
visitor chose it), in the look of the part of the site the visitor was in, with a way back and nothing
internal. Wired in config.urls (handler400…500), CSRF_FAILURE_VIEW and ErrorPageMiddleware (405, which
Django answers with an empty body). Under DEBUG Django still shows its debug pages for 404 and 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import csrf

logger = logging.getLogger(__name__)

CONSOLE_PREFIX = "/console/"

TEXTS: dict[int, tuple[Promise, Promise]] = {
    400: (
        _("リクエストを処理できませんでした"),
        _("送信された内容を読み取れませんでした。ページを読み込み直してから、もう一度お試しください。"),
    ),
    403: (
        _("このページを表示する権限がありません"),
        _("お使いのアカウントでは、このページを開けません。必要な場合は事務局にお問い合わせください。"),
    ),
    404: (
        _("ページが見つかりません"),
        _("お探しのページは、移動または削除されたか、アドレスが間違っている可能性があります。"),
    ),
    405: (
        _("この操作はできません"),
        _(
            "このページでは、その方法での送信を受け付けていません。ページを読み込み直してから操作してください。"
        ),
    ),
    500: (
        _("エラーが発生しました"),
        _(
            "申し訳ありません。サーバーで問題が起きたため、ページを表示できませんでした。"
            "しばらくしてから、もう一度お試しください。"
        ),
    ),
}

CSRF_TEXTS = (
    _("送信を受け付けられませんでした"),
    _(
        "安全のための確認ができませんでした。ページを開いてから時間がたったか、ブラウザーでCookieが"
        "無効になっている可能性があります。ページを読み込み直して、もう一度送信してください。"
    ),
)

# Shown when even the error page cannot be rendered (the template or the database failing).
FALLBACK = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>エラー / Error</title></head>'
    "<body><h1>エラーが発生しました / An error occurred</h1>"
    "<p>しばらくしてから、もう一度お試しください。 Please try again later.</p>"
    '<p><a href="/">トップページへ / Home</a></p></body></html>'
)


def _in_console(request: HttpRequest) -> bool:
    """Console look only for console users inside the console: anyone else gets the public look (whose
    links all open for them)."""
    user = getattr(request, "user", None)
    return request.path.startswith(CONSOLE_PREFIX) and bool(getattr(user, "can_use_console", False))


def error_page(
    request: HttpRequest,
    status: int,
    *,
    title: str | Promise | None = None,
    message: str | Promise | None = None,
) -> HttpResponse:
    """Our page for an HTTP error ``status``, with the standard texts unless others are given."""
    default_title, default_message = TEXTS[status]
    context = {
        "status": status,
        "title": title or default_title,
        "message": message or default_message,
        "console": False,
    }
    try:
        if status >= 500:
            # Nothing that needs the database (it may be what failed): no user, no messages.
            body: str = render_to_string("errors/500.html", context, request)
        else:
            context["console"] = _in_console(request)
            body = render_to_string("errors/error.html", context, request)
    except Exception:
        logger.exception("the error page %s could not be rendered", status)
        body = FALLBACK
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check (403). Under DEBUG, Django's page that tells the developer why."""
    if settings.DEBUG:
        return csrf.csrf_failure(request, reason=reason)
    title, message = CSRF_TEXTS
    return error_page(request, 403, title=title, message=message)


class ErrorPageMiddleware:
    """Django answers a request with a method a view does not take (GET to a POST-only action) with an
    empty 405: give it our page, keeping the Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "content", b"x"):
            page = error_page(request, 405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
