"""Reading company files for import: CSV in UTF-8 (with or without BOM) or CP932, and .xlsx; guessing
which column is which from Japanese or English headers; checking each row with the same Japanese field
rules as the console form (ouentai.core.fields)."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import unicodedata
from collections.abc import Generator
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from ouentai.community.choices import Industry
from ouentai.community.data import CompanyData, ContactData
from ouentai.core.fields import (
    AddressLineField,
    CorporateNumberField,
    CountField,
    FuriganaField,
    JapaneseEmailField,
    NameField,
    PhoneField,
    PostalCodeField,
    YenField,
    fill_address_from_postal_code,
)
from ouentai.core.forms import AccessibleFormMixin

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
    "capital_yen": (_("資本金"), ("資本金", "capital")),
    "contact_name": (_("担当者名"), ("担当者名", "担当者", "氏名", "contact", "contact name")),
    "contact_name_kana": (_("担当者名フリガナ"), ("担当者名フリガナ", "担当者フリガナ", "氏名フリガナ")),
    "email": (_("メールアドレス"), ("メールアドレス", "メール", "e-mail", "email")),
}
REQUIRED = ("name",)
MAX_REPORTED = 500


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


def detect_encoding(head: bytes) -> str:
    """utf-8-sig when the bytes are UTF-8 (with or without a BOM), else cp932."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the sample
            return "cp932"
    return "utf-8-sig"


def is_xlsx(name: str) -> bool:
    return name.lower().endswith(".xlsx")


def read_rows(handle: IO[bytes], *, name: str, encoding: str) -> Generator[list[str], None, None]:
    """Every row of the file, header first, as lists of strings (empty cells as '')."""
    if is_xlsx(name):
        workbook = load_workbook(handle, read_only=True, data_only=True)
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield ["" if cell is None else str(cell) for cell in row]
        workbook.close()
        return
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        yield from csv.reader(text)
    finally:
        with contextlib.suppress(ValueError):  # already closed with its file
            text.detach()  # leave the caller's file open, however far the rows were read


class ImportRowForm(AccessibleFormMixin, forms.Form):
    """One row, checked like the console's company form."""

    name = NameField(max_length=200)
    name_kana = FuriganaField(max_length=200, required=False)
    corporate_number = CorporateNumberField(max_length=20, required=False)
    postal_code = PostalCodeField(max_length=10, required=False)
    prefecture = NameField(max_length=10, required=False)
    city = NameField(max_length=50, required=False)
    town = NameField(max_length=100, required=False)
    address = AddressLineField(max_length=200, required=False)
    phone = PhoneField(max_length=30, required=False)
    industry = forms.CharField(required=False)
    employees = CountField(required=False)
    capital_yen = YenField(required=False)
    contact_name = NameField(max_length=100, required=False)
    contact_name_kana = FuriganaField(max_length=100, required=False)
    email = JapaneseEmailField(required=False)

    municipality_code = ""

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
        self.municipality_code = fill_address_from_postal_code(self)
        if self.cleaned_data.get("email") and not self.cleaned_data.get("contact_name"):
            self.add_error("contact_name", _("メールアドレスがある行は担当者名も入れてください。"))
        return self.cleaned_data


@dataclass
class CheckedRow:
    number: int
    company: CompanyData | None
    contact: ContactData | None
    errors: list[str]


def check_row(number: int, cells: list[str], mapping: dict[str, int]) -> CheckedRow:
    """Validate one data row; errors are sentences naming the column (label: message)."""
    data = {target: (cells[index].strip() if index < len(cells) else "") for target, index in mapping.items()}
    form = ImportRowForm(data)
    if not form.is_valid():
        errors = [
            f"{TARGETS[field][0] if field in TARGETS else ''}：{message}"
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
    contact = (
        ContactData(name=d["contact_name"], name_kana=d["contact_name_kana"], email=d["email"], phone="")
        if d["contact_name"]
        else None
    )
    return CheckedRow(number, company, contact, [])
