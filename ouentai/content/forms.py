"""Forms of public content: the console's Q&A editor, and what every public form does with the consent
to the privacy policy."""

from __future__ import annotations

from typing import Any

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
    is_program_wide = forms.BooleanField(
        label=_("事業全体のQ&A（トップページ側）にも掲載する"),
        required=False,
        help_text=_("自組織のQ&Aページには、この印がなくても表示されます。"),
    )

    def __init__(self, *args: Any, program_wide_allowed: bool = False, **kwargs: Any) -> None:
        """``program_wide_allowed``: the organization speaks for the program; other organizations' entries
        appear on their own pages only, so the choice is not offered to them."""
        super().__init__(*args, **kwargs)
        if not program_wide_allowed:
            del self.fields["is_program_wide"]


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
