"""Middleware of the public site: an organization's pages on its own host name, and a deployment with
no organization yet answering with a clear 503 rather than a server error."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import Resolver404, resolve

from ouentai.accounts.addresses import organization_prefix
from ouentai.accounts.hosts import may_be_organization_host
from ouentai.accounts.models import Organization
from ouentai.accounts.selectors import organization_slug_for_host


class OrganizationHostMiddleware:
    """On an organization's own host name (Organization.public_host), serve its /o/<slug>/ pages at the
    root: ``https://itc-kawasaki.example.jp/faq/`` is ``/o/kawasaki/faq/``. Paths that are not among the
    organization's pages (the console, sign-in, an event's page, static files) are served as on any
    host. The host is read with ``request.get_host()``, so it must be in ALLOWED_HOSTS (else Django
    answers 400 before anything is looked up); ``request.path`` stays what the visitor asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host, _port = split_domain_port(request.get_host())
        slug = organization_slug_for_host(host) if may_be_organization_host(host) else None
        if slug is not None:
            request.host_organization_slug = slug  # type: ignore[attr-defined]
            prefix = organization_prefix(slug)
            if not request.path_info.startswith(prefix):
                candidate = prefix + request.path_info.lstrip("/")
                try:
                    resolve(candidate)
                except Resolver404:
                    pass
                else:
                    request.path_info = candidate
        return self.get_response(request)


class NotConfiguredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Organization.DoesNotExist):
            return render(request, "portal/not_configured.html", status=503)
        return None
