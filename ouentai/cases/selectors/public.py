"""The case library as the public may see it. Every public output (pages, search index, feed, sitemap,
OGP tags, the member area's suggestions) reads cases only here, and only as ``PublicCase``: a case is
public while it is published AND holds a consent, not withdrawn, for the variant it is published in
(checked in the query, whatever a status says), and an anonymized case's projection carries no
company name, 法人番号, people or contact details, so no template can show them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext

from ouentai.cases.choices import CaseStatus, CaseVariant, Challenge, ItArea, SizeBand
from ouentai.cases.models import Case, CaseConsent, CaseKpi, CaseMedia
from ouentai.community.choices import ItStage, industry_name
from ouentai.core.search import SearchDocument
from ouentai.engagements.choices import Phase


def public_cases() -> QuerySet[Case]:
    """Published cases with a live consent for their variant, newest first. The one gate."""
    live = CaseConsent.objects.filter(
        case=OuterRef("pk"), withdrawn_at__isnull=True, variant=OuterRef("variant")
    )
    return (
        Case.objects.filter(status=CaseStatus.PUBLISHED, published_at__isnull=False)
        .filter(Exists(live))
        .order_by("-published_at", "-pk")
    )


@dataclass(frozen=True)
class PublicKpi:
    name: str
    unit: str
    direction: str
    before_value: Decimal
    before_on: dt.date
    after_value: Decimal
    after_on: dt.date


@dataclass(frozen=True)
class PublicMedia:
    pk: int
    kind: str
    url: str
    name: str
    alt_text: str
    caption: str


@dataclass(frozen=True)
class PublicSupport:
    """A scheme, expert or event as the public sees it: its name only."""

    name: str
    event_id: int | None = None


@dataclass(frozen=True)
class PublicCase:
    """What a public output may show of a case. ``company_name`` is empty for an anonymized case; the
    company's 法人番号, address, phone, people and contacts are never part of it, nor the experts'
    names (people too): only how many experts supported the company."""

    key: uuid.UUID
    organization_id: int
    title: str
    summary: str
    named: bool
    company_name: str
    industry: str
    industry_label: str
    size_band: str
    size_band_label: str
    prefecture: str
    city: str
    challenge_kind: str
    challenge_kind_label: str
    it_area: str
    it_area_label: str
    it_stage_before: int | None
    it_stage_after: int | None
    background: str
    challenge: str
    strategy: str
    solution: str
    products: str
    results: str
    owner_words: str
    owner_title: str
    phases: list[str]
    started_on: dt.date | None
    completed_on: dt.date | None
    published_at: dt.datetime
    kpis: list[PublicKpi]
    media: list[PublicMedia]
    schemes: list[PublicSupport]
    expert_count: int
    trainings: list[PublicSupport]
    presented_at: PublicSupport | None

    @property
    def region(self) -> str:
        """Where the company is: the city for a named case, the prefecture only for an anonymized one."""
        return f"{self.prefecture}{self.city}" if self.named else self.prefecture

    @property
    def who(self) -> str:
        """How the case names the company: its name, or its industry, size and prefecture."""
        if self.named:
            return self.company_name
        return gettext("%(region)sの%(industry)s（%(size)s）") % {
            "region": self.prefecture or gettext("地域非公開"),
            "industry": self.industry_label or gettext("企業"),
            "size": self.size_band_label or gettext("規模非公開"),
        }

    @property
    def phase_labels(self) -> list[str]:
        return [str(Phase(p).label) for p in self.phases if p in Phase.values]

    @property
    def it_stage_before_label(self) -> str:
        return str(ItStage(self.it_stage_before).label) if self.it_stage_before else ""

    @property
    def it_stage_after_label(self) -> str:
        return str(ItStage(self.it_stage_after).label) if self.it_stage_after else ""


def _label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else ""


def public_case(case: Case) -> PublicCase:
    """The public projection of a case loaded by ``public_case_queryset`` (no query of its own)."""
    named = case.variant == CaseVariant.NAMED
    return PublicCase(
        key=case.public_key,
        organization_id=case.organization_id,
        title=case.title,
        summary=case.summary,
        named=named,
        company_name=case.company.name if named else "",
        industry=case.industry,
        industry_label=industry_name(case.industry),
        size_band=case.size_band,
        size_band_label=_label(SizeBand, case.size_band),
        prefecture=case.prefecture,
        city=case.city if named else "",
        challenge_kind=case.challenge_kind,
        challenge_kind_label=_label(Challenge, case.challenge_kind),
        it_area=case.it_area,
        it_area_label=_label(ItArea, case.it_area),
        it_stage_before=case.it_stage_before,
        it_stage_after=case.it_stage_after,
        background=case.background,
        challenge=case.challenge,
        strategy=case.strategy,
        solution=case.solution,
        products=case.products,
        results=case.results,
        owner_words=case.owner_words,
        owner_title=case.owner_title,
        phases=list(case.phases or []),
        started_on=case.started_on,
        completed_on=case.completed_on,
        published_at=case.published_at or case.updated_at,
        kpis=[
            PublicKpi(k.name, k.unit, k.direction, k.before_value, k.before_on, k.after_value, k.after_on)
            for k in case.kpis.all()
        ],
        media=[
            PublicMedia(m.pk, m.kind, m.file.url, m.name, m.alt_text, m.caption) for m in case.media.all()
        ],
        schemes=[PublicSupport(s.name) for s in case.schemes.all()],
        expert_count=len(case.experts.all()),
        trainings=[PublicSupport(e.title, e.pk) for e in case.trainings.all()],
        presented_at=PublicSupport(case.presented_at.title, case.presented_at.pk)
        if case.presented_at
        else None,
    )


def public_case_queryset() -> QuerySet[Case]:
    """Public cases with everything their projection reads (a constant number of queries)."""
    return (
        public_cases()
        .select_related("company", "presented_at")
        .prefetch_related(
            Prefetch("kpis", queryset=CaseKpi.objects.order_by("order", "pk")),
            Prefetch("media", queryset=CaseMedia.objects.order_by("order", "pk")),
            "schemes",
            "experts",
            "trainings",
        )
    )


def public_case_get(key: uuid.UUID | str) -> PublicCase | None:
    """One public case by its public key (None when it is not public, or the key is malformed)."""
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    case = public_case_queryset().filter(public_key=key).first()
    return public_case(case) if case else None


CASE_SEARCH_KIND = "cases.case"


def public_case_document(pk: int, case: PublicCase) -> SearchDocument:
    """What the search index holds of a public case: only its public projection (so an anonymized
    case's company never enters the index). Title above the challenge and summary above the rest."""
    return SearchDocument(
        object_id=pk,
        organization_id=case.organization_id,
        title=case.title,
        secondary="\n".join([case.challenge, case.summary]),
        body="\n".join(
            [
                case.company_name,
                case.background,
                case.strategy,
                case.solution,
                case.products,
                case.results,
                case.owner_words,
                case.industry_label,
                case.region,
                case.it_area_label,
                case.challenge_kind_label,
            ]
        ),
    )


def public_case_documents() -> Iterator[SearchDocument]:
    """Every public case's search document, read in chunks (for ``manage.py search_reindex``)."""
    queryset = public_case_queryset().order_by("pk")
    for case in queryset.iterator(chunk_size=500):
        yield public_case_document(case.pk, public_case(case))
