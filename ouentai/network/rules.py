"""The rules of dispatch schemes as pure functions, without the database: whether a request fits its
scheme, whether a visit's date and times are allowed, and how a visit's time counts for the hours, the
totals and the fee. Services raise the errors these return; selectors and pages show the same answers,
so that what a page says is what the service does.

Counting hours, once for everything: a visit is stored as it happened (its start and end), and counts
for the scheme up to the scheme's hours per visit (``counted_minutes``). The request's hours, the
report PDF, the expert's, partner's and console pages, the totals and the fee all add counted minutes
and round once (``hours_of``, ``fee_of``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ouentai.community.models import Company
from ouentai.core.calendar import fiscal_year as fiscal_year_of
from ouentai.core.calendar import wareki_fiscal_year
from ouentai.core.errors import DomainError
from ouentai.core.numbers import number_text
from ouentai.core.templatetags.ouentai import date_jp
from ouentai.network.choices import DispatchTheme
from ouentai.network.models import DispatchScheme, DispatchVisit

# --- Where a company is ----------------------------------------------------------------------------------


def company_area_codes(company: Company) -> set[str]:
    """The JIS codes a company is in: prefecture (2 digits), designated city and ward/municipality."""
    codes = {code for code in (company.municipality_code, company.city_code) if code}
    codes |= {code[:2] for code in codes}
    return codes


def area_text(codes: list[str], names: dict[str, str]) -> str:
    """「神奈川県（14）、横浜市（14100）」: codes with their names (selectors.area_names)."""
    return "、".join(f"{names[code]}（{code}）" if code in names else code for code in codes)


def scheme_rules_text(scheme: DispatchScheme, names: dict[str, str]) -> str:
    """A scheme's rules in words: 中小企業のみ／神奈川県（14）／1社あたり年度3回（IT活用・デジタル化は5回）／
    1回2時間／謝金 10,000円/時間の100%／受付 2026年4月1日〜."""
    parts = [gettext("中小企業のみ") if scheme.sme_only else gettext("企業規模の制限なし")]
    areas = scheme.area_code_list
    parts.append(area_text(areas, names) if areas else gettext("地域の制限なし"))
    visits = gettext("1社あたり年度%(n)s回") % {"n": scheme.visits_per_year}
    themes = dict(DispatchTheme.choices)
    extra = [
        gettext("%(theme)sは%(n)s回") % {"theme": themes[theme], "n": n}
        for theme, n in (scheme.visits_per_theme or {}).items()
        if theme in themes
    ]
    if extra:
        visits += f"（{'、'.join(str(e) for e in extra)}）"
    parts.append(visits)
    parts.append(gettext("1回%(h)s時間") % {"h": number_text(scheme.hours_per_visit)})
    parts.append(
        gettext("謝金 %(fee)s円/時間の%(share)s%%")
        % {"fee": f"{scheme.fee_per_hour:,}", "share": scheme.fee_share_percent}
    )
    if scheme.opens_on or scheme.closes_on:

        def day(value: dt.date | None) -> str:
            return f"{value.year}年{value.month}月{value.day}日" if value else ""

        parts.append(
            gettext("受付 %(opens)s〜%(closes)s")
            % {"opens": day(scheme.opens_on), "closes": day(scheme.closes_on)}
        )
    else:
        parts.append(gettext("受付期間の定めなし"))
    if not scheme.is_active:
        parts.append(gettext("受付停止中"))
    return "／".join(str(part) for part in parts)


# --- Whether a request fits its scheme -----------------------------------------------------------------


def dispatch_problem(
    *,
    scheme: DispatchScheme,
    company: Company,
    visits: int,
    fiscal_year: int,
    today: dt.date,
    limit: int,
    left: int,
) -> DomainError | None:
    """The first rule a request of ``visits`` visits breaks, as a DomainError with a Japanese sentence,
    or None: scheme not accepting, outside the application window (on ``today``), company not an SME
    (or of unknown size), company outside the scheme's area, fewer than 1 visit, or more visits than
    are ``left`` of the ``limit`` that binds for the theme in the fiscal year (counted by
    selectors.visits_left)."""
    if not scheme.is_active:
        return DomainError(
            _("この制度は現在申請を受け付けていません。"), code="dispatch.scheme_inactive", field="scheme"
        )
    if scheme.opens_on and today < scheme.opens_on:
        return DomainError(
            _("この制度の受付は%(date)sからです。") % {"date": date_jp(scheme.opens_on)},
            code="dispatch.window",
            field="scheme",
        )
    if scheme.closes_on and today > scheme.closes_on:
        return DomainError(
            _("この制度の受付は%(date)sで終了しました。")
            % {"date": scheme.closes_on.strftime("%Y年%m月%d日")},
            code="dispatch.window",
            field="scheme",
        )
    if scheme.sme_only:
        if company.is_sme is None:
            return DomainError(
                _("中小企業かどうか判定できません。企業の資本金または従業員数と業種を登録してください。"),
                code="dispatch.sme_unknown",
                field="company",
            )
        if not company.is_sme:
            return DomainError(
                _("この制度は中小企業だけが対象です。%(company)sは中小企業基本法の中小企業に当たりません。")
                % {"company": company.name},
                code="dispatch.not_sme",
                field="company",
            )
    areas = scheme.area_code_list
    if areas and not company_area_codes(company) & set(areas):
        return DomainError(
            _("%(company)sの所在地はこの制度の対象地域の外です。") % {"company": company.name},
            code="dispatch.area",
            field="company",
        )
    if visits < 1:
        return DomainError(
            _("訪問回数は1回以上にしてください。"), code="dispatch.visits", field="requested_visits"
        )
    if visits > left:
        return DomainError(
            _(
                "%(year)sにこの制度で%(company)sが受けられる訪問は%(limit)s回までです（このテーマの場合）。"
                "申請済みが%(used)s回のため、残りは%(left)s回です。"
            )
            % {
                "year": wareki_fiscal_year(fiscal_year),
                "company": company.name,
                "limit": limit,
                "used": limit - left,
                "left": left,
            },
            code="dispatch.limit",
            field="requested_visits",
        )
    return None


# --- Whether a visit may be logged ------------------------------------------------------------------------


def visit_problem(
    *,
    visited_on: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    created_on: dt.date,
    approved_on: dt.date | None,
    fiscal_year: int,
    today: dt.date,
) -> DomainError | None:
    """The first rule a visit's date or times break, or None. A visit is logged after it took place:
    its date is not after ``today`` (a visit today is accepted whatever the hour); it is on or after
    the day the request was created and the day it was approved; it falls within the request's 年度
    (its visits count against that year's allowance); its end is after its start on the same day.
    How long a visit may be is not refused here: see ``counted_minutes``."""
    if ends_at <= starts_at:
        return DomainError(_("終了時刻は開始時刻より後にしてください。"), code="visit.times", field="ends_at")
    if visited_on > today:
        return DomainError(
            _("これからの訪問は記録できません。訪問した後に記録してください。"),
            code="visit.future",
            field="visited_on",
        )
    if visited_on < created_on:
        return DomainError(
            _("訪問日は申請を作成した日（%(date)s）以降にしてください。") % {"date": date_jp(created_on)},
            code="visit.before_request",
            field="visited_on",
        )
    if approved_on is not None and visited_on < approved_on:
        return DomainError(
            _(
                "訪問日は支援機関が承認した日（%(date)s）以降にしてください。承認前の訪問は制度の対象になりません。"
            )
            % {"date": date_jp(approved_on)},
            code="visit.before_approval",
            field="visited_on",
        )
    if fiscal_year_of(visited_on) != fiscal_year:
        return DomainError(
            _("この申請の訪問は%(year)sの間に行ってください（訪問回数はその年度に数えます）。")
            % {"year": wareki_fiscal_year(fiscal_year)},
            code="visit.fiscal_year",
            field="visited_on",
        )
    return None


# --- How a visit's time counts ------------------------------------------------------------------------


def visit_minutes(starts_at: dt.time, ends_at: dt.time) -> int:
    """The length of a visit in whole minutes (0 when the end is not after the start)."""
    start = starts_at.hour * 60 + starts_at.minute
    end = ends_at.hour * 60 + ends_at.minute
    return max(end - start, 0)


def counted_minutes(minutes: int, hours_per_visit: Decimal | None) -> int:
    """The minutes of one visit that count for the scheme: all of them up to the scheme's hours per
    visit, no more (a 3-hour visit under a 2-hour scheme counts 120 minutes). The one rule for the
    hours on every page, the report PDF, the totals and the fee."""
    if hours_per_visit is None or hours_per_visit <= 0:
        return minutes
    return min(minutes, int(hours_per_visit * 60))


def hours_of(minutes: int) -> Decimal:
    """Hours with one decimal, rounded once (half up) from a sum of minutes: 75 → 1.3."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def fee_of(minutes: int, fee_per_hour: int) -> int:
    """The fee for counted minutes at the scheme's hourly rate, in 円, rounded once."""
    return int((Decimal(minutes) * fee_per_hour / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def covered_fee_of(fee: int, share_percent: int) -> int:
    """The part of a fee the scheme covers, in 円, rounded once."""
    return int((Decimal(fee) * share_percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class VisitLine:
    """One visit with its time as logged and as counted by the scheme."""

    visit: DispatchVisit
    minutes: int
    counted_minutes: int

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)

    @property
    def counted_hours(self) -> Decimal:
        return hours_of(self.counted_minutes)

    @property
    def over_limit(self) -> bool:
        return self.counted_minutes < self.minutes


@dataclass(frozen=True)
class VisitHours:
    """A request's visits and their hours: ``counted_hours`` is the number the report, the pages, the
    totals and the fee use; ``hours`` is the time as logged."""

    lines: list[VisitLine]
    hours_per_visit: Decimal

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def minutes(self) -> int:
        return sum(line.minutes for line in self.lines)

    @property
    def counted_minutes(self) -> int:
        return sum(line.counted_minutes for line in self.lines)

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)

    @property
    def counted_hours(self) -> Decimal:
        return hours_of(self.counted_minutes)

    @property
    def over_limit(self) -> bool:
        return any(line.over_limit for line in self.lines)


def visit_line(visit: DispatchVisit, scheme: DispatchScheme) -> VisitLine:
    """One visit with its time as logged and as ``scheme`` counts it."""
    minutes = visit_minutes(visit.starts_at, visit.ends_at)
    return VisitLine(visit, minutes, counted_minutes(minutes, scheme.hours_per_visit))


def visit_hours(visits: Iterable[DispatchVisit], scheme: DispatchScheme) -> VisitHours:
    """The visits of one request with their hours under ``scheme`` (no query: pass loaded visits)."""
    return VisitHours([visit_line(visit, scheme) for visit in visits], scheme.hours_per_visit)
