"""Refuse request bodies that are not UTF-8, before anything reads them.

Our pages send UTF-8 only. A body declared in another character set (``charset=utf-16``, shift_jis, a
name no codec knows) or with bytes that are not UTF-8 would otherwise be read as mojibake, stored with
replacement characters, or fail inside Django's own error handling (the CSRF check reads the form again
and a server answers a bare 500). Such a request gets our 400 page, and nothing is stored."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ouentai.core.errorpages import error_page

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
UTF8_CODECS = frozenset({"utf-8", "ascii"})  # ASCII is a subset of UTF-8
FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
REPLACEMENT_CHARACTER = "\ufffd"

MESSAGE = _(
    "送信された内容の文字コードを読み取れませんでした（UTF-8 で送信してください）。"
    "ページを読み込み直してから、もう一度お試しください。"
)


def charset_is_utf8(charset: str) -> bool:
    """Whether a declared charset names UTF-8 (or ASCII); unknown names are not."""
    try:
        return codecs.lookup(charset).name in UTF8_CODECS
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return False


def urlencoded_is_utf8(body: bytes) -> bool:
    """Whether every name and value of a form-encoded body decodes as UTF-8 once %-unescaped."""
    for pair in body.split(b"&"):
        for part in pair.split(b"=", 1):
            try:
                part.decode("ascii")  # the encoding itself is ASCII; anything else is raw bytes
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


class RequestEncodingMiddleware:
    """400 with our page for a body in another character set or not valid UTF-8: the declared charset
    of any body, the bytes of a form-encoded body, and the fields of a multipart body (Django replaces
    undecodable bytes there with U+FFFD)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS and not self._readable(request):
            return error_page(request, 400, message=MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _readable(request: HttpRequest) -> bool:
        charset = request.content_params.get("charset") if request.content_params else None
        if charset is not None:
            if not charset_is_utf8(charset):
                return False
            request.encoding = "utf-8"  # "UTF8", "us-ascii": read as what they are (Django wants "utf-8")
        if request.content_type == FORM_URLENCODED:
            return urlencoded_is_utf8(request.body)
        if request.content_type == MULTIPART:
            fields = request.POST
            return not any(
                REPLACEMENT_CHARACTER in key
                or any(REPLACEMENT_CHARACTER in value for value in fields.getlist(key))
                for key in fields
            )
        return True
