"""Writes of the outcome goals: targets per 年度 and the monthly results of manual indicators. Only the
organization's administrators and office staff set them; every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.models import Organization, User
from ouentai.core.audit import audit_record
from ouentai.core.calendar import fiscal_year, local_today
from ouentai.core.errors import DomainError
from ouentai.outcomes.indicators import RULES
from ouentai.outcomes.models import Indicator, ManualResult, Target

MAX_VALUE = Decimal("99999999999.9")
# Targets may be set for the running year, the next one, and corrected for the ten before.
YEARS_BACK = 10


def indicators_install() -> int:
    """Add the computed indicators that are missing (in the order of ``RULES``), switched on; returns
    how many were added. The data migration does the same on install; demo data and tests call this."""
    added = 0
    for position, rule in enumerate(RULES.values(), start=1):
        _indicator, created = Indicator.objects.get_or_create(
            key=rule.key, defaults={"rule": rule.key, "unit": rule.unit, "position": position * 10}
        )
        added += created
    return added


def outcomes_may_manage(*, user: User) -> bool:
    return user.role in INBOX_MANAGER_ROLES


def _check_manager(user: User, organization: Organization) -> None:
    if not outcomes_may_manage(user=user) or user.organization_id != organization.pk:
        raise DomainError(
            _("成果目標を設定できるのは組織の管理者と事務局だけです。"), code="outcomes.forbidden"
        )


def _check_year(year: int) -> None:
    current = fiscal_year(local_today())
    if not current - YEARS_BACK <= year <= current + 1:
        raise DomainError(
            _("年度は%(first)d〜%(last)d年度の範囲で選んでください。")
            % {"first": current - YEARS_BACK, "last": current + 1},
            code="outcomes.year",
            field="fiscal_year",
        )


def _check_value(value: Decimal, field: str) -> None:
    if value < 0:
        raise DomainError(_("0以上の数を入力してください。"), code="outcomes.negative", field=field)
    if value > MAX_VALUE:
        raise DomainError(_("数が大きすぎます。"), code="outcomes.too_large", field=field)
    if value != value.quantize(Decimal("0.1")):
        raise DomainError(_("小数は1桁までで入力してください。"), code="outcomes.precision", field=field)


def target_set(
    *,
    organization: Organization,
    indicator: Indicator,
    year: int,
    target: Decimal | None,
    baseline: Decimal | None,
    actor: User,
) -> Target | None:
    """Set, change or (``target=None``) remove the organization's target for one indicator and 年度.
    A baseline needs a target. Writes nothing and no audit entry when nothing changes."""
    _check_manager(actor, organization)
    _check_year(year)
    if target is None:
        if baseline is not None:
            raise DomainError(
                _("基準値だけでは保存できません。目標値も入力してください。"),
                code="outcomes.baseline_only",
                field="target",
            )
        with transaction.atomic():
            removed = Target.objects.filter(
                organization=organization, indicator=indicator, fiscal_year=year
            ).first()
            if removed is not None:
                removed.delete()
                audit_record(
                    actor=actor,
                    action="outcomes.target.cleared",
                    target=organization,
                    details={"indicator": indicator.key, "fiscal_year": year},
                )
        return None
    _check_value(target, "target")
    if baseline is not None:
        _check_value(baseline, "baseline")
    with transaction.atomic():
        current = (
            Target.objects.select_for_update()
            .filter(organization=organization, indicator=indicator, fiscal_year=year)
            .first()
        )
        if current is not None and current.target == target and current.baseline == baseline:
            return current
        if current is None:
            current = Target(organization=organization, indicator=indicator, fiscal_year=year)
        current.target, current.baseline, current.set_by = target, baseline, actor
        current.save()
        audit_record(
            actor=actor,
            action="outcomes.target.set",
            target=current,
            details={
                "indicator": indicator.key,
                "fiscal_year": year,
                "target": str(target),
                "baseline": "" if baseline is None else str(baseline),
            },
        )
    return current


def targets_save(
    *,
    organization: Organization,
    year: int,
    values: Mapping[Indicator, tuple[Decimal | None, Decimal | None]],
    actor: User,
) -> None:
    """Save the whole year's targets at once: all or nothing (one refused value changes none)."""
    with transaction.atomic():
        for indicator, (target, baseline) in values.items():
            try:
                target_set(
                    organization=organization,
                    indicator=indicator,
                    year=year,
                    target=target,
                    baseline=baseline,
                    actor=actor,
                )
            except DomainError as error:
                raise DomainError(
                    error.message, code=error.code, field=f"{indicator.key}-{error.field}"
                ) from error


def manual_result_set(
    *, organization: Organization, indicator: Indicator, month: dt.date, value: Decimal | None, actor: User
) -> ManualResult | None:
    """Enter (or with ``None`` remove) the result of a manual indicator for one month. Months after the
    current one cannot be entered yet."""
    _check_manager(actor, organization)
    if not indicator.is_manual:
        raise DomainError(
            _("この指標は記録から自動で数えるため、手入力できません。"), code="outcomes.not_manual"
        )
    month = month.replace(day=1)
    _check_year(fiscal_year(month))
    if month > local_today():
        raise DomainError(
            _("まだ来ていない月の実績は入力できません。"), code="outcomes.future_month", field="value"
        )
    with transaction.atomic():
        current = (
            ManualResult.objects.select_for_update()
            .filter(organization=organization, indicator=indicator, month=month)
            .first()
        )
        if value is None:
            if current is not None:
                current.delete()
                audit_record(
                    actor=actor,
                    action="outcomes.result.entered",
                    target=organization,
                    details={"indicator": indicator.key, "month": f"{month:%Y-%m}", "value": ""},
                )
            return None
        _check_value(value, "value")
        if current is not None and current.value == value:
            return current
        if current is None:
            current = ManualResult(organization=organization, indicator=indicator, month=month)
        current.value, current.entered_by = value, actor
        current.entered_at = timezone.now()
        current.save()
        audit_record(
            actor=actor,
            action="outcomes.result.entered",
            target=current,
            details={"indicator": indicator.key, "month": f"{month:%Y-%m}", "value": str(value)},
        )
    return current


def manual_results_save(
    *, organization: Organization, indicator: Indicator, values: Mapping[dt.date, Decimal | None], actor: User
) -> None:
    """Save a year's monthly results of a manual indicator at once: all or nothing."""
    with transaction.atomic():
        for month, value in values.items():
            try:
                manual_result_set(
                    organization=organization, indicator=indicator, month=month, value=value, actor=actor
                )
            except DomainError as error:
                raise DomainError(error.message, code=error.code, field=f"m{month:%Y%m}") from error
