"""Public forms. Each field accepts what people type (half-width kana, full-width digits, 〒, hyphens)
and hands the service normalized values (ouentai.core.fields); each error is a Japanese sentence shown
beside its field."""

from __future__ import annotations

from dataclasses import dataclass
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
from ouentai.core.forms import AccessibleFormMixin, PublicForm
from ouentai.core.jp import postal_lookup


@dataclass(frozen=True)
class FormSection:
    """A group of fields shown as one fieldset, with a sentence that says why we ask."""

    legend: str
    help: str
    fields: list[forms.BoundField]


class ApplicationForm(PublicForm):
    """The join form. The program needs the company, the contact person and a way to reach them: only
    those are required. The e-mail address is the required way (the receipt with its reference number
    and the staff's reply are sent there); a phone number is optional, for those who prefer a call.
    Everything else is optional and grouped with the reason we ask. The address has the same parts and
    labels as a company's in the console: the postal code fills 都道府県 / 市区町村 / 町域, then only
    番地・建物名 is typed."""

    company_name = NameField(
        label=_("会社名"), max_length=200, widget=text_input(autocomplete="organization")
    )
    company_name_kana = FuriganaField(
        label=_("会社名フリガナ"),
        max_length=200,
        required=False,
        help_text=_("お電話で正しくお呼びするためです。"),
    )
    contact_name = NameField(label=_("担当者名"), max_length=100, widget=text_input(autocomplete="name"))
    contact_name_kana = FuriganaField(label=_("担当者名フリガナ"), max_length=100, required=False)
    email = JapaneseEmailField(
        label=_("メールアドレス"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("受付番号と、担当者からのご連絡をお送りします。"),
    )
    phone = PhoneField(
        label=_("電話番号"),
        max_length=30,
        required=False,
        widget=text_input(autocomplete="tel", inputmode="tel"),
        help_text=_("お電話での連絡をご希望の場合にご記入ください。"),
    )
    postal_code = PostalCodeField(
        label=_("郵便番号"), max_length=10, required=False, widget=text_input(**postal_attrs())
    )
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
        label=_("番地・建物名"),
        max_length=200,
        required=False,
        widget=text_input(autocomplete="address-line1"),
        help_text=_("都道府県・市区町村・町域に続く部分（例：1-2-3 みなとビル4階）。"),
    )
    corporate_number = CorporateNumberField(
        label=_("法人番号"),
        max_length=20,
        required=False,
        widget=text_input(inputmode="numeric"),
        help_text=_("13桁。個人事業の方は空欄のままで結構です。"),
    )
    industry = forms.ChoiceField(
        label=_("業種"), required=False, choices=[("", _("選択してください")), *Industry.choices]
    )
    employees = CountField(
        label=_("従業員数"), required=False, widget=text_input(inputmode="numeric", maxlength="10")
    )
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

    SECTIONS = [
        (
            _("お申し込みの方"),
            _("必須の欄だけでお申し込みいただけます。受付番号と担当者からのご連絡はメールでお送りします。"),
            ["company_name", "company_name_kana", "contact_name", "contact_name_kana", "email", "phone"],
        ),
        (
            _("会社の所在地（任意）"),
            _(
                "郵便番号から、地域を担当する実施機関におつなぎします。郵便番号を入れると都道府県・市区町村・町域が"
                "自動で入りますので、続きの番地・建物名だけをご記入ください。"
            ),
            ["postal_code", "prefecture", "city", "town", "address"],
        ),
        (
            _("会社について（任意）"),
            _(
                "ご記入いただくと、使える支援制度（中小企業向けの専門家派遣など）を最初のご連絡までに確かめておけます。"
            ),
            ["corporate_number", "industry", "employees"],
        ),
        (
            _("ご相談内容（任意）"),
            _("いまお困りのことや、ITで取り組みたいことがあればお書きください。お話の準備に使います。"),
            ["message", "newsletter_opt_in"],
        ),
    ]

    @property
    def sections(self) -> list[FormSection]:
        return [
            FormSection(str(legend), str(help_text), [self[name] for name in names])
            for legend, help_text, names in self.SECTIONS
        ]

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


class FinderForm(AccessibleFormMixin, forms.Form):
    """「担当の実施機関を探す」: a postal code, looked up in Japan Post's data (offline)."""

    postal_code = PostalCodeField(
        label=_("会社の郵便番号"),
        max_length=10,
        widget=text_input(autocomplete="postal-code", inputmode="numeric"),
        help_text=_("例：210-0007"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("postal_code")
        if code:
            found = postal_lookup(code)
            if found is None:
                self.add_error("postal_code", _("この郵便番号の住所は見つかりませんでした。"))
            else:
                cleaned["address"] = found
        return cleaned
