"""The public portal: pages, Q&A, news, privacy policy, and the application and inquiry forms.

A surface only: forms parse, services decide."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from ouentai.accounts.selectors import organization_for_portal
from ouentai.community.models import Contact
from ouentai.community.services import application_submit, inquiry_submit
from ouentai.community.services.newsletters import contact_set_consent
from ouentai.content.forms import consent_ask_again
from ouentai.content.selectors import (
    CONTENT_VERSION_KEY,
    content_version,
    faq_public_list,
    news_public_list,
    privacy_policy_current,
)
from ouentai.core.errors import DomainError
from ouentai.core.forms import PublicForm, add_domain_error
from ouentai.core.jp import JapaneseDataError, postal_lookup
from ouentai.core.ratelimit import client_address, form_rate, form_refuse_rate_limited
from ouentai.portal.forms import ApplicationForm, InquiryForm

# Public pages that are the same for every visitor are rendered once per language and kept for this many
# seconds (content edits through the services take effect at once: they bump the content version).
PUBLIC_PAGE_SECONDS = 60


def _cached_page(request: HttpRequest, name: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """Serve a visitor-independent page from the cache; anything that varies per visitor (a form, a
    message) must not be on such a page."""
    key = f"portal:{name}:{get_language()}"
    found = cache.get_many([CONTENT_VERSION_KEY, key])  # one round trip to the cache
    version = found.get(CONTENT_VERSION_KEY) or content_version()
    cached = found.get(key)
    if cached is not None and cached[0] == version:
        return HttpResponse(cached[1])
    pending_messages = len(get_messages(request)) > 0  # shown to this visitor only: never cached
    response = build()
    if response.status_code == 200 and not pending_messages:
        cache.set(key, (version, response.content), PUBLIC_PAGE_SECONDS)
    return response


def home(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        organization = organization_for_portal()
        news = news_public_list(organization=organization)[:5]
        return render(request, "portal/home.html", {"organization": organization, "news": news})

    return _cached_page(request, "home", build)


def faq(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        organization = organization_for_portal()
        return render(request, "portal/faq.html", {"entries": faq_public_list(organization=organization)})

    return _cached_page(request, "faq", build)


def language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the interface language (a cookie) and go back to the page the visitor was on. A link, not a
    form, so that public pages carry no CSRF token and can be cached."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def news_list(request: HttpRequest) -> HttpResponse:
    organization = organization_for_portal()
    page = Paginator(news_public_list(organization=organization), 20).get_page(request.GET.get("page"))
    return render(request, "portal/news_list.html", {"page": page})


def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for_portal()
    item = get_object_or_404(news_public_list(organization=organization), pk=pk)
    return render(request, "portal/news_detail.html", {"item": item})


def privacy(request: HttpRequest) -> HttpResponse:
    policy = privacy_policy_current(organization=organization_for_portal())
    if policy is None:
        raise Http404
    return render(request, "portal/privacy.html", {"policy": policy})


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/rate_limited.html", status=429)


def _public_form_view(
    request: HttpRequest,
    *,
    form_class: type[ApplicationForm] | type[InquiryForm],
    submit: Any,
    template: str,
    done_url: str,
    receipt_cookie: str,
) -> HttpResponse:
    """GET shows a fresh form with a once-only token; POST validates, calls the service and redirects
    to the thank-you page (a reload of the POST finds the same record). Anything refused re-renders
    the form with every typed value kept."""
    organization = organization_for_portal()
    policy = privacy_policy_current(organization=organization)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if getattr(request, "limited", False):
            form_refuse_rate_limited(form)
            status = 429
        elif form.is_valid():
            if form.is_bot:
                return redirect(done_url)
            try:
                record, _created = submit(
                    data=form.to_data(),
                    token=form.cleaned_data["form_token"],
                    consent=form.cleaned_data["consent"],
                    policy=policy,
                    policy_version=form.cleaned_data["policy_version"],
                    language=get_language() or "ja",
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = 400
            else:
                response = redirect(done_url)
                # The receipt travels in a short-lived signed cookie: no session row per visitor.
                response.set_signed_cookie(
                    receipt_cookie,
                    json.dumps({"reference": record.reference, "due_on": record.due_on.isoformat()}),
                    salt=receipt_cookie,
                    max_age=RECEIPT_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
                return response
        else:
            status = 400
        if status != 200:
            consent_ask_again(form, policy)
    else:
        form = form_class(initial=PublicForm.initial_for(policy.version if policy else ""))
    context = {"form": form, "policy": policy, "reply_days": organization.reply_due_business_days}
    return render(request, template, context, status=status)


@ratelimit(key=client_address, rate=form_rate, method="POST", block=False)
def apply(request: HttpRequest) -> HttpResponse:
    return _public_form_view(
        request,
        form_class=ApplicationForm,
        submit=application_submit,
        template="portal/apply.html",
        done_url="portal:apply_done",
        receipt_cookie="application_receipt",
    )


RECEIPT_SECONDS = 3600


def _receipt(request: HttpRequest, cookie: str) -> dict[str, object]:
    """The reference number and reply date of what this browser just submitted (a signed cookie)."""
    raw = request.get_signed_cookie(cookie, default=None, salt=cookie, max_age=RECEIPT_SECONDS)
    receipt = json.loads(raw) if raw else {}
    due = receipt.get("due_on")
    return {"reference": receipt.get("reference"), "due_on": dt.date.fromisoformat(due) if due else None}


def apply_done(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/apply_done.html", _receipt(request, "application_receipt"))


@ratelimit(key=client_address, rate=form_rate, method="POST", block=False)
def contact(request: HttpRequest) -> HttpResponse:
    return _public_form_view(
        request,
        form_class=InquiryForm,
        submit=inquiry_submit,
        template="portal/contact.html",
        done_url="portal:contact_done",
        receipt_cookie="inquiry_receipt",
    )


def contact_done(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/contact_done.html", _receipt(request, "inquiry_receipt"))


@require_GET
def postal_code(request: HttpRequest, code: str) -> JsonResponse:
    """Address parts for a postal code, for the form's auto-fill (offline Japan Post data)."""
    try:
        found = postal_lookup(code)
    except JapaneseDataError:
        found = None
    if found is None:
        return JsonResponse({"found": False}, status=404)
    return JsonResponse(
        {"found": True, "prefecture": found.prefecture, "city": found.city, "town": found.town},
        headers={"Cache-Control": "public, max-age=86400"},
    )


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" without a form token
def unsubscribe(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Stop newsletters for the contact this secret link belongs to: GET asks, POST confirms (from the
    page's button or from the mail provider's one-click request). Saying so twice is harmless."""
    contact = get_object_or_404(Contact, unsubscribe_token=token)
    if request.method == "POST":
        contact_set_consent(contact=contact, consent=False, actor=None, source="unsubscribe link")
        return render(request, "portal/unsubscribe.html", {"done": True})
    return render(request, "portal/unsubscribe.html", {"done": False, "organization": contact.organization})
