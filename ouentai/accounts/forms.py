from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ouentai.core.forms import AccessibleFormMixin


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("メールアドレス"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("メールアドレスまたはパスワードが正しくありません。"),
        "inactive": _("このアカウントは無効になっています。"),
    }
