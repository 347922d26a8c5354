"""A deployment with no organization yet answers public pages with a clear 503, not a server error."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ouentai.accounts.models import Organization


class NotConfiguredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Organization.DoesNotExist):
            return render(request, "portal/not_configured.html", status=503)
        return None
