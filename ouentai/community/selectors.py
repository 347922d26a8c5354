"""Reads of the inboxes and the companies. Every query is scoped to the user's organization;
coordinators see only the inbox items assigned to them. Query counts are constant per page."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.choices import AWAITING_REPLY, MembershipStatus
from ouentai.community.models import (
    Application,
    Company,
    CompanyImport,
    CompanyImportRow,
    Contact,
    ContactLog,
    Inquiry,
    MemberAccount,
    MemberInvitation,
    Membership,
    Newsletter,
    ReplyTemplate,
    Segment,
)
from ouentai.core.audit import action_label, audit_entries_for
from ouentai.core.calendar import local_today
from ouentai.core.jp import format_phone
from ouentai.core.models import OutgoingMail
from ouentai.core.search import NewestHits, SearchDocument, newest_hits, search_restrict

InboxModel = type[Application] | type[Inquiry]


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    overdue: bool = False
    q: str = ""


def _inbox_scope(user: User) -> dict[str, int] | None:
    """Which applications and inquiries a console user may open, as field values they must have: the
    user's organization's, and only those assigned to them unless they handle the whole inbox (staff and
    org admins; a coordinator sees what is assigned to them). None: nothing at all."""
    if not user.can_use_console or user.organization_id is None:
        return None
    scope = {"organization_id": user.organization_id}
    if not user.manages_inbox:
        scope["assignee_id"] = user.pk
    return scope


def inbox_visible(model: InboxModel, *, user: User) -> QuerySet[Any]:
    """Every item of the user's organization the user may see (``_inbox_scope``)."""
    scope = _inbox_scope(user)
    if scope is None:
        return model.objects.none()
    return model.objects.filter(**scope)


def inbox_item_visible_to(user: User, item: Application | Inquiry) -> bool:
    """Whether the user may open this application or inquiry: the rule of ``inbox_visible`` (which the
    detail pages answer with), applied to one loaded item, so that a page links to an item only where
    the link opens. No query."""
    scope = _inbox_scope(user)
    return scope is not None and all(getattr(item, name) == value for name, value in scope.items())


def inbox_list(model: InboxModel, *, user: User, filters: InboxFilters) -> QuerySet[Any]:
    queryset = inbox_visible(model, user=user).select_related("assignee")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.assignee == "me":
        queryset = queryset.filter(assignee=user)
    elif filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    if filters.overdue:
        queryset = queryset.filter(status__in=AWAITING_REPLY, due_on__lt=local_today())
    if filters.q:
        text = filters.q.strip()
        fields = ["reference", "email", "company_name"]
        fields += ["contact_name", "company_name_kana"] if model is Application else ["name", "subject"]
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": text})
        queryset = queryset.filter(condition)
    return queryset.order_by("-received_at", "-id")


def inbox_counts(model: InboxModel, *, user: User) -> dict[str, int]:
    """Open, unassigned and overdue counts for the inbox header (one query)."""
    queryset = inbox_visible(model, user=user)
    final = ("converted", "declined", "closed")
    return queryset.aggregate(
        open=Count("pk", filter=~Q(status__in=final)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True) & ~Q(status__in=final)),
        overdue=Count("pk", filter=Q(status__in=AWAITING_REPLY, due_on__lt=local_today())),
    )


def inbox_get(model: InboxModel, *, user: User, pk: int) -> Any:
    """One item the user may see; raises model.DoesNotExist otherwise (the view answers 404)."""
    return (
        inbox_visible(model, user=user)
        .select_related("assignee", "privacy_policy", "organization")
        .get(pk=pk)
    )


def contact_logs_for(item: Application | Inquiry) -> QuerySet[ContactLog]:
    """The contacts with the sender, newest first: calls and visits logged, replies sent (with the mail,
    for its subject and delivery status). One query."""
    field = "application" if isinstance(item, Application) else "inquiry"
    return ContactLog.objects.filter(**{field: item}).select_related("actor", "mail")


def reply_templates_for(item: Application | Inquiry) -> QuerySet[ReplyTemplate]:
    """The organization's templates in use that fit this kind of record, by name."""
    kind = ReplyTemplate.Kind.APPLICATION if isinstance(item, Application) else ReplyTemplate.Kind.INQUIRY
    return ReplyTemplate.objects.filter(
        organization_id=item.organization_id, is_active=True, kind__in=(kind, ReplyTemplate.Kind.BOTH)
    ).order_by("name")


def reply_template_list(*, organization: Organization) -> QuerySet[ReplyTemplate]:
    """Every template of the organization, those in use first."""
    return ReplyTemplate.objects.filter(organization=organization).order_by("-is_active", "name")


def reply_template_get(*, organization: Organization, pk: int) -> ReplyTemplate:
    """One template of the organization; raises ReplyTemplate.DoesNotExist otherwise."""
    return ReplyTemplate.objects.get(organization=organization, pk=pk)


# --- Companies -------------------------------------------------------------------------------------

SIZE_BUCKETS: dict[str, tuple[int, int | None]] = {
    "1-5": (0, 5),
    "6-20": (6, 20),
    "21-50": (21, 50),
    "51-100": (51, 100),
    "101-300": (101, 300),
    "301-": (301, None),
}
COMPANY_SORTS = {
    "kana": ("name_kana", "name", "id"),
    "-created": ("-created_at", "-id"),
    "employees": ("employees", "id"),
    "-employees": ("-employees", "id"),
}


@dataclass(frozen=True)
class CompanyFilters:
    q: str = ""
    area: str = ""  # an OrganizationArea code of the organization, or "other"
    industry: str = ""
    size: str = ""  # a SIZE_BUCKETS key
    sme: str = ""  # "yes", "no", "unknown"
    it_stage: str = ""
    membership: str = ""  # a MembershipStatus value, or "none" for companies that are not members
    coordinator: str = ""  # a user id, or "none"
    sort: str = "kana"


def _area_condition(code: str) -> Q:
    if len(code) == 2:
        return Q(municipality_code__startswith=code)
    return Q(city_code=code) | Q(municipality_code=code)


COMPANY_SEARCH_KIND = "community.company"
COMPANY_SEARCH_LIMIT = 200  # the company list's search shows this many of the newest hits at most


def company_search_document(company: Company, contacts: list[Contact]) -> SearchDocument:
    """What the search index holds about a company: its name and フリガナ (ranked first), its contacts'
    names and フリガナ, then its 法人番号, phone number and its contacts' e-mail addresses and phones. One
    value per line, so a match never spans two of them."""
    secondary = [value for contact in contacts for value in (contact.name, contact.name_kana)]
    body = [company.corporate_number, format_phone(company.phone) if company.phone else ""]
    for contact in contacts:
        body += [contact.email, format_phone(contact.phone) if contact.phone else ""]
    return SearchDocument(
        object_id=company.pk,
        organization_id=company.organization_id,
        title="\n".join((company.name, company.name_kana)),
        secondary="\n".join(secondary),
        body="\n".join(value for value in body if value),
    )


def company_search_documents() -> Iterator[SearchDocument]:
    """Every company's search document, read in chunks with its contacts (for ``manage.py
    search_reindex``)."""
    queryset = Company.objects.order_by("pk").prefetch_related("contacts")
    for company in queryset.iterator(chunk_size=1000):
        yield company_search_document(company, list(company.contacts.all()))


def company_list(*, organization: Organization, filters: CompanyFilters) -> QuerySet[Company]:
    """The organization's companies, searched and filtered, every match (exports and segments use it).
    The search (core.search) finds 1- and 2-character words, and 全角/半角, ㈱/(株)/株式会社 and
    hiragana/katakana do not matter; a query typed like a phone number finds that number however it
    was written."""
    queryset = _company_filtered(organization, filters)
    if filters.q.strip():
        queryset = search_restrict(queryset, kind=COMPANY_SEARCH_KIND, query=filters.q)
    return queryset


@dataclass(frozen=True)
class CompanyPage:
    """What the company list page shows: the companies and whether a search had more hits."""

    companies: QuerySet[Company]
    capped: bool  # more than ``limit`` hits: the newest ``limit`` are listed
    limit: int


def company_list_page(*, organization: Organization, filters: CompanyFilters) -> CompanyPage:
    """``company_list`` for the list page: a search there takes the newest COMPANY_SEARCH_LIMIT hits at
    most (core.search.newest_hits), in the order chosen, so that a common word (会計) costs about the same
    among a million companies as among ten thousand. The export still has every hit."""
    queryset = _company_filtered(organization, filters)
    found: NewestHits | None = None
    if filters.q.strip():
        found = newest_hits(
            queryset,
            kind=COMPANY_SEARCH_KIND,
            query=filters.q,
            limit=COMPANY_SEARCH_LIMIT,
            organization_id=organization.pk,
        )
        if found is not None:
            queryset = queryset.filter(pk__in=found.ids)
    return CompanyPage(queryset, found is not None and not found.complete, COMPANY_SEARCH_LIMIT)


def _company_filtered(organization: Organization, filters: CompanyFilters) -> QuerySet[Company]:
    queryset = Company.objects.filter(organization=organization)
    if filters.area == "other":
        for code in organization.areas.values_list("code", flat=True):
            queryset = queryset.exclude(_area_condition(code))
    elif filters.area:
        queryset = queryset.filter(_area_condition(filters.area))
    if filters.industry:
        queryset = queryset.filter(industry=filters.industry)
    if filters.size in SIZE_BUCKETS:
        low, high = SIZE_BUCKETS[filters.size]
        queryset = queryset.filter(employees__gte=low)
        if high is not None:
            queryset = queryset.filter(employees__lte=high)
    if filters.sme in ("yes", "no"):
        queryset = queryset.filter(is_sme=filters.sme == "yes")
    elif filters.sme == "unknown":
        queryset = queryset.filter(is_sme__isnull=True)
    if filters.it_stage.isdigit():
        queryset = queryset.filter(it_stage=int(filters.it_stage))
    if filters.membership == "none":
        queryset = queryset.filter(membership__isnull=True)
    elif filters.membership:
        queryset = queryset.filter(membership__status=filters.membership)
    if filters.coordinator == "none":
        queryset = queryset.filter(membership__isnull=False, membership__coordinator__isnull=True)
    elif filters.coordinator.isdigit():
        queryset = queryset.filter(membership__coordinator_id=int(filters.coordinator))
    queryset = queryset.select_related("membership__coordinator")
    return queryset.order_by(*COMPANY_SORTS.get(filters.sort, COMPANY_SORTS["kana"]))


def company_get(*, organization: Organization, pk: int) -> Company:
    """One company of the organization; raises Company.DoesNotExist otherwise."""
    return Company.objects.get(organization=organization, pk=pk)


@dataclass(frozen=True)
class TimelineEvent:
    when: dt.datetime
    kind: str  # application, contact_log, mail, audit
    title: str
    detail: str = ""
    url: str = ""
    actor: str = ""


# Other apps add their records to a company's timeline (events: registrations and attendance) by
# registering a function here in their AppConfig.ready(); community never imports them. Each source must
# run a fixed number of queries, and link only to pages every console role of the organization may open
# (or leave ``url`` empty): the company page shows its timeline to every console role.
TIMELINE_SOURCES: list[Callable[[Company], list[TimelineEvent]]] = []


def register_timeline_source(source: Callable[[Company], list[TimelineEvent]]) -> None:
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)


@dataclass(frozen=True)
class HomeCard:
    """One card of the console's first page: a title linking to a list, and rows of counts."""

    title: str
    url: str
    rows: list[tuple[str, int, str, bool]]  # (label, count, link or "", needs attention)


# Other apps add a card to the console's first page (events, engagements, dispatches) by registering a
# function here in their AppConfig.ready(); each must run a fixed number of queries.
HOME_CARDS: list[Callable[[Organization, User], HomeCard]] = []


def register_home_card(card: Callable[[Organization, User], HomeCard]) -> None:
    if card not in HOME_CARDS:
        HOME_CARDS.append(card)


def _inbox_link(user: User | None, item: Application | Inquiry, name: str) -> str:
    return reverse(name, args=[item.pk]) if user is not None and inbox_item_visible_to(user, item) else ""


def company_timeline(company: Company, *, user: User | None = None) -> list[TimelineEvent]:
    """Everything that touched a company, newest first: its applications, the calls and visits logged on
    them, the inquiries its contacts sent, the mails sent about them or to its contacts (the replies
    written in the console and the welcome on conversion among them), and the company's own audit
    history. An application or inquiry links to its page only where ``user`` may open it
    (``inbox_item_visible_to``; without a user, never). A fixed number of queries, whatever the size."""
    applications = list(company.applications.all())
    application_ids = [a.pk for a in applications]
    events = [
        TimelineEvent(
            a.received_at,
            "application",
            _("参加申込 %(ref)s を受付") % {"ref": a.reference},
            a.get_status_display(),
            _inbox_link(user, a, "community:application_detail"),
        )
        for a in applications
    ]
    # Replies sent from the console are on the timeline as the mails they are (with delivery status).
    logs = ContactLog.objects.filter(application_id__in=application_ids, mail__isnull=True).select_related(
        "actor"
    )
    events += [
        TimelineEvent(
            log.occurred_at,
            "contact_log",
            _("対応記録（%(channel)s）") % {"channel": log.get_channel_display()},
            log.note,
            actor=str(log.actor),
        )
        for log in logs
    ]
    contacts = list(company.contacts.values_list("pk", "email"))
    contact_ids = [str(pk) for pk, _email in contacts]
    emails = [email for _pk, email in contacts if email]
    inquiries = (
        list(Inquiry.objects.filter(organization_id=company.organization_id, email__in=emails))
        if emails
        else []
    )
    events += [
        TimelineEvent(
            inquiry.received_at,
            "inquiry",
            _("お問い合わせ %(ref)s を受付") % {"ref": inquiry.reference},
            inquiry.subject,
            _inbox_link(user, inquiry, "community:inquiry_detail"),
        )
        for inquiry in inquiries
    ]
    mails = OutgoingMail.objects.filter(
        Q(
            related_type=ContentType.objects.get_for_model(Application),
            related_id__in=[str(i) for i in application_ids],
        )
        | Q(
            related_type=ContentType.objects.get_for_model(Inquiry),
            related_id__in=[str(i.pk) for i in inquiries],
        )
        | Q(related_type=ContentType.objects.get_for_model(Contact), related_id__in=contact_ids)
    ).exclude(kind__endswith=":test")
    events += [
        TimelineEvent(
            m.created_at,
            "mail",
            _("返信メール「%(subject)s」") % {"subject": m.subject}
            if m.kind.endswith(".reply")
            else m.subject,
            f"{m.get_status_display()} → {m.to}",
        )
        for m in mails
    ]
    events += [
        TimelineEvent(e.created_at, "audit", action_label(e.action), actor=str(e.actor or ""))
        for e in audit_entries_for(company)
    ]
    for source in TIMELINE_SOURCES:
        events += source(company)
    return sorted(events, key=lambda e: e.when, reverse=True)


# --- The IT-investment pipeline ---------------------------------------------------------------------

PIPELINE_BUCKETS = ("overdue", "3", "6", "12")


def _months_ahead(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def pipeline_list(
    *, organization: Organization, coordinator_id: int | None = None, today: dt.date | None = None
) -> dict[str, list[Membership]]:
    """Members (active or lapsed) whose next IT investment is overdue or due within 3, 6 or 12 months,
    soonest first, in four buckets. One query."""
    today = today or local_today()
    queryset = (
        Membership.objects.filter(
            organization=organization,
            status__in=(MembershipStatus.ACTIVE, MembershipStatus.LAPSED),
            next_investment_due__isnull=False,
            next_investment_due__lte=_months_ahead(today, 12),
        )
        .select_related("company", "coordinator")
        .order_by("next_investment_due", "id")
    )
    if coordinator_id is not None:
        queryset = queryset.filter(coordinator_id=coordinator_id)
    buckets: dict[str, list[Membership]] = {name: [] for name in PIPELINE_BUCKETS}
    limits = [(str(m), _months_ahead(today, m)) for m in (3, 6, 12)]
    for membership in queryset:
        due = membership.next_investment_due
        assert due is not None
        if due < today:
            buckets["overdue"].append(membership)
            continue
        for name, limit in limits:
            if due <= limit:
                buckets[name].append(membership)
                break
    return buckets


def pipeline_counts(*, organization: Organization, today: dt.date | None = None) -> dict[str, int]:
    """How many members are overdue or due within 3 months (one query), for the console's header."""
    today = today or local_today()
    base = Membership.objects.filter(
        organization=organization, status__in=(MembershipStatus.ACTIVE, MembershipStatus.LAPSED)
    )
    return base.aggregate(
        overdue=Count("pk", filter=Q(next_investment_due__lt=today)),
        soon=Count(
            "pk", filter=Q(next_investment_due__gte=today, next_investment_due__lte=_months_ahead(today, 3))
        ),
    )


# --- The member area ---------------------------------------------------------------------------------


def member_account_for(user: User) -> MemberAccount | None:
    """The member account of a signed-in person of a member company (role member), with its company,
    membership and organization, in one query; None for anyone else. Left on ``user.member_account``
    so that later reads (e.g. engagements_for_member) do not load it again."""
    if user.role != Role.MEMBER:
        return None
    account = (
        MemberAccount.objects.select_related("company__membership", "organization").filter(user=user).first()
    )
    if account is not None:
        user.member_account = account
    return account


def member_invitation_by_token(token: uuid.UUID | str) -> MemberInvitation | None:
    """The invitation behind a link, with its company (valid or not: services.member_invitation_valid)."""
    return MemberInvitation.objects.select_related("company", "organization").filter(token=token).first()


# Imports, segments and newsletters (console pages over many companies)


def company_import_list(*, organization: Organization, limit: int = 20) -> QuerySet[CompanyImport]:
    """The organization's latest imports, newest first (one query)."""
    return CompanyImport.objects.filter(organization=organization).select_related("uploaded_by")[:limit]


def company_import_get(*, organization: Organization, pk: int) -> CompanyImport:
    """One import of the organization (Http404 otherwise)."""
    return get_object_or_404(CompanyImport, organization=organization, pk=pk)


@dataclass
class HeldRow:
    """A row held back as a likely duplicate, with the companies it resembles (those still there)."""

    row: CompanyImportRow
    candidates: list[Company]


def import_rows(record: CompanyImport) -> QuerySet[CompanyImportRow]:
    """Every row an import reported (errors and rows held back), in file order."""
    return CompanyImportRow.objects.filter(company_import=record).select_related("resolved_company")


def import_held_rows(record: CompanyImport, rows: list[CompanyImportRow]) -> list[HeldRow]:
    """The held-back rows among ``rows``, each with its candidate companies (one query for all)."""
    held = [r for r in rows if r.kind == CompanyImportRow.Kind.DUPLICATE and r.candidates]
    ids = {pk for r in held for pk in r.candidates}
    companies = Company.objects.filter(organization_id=record.organization_id).in_bulk(ids)
    return [HeldRow(r, [companies[pk] for pk in r.candidates if pk in companies]) for r in held]


def import_row_get(*, record: CompanyImport, pk: int) -> CompanyImportRow:
    return get_object_or_404(CompanyImportRow, company_import=record, pk=pk)


def segment_list(*, organization: Organization) -> QuerySet[Segment]:
    """The organization's segments that have not been deleted, by name."""
    return Segment.objects.filter(organization=organization, deleted_at__isnull=True)


def segment_get(*, organization: Organization, pk: int, deleted: bool = False) -> Segment:
    """A segment of the organization (a deleted one only when ``deleted``; Http404 otherwise)."""
    return get_object_or_404(Segment, organization=organization, pk=pk, deleted_at__isnull=not deleted)


def newsletters_using(segment: Segment) -> QuerySet[Newsletter]:
    """The newsletters addressed to a segment, newest first."""
    return Newsletter.objects.filter(segment=segment)


def segments_recently_deleted(*, organization: Organization, hours: int = 24) -> QuerySet[Segment]:
    """Segments deleted within the last ``hours``, offered for restoring on the company list."""
    since = dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=hours)
    return Segment.objects.filter(organization=organization, deleted_at__gte=since).order_by("-deleted_at")
