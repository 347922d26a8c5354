"""Form fields that accept what Japanese users type and give services canonical values.

Each field normalizes in ``to_python`` (see core.jp for the rules) and fails with a sentence that says
how to fix the input. Public forms and console forms use the same fields, so a company typed by staff
is held to the same rules as one sent through /apply/.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.core.http import MAX_ID
from ouentai.core.jp import (
    JapaneseDataError,
    normalize_address,
    normalize_email,
    normalize_furigana,
    normalize_phone,
    normalize_postal_code,
    normalize_single_line,
    normalize_text,
    postal_lookup,
    split_address,
    validate_corporate_number,
)

MESSAGES = {
    "furigana": _("カタカナまたはひらがなで入力してください。"),
    "phone": _("電話番号を確認してください（例：045-123-4567）。"),
    "postal_code": _("郵便番号は7桁の数字で入力してください（例：231-0023）。"),
    "postal_unknown": _(
        "この郵便番号に当たる住所が見つかりません。番号を確認するか、都道府県と市区町村を入力してください。"
    ),
    "corporate_number": _(
        "法人番号は13桁で、国税庁が付番した番号を入力してください（検査用数字が一致しません）。"
    ),
    "corporate_number_length": _("法人番号は13桁の数字です。桁数を確かめてください。"),
    "employees": _("従業員数は0以上の数字で入力してください。"),
    "count_range": _("%(max)s以下の数で入力してください。"),
    "yen": _("金額は円単位の数字で入力してください（例：10,000,000 または 1000万）。"),
    "yen_range": _("金額が大きすぎます。%(max)s円以下で入力してください。"),
    "email": _("メールアドレスの形式を確認してください（例：info@example.jp）。"),
}


class _NormalizingCharField(forms.CharField):
    normalize: Callable[[str], str] = staticmethod(normalize_single_line)
    message_key = ""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        try:
            return type(self).normalize(text)
        except JapaneseDataError as exc:
            key = str(exc) if str(exc) in MESSAGES else self.message_key  # a more precise reason
            raise forms.ValidationError(MESSAGES[key], code=key) from exc


class NameField(_NormalizingCharField):
    """Names and one-line text: half-width kana widened, full-width Latin and digits narrowed."""


class AddressLineField(_NormalizingCharField):
    normalize = staticmethod(normalize_address)


class FreeTextField(_NormalizingCharField):
    normalize = staticmethod(normalize_text)
    widget = forms.Textarea


class FuriganaField(_NormalizingCharField):
    normalize = staticmethod(normalize_furigana)
    message_key = "furigana"


class PhoneField(_NormalizingCharField):
    """Stored as E.164."""

    normalize = staticmethod(normalize_phone)
    message_key = "phone"


class PostalCodeField(_NormalizingCharField):
    """Stored as 7 digits."""

    normalize = staticmethod(normalize_postal_code)
    message_key = "postal_code"


class CorporateNumberField(_NormalizingCharField):
    """法人番号, 13 digits with its check digit verified."""

    normalize = staticmethod(validate_corporate_number)
    message_key = "corporate_number"


class JapaneseEmailField(forms.EmailField):
    default_error_messages = {"invalid": MESSAGES["email"]}

    def to_python(self, value: Any) -> str:
        return normalize_email(super().to_python(value) or "")


# Upper bounds of the whole numbers people type, well inside their columns (PositiveIntegerField holds
# 2,147,483,647; PositiveBigIntegerField 9.2 × 10¹⁸): a number beyond them is a typing error, told as
# one, never a database error.
MAX_PEOPLE = 10_000_000
MAX_YEN = 10**15  # 1,000兆円


def _ascii_digits(text: str) -> bool:
    # str.isdigit() accepts ² and other digits that int() refuses.
    return text.isascii() and text.isdigit()


class CountField(forms.Field):
    """A whole number of people: accepts full-width digits, thousands separators and 人/名; at most
    ``max_value`` (MAX_PEOPLE unless given)."""

    widget = forms.TextInput

    def __init__(self, *, max_value: int = MAX_PEOPLE, **kwargs: Any) -> None:
        self.min_value, self.max_value = 0, max_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = unicodedata.normalize("NFKC", str(value or "")).replace(",", "").strip()
        text = text.removesuffix("人").removesuffix("名").strip()
        if not text:
            return None
        if not _ascii_digits(text):
            raise forms.ValidationError(MESSAGES["employees"], code="employees")
        if len(text) > len(str(self.max_value)) or int(text) > self.max_value:
            raise forms.ValidationError(
                MESSAGES["count_range"], code="max_value", params={"max": f"{self.max_value:,}"}
            )
        return int(text)


class YenField(forms.Field):
    """An amount in yen: accepts full-width digits, commas, 円, and the units 万 / 億 (3億5000万); at most
    ``max_value`` (MAX_YEN unless given)."""

    widget = forms.TextInput

    def __init__(self, *, max_value: int = MAX_YEN, **kwargs: Any) -> None:
        self.min_value, self.max_value = 0, max_value
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = unicodedata.normalize("NFKC", str(value or "")).replace(",", "").replace(" ", "").strip()
        text = text.removesuffix("円")
        if not text:
            return None
        if len(text) > 40:  # nobody writes an amount this long; keeps int() away from huge strings
            raise forms.ValidationError(MESSAGES["yen"], code="yen")
        total = 0
        for unit, factor in (("億", 100_000_000), ("万", 10_000)):
            if unit in text:
                head, _sep, text = text.partition(unit)
                if not _ascii_digits(head):
                    raise forms.ValidationError(MESSAGES["yen"], code="yen")
                total += int(head) * factor
        if text:
            if not _ascii_digits(text):
                raise forms.ValidationError(MESSAGES["yen"], code="yen")
            total += int(text)
        if total > self.max_value:
            raise forms.ValidationError(
                MESSAGES["yen_range"], code="max_value", params={"max": f"{self.max_value:,}"}
            )
        return total


class RowIdField(forms.IntegerField):
    """The hidden id that ties a formset row to its stored record: a positive id within range, so that a
    forged value is 'no such row', never a database error."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


def fill_address_from_postal_code(form: forms.BaseForm) -> str:
    """After a form's fields are clean: fill empty 都道府県 / 市区町村 / 町域 from the postal code (offline
    Japan Post data), keep in 番地・建物名 only what those parts do not already say, and return the
    municipality code ('' if unknown). An unknown code is an error only when the person did not type
    the prefecture and city themselves."""
    data = form.cleaned_data
    code = data.get("postal_code")
    if not code:
        return ""
    found = postal_lookup(code)
    if found is None:
        if not (data.get("prefecture") and data.get("city")):
            form.add_error("postal_code", MESSAGES["postal_unknown"])
        return ""
    parts = split_address(
        data.get("address") or "",
        prefecture=data.get("prefecture") or "",
        city=data.get("city") or "",
        town=data.get("town") or "",
        found=found,
    )
    data["prefecture"], data["city"], data["town"] = parts.prefecture, parts.city, parts.town
    if "address" in data:
        data["address"] = parts.rest
    return found.municipality_code


def text_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs=attrs)


def postal_attrs() -> dict[str, Any]:
    """Attributes of a 郵便番号 input that drives the address auto-fill (static/js/forms.js); the two
    messages are read aloud to screen-reader users."""
    return {
        "autocomplete": "postal-code",
        "inputmode": "numeric",
        "data-postal-lookup": "1",
        "data-found": _("住所を自動で入力しました："),
        "data-not-found": _("この郵便番号の住所は見つかりませんでした。"),
    }


_NUMBER_JUNK = re.compile(r"[,\s、]")
_MINUS = str.maketrans({"−": "-", "‐": "-", "―": "-", "ー": "-", "▲": "-", "△": "-"})


def normalize_number(value: str) -> str:
    """ "１，２００" → "1200", "▲３．５" → "-3.5": NFKC (full-width digits, comma and point), minus
    look-alikes and the ▲/△ of Japanese accounts as a minus sign, thousands separators and spaces
    removed."""
    text = unicodedata.normalize("NFKC", value).translate(_MINUS)
    return _NUMBER_JUNK.sub("", text)


class JapaneseDecimalField(forms.DecimalField):
    """A decimal typed as people type it in Japan (see normalize_number)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        # The largest value the column holds (max_digits, decimal_places), told as a range.
        limit = Decimal(10) ** (kwargs["max_digits"] - kwargs["decimal_places"]) - Decimal(1).scaleb(
            -kwargs["decimal_places"]
        )
        kwargs.setdefault("max_value", limit)
        kwargs.setdefault("min_value", -limit)
        kwargs.setdefault("widget", text_input(inputmode="decimal", autocomplete="off"))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("数値で入力してください（例：1,200 または 12.5）。")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: IntegerField's
        if isinstance(value, str):
            value = normalize_number(value)
        result = super().to_python(value)
        return result if isinstance(result, Decimal) else None
