"""What a nomination export holds (全国の選定・表彰への推薦用): one row per case, read from its public
projection, so an anonymized case is nominated as it is published (no company name, prefecture only).
Dates are 西暦 date cells; KPIs are written out with their units and measurement dates."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from ouentai.cases.selectors.public import PublicCase
from ouentai.core.numbers import number_text


def nomination_headers() -> list[str]:
    return [
        _("事例の表題"), _("要約"), _("企業名"), _("公開の形"), _("業種"), _("従業員規模"), _("地域"),
        _("課題の分類"), _("ITの分野"), _("支援前のIT経営力の段階"), _("支援後のIT経営力の段階"),
        _("背景"), _("経営課題"), _("経営戦略"), _("導入したITと進め方"), _("導入した製品・サービス"), _("成果"),
        _("KPI（支援前→支援後）"), _("経営者の声"), _("経営者の声の話し手（役職）"), _("実施したフェーズ"),
        _("利用した派遣制度"), _("支援した専門家の人数"), _("受講した研修・セミナー"), _("発表した事例発表会"),
        _("支援の開始日"), _("支援の完了日"), _("公開日"), _("事例のページ"),
    ]  # fmt: skip


def _kpi_text(case: PublicCase) -> str:
    return "\n".join(
        _("%(name)s：%(before)s%(unit)s（%(before_on)s）→ %(after)s%(unit)s（%(after_on)s）")
        % {
            "name": k.name,
            "before": number_text(k.before_value),
            "after": number_text(k.after_value),
            "unit": k.unit,
            "before_on": k.before_on.isoformat(),
            "after_on": k.after_on.isoformat(),
        }
        for k in case.kpis
    )


def nomination_rows(cases: Iterable[PublicCase], *, page_url: Any) -> Iterator[list[Any]]:
    """The header, then one row per case. ``page_url(case)`` gives the absolute address of its page."""
    yield nomination_headers()
    for case in cases:
        yield [
            case.title,
            case.summary,
            case.company_name if case.named else _("（匿名で公開）"),
            _("企業名を公開") if case.named else _("匿名（業種・規模・地域のみ）"),
            case.industry_label,
            case.size_band_label,
            case.region,
            case.challenge_kind_label,
            case.it_area_label,
            case.it_stage_before_label,
            case.it_stage_after_label,
            case.background,
            case.challenge,
            case.strategy,
            case.solution,
            case.products,
            case.results,
            _kpi_text(case),
            case.owner_words,
            case.owner_title,
            "、".join(case.phase_labels),
            "、".join(s.name for s in case.schemes),
            case.expert_count,
            "、".join(t.name for t in case.trainings),
            case.presented_at.name if case.presented_at else "",
            case.started_on,
            case.completed_on,
            case.published_at.date(),
            page_url(case),
        ]
