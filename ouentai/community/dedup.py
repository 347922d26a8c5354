"""名寄せ and the one "same company" rule: when a record (an application, an import row, an event
registration, a company typed by hand) describes a company the organization already has.

What two descriptions of a company can share (``REASONS``): a 法人番号, a matching key of the name (NFKC,
legal form and its position stripped, kana folded: core.jp.match_key), a phone number (E.164), a
contact's e-mail address, a 郵便番号. Two readings are built on the same facts:

- **candidates** (``duplicate_candidates``): every company sharing a 法人番号, a name, a phone number or
  an e-mail address, with the reasons, for a person to decide (the warning before registering a company,
  the company page, the import's held-back rows);
- **the decision** (``company_match``, ``same_company``): the company the record *is*, used where no
  person looks (converting an application, linking an event registration). See ``same_company`` for the
  precedence.

Reads only; merging is services.company_merge.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization
from ouentai.community.models import Company, Contact
from ouentai.core.jp import JapaneseDataError, match_key, normalize_email, normalize_phone

REASONS = {
    "corporate_number": _("法人番号が同じ"),
    "name": _("会社名が同じ（表記ゆれを除く）"),
    "phone": _("電話番号が同じ"),
    "email": _("担当者のメールアドレスが同じ"),
    "postal_code": _("郵便番号が同じ"),
}
# What may make a company a candidate on its own (a shared 郵便番号 only supports a name).
CANDIDATE_REASONS = ("corporate_number", "name", "phone", "email")

# The decisions of ``same_company``, strongest first.
DECISIONS = {
    "corporate_number": _("法人番号が同じ"),
    "email": _("担当者のメールアドレスが同じ"),
    "name_phone": _("会社名と電話番号が同じ"),
    "name_postal_code": _("会社名と郵便番号が同じ"),
}


@dataclass(frozen=True)
class CompanyFacts:
    """What identifies a company, in the form the rule compares (build with ``CompanyFacts.of``)."""

    corporate_number: str = ""
    name_key: str = ""
    phone: str = ""
    postal_code: str = ""
    emails: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        *,
        name: str = "",
        corporate_number: str = "",
        phone: str = "",
        postal_code: str = "",
        emails: Iterable[str] = (),
    ) -> CompanyFacts:
        """Facts from values as typed or as stored: each is brought to its canonical form (a value that
        cannot be read, such as a phone number that is no number, is compared as it is)."""
        return cls(
            corporate_number=_digits(corporate_number),
            name_key=match_key(name) if name else "",
            phone=_phone(phone),
            postal_code=_digits(postal_code),
            emails=frozenset(e for e in (_email(value) for value in emails) if e),
        )


def _digits(value: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", value or ""))


def _phone(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return normalize_phone(value)
    except JapaneseDataError:
        return value


def _email(value: str) -> str:
    return normalize_email(value or "").casefold()


def shared_reasons(a: CompanyFacts, b: CompanyFacts) -> list[str]:
    """The facts two descriptions share, in the order of ``REASONS``."""
    shared = {
        "corporate_number": bool(a.corporate_number) and a.corporate_number == b.corporate_number,
        "name": bool(a.name_key) and a.name_key == b.name_key,
        "phone": bool(a.phone) and a.phone == b.phone,
        "email": bool(a.emails & b.emails),
        "postal_code": bool(a.postal_code) and a.postal_code == b.postal_code,
    }
    return [reason for reason in REASONS if shared[reason]]


def same_company(a: CompanyFacts, b: CompanyFacts) -> str | None:
    """Whether two descriptions are one company, and the rule that decides it (a key of ``DECISIONS``),
    or None. Symmetric: ``same_company(a, b) == same_company(b, a)``. In order of precedence:

    1. Two different 法人番号 are two legal entities: never the same company, whatever else they share
       (many firms in Japan carry the same trade name).
    2. The same 法人番号: the same company, however the name is written.
    3. An e-mail address of one of the company's contacts: a person we know at the company.
    4. The same name (the matching key, so ㈱/(株)/株式会社, 前株/後株, 全角/半角 and kana do not matter)
       together with the same phone number, or
    5. the same name together with the same 郵便番号.

    A name alone, a phone number alone (a shared 代表電話) or a 郵便番号 alone decides nothing: they make
    a candidate for a person to look at (``duplicate_candidates``), never a link made without one."""
    if a.corporate_number and b.corporate_number and a.corporate_number != b.corporate_number:
        return None
    reasons = set(shared_reasons(a, b))
    if "corporate_number" in reasons:
        return "corporate_number"
    if "email" in reasons:
        return "email"
    if "name" in reasons and "phone" in reasons:
        return "name_phone"
    if "name" in reasons and "postal_code" in reasons:
        return "name_postal_code"
    return None


@dataclass
class Candidate:
    company: Company
    reasons: list[str] = field(default_factory=list)
    # The contacts of the company whose address the record gave (for an "email" reason).
    contact_ids: list[int] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


def _candidates(
    *,
    organization_id: int,
    facts: CompanyFacts,
    exclude_pk: int | None = None,
) -> list[tuple[Candidate, CompanyFacts]]:
    """Companies of the organization sharing a candidate reason with ``facts``, each with what it
    shares and the company's own facts as far as the record can tell (its e-mail addresses: those the
    record gave). Two queries."""
    condition = Q()
    if facts.corporate_number:
        condition |= Q(corporate_number=facts.corporate_number)
    if facts.name_key:
        condition |= Q(name_key=facts.name_key)
    if facts.phone:
        condition |= Q(phone=facts.phone)
    contacts_by_company: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if facts.emails:
        for contact_id, company_id, email in (
            Contact.objects.annotate(email_lower=Lower("email"))
            .filter(organization_id=organization_id, email_lower__in=sorted(facts.emails))
            .order_by("pk")
            .values_list("pk", "company_id", "email_lower")
        ):
            contacts_by_company[company_id].append((contact_id, email))
        condition |= Q(pk__in=list(contacts_by_company))
    if not condition:
        return []
    queryset = Company.objects.filter(condition, organization_id=organization_id)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    found = []
    for company in queryset.order_by("id"):
        contacts = contacts_by_company.get(company.pk, [])
        theirs = CompanyFacts(
            corporate_number=company.corporate_number,
            name_key=company.name_key,
            phone=company.phone,
            postal_code=company.postal_code,
            emails=frozenset(email for _pk, email in contacts),
        )
        reasons = shared_reasons(facts, theirs)
        if not set(reasons) & set(CANDIDATE_REASONS):
            continue
        found.append((Candidate(company, reasons, [pk for pk, _email in contacts]), theirs))
    return found


def duplicate_candidates(
    *,
    organization: Organization,
    name: str,
    corporate_number: str = "",
    phone: str = "",
    emails: list[str] | None = None,
    exclude_pk: int | None = None,
) -> list[Candidate]:
    """Companies of the organization that may be the one described, for a person to decide: those
    sharing a 法人番号, a name, a phone number or a contact's e-mail address; most reasons first.
    Two queries."""
    facts = CompanyFacts.of(name=name, corporate_number=corporate_number, phone=phone, emails=emails or [])
    candidates = [
        c for c, _theirs in _candidates(organization_id=organization.pk, facts=facts, exclude_pk=exclude_pk)
    ]
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


@dataclass(frozen=True)
class CompanyMatch:
    """The company a record is, the rule that decided it (a key of ``DECISIONS``) and everything the
    two share; ``contact_id`` is the company's contact whose e-mail address the record gave, if any."""

    company: Company
    decision: str
    reasons: list[str]
    contact_id: int | None = None

    @property
    def decision_label(self) -> str:
        return str(DECISIONS[self.decision])


def company_match(
    *,
    organization_id: int,
    name: str = "",
    corporate_number: str = "",
    phone: str = "",
    email: str = "",
    postal_code: str = "",
    exclude_pk: int | None = None,
) -> CompanyMatch | None:
    """The organization's company that the record described is, by ``same_company`` (its docstring
    holds the precedence), or None. When several companies qualify, the strongest rule wins; between
    equals (companies that are themselves duplicates), the oldest company, the one a merge keeps.
    Never a company of another organization. Two queries."""
    facts = CompanyFacts.of(
        name=name, corporate_number=corporate_number, phone=phone, postal_code=postal_code, emails=[email]
    )
    order = list(DECISIONS)
    best: CompanyMatch | None = None
    for candidate, theirs in _candidates(organization_id=organization_id, facts=facts, exclude_pk=exclude_pk):
        decision = same_company(facts, theirs)
        if decision is None:
            continue
        if best is None or order.index(decision) < order.index(best.decision):
            contact_id = candidate.contact_ids[0] if "email" in candidate.reasons else None
            best = CompanyMatch(candidate.company, decision, candidate.reasons, contact_id)
    return best


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
    """Every set of the organization's companies linked by a shared candidate reason (a staff report).
    Keys that link companies are joined transitively, so A–B by phone and B–C by name make one group of
    three. A fixed number of queries, however many companies."""
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
