"""Forms of public content: the console's Q&A editor, and what every public form does with the consent
to the privacy policy."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ouentai.content.models import PrivacyPolicy
from ouentai.core.forms import AccessibleFormMixin


class FaqEntryForm(AccessibleFormMixin, forms.Form):
    question = forms.CharField(label=_("質問"), max_length=300)
    answer = forms.CharField(
        label=_("回答"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("回答が空の項目は公開ページに表示されません。"),
    )
    is_published = forms.BooleanField(label=_("公開する"), required=False, initial=True)


def consent_ask_again(form: forms.BaseForm, policy: PrivacyPolicy | None) -> None:
    """Before a refused public form is shown again: it now carries the version of the policy in force,
    and a consent given to an older version is unticked, so that the consent given next is to what is on
    screen (content.services.privacy_consent_check refuses the old one). Everything else typed stays."""
    if policy is None:
        return
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    if data.get("policy_version") != policy.version:
        data.pop("consent", None)
    data["policy_version"] = policy.version
    form.data = data
