"""Console forms for the inboxes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.accounts.models import Organization, User
from ouentai.accounts.selectors import organization_console_users
from ouentai.community.choices import ContactChannel
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
    channel = forms.ChoiceField(
        label=_("連絡手段"),
        choices=ContactChannel.choices,
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
