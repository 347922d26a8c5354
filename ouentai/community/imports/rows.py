"""Checking one row of a company file: which column is which (guessed from Japanese or English
headers), and each row held to the same Japanese field rules as the console form (ouentai.core.fields),
with ranges that fit the database checked here, row by row, before anything is written.

Every message names the column (as the file's header calls it) and says what to do. A row with an
e-mail address or a phone number but no contact name keeps them on a contact whose name is not known
yet (docs/decisions/0007-company-import.md).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.community.choices import Industry
from ouentai.community.data import CompanyData, ContactData
from ouentai.core.fields import (
    MESSAGES,
    AddressLineField,
    CorporateNumberField,
    CountField,
    FuriganaField,
    JapaneseEmailField,
    NameField,
    PhoneField,
    PostalCodeField,
    YenField,
)
from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.jp import address_prefecture, postal_lookup, split_address

logger = logging.getLogger(__name__)

# Target field → (label, header spellings that map to it automatically).
TARGETS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "name": (_("会社名"), ("会社名", "企業名", "法人名", "名称", "company", "company name", "name")),
    "name_kana": (_("会社名フリガナ"), ("会社名フリガナ", "フリガナ", "ふりがな", "カナ", "kana")),
    "corporate_number": (_("法人番号"), ("法人番号", "corporate number")),
    "postal_code": (_("郵便番号"), ("郵便番号", "〒", "postal code", "zip")),
    "prefecture": (_("都道府県"), ("都道府県", "prefecture")),
    "city": (_("市区町村"), ("市区町村", "city")),
    "town": (_("町域"), ("町域", "town")),
    "address": (_("番地・建物名"), ("番地・建物名", "番地", "住所", "所在地", "address")),
    "phone": (_("電話番号"), ("電話番号", "電話", "tel", "phone")),
    "industry": (_("業種"), ("業種", "industry")),
    "employees": (_("従業員数"), ("従業員数", "従業員", "社員数", "employees")),
    "capital_yen": (_("資本金"), ("資本金", "資本金（円）", "capital")),
    "contact_name": (_("担当者名"), ("担当者名", "担当者", "氏名", "contact", "contact name")),
    "contact_name_kana": (_("担当者名フリガナ"), ("担当者名フリガナ", "担当者フリガナ", "氏名フリガナ")),
    "email": (_("メールアドレス"), ("メールアドレス", "メール", "e-mail", "email")),
    "contact_phone": (
        _("担当者の電話番号"),
        ("担当者の電話番号", "担当者電話番号", "担当者電話", "contact phone"),
    ),
}
REQUIRED = ("name",)

# Ranges checked row by row, before anything is written (the columns hold up to 2,147,483,647 people
# and 9.2×10^18 yen; nothing real comes near these).
EMPLOYEES_MAX = 10_000_000
CAPITAL_MAX = 100_000_000_000_000  # 100兆円


def _header_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "")


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Target field → column index, from header names (全角/半角 and case ignored)."""
    keys = [_header_key(h) for h in headers]
    mapping: dict[str, int] = {}
    for target, (_label, spellings) in TARGETS.items():
        for spelling in spellings:
            key = _header_key(spelling)
            if key in keys and keys.index(key) not in mapping.values():
                mapping[target] = keys.index(key)
                break
    return mapping


def _messages(label: Any, limit: int | None = None) -> dict[str, Any]:
    messages: dict[str, Any] = {
        "required": _("%(label)sがありません。入れるか、この行を削除してください。") % {"label": label},
        "null_characters_not_allowed": _("見えない制御文字を削除してください。"),
    }
    if limit:
        messages["max_length"] = _("%(limit_value)d文字までにしてください（この行は%(show_value)d文字）。")
    return messages


def _field(cls: type[forms.Field], target: str, *, required: bool = False, **kwargs: Any) -> forms.Field:
    label = TARGETS[target][0]
    return cls(required=required, error_messages=_messages(label, kwargs.get("max_length")), **kwargs)


class ImportRowForm(AccessibleFormMixin, forms.Form):
    """One row, checked like the console's company form (the same boundary: control characters
    removed, numbers within range), with messages that say what to do with the row."""

    name = _field(NameField, "name", required=True, max_length=200)
    name_kana = _field(FuriganaField, "name_kana", max_length=200)
    corporate_number = _field(CorporateNumberField, "corporate_number", max_length=40)
    postal_code = _field(PostalCodeField, "postal_code", max_length=20)
    prefecture = _field(NameField, "prefecture", max_length=10)
    city = _field(NameField, "city", max_length=50)
    town = _field(NameField, "town", max_length=100)
    address = _field(AddressLineField, "address", max_length=200)
    phone = _field(PhoneField, "phone", max_length=30)
    industry = _field(forms.CharField, "industry", max_length=100)
    employees = _field(CountField, "employees", max_value=EMPLOYEES_MAX)
    capital_yen = _field(YenField, "capital_yen", max_value=CAPITAL_MAX)
    contact_name = _field(NameField, "contact_name", max_length=100)
    contact_name_kana = _field(FuriganaField, "contact_name_kana", max_length=100)
    email = _field(JapaneseEmailField, "email", max_length=254)
    contact_phone = _field(PhoneField, "contact_phone", max_length=30)

    municipality_code = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for target, field in self.fields.items():  # the row's own words, not the generic ones
            field.error_messages["required"] = _messages(TARGETS[target][0])["required"]

    def clean_industry(self) -> str:
        """Accepts the JSIC letter ('E') or the name ('製造業', 'E 製造業')."""
        value = unicodedata.normalize("NFKC", self.cleaned_data.get("industry", "")).strip()
        if not value:
            return ""
        for code, label in Industry.choices:
            if value.upper() == code or value in unicodedata.normalize("NFKC", str(label)):
                return code
        raise forms.ValidationError(_("業種が分かりません（日本標準産業分類の大分類 A〜T か、その名称）。"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if any(f in self.errors for f in ("postal_code", "prefecture", "city", "town", "address")):
            return data
        code = data.get("postal_code", "")
        found = postal_lookup(code) if code else None
        address = data.get("address", "")
        typed_place = (data.get("prefecture") and data.get("city")) or address_prefecture(address)
        if found is None and code and not typed_place:
            self.add_error("postal_code", MESSAGES["postal_unknown"])
            return data
        line_prefecture = address_prefecture(address)
        if found is not None and line_prefecture and line_prefecture != found.prefecture:
            self.add_error(
                "address",
                _("住所は%(line)s、郵便番号は%(postal)sの番号です。どちらかを直してください。")
                % {"line": line_prefecture, "postal": found.prefecture},
            )
            return data
        parts = split_address(
            address,
            prefecture=data.get("prefecture", ""),
            city=data.get("city", ""),
            town=data.get("town", ""),
            found=found,
        )
        data["prefecture"], data["city"], data["town"], data["address"] = (
            parts.prefecture,
            parts.city,
            parts.town,
            parts.rest,
        )
        if found is not None and parts.city == found.city:
            self.municipality_code = found.municipality_code
        return data


@dataclass
class CheckedRow:
    number: int
    company: CompanyData | None
    contact: ContactData | None
    errors: list[str]


def column_name(target: str, mapping: dict[str, int], headers: list[str] | None) -> str:
    """「企業名」列（会社名）: the column as the file calls it, and our field when the names differ."""
    label = str(TARGETS[target][0]) if target in TARGETS else ""
    index = mapping.get(target)
    header = (
        headers[index].strip() if headers is not None and index is not None and index < len(headers) else ""
    )
    if header and _header_key(header) != _header_key(label):
        return str(_("「%(header)s」列（%(label)s）") % {"header": header, "label": label})
    return str(_("「%(label)s」列") % {"label": label})


def check_row(
    number: int, cells: list[str], mapping: dict[str, int], headers: list[str] | None = None
) -> CheckedRow:
    """Validate one data row; errors are sentences naming the column (column: message)."""
    data = {target: (cells[index].strip() if index < len(cells) else "") for target, index in mapping.items()}
    form = ImportRowForm(data)
    try:
        valid = form.is_valid()
    except Exception:  # a rule that breaks on odd input must not stop the import: the row is reported
        logger.exception("import row %s could not be checked", number)
        return CheckedRow(
            number, None, None, [str(_("この行を点検できませんでした。内容を確かめてください。"))]
        )
    if not valid:
        errors = [
            f"{column_name(field, mapping, headers) if field in TARGETS else ''}：{message}"
            for field, messages in form.errors.items()
            for message in messages
        ]
        return CheckedRow(number, None, None, errors)
    d = form.cleaned_data
    company = CompanyData(
        name=d["name"], name_kana=d["name_kana"], corporate_number=d["corporate_number"],
        postal_code=d["postal_code"], prefecture=d["prefecture"], city=d["city"], town=d["town"],
        address=d["address"], municipality_code=form.municipality_code, phone=d["phone"],
        industry=d["industry"], employees=d["employees"], capital_yen=d["capital_yen"],
    )  # fmt: skip
    contact = None
    if d["contact_name"] or d["contact_name_kana"] or d["email"] or d["contact_phone"]:
        contact = ContactData(
            name=d["contact_name"],
            name_kana=d["contact_name_kana"],
            email=d["email"],
            phone=d["contact_phone"],
        )
    return CheckedRow(number, company, contact, [])
