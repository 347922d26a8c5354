"""The public case library: the list with its facets, keyword search and order, related cases, the
keys the sitemap lists, a public case's media file, and the cases staff nominate. Every read starts from
``cases.selectors.public`` (the one gate), so nothing here can show a case that is not public or an
anonymized case's company.

Facets combine: values of one facet are alternatives (OR), facets narrow each other (AND). Each facet's
counts are those of the cases the *other* facets and the keyword select, so a visitor sees how many cases
each further choice would give. The counts cost one query per facet, whatever the number of cases.

A keyword search considers the newest ``SEARCH_LIMIT`` hits at most (``core.search.newest_hits``): the
list ranks them, the facets count them, and the page says when there were more, so a common word
such as 在庫 costs about the same in a library of 50,000 cases as in one of 500."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case as CaseWhen
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ouentai.cases.choices import Challenge, ItArea, SizeBand
from ouentai.cases.models import Case, CaseMedia
from ouentai.cases.selectors.public import (
    CASE_SEARCH_KIND,
    PublicCase,
    public_case,
    public_case_queryset,
    public_cases,
)
from ouentai.community.choices import Industry, ItStage, industry_name
from ouentai.core.jp import PREFECTURES
from ouentai.core.search import NewestHits, newest_hits, rank_hits
from ouentai.events.selectors import event_public_for_registration

StrOrPromise = str | Promise

SORT_NEW = "new"
SORT_RELEVANCE = "relevance"
RELATED_COUNT = 3
SEARCH_LIMIT = 200  # a keyword search considers this many of the newest hits at most
FEED_COUNT = 30


@dataclass(frozen=True)
class Facet:
    """One way to narrow the library: its query-string name, its label, and how to read its values."""

    name: str
    label: StrOrPromise
    field: str  # the Case field counted and filtered (the schemes facet counts through its join)
    choices: Callable[[], dict[str, str]] | None  # value → label; None: the values are their labels


def _labels(choices: type[models.Choices]) -> Callable[[], dict[str, str]]:
    return lambda: {str(value): str(label) for value, label in choices.choices}


FACETS: tuple[Facet, ...] = (
    Facet("industry", _("業種"), "industry", lambda: {code: industry_name(code) for code in Industry.values}),
    Facet("size", _("従業員規模"), "size_band", _labels(SizeBand)),
    Facet("region", _("地域（都道府県）"), "prefecture", lambda: {p: p for p in PREFECTURES}),
    Facet("it_area", _("ITの分野"), "it_area", _labels(ItArea)),
    Facet("challenge", _("課題の分類"), "challenge_kind", _labels(Challenge)),
    Facet("scheme", _("利用した派遣制度"), "schemes__name", None),
    Facet("stage", _("支援後のIT経営力の段階"), "it_stage_after", _labels(ItStage)),
)
FACET_NAMES = tuple(f.name for f in FACETS)


@dataclass(frozen=True)
class LibraryFilters:
    """What a visitor chose: a keyword, the values of each facet (by facet name) and the order."""

    q: str = ""
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = ""
    organization_id: int | None = None

    @property
    def order(self) -> str:
        """関連度順 is the default, and only possible, with a keyword; 新着順 otherwise."""
        if self.q.strip() and self.sort != SORT_NEW:
            return SORT_RELEVANCE
        return SORT_NEW


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    chosen: bool


@dataclass(frozen=True)
class FacetCounts:
    facet: Facet
    values: list[FacetValue]

    @property
    def any_chosen(self) -> bool:
        return any(v.chosen for v in self.values)


def _facet_filter(facet: Facet, values: tuple[str, ...]) -> Q:
    if facet.name == "scheme":
        # Through the join, but as a subquery: a case with two chosen schemes is still one row.
        through = Case.schemes.through.objects.filter(case_id=OuterRef("pk"), dispatchscheme__name__in=values)
        return Q(Exists(through))
    if facet.name == "stage":
        return Q(it_stage_after__in=[int(v) for v in values if v.isdigit()])
    return Q(**{f"{facet.field}__in": values})


def _base(filters: LibraryFilters, queryset: QuerySet[Case]) -> QuerySet[Case]:
    if filters.organization_id is not None:
        queryset = queryset.filter(organization_id=filters.organization_id)
    return queryset


def _narrowed(queryset: QuerySet[Case], filters: LibraryFilters, *, skip: str = "") -> QuerySet[Case]:
    for facet in FACETS:
        values = filters.chosen.get(facet.name, ())
        if values and facet.name != skip:
            queryset = queryset.filter(_facet_filter(facet, values))
    return queryset


@dataclass(frozen=True)
class LibraryResults:
    """What the library shows for a visitor's choices."""

    cases: QuerySet[Case]  # in the order chosen, with everything their projection reads
    facets: list[FacetCounts]
    capped: bool  # the keyword found more than ``limit`` cases: the newest of them are shown
    limit: int  # SEARCH_LIMIT


def library_results(filters: LibraryFilters) -> LibraryResults:
    """The public cases the visitor's choices select and each facet's counts: a constant number of
    queries per page. A keyword's hits are searched once per set of narrowing facets (the facets with
    nothing chosen count the same hits as the list)."""
    searches: dict[str, NewestHits | None] = {}

    def hits(skip: str) -> NewestHits | None:
        key = skip if filters.chosen.get(skip) else ""
        if key not in searches:
            narrowed = _narrowed(_base(filters, public_cases()), filters, skip=key)
            searches[key] = newest_hits(narrowed, kind=CASE_SEARCH_KIND, query=filters.q, limit=SEARCH_LIMIT)
        return searches[key]

    cases = _narrowed(_base(filters, public_case_queryset()), filters)
    found = hits("")
    if found is not None:
        cases = rank_hits(cases.filter(pk__in=found.ids), kind=CASE_SEARCH_KIND, query=filters.q)
    if filters.order == SORT_NEW:
        cases = cases.order_by("-published_at", "-pk")
    facets = [_facet_counts(facet, filters, hits(facet.name)) for facet in FACETS]
    return LibraryResults(cases, facets, capped=found is not None and not found.complete, limit=SEARCH_LIMIT)


def _facet_counts(facet: Facet, filters: LibraryFilters, found: NewestHits | None) -> FacetCounts:
    """The facet's values with the number of cases each would give. Values with no case are left out,
    unless chosen (so the visitor can take the choice back)."""
    queryset = _narrowed(_base(filters, public_cases()), filters, skip=facet.name)
    if found is not None:
        queryset = queryset.filter(pk__in=found.ids)
    rows = queryset.order_by().values(facet.field).annotate(n=Count("pk", distinct=True))
    counts = {str(row[facet.field]): row["n"] for row in rows if row[facet.field] not in (None, "")}
    chosen = set(filters.chosen.get(facet.name, ()))
    labels = facet.choices() if facet.choices else {v: v for v in sorted(counts | dict.fromkeys(chosen))}
    values = [
        FacetValue(value, label, counts.get(value, 0), value in chosen)
        for value, label in labels.items()
        if counts.get(value) or value in chosen
    ]
    return FacetCounts(facet, values)


def public_case_related(case: PublicCase, *, limit: int = RELATED_COUNT) -> list[PublicCase]:
    """Other public cases about the same challenge, IT area or industry: those sharing the most first,
    then the newest (a constant number of queries)."""
    shared = [Q(challenge_kind=case.challenge_kind), Q(it_area=case.it_area)]
    if case.industry:
        shared.append(Q(industry=case.industry))
    score = sum(
        (CaseWhen(When(q, then=Value(1)), default=Value(0), output_field=IntegerField()) for q in shared[1:]),
        CaseWhen(When(shared[0], then=Value(1)), default=Value(0), output_field=IntegerField()),
    )
    any_shared = shared[0]
    for q in shared[1:]:
        any_shared |= q
    queryset = (
        public_case_queryset()
        .filter(any_shared)
        .exclude(public_key=case.key)
        .annotate(shared=score)
        .order_by("-shared", "-published_at", "-pk")[:limit]
    )
    return [public_case(c) for c in queryset]


def public_case_event_public(case: PublicCase) -> bool:
    """Whether the 事例発表会 the case was presented at has a public page to link to."""
    if case.presented_at is None or case.presented_at.event_id is None:
        return False
    return event_public_for_registration(case.presented_at.event_id) is not None


def public_case_latest(*, limit: int = FEED_COUNT) -> list[PublicCase]:
    """The newest public cases, for the feed."""
    return [public_case(c) for c in public_case_queryset()[:limit]]


@dataclass(frozen=True)
class PublicCaseKey:
    key: uuid.UUID
    published_at: dt.datetime


def public_case_keys() -> list[PublicCaseKey]:
    """Every public case's key and publication time, for the sitemap (one query, no projection: the
    sitemap names nothing but the address)."""
    return [
        PublicCaseKey(key, published_at)
        for key, published_at in public_cases().values_list("public_key", "published_at")
        if published_at is not None  # the gate requires it; this tells the type checker
    ]


def public_case_media_get(key: uuid.UUID, pk: int) -> CaseMedia | None:
    """A photo or document of a public case, to serve it (None once the case is not public)."""
    return CaseMedia.objects.filter(pk=pk, case__in=public_cases().filter(public_key=key)).first()


def nomination_cases(*, organization_id: int, ids: list[int] | None = None) -> QuerySet[Case]:
    """The organization's public cases staff may nominate for national selections (those of ``ids``
    when given), with their projection's data. Only public cases: what is nominated is what the company
    agreed to publish, in the form it agreed to."""
    queryset = public_case_queryset().filter(organization_id=organization_id)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset
