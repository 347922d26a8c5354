"""Recommendations: for a company, the most similar published cases and the experts best suited to it,
each with its reasons in words; and what the dispatch matching adds to an expert for a request.

Only public cases take part: the model is fitted from ``public.public_case_queryset`` and keeps only
what ``public.public_case`` projects (no company name for an anonymized case). One fitted model is
kept per process (``case_model``) and fitted again when the set of public cases changes, which one
aggregate query per call detects (count, newest update and id sum of the public cases): publishing or
withdrawing a case shows on the next page. A company's page pays that query, three for the company's
own words (``company_profile``) and, for experts, two more (their ratings and rows): six, whatever the
data.

The scores are in ``cases.similarity`` and docs/decisions/0009-recommendations.md.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Sum
from django.utils.translation import gettext

from ouentai.cases.rules import size_band_for
from ouentai.cases.selectors.public import public_case, public_case_queryset, public_cases
from ouentai.cases.similarity import CaseItem, CaseModel, Match, Profile
from ouentai.community.models import Application, Company
from ouentai.engagements.models import DiagnosisResult, Engagement
from ouentai.network.models import DispatchRequest, Expert

# How many similar cases an expert's evidence is drawn from, and how many of an expert's cases count.
EXPERT_EVIDENCE_CASES = 30
EXPERT_CASES_COUNTED = 3
# Key terms are looked for in the first cases only (the reasons quote the best case's terms).
EXPERT_TERMS_FOR = 10
# An expert's score is multiplied by RATING_BASE + RATING_STEP × the mean rating (1–5); unrated: 3.
RATING_BASE = 0.8
RATING_STEP = 0.04
UNRATED = 3

_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], CaseModel] | None = None


def public_case_version() -> tuple[Any, ...]:
    """What changes whenever the set of public cases or one of them changes (one query)."""
    row = public_cases().order_by().aggregate(n=Count("pk"), updated=Max("updated_at"), ids=Sum("pk"))
    return (row["n"], row["updated"], row["ids"])


def case_document(case: Any) -> str:
    """The text of a public case the model compares: the problem first (title, summary, challenge,
    background), then what was done (solution, products) and achieved (results). Never the company's
    name: the words of the case are what make it like another."""
    return "\n".join(
        [
            case.title,
            case.summary,
            case.challenge,
            case.background,
            case.solution,
            case.products,
            case.results,
        ]
    )


def _fit() -> CaseModel:
    """Read every public case through the public projection and fit the model (the slow step: once
    per change of the public cases, per process)."""
    documents = []
    for case in public_case_queryset().order_by("pk").iterator(chunk_size=500):
        public = public_case(case)
        item = CaseItem(
            pk=case.pk,
            key=public.key,
            organization_id=public.organization_id,
            company_id=case.company_id,
            named=public.named,
            company_name=public.company_name,
            title=public.title,
            summary=public.summary,
            industry=public.industry,
            size_band=public.size_band,
            prefecture=public.prefecture,
            city=public.city,
            challenge_kind=public.challenge_kind,
            it_area=public.it_area,
            expert_ids=tuple(sorted(expert.pk for expert in case.experts.all())),
        )
        documents.append((item, case_document(public)))
    return CaseModel.fit(documents)


def case_model() -> CaseModel:
    """The fitted model of the public cases as they are now (fitted again after any change)."""
    global _cached
    version = public_case_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != version:
            # No public case: nothing to read (a page of a young library pays no extra query).
            _cached = (version, _fit() if version[0] else CaseModel.fit([]))
        return _cached[1]


def case_model_forget() -> None:
    """Drop the process's model (tests, and the benchmark's "cold" measurement)."""
    global _cached
    _cached = None


def _weakest_dimensions(scores: list[dict[str, Any]]) -> list[str]:
    """The diagnosis dimensions scored below the result's mean: where the company says it is weak."""
    values = []
    for entry in scores or []:
        try:
            values.append((Decimal(str(entry.get("score"))), str(entry.get("name") or "")))
        except ArithmeticError:
            continue
    if not values:
        return []
    mean = sum((value for value, _name in values), Decimal(0)) / len(values)
    return [name for value, name in values if value < mean and name]


def company_profile(company: Company, *, extra: str = "") -> Profile:
    """What the company wrote (application messages, its engagements' challenges, strategy and KPI
    names, the weak dimensions of its latest diagnosis) and its facts (industry, size band,
    prefecture). Three queries."""
    organization_id = company.organization_id
    texts = [extra]
    texts += Application.objects.filter(organization_id=organization_id, company=company).values_list(
        "message", flat=True
    )
    # One row per KPI (or one for an engagement without): the engagement's texts are taken once.
    seen: set[int] = set()
    for pk, challenges, strategy, kpi in Engagement.objects.filter(
        organization_id=organization_id, company=company
    ).values_list("pk", "challenges", "strategy", "kpis__name"):
        if pk not in seen:
            seen.add(pk)
            texts += [challenges, strategy]
        texts.append(kpi or "")
    latest = (
        DiagnosisResult.objects.filter(organization_id=organization_id, company=company)
        .order_by("-created_at", "-pk")
        .values_list("scores", flat=True)
        .first()
    )
    texts += _weakest_dimensions(latest or [])
    return Profile(
        text="\n".join(text for text in texts if text),
        industry=company.industry,
        size_band=size_band_for(company.employees),
        prefecture=company.prefecture,
        company_id=company.pk,
    )


@dataclass(frozen=True)
class CaseRecommendation:
    """A public case recommended to a company, with its reasons."""

    case: CaseItem
    score: float
    reasons: list[str]


def case_recommendations(
    profile: Profile, *, limit: int = 5, model: CaseModel | None = None
) -> list[CaseRecommendation]:
    """The ``limit`` public cases most like the profile, best first, with reasons (one query, none
    with a model given)."""
    model = model or case_model()
    return [CaseRecommendation(m.item, m.score, m.reasons) for m in model.rank(profile, limit=limit)]


def case_recommendations_for_company(company: Company, *, limit: int = 5) -> list[CaseRecommendation]:
    """The public cases most like the company, its own left out (four queries)."""
    return case_recommendations(company_profile(company), limit=limit)


@dataclass
class ExpertEvidence:
    """An expert's public cases among those most like a profile, and the expert's dispatch ratings."""

    expert_id: int
    matches: list[Match] = field(default_factory=list)
    rating_mean: float | None = None
    rating_count: int = 0

    @property
    def case_points(self) -> float:
        return sum(m.score for m in self.matches[:EXPERT_CASES_COUNTED])

    @property
    def score(self) -> float:
        rating = self.rating_mean if self.rating_mean is not None else UNRATED
        return round(self.case_points * (RATING_BASE + RATING_STEP * rating), 4)

    def reasons(self) -> list[str]:
        """「似た課題の事例を2件支援：…」, the key terms of the best one, and the ratings."""
        titles = "、".join(f"「{m.item.title}」" for m in self.matches[:2])
        reasons = [
            gettext("似た課題の事例を%(n)s件支援：%(titles)s") % {"n": len(self.matches), "titles": titles}
        ]
        terms = next((m.terms for m in self.matches if m.terms), [])
        if terms:
            reasons.append(gettext("共通のキーワード：%(terms)s") % {"terms": "、".join(terms)})
        if self.rating_count:
            reasons.append(
                gettext("派遣の評価：平均%(mean)s（%(n)s件）")
                % {"mean": f"{self.rating_mean:.1f}", "n": self.rating_count}
            )
        else:
            reasons.append(gettext("派遣の評価はまだありません"))
        return reasons


def expert_evidence(
    profile: Profile,
    *,
    organization_id: int,
    model: CaseModel | None = None,
    matches: list[Match] | None = None,
) -> dict[int, ExpertEvidence]:
    """For each expert of the organization who supported public cases like the profile: those cases
    (best first) and the expert's ratings from dispatches. One query beyond the model's (none more
    when the ranked ``matches`` are given)."""
    if matches is None:
        model = model or case_model()
        matches = model.rank(profile, limit=EXPERT_EVIDENCE_CASES, terms_for=EXPERT_TERMS_FOR)
    evidence: dict[int, ExpertEvidence] = {}
    for match in matches:
        if match.item.organization_id != organization_id:
            continue
        for expert_id in match.item.expert_ids:
            evidence.setdefault(expert_id, ExpertEvidence(expert_id)).matches.append(match)
    if not evidence:
        return {}
    ratings = (
        DispatchRequest.objects.filter(
            organization_id=organization_id, expert_id__in=evidence, rating__isnull=False
        )
        .values("expert_id")
        .annotate(mean=Avg("rating"), n=Count("pk"))
        .order_by()
    )
    for row in ratings:
        evidence[row["expert_id"]].rating_mean = float(row["mean"])
        evidence[row["expert_id"]].rating_count = int(row["n"])
    return evidence


@dataclass(frozen=True)
class ExpertRecommendation:
    expert: Expert
    score: float
    reasons: list[str]
    available: bool


def _expert_recommendations(
    evidence: dict[int, ExpertEvidence], *, organization_id: int, limit: int
) -> list[ExpertRecommendation]:
    """The best ``limit`` experts of the evidence, best first (one query)."""
    ranked = sorted(evidence.values(), key=lambda e: (-e.score, e.expert_id))[:limit]
    if not ranked:
        return []
    experts = Expert.objects.filter(organization_id=organization_id, pk__in=[e.expert_id for e in ranked])
    by_id = {expert.pk: expert for expert in experts}
    return [
        ExpertRecommendation(by_id[e.expert_id], e.score, e.reasons(), by_id[e.expert_id].is_available)
        for e in ranked
        if e.expert_id in by_id
    ]


def expert_recommendations_for_company(company: Company, *, limit: int = 3) -> list[ExpertRecommendation]:
    """The experts of the company's organization who supported the public cases most like it, scored
    by those cases and their ratings (ExpertEvidence.score), best first. Six queries."""
    evidence = expert_evidence(company_profile(company), organization_id=company.organization_id)
    return _expert_recommendations(evidence, organization_id=company.organization_id, limit=limit)


@dataclass(frozen=True)
class CompanyRecommendations:
    """What a company's page shows: similar public cases and suggested experts, with their reasons."""

    cases: list[CaseRecommendation]
    experts: list[ExpertRecommendation]
    has_words: bool


def recommendations_for_company(
    company: Company, *, cases: int = 5, experts: int = 3
) -> CompanyRecommendations:
    """Both lists from one ranking of the public cases: the first ``cases`` matches, and the experts
    behind the first EXPERT_EVIDENCE_CASES. Six queries whatever the data (the model's version, the
    company's words, the experts' ratings and rows)."""
    profile = company_profile(company)
    matches = case_model().rank(
        profile, limit=max(cases, EXPERT_EVIDENCE_CASES), terms_for=max(cases, EXPERT_TERMS_FOR)
    )
    evidence = expert_evidence(profile, organization_id=company.organization_id, matches=matches)
    return CompanyRecommendations(
        cases=[CaseRecommendation(m.item, m.score, m.reasons) for m in matches[:cases]],
        experts=_expert_recommendations(evidence, organization_id=company.organization_id, limit=experts),
        has_words=bool(profile.text),
    )


# Points the dispatch matching (network.selectors.matching) adds per similar case of an expert, at
# most DISPATCH_MAX_CASE_POINTS, and for a mean rating of DISPATCH_GOOD_RATING or more.
DISPATCH_CASE_POINTS = 2
DISPATCH_MAX_CASE_POINTS = 4
DISPATCH_GOOD_RATING = 4.0


def dispatch_candidate_notes(request: DispatchRequest) -> dict[int, tuple[int, list[str]]]:
    """What the case library knows of each expert for a dispatch request: points and reasons from
    the expert's public cases like the company's words and the request's purpose, and from the
    expert's ratings (registered with the network's matching in ``apps.py``). Five queries."""
    company = request.company
    profile = company_profile(company, extra=request.purpose)
    notes: dict[int, tuple[int, list[str]]] = {}
    for expert_id, entry in expert_evidence(profile, organization_id=request.organization_id).items():
        points = min(DISPATCH_CASE_POINTS * len(entry.matches), DISPATCH_MAX_CASE_POINTS)
        if entry.rating_mean is not None and entry.rating_mean >= DISPATCH_GOOD_RATING:
            points += 1
        notes[expert_id] = (points, entry.reasons())
    return notes
