"""Console forms of the support network: support organizations with their contacts and key persons,
dispatch schemes (rules as data), experts with qualifications and login, dispatch requests, the small
forms of the request page (cancel, confirm on the company's behalf) and the list and totals filters.
Each form turns what staff typed into the dataclass its service takes. Numbers accept full-width
digits and commas."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.core.fields import (
    FreeTextField,
    FuriganaField,
    JapaneseEmailField,
    NameField,
    PhoneField,
    text_input,
)
from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.formsets import RowForm, kept_forms
from ouentai.core.jp import format_phone
from ouentai.network.choices import (
    REPORT_FIELDS,
    DispatchTheme,
    QualificationKind,
    SupportOrganizationKind,
)
from ouentai.network.models import (
    DispatchScheme,
    Expert,
    KeyPerson,
    Qualification,
    Skill,
    SupportContact,
    SupportOrganization,
)
from ouentai.network.services.directory import (
    ContactData,
    ExpertData,
    KeyPersonData,
    QualificationData,
    SchemeData,
    SupportOrganizationData,
)

DATE_FORMAT = "%Y-%m-%d"
AREA_HELP = _(
    "都道府県（2桁）または市区町村（5桁）のコードをカンマ区切りで。例: 14 神奈川県, 14100 横浜市, "
    "14130 川崎市。空欄はどこでも。"
)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)


def _number_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "class": "net-input-short", **attrs})


def _choices(field: forms.Field) -> forms.ChoiceField:
    assert isinstance(field, forms.ChoiceField)
    return field


class WholeNumberField(forms.Field):
    """A whole number: full-width digits and commas accepted (１，２００ → 1200); 回・円・件 dropped."""

    def __init__(self, *, min_value: int = 0, max_value: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _number_input())
        super().__init__(**kwargs)
        self.min_value, self.max_value = min_value, max_value

    def to_python(self, value: Any) -> int | None:
        text = unicodedata.normalize("NFKC", str(value or "")).replace(",", "").strip()
        for suffix in ("回", "円", "件", "%"):
            text = text.removesuffix(suffix).strip()
        if not text:
            return None
        if not text.isdigit():
            raise forms.ValidationError(_("数字で入力してください。"), code="number")
        number = int(text)
        if number < self.min_value or (self.max_value is not None and number > self.max_value):
            if self.max_value is None:
                message = _("%(min)s以上の数字で入力してください。") % {"min": self.min_value}
            else:
                message = _("%(min)s〜%(max)sの数字で入力してください。") % {
                    "min": self.min_value,
                    "max": self.max_value,
                }
            raise forms.ValidationError(message, code="range")
        return number


class HoursField(forms.Field):
    """Hours with one decimal (1.5); full-width digits accepted, 時間 dropped."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "net-input-short"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = unicodedata.normalize("NFKC", str(value or "")).strip().removesuffix("時間").strip()
        if not text:
            return None
        try:
            number = Decimal(text).quantize(Decimal("0.1"))
        except InvalidOperation as exc:
            raise forms.ValidationError(_("時間は数字で入力してください（例: 2 または 1.5）。")) from exc
        if number <= 0 or number >= 100:
            raise forms.ValidationError(_("時間は0より大きく100未満で入力してください。"))
        return number


# --- Support organizations ---------------------------------------------------------------------------


class SupportOrganizationForm(AccessibleFormMixin, forms.Form):
    name = NameField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(
        label=_("種類"), choices=[("", _("選択してください")), *SupportOrganizationKind.choices]
    )
    region = NameField(
        label=_("地域"), max_length=100, required=False, help_text=_("例: 関東、神奈川県、横浜市")
    )
    website = forms.URLField(label=_("ウェブサイト"), required=False, max_length=200, assume_scheme="https")

    @staticmethod
    def initial_from(support_organization: SupportOrganization) -> dict[str, Any]:
        return {name: getattr(support_organization, name) for name in ("name", "kind", "region", "website")}


class ContactForm(RowForm):
    name = NameField(label=_("氏名"), max_length=100)
    title = NameField(label=_("部署・役職"), max_length=200, required=False)
    email = JapaneseEmailField(label=_("メールアドレス"), required=False, max_length=254)
    phone = PhoneField(label=_("電話番号"), max_length=30, required=False)

    def to_data(self) -> ContactData:
        d = self.cleaned_data
        return ContactData(
            name=d["name"], title=d.get("title") or "", email=d.get("email") or "", phone=d.get("phone") or "",
            pk=d.get("pk"),
        )  # fmt: skip

    @staticmethod
    def initial_from(contact: SupportContact) -> dict[str, Any]:
        return {"pk": contact.pk, "name": contact.name, "title": contact.title, "email": contact.email,
                "phone": format_phone(contact.phone) if contact.phone else ""}  # fmt: skip


class KeyPersonForm(RowForm):
    name = NameField(label=_("氏名"), max_length=100)
    affiliation = NameField(label=_("所属"), max_length=200, required=False)
    region = NameField(label=_("地域"), max_length=100, required=False)
    commitment = FreeTextField(
        label=_("約束していただいたこと"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    committed_on = forms.DateField(label=_("約束の日"), required=False, widget=_date_input())

    def to_data(self) -> KeyPersonData:
        d = self.cleaned_data
        return KeyPersonData(
            name=d["name"], affiliation=d.get("affiliation") or "", region=d.get("region") or "",
            commitment=d.get("commitment") or "", committed_on=d.get("committed_on"), pk=d.get("pk"),
        )  # fmt: skip

    @staticmethod
    def initial_from(person: KeyPerson) -> dict[str, Any]:
        return {"pk": person.pk, "name": person.name, "affiliation": person.affiliation, "region": person.region,
                "commitment": person.commitment, "committed_on": person.committed_on}  # fmt: skip


ContactFormSet = formset_factory(ContactForm, extra=1, can_delete=True)
KeyPersonFormSet = formset_factory(KeyPersonForm, extra=1, can_delete=True)


def support_organization_data(
    form: SupportOrganizationForm, contacts: forms.BaseFormSet[Any], key_persons: forms.BaseFormSet[Any]
) -> SupportOrganizationData:
    d = form.cleaned_data
    return SupportOrganizationData(
        name=d["name"],
        kind=d["kind"],
        region=d.get("region") or "",
        website=d.get("website") or "",
        contacts=[row.to_data() for row in kept_forms(contacts)],
        key_persons=[row.to_data() for row in kept_forms(key_persons)],
    )


# --- Schemes -------------------------------------------------------------------------------------------


class SchemeForm(AccessibleFormMixin, forms.Form):
    """A scheme's rules. One optional number per theme ("theme_it", …) makes ``visits_per_theme``."""

    support_organization = forms.TypedChoiceField(label=_("支援機関"), coerce=int)
    name = NameField(label=_("制度名"), max_length=200)
    description = FreeTextField(
        label=_("説明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    sme_only = forms.BooleanField(
        label=_("中小企業に限る（中小企業基本法の定義）"), required=False, initial=True
    )
    area_codes = forms.CharField(
        label=_("対象地域のコード"), required=False, max_length=500, help_text=AREA_HELP, widget=text_input()
    )
    visits_per_year = WholeNumberField(
        label=_("1社あたり年度内の訪問回数の上限"), min_value=1, max_value=99, help_text=_("例: 3")
    )
    hours_per_visit = HoursField(label=_("1回あたりの時間"), help_text=_("例: 2（時間）"))
    fee_per_hour = WholeNumberField(
        label=_("謝金の時間単価（円）"), required=False, max_value=10_000_000, help_text=_("例: 10,000")
    )
    fee_share_percent = WholeNumberField(label=_("制度が負担する割合（％）"), max_value=100, initial=100)
    opens_on = forms.DateField(label=_("受付開始日"), required=False, widget=_date_input())
    closes_on = forms.DateField(label=_("受付終了日"), required=False, widget=_date_input())
    report_fields = forms.MultipleChoiceField(
        label=_("報告書の必須項目"),
        required=False,
        choices=list(REPORT_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "専門家の完了報告で必ず書いてもらう項目です。何も選ばなければ「支援の概要」だけが必須です。"
        ),
    )
    is_active = forms.BooleanField(label=_("受付中"), required=False, initial=True)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = SupportOrganization.objects.filter(organization=organization).order_by("name")
        _choices(self.fields["support_organization"]).choices = [
            ("", _("選択してください")),
            *organizations.values_list("pk", "name"),
        ]
        for theme, label in DispatchTheme.choices:
            self.fields[f"theme_{theme}"] = WholeNumberField(
                label=label, required=False, min_value=1, max_value=99
            )
        self.order_fields(
            ["support_organization", "name", "description", "sme_only", "area_codes", "visits_per_year"]
            + [f"theme_{theme}" for theme in DispatchTheme.values]
        )

    def theme_fields(self) -> list[forms.BoundField]:
        return [self[f"theme_{theme}"] for theme in DispatchTheme.values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("受付終了日は受付開始日より後にしてください。"))
        return data

    def to_data(self) -> SchemeData:
        d = self.cleaned_data
        return SchemeData(
            support_organization_id=d["support_organization"],
            name=d["name"],
            description=d.get("description") or "",
            sme_only=bool(d.get("sme_only")),
            area_codes=d.get("area_codes") or "",
            visits_per_year=d["visits_per_year"],
            visits_per_theme={
                theme: d[f"theme_{theme}"] for theme in DispatchTheme.values if d.get(f"theme_{theme}")
            },
            hours_per_visit=d["hours_per_visit"],
            fee_per_hour=d.get("fee_per_hour") or 0,
            fee_share_percent=d["fee_share_percent"] if d.get("fee_share_percent") is not None else 100,
            opens_on=d.get("opens_on"),
            closes_on=d.get("closes_on"),
            report_fields=list(d.get("report_fields") or []),
            is_active=bool(d.get("is_active")),
        )

    @staticmethod
    def initial_from(scheme: DispatchScheme) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "support_organization": scheme.support_organization_id,
            "name": scheme.name,
            "description": scheme.description,
            "sme_only": scheme.sme_only,
            "area_codes": scheme.area_codes,
            "visits_per_year": scheme.visits_per_year,
            "hours_per_visit": scheme.hours_per_visit.normalize(),
            "fee_per_hour": scheme.fee_per_hour,
            "fee_share_percent": scheme.fee_share_percent,
            "opens_on": scheme.opens_on,
            "closes_on": scheme.closes_on,
            "report_fields": list(scheme.report_fields or []),
            "is_active": scheme.is_active,
        }
        for theme, value in (scheme.visits_per_theme or {}).items():
            initial[f"theme_{theme}"] = value
        return initial


# --- Experts -------------------------------------------------------------------------------------------


class ExpertFilterForm(AccessibleFormMixin, forms.Form):
    skill = forms.TypedChoiceField(label=_("スキル"), required=False, coerce=int, empty_value=None)
    available = forms.ChoiceField(
        label=_("受付"),
        required=False,
        choices=[("", _("すべて")), ("yes", _("受付可能")), ("no", _("受付停止中"))],
    )
    q = forms.CharField(label=_("氏名"), required=False, max_length=100, widget=text_input(type="search"))

    def __init__(self, data: Any, *, skills: list[tuple[int, str]]) -> None:
        super().__init__(data, label_suffix="")
        _choices(self.fields["skill"]).choices = [("", _("すべて")), *skills]

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if self.is_valid() else None


class ExpertForm(AccessibleFormMixin, forms.Form):
    name = NameField(label=_("氏名"), max_length=100)
    name_kana = FuriganaField(label=_("氏名フリガナ"), max_length=100, required=False)
    email = JapaneseEmailField(label=_("メールアドレス"), required=False, max_length=254)
    phone = PhoneField(label=_("電話番号"), max_length=30, required=False)
    profile = FreeTextField(
        label=_("経歴・得意分野"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    skills = forms.TypedMultipleChoiceField(
        label=_("スキル"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    area_codes = forms.CharField(
        label=_("対応地域のコード"), required=False, max_length=500, help_text=AREA_HELP, widget=text_input()
    )
    is_available = forms.BooleanField(label=_("受付可能"), required=False, initial=True)
    available_from = forms.DateField(
        label=_("受付再開日"),
        required=False,
        widget=_date_input(),
        help_text=_("受付停止中のとき、再開する日が決まっていれば。"),
    )
    max_active = WholeNumberField(label=_("同時に担当できる件数"), min_value=1, max_value=50, initial=3)
    user = forms.TypedChoiceField(
        label=_("ログインするユーザー"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("役割が「専門家」のユーザーから選びます。"),
    )
    create_login = forms.BooleanField(
        label=_("ログイン用アカウントを作成"),
        required=False,
        help_text=_(
            "上のメールアドレスで、役割「専門家」のユーザーを作ります（パスワードは専門家本人が設定します）。"
        ),
    )

    def __init__(
        self, *args: Any, organization: Organization, expert: Expert | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["skills"]).choices = list(Skill.objects.values_list("pk", "name"))
        users = User.objects.filter(organization=organization, role=Role.EXPERT, is_active=True).filter(
            expert_profile__isnull=True
        )
        if expert is not None and expert.user_id:
            users = users | User.objects.filter(pk=expert.user_id)
        _choices(self.fields["user"]).choices = [
            ("", _("なし")),
            *((user.pk, f"{user.name}（{user.email}）") for user in users.order_by("name", "pk")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("create_login") and data.get("user"):
            self.add_error(
                "create_login",
                _("既存のユーザーを選んだときは、アカウントは作成しません。どちらかにしてください。"),
            )
        if data.get("create_login") and not data.get("email"):
            self.add_error("email", _("ログイン用アカウントを作るにはメールアドレスを入力してください。"))
        return data

    def to_data(self, qualifications: forms.BaseFormSet[Any]) -> ExpertData:
        d = self.cleaned_data
        return ExpertData(
            name=d["name"],
            name_kana=d.get("name_kana") or "",
            email=d.get("email") or "",
            phone=d.get("phone") or "",
            profile=d.get("profile") or "",
            skill_ids=list(d.get("skills") or []),
            area_codes=d.get("area_codes") or "",
            is_available=bool(d.get("is_available")),
            available_from=d.get("available_from"),
            max_active=d["max_active"],
            qualifications=[row.to_data() for row in kept_forms(qualifications)],
            user_id=d.get("user"),
            create_login=bool(d.get("create_login")),
        )

    @staticmethod
    def initial_from(expert: Expert) -> dict[str, Any]:
        names = ("name", "name_kana", "email", "phone", "profile", "area_codes", "is_available",
                 "available_from", "max_active")  # fmt: skip
        initial = {name: getattr(expert, name) for name in names}
        initial["phone"] = format_phone(expert.phone) if expert.phone else ""
        initial["skills"] = [skill.pk for skill in expert.skills.all()]
        initial["user"] = expert.user_id
        return initial


class QualificationForm(RowForm):
    kind = forms.ChoiceField(
        label=_("資格"), choices=[("", _("選択してください")), *QualificationKind.choices]
    )
    name = NameField(label=_("資格名（その他の場合）"), max_length=100, required=False)
    number = NameField(label=_("登録番号"), max_length=50, required=False)
    expires_on = forms.DateField(label=_("有効期限"), required=False, widget=_date_input())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == QualificationKind.OTHER and not data.get("name"):
            self.add_error("name", _("「その他」の資格は資格名を入力してください。"))
        return data

    def to_data(self) -> QualificationData:
        d = self.cleaned_data
        return QualificationData(
            kind=d["kind"], name=d.get("name") or "", number=d.get("number") or "",
            expires_on=d.get("expires_on"), pk=d.get("pk"),
        )  # fmt: skip

    @staticmethod
    def initial_from(qualification: Qualification) -> dict[str, Any]:
        return {"pk": qualification.pk, "kind": qualification.kind, "name": qualification.name,
                "number": qualification.number, "expires_on": qualification.expires_on}  # fmt: skip


QualificationFormSet = formset_factory(QualificationForm, extra=1, can_delete=True)
