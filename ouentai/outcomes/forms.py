"""Console forms of the outcome goals: the year to look at, a year's targets (one target and baseline
per indicator, on one page) and a manual indicator's monthly results. Numbers accept full-width digits
and thousands separators (１，２００)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.core.fields import JapaneseDecimalField
from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.numbers import number_text
from ouentai.outcomes.models import Indicator, ManualResult, Target


def _value_field(label: str) -> JapaneseDecimalField:
    field = JapaneseDecimalField(
        label=label, required=False, max_digits=12, decimal_places=1, min_value=Decimal(0)
    )
    field.error_messages["min_value"] = _("0以上の数を入力してください。")
    field.error_messages["max_decimal_places"] = _("小数は1桁までで入力してください。")
    return field


class YearForm(AccessibleFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args: Any, years: list[int], labels: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(year, labels[year]) for year in years]


class TargetsForm(AccessibleFormMixin, forms.Form):
    """For each indicator, ``<key>-target`` and ``<key>-baseline``; an empty target removes it."""

    def __init__(
        self,
        *args: Any,
        indicators: list[tuple[Indicator, str, str]],
        targets: dict[int, Target],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator, label, unit in indicators:
            current = targets.get(indicator.pk)
            self.fields[f"{indicator.key}-target"] = _value_field(
                _("%(name)sの目標値（%(unit)s）") % {"name": label, "unit": unit}
            )
            self.fields[f"{indicator.key}-baseline"] = _value_field(
                _("%(name)sの基準値（%(unit)s）") % {"name": label, "unit": unit}
            )
            if current is not None:
                self.initial[f"{indicator.key}-target"] = number_text(current.target)
                self.initial[f"{indicator.key}-baseline"] = number_text(current.baseline)

    def rows(self) -> list[tuple[Indicator, str, str, forms.BoundField, forms.BoundField]]:
        return [
            (indicator, label, unit, self[f"{indicator.key}-target"], self[f"{indicator.key}-baseline"])
            for indicator, label, unit in self.indicators
        ]

    def values(self) -> dict[Indicator, tuple[Decimal | None, Decimal | None]]:
        return {
            indicator: (
                self.cleaned_data.get(f"{indicator.key}-target"),
                self.cleaned_data.get(f"{indicator.key}-baseline"),
            )
            for indicator, _label, _unit in self.indicators
        }


class ManualResultsForm(AccessibleFormMixin, forms.Form):
    """One field per month of the 年度 reached so far (``m202604``); an empty month removes its result."""

    def __init__(
        self,
        *args: Any,
        months: list[dt.date],
        results: dict[dt.date, ManualResult],
        unit: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.months = months
        for month in months:
            name = f"m{month:%Y%m}"
            self.fields[name] = _value_field(
                _("%(y)d年%(m)d月（%(unit)s）") % {"y": month.year, "m": month.month, "unit": unit}
            )
            if month in results:
                self.initial[name] = number_text(results[month].value)

    def values(self) -> dict[dt.date, Decimal | None]:
        return {month: self.cleaned_data.get(f"m{month:%Y%m}") for month in self.months}
