"""The rules of a dispatch scheme, checked against a company and a request. Pure reads: the services
call them inside a transaction that holds the company row lock, so that two requests racing for the
last visits cannot both pass."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from ouentai.community.models import Company
from ouentai.core.calendar import wareki_fiscal_year
from ouentai.core.errors import DomainError
from ouentai.core.templatetags.ouentai import date_jp
from ouentai.network.choices import COUNTS_AGAINST_LIMIT
from ouentai.network.models import DispatchRequest, DispatchScheme


def company_area_codes(company: Company) -> set[str]:
    """The JIS codes a company is in: prefecture (2 digits), designated city and ward/municipality."""
    codes = {code for code in (company.municipality_code, company.city_code) if code}
    codes |= {code[:2] for code in codes}
    return codes


def _counted(
    *, scheme: DispatchScheme, company: Company, fiscal_year: int, exclude_pk: int | None
) -> QuerySet[DispatchRequest]:
    queryset = DispatchRequest.objects.filter(
        scheme=scheme, company=company, fiscal_year=fiscal_year, status__in=COUNTS_AGAINST_LIMIT
    )
    return queryset.exclude(pk=exclude_pk) if exclude_pk is not None else queryset


def visits_used(
    *, scheme: DispatchScheme, company: Company, fiscal_year: int, exclude_pk: int | None = None
) -> int:
    """Visits requested under the scheme for the company in the fiscal year, by every request that
    counts (submitted onwards, not rejected or cancelled)."""
    queryset = _counted(scheme=scheme, company=company, fiscal_year=fiscal_year, exclude_pk=exclude_pk)
    return int(queryset.aggregate(n=Sum("requested_visits"))["n"] or 0)


def visits_left(
    *, scheme: DispatchScheme, company: Company, fiscal_year: int, theme: str, exclude_pk: int | None = None
) -> tuple[int, int]:
    """(the limit that binds, visits left) for one more request of ``theme``. Two rules, whatever the
    order of the requests: visits of themes without an allowance of their own stay within the scheme's
    yearly number, and all visits together stay within the largest allowance of the themes requested
    (中小企業119: 3 a year, 5 when IT is among them)."""
    rows = (
        _counted(scheme=scheme, company=company, fiscal_year=fiscal_year, exclude_pk=exclude_pk)
        .values_list("theme")
        .annotate(n=Sum("requested_visits"))
    )
    used = {row_theme: int(n or 0) for row_theme, n in rows}
    own = {key for key, value in (scheme.visits_per_theme or {}).items() if value}
    total_limit = max(scheme.limit_for(t) for t in {*used, theme})
    total_left = total_limit - sum(used.values())
    if theme in own:
        return total_limit, max(total_left, 0)
    general_left = scheme.visits_per_year - sum(n for t, n in used.items() if t not in own)
    if general_left < total_left:
        return scheme.visits_per_year, max(general_left, 0)
    return total_limit, max(total_left, 0)


def dispatch_check(
    *,
    scheme: DispatchScheme,
    company: Company,
    theme: str,
    visits: int,
    fiscal_year: int,
    today: dt.date,
    exclude_pk: int | None = None,
) -> None:
    """Raise DomainError with a Japanese sentence for the first rule the request breaks: scheme not
    accepting, outside the application window, company not an SME (or unknown), company outside the
    scheme's area, or more visits than are left this fiscal year for the theme."""
    if not scheme.is_active:
        raise DomainError(
            _("この制度は現在申請を受け付けていません。"), code="dispatch.scheme_inactive", field="scheme"
        )
    if scheme.opens_on and today < scheme.opens_on:
        raise DomainError(
            _("この制度の受付は%(date)sからです。") % {"date": date_jp(scheme.opens_on)},
            code="dispatch.window",
            field="scheme",
        )
    if scheme.closes_on and today > scheme.closes_on:
        raise DomainError(
            _("この制度の受付は%(date)sで終了しました。")
            % {"date": scheme.closes_on.strftime("%Y年%m月%d日")},
            code="dispatch.window",
            field="scheme",
        )
    if scheme.sme_only:
        if company.is_sme is None:
            raise DomainError(
                _("中小企業かどうか判定できません。企業の資本金または従業員数と業種を登録してください。"),
                code="dispatch.sme_unknown",
                field="company",
            )
        if not company.is_sme:
            raise DomainError(
                _("この制度は中小企業だけが対象です。%(company)sは中小企業基本法の中小企業に当たりません。")
                % {"company": company.name},
                code="dispatch.not_sme",
                field="company",
            )
    areas = scheme.area_code_list
    if areas and not company_area_codes(company) & set(areas):
        raise DomainError(
            _("%(company)sの所在地はこの制度の対象地域の外です。") % {"company": company.name},
            code="dispatch.area",
            field="company",
        )
    if visits < 1:
        raise DomainError(
            _("訪問回数は1回以上にしてください。"), code="dispatch.visits", field="requested_visits"
        )
    limit, left = visits_left(
        scheme=scheme, company=company, fiscal_year=fiscal_year, theme=theme, exclude_pk=exclude_pk
    )
    if visits > left:
        used = limit - left
        raise DomainError(
            _(
                "%(year)sにこの制度で%(company)sが受けられる訪問は%(limit)s回までです（このテーマの場合）。"
                "申請済みが%(used)s回のため、残りは%(left)s回です。"
            )
            % {
                "year": wareki_fiscal_year(fiscal_year),
                "company": company.name,
                "limit": limit,
                "used": used,
                "left": left,
            },
            code="dispatch.limit",
            field="requested_visits",
        )
