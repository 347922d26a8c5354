"""Public forms. Each field accepts what people type (half-width kana, full-width digits, 〒, hyphens)
and hands the service normalized values (ouentai.core.fields); each error is a Japanese sentence shown
beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.community.choices import Industry
from ouentai.community.services import ApplicationData, InquiryData
from ouentai.core.fields import (
    AddressLineField,
    CorporateNumberField,
    CountField,
    FreeTextField,
    FuriganaField,
    JapaneseEmailField,
    NameField,
    PhoneField,
    PostalCodeField,
    fill_address_from_postal_code,
    postal_attrs,
    text_input,
)
from ouentai.core.forms import PublicForm
from ouentai.core.jp import postal_lookup


class ApplicationForm(PublicForm):
    company_name = NameField(
        label=_("会社名"), max_length=200, widget=text_input(autocomplete="organization")
    )
    company_name_kana = FuriganaField(label=_("会社名フリガナ"), max_length=200)
    contact_name = NameField(label=_("担当者名"), max_length=100, widget=text_input(autocomplete="name"))
    contact_name_kana = FuriganaField(label=_("担当者名フリガナ"), max_length=100)
    email = JapaneseEmailField(
        label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = PhoneField(
        label=_("電話番号"), max_length=30, widget=text_input(autocomplete="tel", inputmode="tel")
    )
    postal_code = PostalCodeField(label=_("郵便番号"), max_length=10, widget=text_input(**postal_attrs()))
    prefecture = NameField(
        label=_("都道府県"), max_length=10, required=False, widget=text_input(autocomplete="address-level1")
    )
    city = NameField(
        label=_("市区町村"), max_length=50, required=False, widget=text_input(autocomplete="address-level2")
    )
    town = NameField(
        label=_("町域"), max_length=100, required=False, widget=text_input(autocomplete="address-level3")
    )
    address = AddressLineField(
        label=_("住所"), max_length=200, widget=text_input(autocomplete="address-line1")
    )
    corporate_number = CorporateNumberField(
        label=_("法人番号"), max_length=20, required=False, widget=text_input(inputmode="numeric")
    )
    industry = forms.ChoiceField(label=_("業種"), choices=[("", _("選択してください")), *Industry.choices])
    employees = CountField(label=_("従業員数"), widget=text_input(inputmode="numeric", maxlength="10"))
    message = FreeTextField(
        label=_("ご相談内容"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )

    newsletter_opt_in = forms.BooleanField(
        label=_("セミナーやプログラムの案内メールを受け取る"),
        required=False,
        help_text=_("いつでも配信を止められます。"),
    )

    field_order = [
        "company_name", "company_name_kana", "contact_name", "contact_name_kana", "email", "phone",
        "postal_code", "prefecture", "city", "town", "address", "corporate_number", "industry",
        "employees", "message", "newsletter_opt_in", "consent",
    ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.municipality_code = fill_address_from_postal_code(self)
        return self.cleaned_data

    def to_data(self) -> ApplicationData:
        d = self.cleaned_data
        return ApplicationData(
            company_name=d["company_name"], company_name_kana=d["company_name_kana"],
            contact_name=d["contact_name"], contact_name_kana=d["contact_name_kana"],
            email=d["email"], phone=d["phone"], postal_code=d["postal_code"],
            prefecture=d["prefecture"], city=d["city"], town=d["town"], address=d["address"],
            municipality_code=self.municipality_code, corporate_number=d["corporate_number"],
            industry=d["industry"], employees=d["employees"], message=d["message"],
            newsletter_opt_in=d["newsletter_opt_in"],
        )  # fmt: skip


class InquiryForm(PublicForm):
    name = NameField(label=_("お名前"), max_length=100, widget=text_input(autocomplete="name"))
    name_kana = FuriganaField(label=_("お名前フリガナ"), max_length=100, required=False)
    company_name = NameField(
        label=_("会社名・団体名"),
        max_length=200,
        required=False,
        widget=text_input(autocomplete="organization"),
    )
    email = JapaneseEmailField(
        label=_("メールアドレス"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = PhoneField(
        label=_("電話番号"),
        max_length=30,
        required=False,
        widget=text_input(autocomplete="tel", inputmode="tel"),
    )
    postal_code = PostalCodeField(
        label=_("郵便番号"),
        max_length=10,
        required=False,
        widget=text_input(autocomplete="postal-code", inputmode="numeric"),
        help_text=_("お近くの実施機関がお答えします。"),
    )
    subject = NameField(label=_("件名"), max_length=200)
    message = FreeTextField(
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

    def clean(self) -> dict[str, Any]:
        super().clean()
        code = self.cleaned_data.get("postal_code")
        found = postal_lookup(code) if code else None
        self.municipality_code = found.municipality_code if found else ""
        return self.cleaned_data

    def to_data(self) -> InquiryData:
        d = self.cleaned_data
        return InquiryData(
            name=d["name"], name_kana=d["name_kana"], company_name=d["company_name"], email=d["email"],
            phone=d["phone"], postal_code=d["postal_code"], municipality_code=self.municipality_code,
            subject=d["subject"], message=d["message"],
        )  # fmt: skip
