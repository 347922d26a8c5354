"""Who may open what, for every URL and every role, on the demo data (`make run`'s, in Japanese).

1. The URL × role walk (issue "one shape"): every URL the project serves, filled with real records of
   the Yokohama organization, requested by each demo role and by Kawasaki's staff. Where a role has no
   business, the answer is a refusal (login, 403, 404 or 405), for GET and for POST; elsewhere never a
   server error. A new URL with an id in it must be added to ``record_ids`` (the test says so).
2. The crawl per role (field trial, defect 8): starting from each role's home page, every link the
   role is shown opens for that role (2xx or 3xx).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User

pytestmark = pytest.mark.django_db

# Where each area of the site lives, and which roles have business there (None: everyone).
AREAS: list[tuple[str, frozenset[str] | None]] = [
    ("console/", frozenset({Role.ORG_ADMIN, Role.STAFF, Role.COORDINATOR})),
    ("my/join/", None),  # an invitation link: its token is the permission
    ("my/", frozenset({Role.MEMBER})),
    ("network/partner/", frozenset({Role.PARTNER})),
    ("network/expert/", frozenset({Role.EXPERT})),
    ("network/knowhow/", frozenset({Role.PARTNER, Role.EXPERT})),
    ("office/", frozenset({Role.PROGRAM_OFFICE})),
]
# Not walked: Django's admin (its own permission system, tested in the apps) and the health check.
SKIPPED = ("admin/", "healthz")
ROLES = [
    "anonymous", Role.MEMBER, Role.PARTNER, Role.EXPERT, Role.COORDINATOR, Role.STAFF, Role.ORG_ADMIN,
    Role.PROGRAM_OFFICE,
]  # fmt: skip


def url_patterns() -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []

    def walk(items: Any, prefix: str) -> None:
        for item in items:
            if isinstance(item, URLResolver):
                walk(item.url_patterns, prefix + str(item.pattern))
            elif isinstance(item, URLPattern):
                found.append((prefix + str(item.pattern), item))

    walk(get_resolver().url_patterns, "")
    return [(route, pattern) for route, pattern in found if not route.startswith(SKIPPED)]


def area_roles(route: str) -> frozenset[str] | None:
    for prefix, roles in AREAS:
        if route.startswith(prefix):
            return roles
    return None


@pytest.fixture
def demo(django_db_blocker: Any) -> dict[str, Any]:
    call_command("demo_data", verbosity=0)
    yokohama = Organization.objects.get(slug="yokohama")
    # Everyone of Yokohama, and the program office (which belongs to its own organization).
    users = {
        role: User.objects.filter(role=role, is_active=True)
        .filter(**({} if role == Role.PROGRAM_OFFICE else {"organization": yokohama}))
        .first()
        for role in ROLES[1:]
    }
    missing = [role for role, user in users.items() if user is None]
    assert not missing, f"the demo data has no user with role {missing}"
    demo_case(yokohama)
    return {
        "yokohama": yokohama,
        "users": users,
        "other_staff": User.objects.get(
            organization__slug="kawasaki", role=Role.STAFF, email__startswith="staff@"
        ),
    }


def demo_case(yokohama: Organization) -> Any:
    """A case of the demo member's company waiting for its consent, with a photo (made through the
    services from its engagement, completed for it) unless the demo data has cases of its own."""
    from ouentai.cases.models import Case
    from ouentai.cases.services import authoring, workflow
    from ouentai.community.models import MemberAccount
    from ouentai.engagements.choices import EngagementStatus
    from ouentai.engagements.models import Engagement
    from ouentai.engagements.services import engagement_set_status
    from tests.cases.factories import case_data

    found = Case.objects.filter(organization=yokohama).order_by("pk").first()
    if found is not None:
        return found
    company_id = MemberAccount.objects.filter(organization=yokohama).values_list("company_id", flat=True)[0]
    engagement = Engagement.objects.filter(organization=yokohama, company_id=company_id).order_by("pk")[0]
    engagement = engagement_set_status(
        engagement=engagement, status=EngagementStatus.COMPLETED, actor=engagement.lead
    )
    case = authoring.case_create_from_engagement(
        engagement=engagement, actor=engagement.lead, data=case_data()
    )
    photo = SimpleUploadedFile("工場.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    authoring.case_media_add(
        case=case, actor=engagement.lead, upload=photo, kind="photo", alt_text="工場の様子"
    )
    case = workflow.case_submit(case=case, actor=engagement.lead)
    staff = User.objects.get(email="staff@yokohama.example.jp")
    return workflow.case_request_consent(case=case, actor=staff, variant="anonymous")


def record_ids(yokohama: Organization) -> dict[str, dict[str, Any]]:
    """Real records of Yokohama for every URL that names one, by the start of the route."""
    from ouentai.cases.models import CaseMedia
    from ouentai.cases.selectors.public import public_cases
    from ouentai.community.models import (
        Application,
        Company,
        CompanyImport,
        Inquiry,
        Newsletter,
        ReplyTemplate,
    )
    from ouentai.community.services import import_upload, newsletter_save
    from ouentai.content.models import FaqEntry, NewsItem
    from ouentai.engagements.models import Attachment, Engagement
    from ouentai.events.models import Event, Registration
    from ouentai.knowhow.choices import Visibility
    from ouentai.knowhow.models import Item
    from ouentai.network.models import DispatchRequest, DispatchScheme, Expert, SupportOrganization
    from ouentai.outcomes.models import AnnualReport

    def first(model: Any, **filters: Any) -> Any:
        found = model.objects.filter(**filters).order_by("pk").first()
        assert found is not None, f"the demo data has no {model.__name__} for {filters}"
        return found

    org = {"organization": yokohama}
    company = first(Company, **org)
    engagement = first(Engagement, **org)
    registration = first(Registration, **org)
    dispatch = first(DispatchRequest, **org)
    attachment = Attachment.objects.filter(engagement__organization=yokohama).first()
    plan = engagement.plan_versions.order_by("number").first()
    news = NewsItem.objects.filter(organization=yokohama).first()
    own_item = first(Item, visibility=Visibility.ORGANIZATION, files__isnull=False, **org)
    shared_item = first(Item, visibility=Visibility.PLATFORM, files__isnull=False, **org)
    public_item = first(Item, visibility=Visibility.PUBLIC, files__isnull=False, **org)
    staff = User.objects.get(email="staff@yokohama.example.jp")
    case = demo_case(yokohama)
    case_media = case.media.order_by("pk").first()
    case_ids = {
        "pk": case.pk,
        "engagement_pk": case.engagement_id,
        "media_pk": case_media.pk if case_media else 0,
        "consent_pk": case.consents.values_list("pk", flat=True).first() or 0,
    }
    company_import = CompanyImport.objects.filter(**org).first() or import_upload(
        organization=yokohama, upload=SimpleUploadedFile("a.csv", "会社名\nA社\n".encode()), actor=staff
    )
    newsletter = Newsletter.objects.filter(**org).first() or newsletter_save(
        organization=yokohama, newsletter=None, subject="今月のお知らせ", body="本文", segment=None,
        per_minute=10, actor=staff,
    )  # fmt: skip
    public_case = public_cases().filter(organization=yokohama).first()
    public_media = CaseMedia.objects.filter(case=public_case).first() if public_case else None
    return {
        "console/applications/": {"pk": first(Application, **org).pk},
        "console/inquiries/": {"pk": first(Inquiry, **org).pk},
        "console/companies/import/": {"pk": company_import.pk, "row_pk": 0},  # a held row: POST only
        "console/companies/": {
            "pk": company.pk,
            "other_pk": first(Company, pk__gt=company.pk, **org).pk,
            "contact_pk": company.contacts.first().pk if company.contacts.exists() else 0,
        },
        "console/newsletters/": {"pk": newsletter.pk},
        "console/content/faq/": {"pk": first(FaqEntry, **org).pk},
        "console/content/news/": {"pk": news.pk} if news else {},
        "console/events/": {"pk": registration.event_id, "reg_pk": registration.pk, "fmt": "csv"},
        "console/engagements/": {
            "pk": engagement.pk,
            "attachment_pk": attachment.pk if attachment else 0,
            "number": plan.number if plan else 1,
            "company_pk": company.pk,
        },
        "console/network/organizations/": {"pk": first(SupportOrganization, **org).pk},
        "console/network/schemes/": {"pk": first(DispatchScheme, **org).pk},
        "console/network/experts/": {"pk": first(Expert, **org).pk},
        "console/network/dispatches/": {"pk": dispatch.pk, "fmt": "csv"},
        "console/network/": {"fmt": "csv"},
        "console/knowhow/": {"pk": own_item.pk, "number": 1},
        "network/knowhow/": {"pk": shared_item.pk, "number": 1},
        "knowhow/": {"pk": public_item.pk},
        "network/partner/": {"pk": dispatch.pk, "fmt": "csv"},
        "network/expert/": {"pk": dispatch.pk},
        "console/cases/": case_ids,
        "my/cases/": case_ids,
        "my/": {"pk": engagement.pk, "number": plan.number if plan else 1},
        "events/": {"pk": first(Event, **org).pk, "token": registration.token},
        "news/": {"pk": news.pk} if news else {},
        # A public case of the demo data if it has one; else a key no case has (a 404 for everyone).
        "cases/": {
            "key": public_case.public_key if public_case else "00000000-0000-4000-8000-000000000000",
            "pk": public_media.pk if public_media else 0,
        },
        "console/replies/templates/": {"pk": first(ReplyTemplate, **org).pk},
        # The demo builds Yokohama's annual report of this year; else an id no report has (a 404).
        "console/outcomes/": {
            "key": "engagements_started",
            "pk": AnnualReport.objects.filter(**org).values_list("pk", flat=True).first() or 0,
        },
        "o/": {
            "org": yokohama.slug,
            "pk": news.pk if news else 0,
            "token": "00000000-0000-4000-8000-000000000000",
        },
        "accounts/password/": {"uidb64": "MQ", "token": "set-password"},
        "": {"code": "2310023", "token": "00000000-0000-4000-8000-000000000000"},
    }


def fill(route: str, ids: dict[str, dict[str, Any]]) -> str | None:
    """The route with its parameters filled from the longest matching prefix of ``ids``; None when
    the route has parameters and no entry knows them."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not names:
        return "/" + route
    for prefix in sorted(ids, key=len, reverse=True):
        if route.startswith(prefix) and all(name in ids[prefix] for name in names):
            url = route
            for name in names:
                url = re.sub(rf"<(?:\w+:)?{name}>", str(ids[prefix][name]), url)
            return "/" + url
    return None


def refused(response: Any) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


def client_for(user: User | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_by_every_role(demo: dict[str, Any]) -> None:
    ids = record_ids(demo["yokohama"])
    clients = {
        "anonymous": client_for(None),
        **{role: client_for(user) for role, user in demo["users"].items()},
    }
    other_staff = client_for(demo["other_staff"])
    unknown, problems, checked = [], [], 0
    for route, _pattern in url_patterns():
        url = fill(route, ids)
        if url is None:
            unknown.append(route)
            continue
        allowed = area_roles(route)
        for role, client in clients.items():
            response = client.get(url)
            checked += 1
            if response.status_code >= 500:
                problems.append(f"GET {url} as {role}: {response.status_code}")
            if allowed is not None and role not in allowed:
                if not refused(response):
                    problems.append(f"GET {url} as {role}: {response.status_code}, expected a refusal")
                posted = client.post(url, {"action": "assign"})
                if not refused(posted):
                    problems.append(f"POST {url} as {role}: {posted.status_code}, expected a refusal")
        # Another organization's staff, on a page that names one of Yokohama's records.
        if route.startswith("console/") and re.search(r"<(int|uuid):", route):
            for method in ("get", "post"):
                response = getattr(other_staff, method)(url)
                if not refused(response):
                    problems.append(f"{method.upper()} {url} as Kawasaki staff: {response.status_code}")
    assert not unknown, f"add these routes' parameters to record_ids(): {unknown}"
    assert not problems, "\n".join(problems)
    assert checked > 500


# --- The crawl per role -------------------------------------------------------------------------------

HOMES = {
    "anonymous": "/",
    Role.MEMBER: "/my/",
    Role.PARTNER: "/network/partner/",
    Role.EXPERT: "/network/expert/",
    Role.COORDINATOR: "/console/",
    Role.STAFF: "/console/",
    Role.ORG_ADMIN: "/console/",
    Role.PROGRAM_OFFICE: "/office/",
}
HREF = re.compile(r'<a\s[^>]*href="([^"#]+)', re.IGNORECASE)
# Links that are not pages of ours to crawl: sign out (a form), the admin, the language switch (it
# redirects to where the person was, already crawled). Mail and phone links are not followed either.
NOT_CRAWLED = re.compile(r"^(/accounts/logout|/admin/|/language/)")
PER_SHAPE = 2  # pages of one shape (ids replaced by N) to open: the rest of that shape are the same page
MAX_PAGES = 400


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", urlparse(path).path)


def crawl(client: Client, home: str) -> Iterator[tuple[str, str, int]]:
    """(page, link, status) for every link found, breadth first from ``home``."""
    queue, seen, shapes = deque([("(home)", home)]), {home}, {}  # type: ignore[var-annotated]
    pages = 0
    while queue and pages < MAX_PAGES:
        source, url = queue.popleft()
        response = client.get(url)
        pages += 1
        yield source, url, response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode()):
            link = urljoin(url, href.replace("&amp;", "&"))
            parsed = urlparse(link)
            if parsed.scheme not in ("", "http", "https") or parsed.netloc not in ("", "testserver"):
                continue
            if NOT_CRAWLED.match(parsed.path):
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            key = shape(target)
            if target in seen or shapes.get(key, 0) >= PER_SHAPE:
                continue
            seen.add(target)
            shapes[key] = shapes.get(key, 0) + 1
            queue.append((url, target))


@pytest.mark.parametrize("role", ROLES)
def test_every_link_shown_to_a_role_opens_for_it(demo: dict[str, Any], role: str) -> None:
    client = client_for(None if role == "anonymous" else demo["users"][role])
    broken = [
        f"{link} (on {page}): {status}" for page, link, status in crawl(client, HOMES[role]) if status >= 400
    ]
    assert not broken, "\n".join(broken)
