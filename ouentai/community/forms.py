"""Console forms for the inboxes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.accounts.models import Organization, User
from ouentai.accounts.selectors import organization_console_users
from ouentai.community.choices import ContactChannel, Industry, ItStage, MembershipStatus
from ouentai.community.imports import REQUIRED as IMPORT_REQUIRED
from ouentai.community.imports import TARGETS as IMPORT_TARGETS
from ouentai.community.models import Company, ReplyTemplate, Segment
from ouentai.community.rules import SmeCategory
from ouentai.community.selectors import SIZE_BUCKETS, CompanyFilters
from ouentai.community.services import CompanyData, ContactData
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
    YenField,
    fill_address_from_postal_code,
    postal_attrs,
    text_input,
)
from ouentai.core.forms import AccessibleFormMixin


class AssignForm(AccessibleFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(
        label=pgettext_lazy("assignee", "担当者"),
        queryset=User.objects.none(),
        empty_label=_("選択してください"),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organization_console_users(organization=organization)


class ContactLogForm(AccessibleFormMixin, forms.Form):
    # E-mail replies are written and sent from the console (ReplyForm), not logged by hand.
    channel = forms.ChoiceField(
        label=_("連絡手段"),
        choices=[(c.value, c.label) for c in (ContactChannel.PHONE, ContactChannel.VISIT)],
        widget=forms.RadioSelect,
        initial=ContactChannel.PHONE,
    )
    occurred_at = forms.DateTimeField(
        label=_("連絡日時"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)


class ReplyTemplatePickForm(AccessibleFormMixin, forms.Form):
    """Which of the organization's templates to start a reply from (its text replaces the reply's)."""

    template = forms.ModelChoiceField(
        label=_("テンプレート"),
        queryset=ReplyTemplate.objects.none(),
        required=False,
        empty_label=_("（白紙から書く）"),
    )

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = templates


class ReplyForm(AccessibleFormMixin, forms.Form):
    """A reply to the sender: subject and body as staff edit them (placeholders are filled in the preview
    and the send, community.services.replies), the template it started from, and the digest of the
    preview the send button sends."""

    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.none(), required=False, widget=forms.HiddenInput
    )
    subject = forms.CharField(
        label=_("件名"), max_length=300, error_messages={"required": _("件名を入力してください。")}
    )
    body = forms.CharField(
        label=_("本文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=12000,
        error_messages={"required": _("本文を入力してください。")},
        help_text=_(
            "{会社名} {担当者名} {受付番号} などは、プレビューと送信のときに申込の内容に置き換わります。"
        ),
    )
    previewed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = templates
        # AccessibleFormMixin replaced the messages above with its generic one.
        self.fields["subject"].error_messages["required"] = _("件名を入力してください。")
        self.fields["body"].error_messages["required"] = _("本文を入力してください。")


class ReplyTemplateForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("テンプレート名"), max_length=100)
    kind = forms.ChoiceField(
        label=_("使う場面"), choices=ReplyTemplate.Kind.choices, initial=ReplyTemplate.Kind.BOTH
    )
    subject = forms.CharField(label=_("件名"), max_length=200)
    body = forms.CharField(
        label=_("本文"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=10000,
        help_text=_("差し込み項目は下の一覧のとおり、波かっこで囲んで書きます（例：{会社名}）。"),
    )


class DeclineForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("見送りの理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FaqFromInquiryForm(AccessibleFormMixin, forms.Form):
    question = forms.CharField(label=_("質問"), max_length=300)
    answer = forms.CharField(label=_("回答"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    publish = forms.BooleanField(label=_("すぐに公開する"), required=False)


class InboxFilterForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("状態"), required=False)
    assignee = forms.ChoiceField(label=pgettext_lazy("assignee", "担当者"), required=False)
    overdue = forms.BooleanField(label=_("期限超過のみ"), required=False)
    q = forms.CharField(label=_("検索"), required=False, max_length=100)

    def __init__(self, *args: Any, statuses: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        status_field = self.fields["status"]
        assignee_field = self.fields["assignee"]
        assert isinstance(status_field, forms.ChoiceField) and isinstance(assignee_field, forms.ChoiceField)
        status_field.choices = [("", _("すべて")), *statuses]
        assignee_field.choices = [
            ("", _("すべて")),
            ("me", _("自分")),
            ("none", _("未割り当て")),
            *((str(u.pk), u.name) for u in organization_console_users(organization=organization)),
        ]


class CompanyForm(AccessibleFormMixin, forms.Form):
    name = NameField(
        label=_("会社名"), max_length=200, help_text=_("法人格（株式会社など）も含めて入力してください。")
    )
    name_kana = FuriganaField(label=_("会社名フリガナ"), max_length=200, required=False)
    corporate_number = CorporateNumberField(
        label=_("法人番号"), max_length=20, required=False, widget=text_input(inputmode="numeric")
    )
    postal_code = PostalCodeField(
        label=_("郵便番号"), max_length=10, required=False, widget=text_input(**postal_attrs())
    )
    prefecture = NameField(label=_("都道府県"), max_length=10, required=False)
    city = NameField(label=_("市区町村"), max_length=50, required=False)
    town = NameField(label=_("町域"), max_length=100, required=False)
    address = AddressLineField(label=_("番地・建物名"), max_length=200, required=False)
    phone = PhoneField(label=_("電話番号"), max_length=30, required=False, widget=text_input(inputmode="tel"))
    industry = forms.ChoiceField(label=_("業種"), choices=[("", "—"), *Industry.choices], required=False)
    sme_category = forms.ChoiceField(
        label=_("中小企業基本法の業種区分"),
        choices=[("", _("業種から判定")), *SmeCategory.choices],
        required=False,
        help_text=_("卸売業・小売業（大分類I）は、どちらかを選んでください。"),
    )
    capital_yen = YenField(
        label=_("資本金"), required=False, help_text=_("円単位。「1000万」「3億」のようにも入力できます。")
    )
    employees = CountField(label=_("従業員数"), required=False, widget=text_input(inputmode="numeric"))
    it_stage = forms.TypedChoiceField(
        label=_("IT経営力の段階"),
        choices=[("", _("未評価")), *ItStage.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    municipality_code = ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.municipality_code = fill_address_from_postal_code(self)
        return self.cleaned_data

    def to_data(self) -> CompanyData:
        fields = {name: self.cleaned_data.get(name) for name in self.fields}
        return CompanyData(**fields, municipality_code=self.municipality_code)  # type: ignore[arg-type]

    @classmethod
    def initial_from(cls, company: Company) -> dict[str, Any]:
        return {name: getattr(company, name) for name in cls.base_fields}


class ContactForm(AccessibleFormMixin, forms.Form):
    name = NameField(
        label=_("氏名"),
        max_length=100,
        required=False,
        help_text=_("分からなければ空欄のまま、メールアドレスか電話番号を入れてください。"),
    )
    name_kana = FuriganaField(label=_("氏名フリガナ"), max_length=100, required=False)
    email = JapaneseEmailField(label=_("メールアドレス"), required=False)
    phone = PhoneField(label=_("電話番号"), max_length=30, required=False)

    newsletter_consent = forms.BooleanField(
        label=_("案内メールの受け取りに同意を得ている"),
        required=False,
        help_text=_("本人の同意がある場合だけ選んでください。配信停止のリンクから本人が取り消せます。"),
    )

    def to_data(self) -> ContactData:
        d = self.cleaned_data
        return ContactData(
            name=d["name"], name_kana=d["name_kana"] or "", email=d["email"] or "", phone=d["phone"] or "",
            newsletter_consent=bool(d["newsletter_consent"]),
        )  # fmt: skip


class CompanyFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        help_text=_("会社名・フリガナ・法人番号・電話番号・担当者名・メールアドレス"),
    )
    area = forms.ChoiceField(label=_("地域"), required=False)
    industry = forms.ChoiceField(
        label=_("業種"), choices=[("", _("すべて")), *Industry.choices], required=False
    )
    size = forms.ChoiceField(
        label=_("従業員数"),
        required=False,
        choices=[("", _("すべて")), *((key, _("%(range)s人") % {"range": key}) for key in SIZE_BUCKETS)],
    )
    sme = forms.ChoiceField(
        label=_("中小企業"),
        required=False,
        choices=[("", _("すべて")), ("yes", _("該当")), ("no", _("非該当")), ("unknown", _("判定できない"))],
    )
    it_stage = forms.ChoiceField(
        label=_("IT経営力"),
        required=False,
        choices=[("", _("すべて")), *((str(value), label) for value, label in ItStage.choices)],
    )
    membership = forms.ChoiceField(
        label=_("会員"),
        required=False,
        choices=[("", _("すべて")), *MembershipStatus.choices, ("none", _("会員でない企業"))],
    )
    coordinator = forms.ChoiceField(label=_("担当ITコーディネータ"), required=False)
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("kana", _("フリガナ順")),
            ("-created", _("登録の新しい順")),
            ("-employees", _("従業員の多い順")),
            ("employees", _("従業員の少ない順")),
        ],
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [
            ("", _("すべて")),
            *((a.code, a.name) for a in organization.areas.order_by("code")),
            ("other", _("その他の地域")),
        ]
        coordinator = self.fields["coordinator"]
        assert isinstance(coordinator, forms.ChoiceField)
        coordinator.choices = [
            ("", _("すべて")),
            ("none", _("未定")),
            *((str(u.pk), u.name) for u in organization_console_users(organization=organization)),
        ]

    def to_filters(self) -> CompanyFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return CompanyFilters(
            **{name: data.get(name) or "" for name in self.fields if name != "sort"},
            sort=data.get("sort") or "kana",
        )


class MembershipStatusForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("会員の状態"), choices=MembershipStatus.choices)


class MembershipCoordinatorForm(AccessibleFormMixin, forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("担当ITコーディネータ"), queryset=User.objects.none(), required=False, empty_label=_("未定")
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coordinator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organization_console_users(organization=organization)


class InvestmentForm(AccessibleFormMixin, forms.Form):
    on = forms.DateField(label=_("IT投資の時期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = NameField(
        label=_("内容"), max_length=200, required=False, help_text=_("例：販売管理システムの入れ替え")
    )
    cycle_years = forms.IntegerField(label=_("周期（年）"), min_value=1, max_value=20, initial=4)


class ImportUploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("ファイル"),
        help_text=_("CSV（UTF-8 または Shift_JIS）か Excel（.xlsx）。1行目は見出しにしてください。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ImportMappingForm(AccessibleFormMixin, forms.Form):
    """For each of our fields, which column of the file holds it."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [("", _("（取り込まない）")), *((str(i), f"{i + 1}: {h}") for i, h in enumerate(headers))]
        for target, (label, _spellings) in IMPORT_TARGETS.items():
            self.fields[target] = forms.ChoiceField(
                label=label, choices=columns, required=target in IMPORT_REQUIRED
            )

    def mapping(self) -> dict[str, int]:
        return {target: int(value) for target, value in self.cleaned_data.items() if value not in ("", None)}


class NewsletterForm(AccessibleFormMixin, forms.Form):
    subject = NameField(label=_("件名"), max_length=200)
    body = FreeTextField(
        label=_("本文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("{会社名} と {氏名} は宛先ごとに置き換わります。配信停止のリンクは自動で付きます。"),
    )
    segment = forms.ModelChoiceField(
        label=_("宛先のセグメント"),
        queryset=Segment.objects.none(),
        required=False,
        empty_label=_("会員企業すべて"),
    )
    per_minute = forms.IntegerField(label=_("1分あたりの配信数"), min_value=1, max_value=1000, initial=60)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["segment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Segment.objects.filter(organization=organization, deleted_at__isnull=True)
