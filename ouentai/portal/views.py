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

from ouentai.accounts.models import Organization
from ouentai.accounts.selectors import (
    organization_covering,
    organization_for_portal,
    organization_public_list,
)
from ouentai.accounts.sites import site_enter, site_reverse, site_use
from ouentai.community.models import Contact
from ouentai.community.services import application_submit, inquiry_submit
from ouentai.community.services.newsletters import contact_set_consent
from ouentai.content.forms import consent_ask_again
from ouentai.content.selectors import faq_public_list, news_public_list, privacy_policy_current
from ouentai.core.errors import DomainError
from ouentai.core.forms import PublicForm, add_domain_error
from ouentai.core.jp import JapaneseDataError, postal_lookup
from ouentai.core.pagecache import PROGRAM_SITE, page_version, page_version_key
from ouentai.core.ratelimit import client_address, form_rate, form_refuse_rate_limited
from ouentai.events.selectors import event_public_list
from ouentai.portal.forms import ApplicationForm, FinderForm, InquiryForm

# Public pages that are the same for every visitor are rendered once per site and language and kept for
# this many seconds (content edits through the services take effect at once: they bump the site's
# version; events and the list of organizations shown on home pages follow within this time).
PUBLIC_PAGE_SECONDS = 60


def _owner(site_org: Organization | None) -> Organization:
    """Whose content and privacy policy a page shows: the site's organization, or on the program-wide
    pages the organization that speaks for the program."""
    return site_org or organization_for_portal()


def _cached_page(
    request: HttpRequest, org: str | None, name: str, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """Serve a visitor-independent page from the cache, keyed by its site (the program or one
    organization), the host it is seen on (links differ on an organization's own host name) and the
    language. Signed-in visitors see links for their role in the footer: their pages are never cached
    nor served from the cache. Anything that varies per visitor (a form, a message) must not be on such
    a page."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return build()
    site = org or PROGRAM_SITE
    key = f"portal:{site}:{name}:{request.get_host()}:{get_language()}"
    version_key = page_version_key(site)
    found = cache.get_many([version_key, key])  # one round trip to the cache
    version = found.get(version_key) or page_version(site)
    cached = found.get(key)
    if cached is not None and cached[0] == version:
        return HttpResponse(cached[1])
    pending_messages = len(get_messages(request)) > 0  # shown to this visitor only: never cached
    response = build()
    if response.status_code == 200 and not pending_messages:
        cache.set(key, (version, response.content), PUBLIC_PAGE_SECONDS)
    return response


HOME_NEWS = 5
HOME_EVENTS = 3


def home(request: HttpRequest, org: str | None = None) -> HttpResponse:
    """The program-wide home (what the program is, the implementing organizations and their areas, the
    finder, the program's news) or an organization's home (its areas, contact details, news, events)."""

    def build() -> HttpResponse:
        site_org = site_enter(request, org)
        if site_org is None:
            context: dict[str, Any] = {
                "organizations": organization_public_list(),
                "news": news_public_list(organization=organization_for_portal(), program_wide=True)[
                    :HOME_NEWS
                ],
                "finder": FinderForm(),
            }
            return render(request, "portal/home.html", context)
        context = {
            "organization": site_org,
            "areas": list(site_org.areas.all()),
            "news": news_public_list(organization=site_org)[:HOME_NEWS],
            "events": event_public_list(upcoming=True, organization=site_org)[:HOME_EVENTS],
        }
        return render(request, "portal/organization_home.html", context)

    return _cached_page(request, org, "home", build)


def faq(request: HttpRequest, org: str | None = None) -> HttpResponse:
    def build() -> HttpResponse:
        site_org = site_enter(request, org)
        entries = faq_public_list(organization=_owner(site_org), program_wide=site_org is None)
        return render(request, "portal/faq.html", {"entries": entries})

    return _cached_page(request, org, "faq", build)


def find(request: HttpRequest) -> HttpResponse:
    """「Which organization serves my company?」: the organization whose area covers a postal code
    (offline Japan Post data and the organizations' areas), or the default organization that takes
    what no area covers."""
    site_use(request, None)
    form = FinderForm(request.GET or None)
    context: dict[str, Any] = {"finder": form, "organizations": organization_public_list()}
    status = 200
    if form.is_bound:
        if form.is_valid():
            address = form.cleaned_data["address"]
            context["address"] = address
            context["covering"] = organization_covering(address.municipality_code)
            if context["covering"] is None:
                context["default"] = organization_for_portal()
        else:
            status = 400
    return render(request, "portal/find.html", context, status=status)


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


def news_list(request: HttpRequest, org: str | None = None) -> HttpResponse:
    site_org = site_enter(request, org)
    items = news_public_list(organization=_owner(site_org), program_wide=site_org is None)
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(request, "portal/news_list.html", {"page": page})


def news_detail(request: HttpRequest, pk: int, org: str | None = None) -> HttpResponse:
    site_org = site_enter(request, org)
    items = news_public_list(organization=_owner(site_org), program_wide=site_org is None)
    item = get_object_or_404(items, pk=pk)
    return render(request, "portal/news_detail.html", {"item": item})


def privacy(request: HttpRequest, org: str | None = None) -> HttpResponse:
    site_org = site_enter(request, org)
    policy = privacy_policy_current(organization=_owner(site_org))
    if policy is None:
        raise Http404
    return render(request, "portal/privacy.html", {"policy": policy, "owner": _owner(site_org)})


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/rate_limited.html", status=429)


def _public_form_view(
    request: HttpRequest,
    *,
    site_org: Organization | None,
    form_class: type[ApplicationForm] | type[InquiryForm],
    submit: Any,
    template: str,
    done_page: str,
    receipt_cookie: str,
) -> HttpResponse:
    """GET shows a fresh form with a once-only token; POST validates, calls the service and redirects
    to the thank-you page (a reload of the POST finds the same record). Anything refused re-renders
    the form with every typed value kept.

    On an organization's own pages the consent is to that organization's policy and the submission goes
    to it (an address in another organization's area is shown to its staff, not sent on: the person
    agreed to this organization's handling of their data); on the program-wide pages the consent is to
    the policy of the organization that speaks for the program and the service routes by area."""
    owner = _owner(site_org)
    policy = privacy_policy_current(organization=owner)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if getattr(request, "limited", False):
            form_refuse_rate_limited(form)
            status = 429
        elif form.is_valid():
            if form.is_bot:
                return redirect(site_reverse(request, site_org, done_page))
            try:
                record, _created = submit(
                    data=form.to_data(),
                    token=form.cleaned_data["form_token"],
                    consent=form.cleaned_data["consent"],
                    policy=policy,
                    policy_version=form.cleaned_data["policy_version"],
                    language=get_language() or "ja",
                    organization=site_org,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = 400
            else:
                response = redirect(site_reverse(request, site_org, done_page))
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
    if site_org is not None and "postal_code" in form.fields:
        form.fields["postal_code"].help_text = ""  # no routing on an organization's own form
    context = {
        "form": form,
        "policy": policy,
        "form_routes_by_area": site_org is None,
        "reply_days": owner.reply_due_business_days,
        "areas_label": "、".join(area.name for area in site_org.areas.all()) if site_org is not None else "",
    }
    return render(request, template, context, status=status)


@ratelimit(key=client_address, rate=form_rate, method="POST", block=False)
def apply(request: HttpRequest, org: str | None = None) -> HttpResponse:
    return _public_form_view(
        request,
        site_org=site_enter(request, org),
        form_class=ApplicationForm,
        submit=application_submit,
        template="portal/apply.html",
        done_page="apply_done",
        receipt_cookie="application_receipt",
    )


RECEIPT_SECONDS = 3600


def _receipt(request: HttpRequest, cookie: str) -> dict[str, object]:
    """The reference number and reply date of what this browser just submitted (a signed cookie)."""
    raw = request.get_signed_cookie(cookie, default=None, salt=cookie, max_age=RECEIPT_SECONDS)
    receipt = json.loads(raw) if raw else {}
    due = receipt.get("due_on")
    return {"reference": receipt.get("reference"), "due_on": dt.date.fromisoformat(due) if due else None}


def apply_done(request: HttpRequest, org: str | None = None) -> HttpResponse:
    site_enter(request, org)
    return render(request, "portal/apply_done.html", _receipt(request, "application_receipt"))


@ratelimit(key=client_address, rate=form_rate, method="POST", block=False)
def contact(request: HttpRequest, org: str | None = None) -> HttpResponse:
    return _public_form_view(
        request,
        site_org=site_enter(request, org),
        form_class=InquiryForm,
        submit=inquiry_submit,
        template="portal/contact.html",
        done_page="contact_done",
        receipt_cookie="inquiry_receipt",
    )


def contact_done(request: HttpRequest, org: str | None = None) -> HttpResponse:
    site_enter(request, org)
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
    contact = get_object_or_404(Contact.objects.select_related("organization"), unsubscribe_token=token)
    site_use(request, contact.organization)
    if request.method == "POST":
        contact_set_consent(contact=contact, consent=False, actor=None, source="unsubscribe link")
        return render(request, "portal/unsubscribe.html", {"done": True})
    return render(request, "portal/unsubscribe.html", {"done": False, "organization": contact.organization})
