"""The public IT-management self-diagnosis (IT経営力診断): the questionnaire of the portal's organization
as a form, and the result page reached by its secret link. No login needed; a signed-in member's result
is kept with their company. Also the stage chart drawn on the server (no script: CSP)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from ouentai.accounts.models import User
from ouentai.accounts.selectors import organization_for_portal
from ouentai.accounts.sites import site_enter, site_reverse
from ouentai.community.selectors import member_account_for
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import private
from ouentai.core.ratelimit import client_address, form_rate, form_refuse_rate_limited
from ouentai.engagements import selectors, services
from ouentai.engagements.choices import Stage
from ouentai.engagements.forms_diagnosis import DiagnosisForm
from ouentai.engagements.models import StageRule

# The scale the answers are scored on (1 = stage 1 behaviour … 4 = stage 4 behaviour).
SCORE_MIN = Decimal(1)
SCORE_MAX = Decimal(4)


def stage_label(stage: int) -> str:
    """「段階3 組織全体最適化」."""
    try:
        name = str(Stage(stage).label)
    except ValueError:
        name = ""
    return _("段階%(n)s %(name)s") % {"n": stage, "name": name}


# --- chart geometry ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """One stage's range of scores on a chart axis (from its StageRule.min_score to the next stage's)."""

    stage: int
    start: Decimal
    end: Decimal
    pos: float  # where the band begins on the axis, 0–1
    size: float  # its share of the axis, 0–1


def stage_bands(
    rules: Iterable[StageRule], low: Decimal = SCORE_MIN, high: Decimal = SCORE_MAX
) -> list[Band]:
    """The stage bands between ``low`` and ``high`` as the questionnaire's thresholds draw them (data,
    not code: an org admin who moves a threshold moves the band)."""
    ordered = sorted(rules, key=lambda rule: rule.min_score)
    span = high - low
    bands = []
    for index, rule in enumerate(ordered):
        start = max(low, min(high, rule.min_score))
        end = high if index + 1 == len(ordered) else max(low, min(high, ordered[index + 1].min_score))
        if end <= start:
            continue
        bands.append(Band(rule.stage, start, end, float((start - low) / span), float((end - start) / span)))
    return bands


def axis_pos(score: Decimal, low: Decimal = SCORE_MIN, high: Decimal = SCORE_MAX) -> float:
    return float((min(high, max(low, score)) - low) / (high - low))


def _f(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class DimensionRow:
    name: str
    score: Decimal
    stage: int
    stage_label: str
    explanation: str
    next_steps: str


@dataclass(frozen=True)
class BarChart:
    """Coordinates of the horizontal bar chart (stage bands behind the bars), in SVG user units."""

    width: int
    height: int
    plot_x: int
    plot_w: int
    bands: list[dict[str, str]]
    ticks: list[dict[str, str]]
    bars: list[dict[str, str]]
    axis_y: int


def bar_chart(rows: Sequence[DimensionRow], rules: Iterable[StageRule]) -> BarChart:
    """Each dimension's score as a bar over the four stage bands; the names sit above the bars so that
    the chart stays legible on a phone."""
    width, plot_x, plot_w = 400, 12, 376
    top, row_h = 30, 54
    axis_y = top + row_h * len(rows) + 4
    bands = [
        {
            "stage": str(band.stage),
            "x": _f(plot_x + plot_w * band.pos),
            "w": _f(plot_w * band.size),
            "label_x": _f(plot_x + plot_w * (band.pos + band.size / 2)),
            "label": _("段階%(n)s") % {"n": band.stage},
        }
        for band in stage_bands(rules)
    ]
    ticks = [
        {"x": _f(plot_x + plot_w * axis_pos(Decimal(v))), "label": str(v)}
        for v in range(int(SCORE_MIN), int(SCORE_MAX) + 1)
    ]
    bars = []
    for index, row in enumerate(rows):
        y = top + row_h * index
        length = plot_w * axis_pos(row.score)
        end = plot_x + length
        inside = length > plot_w * 0.7  # a long bar carries its value inside, near its end
        bars.append(
            {
                "name": row.name,
                "name_y": _f(y + 17),
                "y": _f(y + 24),
                "w": _f(max(length, 2.0)),
                "value": f"{row.score}",
                "value_x": _f(end - 6 if inside else end + 6),
                "value_y": _f(y + 40),
                "value_anchor": "end" if inside else "start",
                "value_class": "dg-value dg-value-inside" if inside else "dg-value",
                "stage": str(row.stage),
            }
        )
    return BarChart(width, axis_y + 24, plot_x, plot_w, bands, ticks, bars, axis_y)


def _rules_by_stage(rules: Iterable[StageRule]) -> dict[int, StageRule]:
    return {rule.stage: rule for rule in rules}


# --- pages -------------------------------------------------------------------------------------------


@ratelimit(key=client_address, rate=form_rate, method="POST", block=False)
def diagnosis_form(request: HttpRequest, org: str | None = None) -> HttpResponse:
    """GET shows the questionnaire (the organization's on its own pages; on the program-wide pages the
    one of the organization that speaks for the program); POST scores and keeps the answers, then shows
    the result page. A refusal (an unanswered question, too many posts) shows the form again with every
    answer kept."""
    site_org = site_enter(request, org)
    questionnaire = services.questionnaire_for(site_org or organization_for_portal())
    status = 200
    if request.method == "POST":
        form = DiagnosisForm(request.POST, questionnaire=questionnaire)
        if getattr(request, "limited", False):
            form_refuse_rate_limited(form)
            status = 429
        elif form.is_valid():
            user = request.user if request.user.is_authenticated else None
            # A member's result is kept with their company (and becomes its stage); anyone else's is not.
            account = member_account_for(user) if isinstance(user, User) else None
            try:
                result = services.diagnosis_submit(
                    questionnaire=questionnaire,
                    answers=form.answers(),
                    user=user,
                    company=account.company if account is not None else None,
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = 400
            else:
                return redirect(site_reverse(request, site_org, "diagnosis_result", token=result.token))
        else:
            status = 400
    else:
        form = DiagnosisForm(questionnaire=questionnaire)
    context = {"questionnaire": questionnaire, "form": form, "groups": form.groups()}
    return render(request, "engagements/diagnosis/form.html", context, status=status)


def diagnosis_result(request: HttpRequest, token: uuid.UUID, org: str | None = None) -> HttpResponse:
    """One result: the overall stage, a chart and a table of the dimensions, what each stage means and
    what to do next (texts from the questionnaire's stage rules), and the invitation to apply (to the
    organization whose pages the diagnosis was taken on)."""
    site_org = site_enter(request, org)
    result = selectors.diagnosis_result_by_token(token)
    if result is None or (site_org is not None and result.questionnaire.organization_id != site_org.pk):
        raise Http404
    rules = selectors.stage_rules_for(questionnaire_id=result.questionnaire_id)
    by_stage = _rules_by_stage(rules)
    rows = []
    for entry in result.scores:
        stage = int(entry["stage"])
        rule = by_stage.get(stage)
        rows.append(
            DimensionRow(
                name=str(entry["name"]),
                score=Decimal(str(entry["score"])),
                stage=stage,
                stage_label=stage_label(stage),
                explanation=rule.explanation if rule else "",
                next_steps=rule.next_steps if rule else "",
            )
        )
    overall = by_stage.get(result.stage)
    weakest = min(rows, key=lambda row: row.score) if rows else None
    # The viewpoints to start with: the lowest ones, unless every viewpoint scored the same (then the
    # overall advice already says it all).
    uneven = len({row.score for row in rows}) > 1
    focus = [
        row for row in rows if uneven and weakest is not None and row.score == weakest.score and row.stage < 4
    ]
    context = {
        "result": result,
        "stage_label": stage_label(result.stage),
        "overall_rule": overall,
        "rows": rows,
        "focus": focus,
        "chart": bar_chart(rows, rules),
        "kept_with_company": result.company
        if result.company_id and request.user.is_authenticated and request.user.pk == result.taken_by_id
        else None,
    }
    return private(render(request, "engagements/diagnosis/result.html", context))
