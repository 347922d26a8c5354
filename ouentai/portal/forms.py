"""Public forms. Each field accepts what people type (half-width kana, full-width digits, 〒, hyphens)
and hands the service normalized values; each error is a Japanese sentence shown beside its field."""

from __future__ import annotations

import unicodedata
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.community.choices import Industry
from ouentai.community.services import ApplicationData, InquiryData
from ouentai.core.forms import AccessibleFormMixin
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
    "employees": _("従業員数は0以上の数字で入力してください。"),
    "email": _("メールアドレスの形式を確認してください（例：info@example.jp）。"),
}


class NormalizingEmailField(forms.EmailField):
    default_error_messages = {"invalid": MESSAGES["email"]}

    def to_python(self, value: Any) -> str:
        return normalize_email(super().to_python(value) or "")


class PublicForm(AccessibleFormMixin, forms.Form):
    """Hidden plumbing shared by public forms: the once-only token, the policy version agreed to, and a
    honeypot field that people never see."""

    form_token = forms.UUIDField(widget=forms.HiddenInput)
    policy_version = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(
        required=False,
        label=_("この欄は空のままにしてください"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    consent = forms.BooleanField(
        label=_("個人情報の取扱いに同意する"),
        error_messages={"required": _("個人情報の取扱いに同意いただけない場合は送信できません。")},
    )

    @classmethod
    def initial_for(cls, policy_version: str) -> dict[str, Any]:
        return {"form_token": uuid.uuid4(), "policy_version": policy_version}

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def _normalize(self, name: str, function: Any, message: str) -> str:
        value = self.cleaned_data.get(name, "")
        if not value:
            return ""
        try:
            return str(function(value))
        except JapaneseDataError as exc:
            raise forms.ValidationError(MESSAGES[message]) from exc


def _text(label: Any, *, max_length: int, required: bool = True, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=forms.TextInput(attrs=attrs)
    )


# The 郵便番号 input drives the address auto-fill (static/js/forms.js); its messages are read aloud.
POSTAL_ATTRS: dict[str, Any] = {
    "autocomplete": "postal-code",
    "inputmode": "numeric",
    "data-postal-lookup": "1",
    "data-found": _("住所を自動で入力しました："),
    "data-not-found": _("この郵便番号の住所は見つかりませんでした。"),
}


class ApplicationForm(PublicForm):
    company_name = _text(_("会社名"), max_length=200, autocomplete="organization")
    company_name_kana = _text(_("会社名フリガナ"), max_length=200)
    contact_name = _text(_("担当者名"), max_length=100, autocomplete="name")
    contact_name_kana = _text(_("担当者名フリガナ"), max_length=100)
    email = NormalizingEmailField(
        label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = _text(_("電話番号"), max_length=30, autocomplete="tel", inputmode="tel")
    postal_code = _text(_("郵便番号"), max_length=10, **POSTAL_ATTRS)
    prefecture = _text(_("都道府県"), max_length=10, required=False, autocomplete="address-level1")
    city = _text(_("市区町村"), max_length=50, required=False, autocomplete="address-level2")
    town = _text(_("町域"), max_length=100, required=False, autocomplete="address-level3")
    address = _text(_("住所"), max_length=200, autocomplete="address-line1")
    corporate_number = _text(_("法人番号"), max_length=20, required=False, inputmode="numeric")
    industry = forms.ChoiceField(label=_("業種"), choices=[("", _("選択してください")), *Industry.choices])
    employees = _text(_("従業員数"), max_length=10, inputmode="numeric")
    message = forms.CharField(
        label=_("ご相談内容"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )

    field_order = [
        "company_name", "company_name_kana", "contact_name", "contact_name_kana", "email", "phone",
        "postal_code", "prefecture", "city", "town", "address", "corporate_number", "industry",
        "employees", "message", "consent",
    ]  # fmt: skip

    municipality_code = ""

    def clean_company_name(self) -> str:
        return normalize_single_line(self.cleaned_data["company_name"])

    def clean_contact_name(self) -> str:
        return normalize_single_line(self.cleaned_data["contact_name"])

    def clean_company_name_kana(self) -> str:
        return self._normalize("company_name_kana", normalize_furigana, "furigana")

    def clean_contact_name_kana(self) -> str:
        return self._normalize("contact_name_kana", normalize_furigana, "furigana")

    def clean_phone(self) -> str:
        return self._normalize("phone", normalize_phone, "phone")

    def clean_postal_code(self) -> str:
        return self._normalize("postal_code", normalize_postal_code, "postal_code")

    def clean_corporate_number(self) -> str:
        return self._normalize("corporate_number", validate_corporate_number, "corporate_number")

    def clean_address(self) -> str:
        return normalize_address(self.cleaned_data["address"])

    def clean_employees(self) -> int:
        text = unicodedata.normalize("NFKC", self.cleaned_data["employees"]).replace(",", "").strip()
        text = text.removesuffix("人").removesuffix("名").strip()
        if not text.isdigit():
            raise forms.ValidationError(MESSAGES["employees"])
        return int(text)

    def clean_message(self) -> str:
        return normalize_text(self.cleaned_data.get("message", ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("prefecture", "city", "town"):
            data[name] = normalize_single_line(data.get(name, ""))
        code = data.get("postal_code")
        if code:
            found = postal_lookup(code)
            if found is not None:
                self.municipality_code = found.municipality_code
                data["prefecture"] = data["prefecture"] or found.prefecture
                data["city"] = data["city"] or found.city
                data["town"] = data["town"] or found.town
            elif not (data["prefecture"] and data["city"]):
                self.add_error("postal_code", MESSAGES["postal_unknown"])
        return data

    def to_data(self) -> ApplicationData:
        d = self.cleaned_data
        return ApplicationData(
            company_name=d["company_name"], company_name_kana=d["company_name_kana"],
            contact_name=d["contact_name"], contact_name_kana=d["contact_name_kana"],
            email=d["email"], phone=d["phone"], postal_code=d["postal_code"],
            prefecture=d["prefecture"], city=d["city"], town=d["town"], address=d["address"],
            municipality_code=self.municipality_code, corporate_number=d["corporate_number"],
            industry=d["industry"], employees=d["employees"], message=d["message"],
        )  # fmt: skip


class InquiryForm(PublicForm):
    name = _text(_("お名前"), max_length=100, autocomplete="name")
    name_kana = _text(_("お名前フリガナ"), max_length=100, required=False)
    company_name = _text(_("会社名・団体名"), max_length=200, required=False, autocomplete="organization")
    email = NormalizingEmailField(
        label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = _text(_("電話番号"), max_length=30, required=False, autocomplete="tel", inputmode="tel")
    postal_code = _text(
        _("郵便番号"), max_length=10, required=False, autocomplete="postal-code", inputmode="numeric"
    )
    subject = _text(_("件名"), max_length=200)
    message = forms.CharField(
        label=_("お問い合わせ内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 8})
    )

    field_order = [
        "name",
        "name_kana",
        "company_name",
        "email",
        "phone",
        "postal_code",
        "subject",
        "message",
        "consent",
    ]

    municipality_code = ""

    def clean_name(self) -> str:
        return normalize_single_line(self.cleaned_data["name"])

    def clean_name_kana(self) -> str:
        return self._normalize("name_kana", normalize_furigana, "furigana")

    def clean_company_name(self) -> str:
        return normalize_single_line(self.cleaned_data.get("company_name", ""))

    def clean_phone(self) -> str:
        return self._normalize("phone", normalize_phone, "phone")

    def clean_postal_code(self) -> str:
        code = self._normalize("postal_code", normalize_postal_code, "postal_code")
        if code:
            found = postal_lookup(code)
            self.municipality_code = found.municipality_code if found else ""
        return code

    def clean_subject(self) -> str:
        return normalize_single_line(self.cleaned_data["subject"])

    def clean_message(self) -> str:
        return normalize_text(self.cleaned_data["message"])

    def to_data(self) -> InquiryData:
        d = self.cleaned_data
        return InquiryData(
            name=d["name"], name_kana=d["name_kana"], company_name=d["company_name"], email=d["email"],
            phone=d["phone"], postal_code=d["postal_code"], municipality_code=self.municipality_code,
            subject=d["subject"], message=d["message"],
        )  # fmt: skip
