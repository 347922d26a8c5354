from django import forms
from django.utils.translation import gettext_lazy as _

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
