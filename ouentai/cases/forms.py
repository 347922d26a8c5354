"""Forms of the case library: the console's list filter, the case form (what people write; the KPIs are
chosen among the engagement's measured ones, never typed), the small forms of the case page (return,
approve, signed form, withdraw, photos and files) and the member's consent and withdrawal. They parse
and normalize; every rule (who may, in which state, what a photo needs) is the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.cases.choices import CaseStatus, CaseVariant, Challenge, ItArea, MediaKind
from ouentai.cases.models import Case
from ouentai.cases.selectors.sources import KpiFigures
from ouentai.cases.services.authoring import CaseData
from ouentai.core.fields import FreeTextField, NameField, text_input
from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.numbers import number_text


class CaseFilterForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *CaseStatus.choices]
    )
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        help_text=_("事例の表題"),
        widget=text_input(type="search"),
    )

    def value(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "") if self.is_valid() else ""


def kpi_label(figures: KpiFigures) -> str:
    """How a KPI is offered: its name and its recorded before → after, with unit and dates."""
    kpi = figures.kpi
    return str(
        _("%(name)s：%(before)s → %(after)s %(unit)s（%(before_on)s → %(after_on)s）")
        % {
            "name": kpi.name,
            "before": number_text(figures.before_value),
            "after": number_text(figures.after_value),
            "unit": kpi.unit,
            "before_on": figures.before_on.isoformat(),
            "after_on": figures.after_on.isoformat(),
        }
    )


class CaseForm(AccessibleFormMixin, forms.Form):
    """What people write in a case. The company facts, phases, dates and support used are shown from
    the records beside the form; the KPIs are ticked among the engagement's measured ones."""

    title = NameField(label=_("事例の表題"), max_length=120)
    summary = NameField(label=_("要約"), max_length=300, help_text=_("一覧と検索結果に出る1〜2文。"))
    challenge_kind = forms.ChoiceField(label=_("課題の分類"), choices=[("", "---------"), *Challenge.choices])
    it_area = forms.ChoiceField(label=_("ITの分野"), choices=[("", "---------"), *ItArea.choices])
    background = FreeTextField(label=_("背景"), required=False, max_length=4000)
    challenge = FreeTextField(label=_("経営課題"), max_length=4000)
    strategy = FreeTextField(label=_("経営戦略"), required=False, max_length=4000)
    solution = FreeTextField(label=_("導入したITと進め方"), max_length=4000)
    products = NameField(label=_("導入した製品・サービス"), required=False, max_length=300)
    results = FreeTextField(label=_("成果"), max_length=4000)
    owner_words = FreeTextField(label=_("経営者の声"), required=False, max_length=2000)
    owner_title = NameField(
        label=_("経営者の声の話し手（役職）"),
        required=False,
        max_length=50,
        help_text=_("例：代表取締役（氏名は公開しません）"),
    )
    kpi_ids = forms.TypedMultipleChoiceField(
        label=_("事例に載せるKPI"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("支援案件で記録した値がそのまま載ります（支援前＝基準値、支援後＝最新の実績）。"),
    )
    presented_at = forms.TypedChoiceField(
        label=_("発表した事例発表会"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        kpis: list[KpiFigures],
        events: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        kpi_field = self.fields["kpi_ids"]
        event_field = self.fields["presented_at"]
        assert isinstance(kpi_field, forms.ChoiceField) and isinstance(event_field, forms.ChoiceField)
        kpi_field.choices = [(f.kpi.pk, kpi_label(f)) for f in kpis]
        event_field.choices = [("", _("（なし）")), *events]

    @staticmethod
    def initial_from(case: Case) -> dict[str, Any]:
        return {
            **{name: getattr(case, name) for name in CASE_TEXT_FIELDS},
            "kpi_ids": [k.kpi_id for k in case.kpis.all() if k.kpi_id is not None],
            "presented_at": case.presented_at_id,
        }

    def to_data(self) -> CaseData:
        data = self.cleaned_data
        return CaseData(
            **{name: data.get(name) or "" for name in CASE_TEXT_FIELDS},
            presented_at_id=data.get("presented_at"),
            kpi_ids=list(data.get("kpi_ids") or []),
        )


CASE_TEXT_FIELDS = (
    "title", "summary", "challenge_kind", "it_area", "background", "challenge", "strategy", "solution",
    "products", "results", "owner_words", "owner_title",
)  # fmt: skip


class ConfirmForm(AccessibleFormMixin, forms.Form):
    """A step that needs nothing typed (submit, publish, reopen): its refusal is shown above its button."""


class ReturnForm(AccessibleFormMixin, forms.Form):
    reason = FreeTextField(label=_("差し戻す理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(AccessibleFormMixin, forms.Form):
    variant = forms.ChoiceField(
        label=_("公開の形"),
        choices=CaseVariant.choices,
        widget=forms.RadioSelect,
        help_text=_("企業にはこの形での掲載への同意をお願いします。匿名では業種・規模・地域だけを示します。"),
    )


class AttachConsentForm(AccessibleFormMixin, forms.Form):
    signer_name = NameField(label=_("署名した方の氏名"), max_length=100)
    signed_form = forms.FileField(label=_("署名済みの同意書（PDF・画像）"))


class WithdrawForm(AccessibleFormMixin, forms.Form):
    reason = FreeTextField(
        label=_("取りやめる理由"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class MediaForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("種類"), choices=MediaKind.choices, initial=MediaKind.PHOTO, widget=forms.RadioSelect
    )
    file = forms.FileField(label=_("ファイル"), help_text=_("写真はJPEG・PNG・WebP、10MBまで。"))
    alt_text = NameField(
        label=_("代替テキスト"),
        required=False,
        max_length=200,
        help_text=_("写真に写っているもの（画面読み上げで使います）。写真には必須です。"),
    )
    caption = NameField(label=_("説明"), required=False, max_length=200)


class ConsentForm(AccessibleFormMixin, forms.Form):
    """The member's consent: the version and variant of the text shown travel with the form, so the
    service can refuse a consent to words that changed in between."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    variant = forms.CharField(widget=forms.HiddenInput, max_length=10)
    agree = forms.BooleanField(
        label=_("上の同意文を読み、その内容に同意します"),
        error_messages={"required": _("同意される場合は、チェックを入れてください。")},
    )


class MemberWithdrawForm(AccessibleFormMixin, forms.Form):
    reason = FreeTextField(
        label=_("取りやめる理由"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("よろしければお書きください。担当のITコーディネータに伝わります。"),
    )
