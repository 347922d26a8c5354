"""Suggest experts for a dispatch request, ranked by skills × region × availability × load, each with
the reasons in Japanese. Deterministic: equal scores are ordered by フリガナ then id.

Apps above the network add what they know of an expert (the case library: the expert's published
cases like this company's problem, and their ratings) by registering a *candidate source* in their
``AppConfig.ready()``: a function of the request that returns, per expert id, points to add and the
reasons for them, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ouentai.core.calendar import local_today
from ouentai.network.choices import ACTIVE_LOAD, DispatchTheme, QualificationKind
from ouentai.network.models import DispatchRequest, Expert
from ouentai.network.rules import company_area_codes


@dataclass
class Candidate:
    expert: Expert
    score: int
    load: int
    reasons: list[str] = field(default_factory=list)
    available: bool = True


# request → {expert id: (points, reasons)}
CandidateSource = Callable[[DispatchRequest], dict[int, tuple[int, list[str]]]]
_SOURCES: list[CandidateSource] = []


def register_candidate_source(source: CandidateSource) -> None:
    """Let an app above add points and reasons to the matching (once, however often it is readied)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def expert_candidates(request: DispatchRequest, *, today: dt.date | None = None) -> list[Candidate]:
    """Every expert of the organization, best first. Points: each skill serving the request's theme
    +3 (at most 9); serving the company's area +3 (an expert with no area listed: +1); a valid
    ITコーディネータ certificate on an IT theme +2; capacity left +1 per free slot (at most 3).
    Unavailable on the first preferred date, or already at their maximum load: listed last, with the
    reason. Two queries, plus those of the registered candidate sources, whose points and reasons
    are added last."""
    today = today or local_today()
    day = request.first_preferred_on or today
    company_codes = company_area_codes(request.company)
    experts = (
        Expert.objects.filter(organization_id=request.organization_id)
        .prefetch_related("skills", "qualifications")
        .annotate(
            load=Count(
                "dispatches", filter=Q(dispatches__status__in=ACTIVE_LOAD) & ~Q(dispatches__pk=request.pk)
            )
        )
    )
    theme_label = DispatchTheme(request.theme).label
    notes = [source(request) for source in _SOURCES]
    candidates = []
    for expert in experts:
        reasons: list[str] = []
        score = 0
        matching = [s.name for s in expert.skills.all() if request.theme in (s.themes or [])]
        if matching:
            score += min(3 * len(matching), 9)
            reasons.append(
                _("「%(theme)s」のスキル: %(skills)s") % {"theme": theme_label, "skills": "、".join(matching)}
            )
        else:
            reasons.append(_("「%(theme)s」のスキルの登録なし") % {"theme": theme_label})
        areas = expert.area_code_list
        if not areas:
            score += 1
            reasons.append(_("対応地域の指定なし"))
        elif company_codes & set(areas):
            score += 3
            reasons.append(_("企業の所在地に対応"))
        else:
            reasons.append(_("企業の所在地は対応地域の外"))
        if request.theme in (DispatchTheme.IT, DispatchTheme.SECURITY) and any(
            q.kind == QualificationKind.ITC and q.valid_on(day) for q in expert.qualifications.all()
        ):
            score += 2
            reasons.append(_("ITコーディネータ（有効）"))
        load = int(getattr(expert, "load", 0))
        free = expert.max_active - load
        available = expert.available_on(day) and free > 0
        if not expert.available_on(day):
            reasons.append(_("希望日に受付停止中"))
        elif free <= 0:
            reasons.append(_("担当件数が上限（%(n)s件）") % {"n": expert.max_active})
        else:
            score += min(free, 3)
            reasons.append(_("担当中 %(load)s件／上限 %(max)s件") % {"load": load, "max": expert.max_active})
        for found in notes:
            points, more = found.get(expert.pk, (0, []))
            score += points
            reasons += more
        candidates.append(Candidate(expert, score, load, reasons, available))
    candidates.sort(key=lambda c: (not c.available, -c.score, c.expert.name_kana, c.expert.pk))
    return candidates
