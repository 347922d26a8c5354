"""名寄せ: finding the same company typed more than once.

Two companies of one organization are candidates when they share a 法人番号, a matching key (NFKC,
legal form and its position stripped, kana folded: core.jp.match_key), a phone number (E.164), or a
contact's e-mail address. Each candidate carries the reasons it matched. Reads only; merging is
services.company_merge.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization
from ouentai.community.models import Company, Contact
from ouentai.core.jp import match_key

REASONS = {
    "corporate_number": _("法人番号が同じ"),
    "name": _("会社名が同じ（表記ゆれを除く）"),
    "phone": _("電話番号が同じ"),
    "email": _("担当者のメールアドレスが同じ"),
}


@dataclass
class Candidate:
    company: Company
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


def duplicate_candidates(
    *,
    organization: Organization,
    name: str,
    corporate_number: str = "",
    phone: str = "",
    emails: list[str] | None = None,
    exclude_pk: int | None = None,
) -> list[Candidate]:
    """Companies of the organization that may be the one described, strongest reasons first.
    Two queries."""
    emails = [e.casefold() for e in (emails or []) if e]
    key = match_key(name) if name else ""
    condition = Q()
    if corporate_number:
        condition |= Q(corporate_number=corporate_number)
    if key:
        condition |= Q(name_key=key)
    if phone:
        condition |= Q(phone=phone)
    email_company_ids: set[int] = set()
    if emails:
        email_company_ids = set(
            Contact.objects.annotate(email_lower=Lower("email"))
            .filter(organization=organization, email_lower__in=emails)
            .values_list("company_id", flat=True)
        )
        condition |= Q(pk__in=email_company_ids)
    if not condition:
        return []
    queryset = Company.objects.filter(condition, organization=organization)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    candidates = []
    for company in queryset.order_by("id"):
        reasons = []
        if corporate_number and company.corporate_number == corporate_number:
            reasons.append("corporate_number")
        if key and company.name_key == key:
            reasons.append("name")
        if phone and company.phone == phone:
            reasons.append("phone")
        if company.pk in email_company_ids:
            reasons.append("email")
        candidates.append(Candidate(company, reasons))
    return sorted(candidates, key=lambda c: (-len(c.reasons), list(REASONS).index(c.reasons[0])))


def candidates_for_company(company: Company) -> list[Candidate]:
    emails = list(company.contacts.exclude(email="").values_list("email", flat=True))
    return duplicate_candidates(
        organization=company.organization,
        name=company.name,
        corporate_number=company.corporate_number,
        phone=company.phone,
        emails=emails,
        exclude_pk=company.pk,
    )


@dataclass
class DuplicateGroup:
    companies: list[Company]
    reasons: set[str]

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in REASONS if r in self.reasons]


def _shared(queryset: QuerySet[Company], column: str) -> dict[str, list[int]]:
    values = (
        queryset.exclude(**{column: ""})
        .values(column)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list(column, flat=True)
    )
    groups: dict[str, list[int]] = defaultdict(list)
    for pk, value in queryset.filter(**{f"{column}__in": values}).values_list("pk", column):
        groups[value].append(pk)
    return groups


def duplicate_groups(*, organization: Organization) -> list[DuplicateGroup]:
    """Every set of the organization's companies linked by a shared key (a staff report). Keys that link
    companies are joined transitively, so A–B by phone and B–C by name make one group of three. A fixed
    number of queries, however many companies."""
    companies = Company.objects.filter(organization=organization)
    links: list[tuple[str, list[int]]] = []
    for reason, column in (
        ("corporate_number", "corporate_number"),
        ("name", "name_key"),
        ("phone", "phone"),
    ):
        links += [(reason, ids) for ids in _shared(companies, column).values()]
    by_email: dict[str, set[int]] = defaultdict(set)
    for email, company_id in (
        Contact.objects.filter(organization=organization)
        .exclude(email="")
        .annotate(email_lower=Lower("email"))
        .values_list("email_lower", "company_id")
    ):
        by_email[email].add(company_id)
    links += [("email", sorted(ids)) for ids in by_email.values() if len(ids) > 1]

    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _reason, ids in links:
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    reasons: dict[int, set[str]] = defaultdict(set)
    members: dict[int, set[int]] = defaultdict(set)
    for reason, ids in links:
        root = find(ids[0])
        reasons[root].add(reason)
        members[root].update(ids)
    loaded = Company.objects.in_bulk([pk for ids in members.values() for pk in ids])
    groups = [
        DuplicateGroup(sorted((loaded[pk] for pk in ids), key=lambda c: c.pk), reasons[root])
        for root, ids in members.items()
    ]
    return sorted(groups, key=lambda g: g.companies[0].pk)
