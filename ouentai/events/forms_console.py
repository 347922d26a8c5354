"""Console forms of the events app: the event form with its three formsets (sessions, presenters,
registration questions), the list and registration filters, and the forms used at the door. Each form
turns what staff typed into the dataclass its service takes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization
from ouentai.core.fields import (
    AddressLineField,
    FreeTextField,
    FuriganaField,
    JapaneseEmailField,
    NameField,
    PhoneField,
    PostalCodeField,
    text_input,
)
from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.formsets import RowForm
from ouentai.core.jp import postal_lookup
from ouentai.events.choices import EventKind, QuestionKind, RegistrationStatus
from ouentai.events.models import Event, Presenter, Question, Session
from ouentai.events.services import EventData, PresenterData, QuestionData, RegistrationData, SessionData
from ouentai.network.models import SupportOrganization

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_local(**attrs: Any) -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format=DATETIME_FORMAT)


class EventFilterForm(AccessibleFormMixin, forms.Form):
    when = forms.ChoiceField(
        label=_("時期"),
        required=False,
        choices=[("", _("すべて")), ("upcoming", _("これから")), ("past", _("終了"))],
    )
    q = forms.CharField(label=_("タイトルで検索"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, label_suffix="", **kwargs)

    def value(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "") if self.is_valid() else ""


class RegistrationFilterForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *RegistrationStatus.choices]
    )
    attended = forms.ChoiceField(
        label=_("出席"),
        required=False,
        choices=[("", _("すべて")), ("yes", _("出席あり")), ("no", _("出席なし"))],
    )
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        help_text=_("氏名・フリガナ・会社名・メールアドレス・受付コード"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, label_suffix="", **kwargs)

    def value(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "") if self.is_valid() else ""


class EventForm(AccessibleFormMixin, forms.Form):
    """An event's own fields. The venue address is filled from the postal code when left empty."""

    kind = forms.ChoiceField(label=_("種類"), choices=[("", _("選択してください")), *EventKind.choices])
    title = NameField(label=_("タイトル"), max_length=200)
    summary = NameField(
        label=_("概要（一覧に表示）"), max_length=300, required=False, help_text=_("1〜2文で内容を伝えます。")
    )
    description = FreeTextField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    venue_name = NameField(label=_("会場名"), max_length=200, required=False)
    venue_postal_code = PostalCodeField(
        label=_("会場の郵便番号"),
        max_length=10,
        required=False,
        widget=text_input(autocomplete="postal-code", inputmode="numeric"),
        help_text=_("住所を空欄にすると、郵便番号から都道府県・市区町村・町域を入力します。"),
    )
    venue_address = AddressLineField(label=_("会場の住所"), max_length=300, required=False)
    capacity = forms.IntegerField(
        label=_("定員"),
        min_value=1,
        max_value=100000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    registration_opens_at = forms.DateTimeField(
        label=_("申込受付の開始"),
        required=False,
        widget=_datetime_local(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=_("空欄なら公開した時から受け付けます。"),
    )
    registration_closes_at = forms.DateTimeField(
        label=_("申込受付の締切"),
        required=False,
        widget=_datetime_local(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=_("空欄なら最初の回の開始まで受け付けます。"),
    )
    required_sessions = forms.IntegerField(
        label=_("修了に必要な出席回数"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("空欄なら全回の出席が必要です。"),
    )
    reminder_days = forms.RegexField(
        label=_("リマインドメール（何日前、カンマ区切り）"),
        regex=r"^[\s,、，]*(\d+[\s,、，]*)*$",
        max_length=50,
        required=False,
        initial="7,1",
        error_messages={"invalid": _("「7,1」のように、日数をカンマで区切って入力してください。")},
    )
    offer_hours = forms.IntegerField(
        label=_("繰り上げ案内の回答期限（時間）"),
        min_value=1,
        max_value=720,
        initial=48,
        help_text=_("キャンセル待ちの人に空席を案内してから、回答を待つ時間です。"),
    )
    co_hosts = forms.ModelMultipleChoiceField(
        label=_("共催の支援機関"),
        queryset=SupportOrganization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["co_hosts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = SupportOrganization.objects.filter(organization=organization).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("venue_postal_code")
        if code and not data.get("venue_address"):
            found = postal_lookup(code)
            if found is None:
                self.add_error(
                    "venue_postal_code",
                    _("この郵便番号に当たる住所が見つかりません。番号を確認するか、住所を入力してください。"),
                )
            else:
                data["venue_address"] = f"{found.prefecture}{found.city}{found.town}"
        return data

    def to_data(self) -> EventData:
        d = self.cleaned_data
        return EventData(
            kind=d["kind"],
            title=d["title"],
            capacity=d["capacity"],
            summary=d.get("summary") or "",
            description=d.get("description") or "",
            venue_name=d.get("venue_name") or "",
            venue_postal_code=d.get("venue_postal_code") or "",
            venue_address=d.get("venue_address") or "",
            registration_opens_at=d.get("registration_opens_at"),
            registration_closes_at=d.get("registration_closes_at"),
            required_sessions=d.get("required_sessions"),
            reminder_days=re.sub(
                r"[、,\s]+", ",", unicodedata.normalize("NFKC", d.get("reminder_days") or "")
            ).strip(","),
            offer_hours=d["offer_hours"],
            co_host_ids=tuple(sorted(h.pk for h in d.get("co_hosts") or [])),
        )

    @staticmethod
    def initial_from(event: Event) -> dict[str, Any]:
        names = [name for name in EventForm.base_fields if name != "co_hosts"]
        initial = {name: getattr(event, name) for name in names}
        for name in ("registration_opens_at", "registration_closes_at"):
            if initial[name] is not None:
                initial[name] = timezone.localtime(initial[name])
        initial["co_hosts"] = [h.pk for h in event.co_hosts.all()]
        return initial


class SessionForm(RowForm):
    title = NameField(
        label=_("回の名称"), max_length=200, required=False, widget=text_input(placeholder=_("例：第1回"))
    )
    date = forms.DateField(
        label=_("開催日"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("開始時刻"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("終了時刻"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    venue_name = NameField(
        label=_("この回の会場"),
        max_length=200,
        required=False,
        help_text=_("イベントの会場と異なるときだけ。"),
    )
    online_url = forms.URLField(
        label=_("オンライン参加URL"),
        required=False,
        assume_scheme="https",
        help_text=_("参加が確定した人だけに表示します。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("終了は開始より後にしてください。"))
        return data

    def to_data(self) -> SessionData:
        d = self.cleaned_data
        zone = timezone.get_current_timezone()
        return SessionData(
            starts_at=timezone.make_aware(dt.datetime.combine(d["date"], d["start_time"]), zone),
            ends_at=timezone.make_aware(dt.datetime.combine(d["date"], d["end_time"]), zone),
            title=d.get("title") or "",
            venue_name=d.get("venue_name") or "",
            online_url=d.get("online_url") or "",
            pk=d.get("pk"),
        )

    @staticmethod
    def initial_from(session: Session) -> dict[str, Any]:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "pk": session.pk,
            "title": session.title,
            "date": start.date(),
            "start_time": start.time().replace(second=0, microsecond=0),
            "end_time": end.time().replace(second=0, microsecond=0),
            "venue_name": session.venue_name,
            "online_url": session.online_url,
        }


class PresenterForm(RowForm):
    name = NameField(label=_("登壇者名"), max_length=100)
    affiliation = NameField(label=_("所属・肩書"), max_length=200, required=False)
    topic = NameField(label=_("演題"), max_length=200, required=False)
    company = forms.TypedChoiceField(
        label=_("発表企業"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("事例発表会では、発表する会員企業を選びます。"),
    )

    def __init__(
        self, *args: Any, company_choices: list[tuple[Any, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["company"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("（なし）")), *(company_choices or [])]

    def to_data(self, order: int) -> PresenterData:
        d = self.cleaned_data
        return PresenterData(
            name=d["name"],
            affiliation=d.get("affiliation") or "",
            topic=d.get("topic") or "",
            company_id=d.get("company"),
            order=order,
            pk=d.get("pk"),
        )

    @staticmethod
    def initial_from(presenter: Presenter) -> dict[str, Any]:
        return {
            "pk": presenter.pk,
            "name": presenter.name,
            "affiliation": presenter.affiliation,
            "topic": presenter.topic,
            "company": presenter.company_id,
        }


class QuestionForm(RowForm):
    label = NameField(label=_("質問"), max_length=300)
    kind = forms.ChoiceField(label=_("回答の形式"), choices=QuestionKind.choices, initial=QuestionKind.TEXT)
    choices = forms.CharField(
        label=_("選択肢（1行に1つ）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("「選択」の形式のときに入力します。"),
    )
    required = forms.BooleanField(label=_("回答必須"), required=False)
    order = forms.IntegerField(label=_("表示順"), required=False, min_value=0, max_value=999)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
            options = [line for line in (data.get("choices") or "").splitlines() if line.strip()]
            if len(options) < 2:
                self.add_error("choices", _("選択肢を2つ以上、1行に1つずつ入力してください。"))
        return data

    def to_data(self, index: int) -> QuestionData:
        d = self.cleaned_data
        choices = "\n".join(line.strip() for line in (d.get("choices") or "").splitlines() if line.strip())
        return QuestionData(
            label=d["label"],
            kind=d["kind"],
            choices=choices if d["kind"] in (QuestionKind.CHOICE, QuestionKind.MULTIPLE) else "",
            required=bool(d.get("required")),
            order=d["order"] if d.get("order") is not None else index,
            pk=d.get("pk"),
        )

    @staticmethod
    def initial_from(question: Question) -> dict[str, Any]:
        return {
            "pk": question.pk,
            "label": question.label,
            "kind": question.kind,
            "choices": question.choices,
            "required": question.required,
            "order": question.order,
        }


SessionFormSet = formset_factory(SessionForm, extra=1, can_delete=True)
PresenterFormSet = formset_factory(PresenterForm, extra=1, can_delete=True)
QuestionFormSet = formset_factory(QuestionForm, extra=1, can_delete=True)


class CheckInForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("受付コード"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "checkin-code",
            }
        ),
    )


class CancelForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("取消の理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("本人には取消のお知らせメールが届きます。理由は記録に残ります。"),
    )


class WalkInForm(AccessibleFormMixin, forms.Form):
    name = NameField(label=_("氏名"), max_length=100)
    name_kana = FuriganaField(label=_("氏名フリガナ"), max_length=100, required=False)
    company_name = NameField(label=_("会社名"), max_length=200, required=False)
    email = JapaneseEmailField(
        label=_("メールアドレス"), required=False, help_text=_("入力すると参加確定のメールが届きます。")
    )
    phone = PhoneField(label=_("電話番号"), max_length=30, required=False, widget=text_input(inputmode="tel"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "walkin")
        super().__init__(*args, **kwargs)

    def to_data(self) -> RegistrationData:
        d = self.cleaned_data
        return RegistrationData(
            name=d["name"],
            name_kana=d.get("name_kana") or "",
            company_name=d.get("company_name") or "",
            email=d.get("email") or "",
            phone=d.get("phone") or "",
        )
