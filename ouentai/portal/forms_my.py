"""Forms of the member area: choosing a password when accepting an invitation, and confirming and
rating an expert dispatch."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from ouentai.core.fields import FreeTextField
from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.rating import RatingField


class MemberJoinForm(AccessibleFormMixin, forms.Form):
    """The invited person's password, typed twice. Django's password rules are applied by the service
    (``member_invitation_accept``); its message is shown beside the first field."""

    # Shown, never submitted (disabled fields keep their initial value): the login ID, and the hint for
    # password managers that the new password belongs to it.
    email = forms.EmailField(
        label=_("メールアドレス（ログインID）"),
        disabled=True,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "readonly": True}),
    )
    password1 = forms.CharField(
        label=_("パスワード"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("パスワード（確認）"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("確認のため、同じパスワードをもう一度入力してください。"),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, initial={"email": email}, **kwargs)
        # The rules as configured (AUTH_PASSWORD_VALIDATORS), in the request's language.
        self.fields["password1"].help_text = " ".join(str(text) for text in password_validators_help_texts())
        self.fields["password1"].error_messages["required"] = _("パスワードを入力してください。")
        self.fields["password2"].error_messages["required"] = _(
            "確認のため、パスワードをもう一度入力してください。"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("確認用のパスワードが一致しません。"))
        return cleaned


class DispatchConfirmForm(AccessibleFormMixin, forms.Form):
    """The company confirms that a reported expert dispatch took place and rates it on the product's one
    1–5 scale (ouentai.core.rating, the same field as staff use on the company's behalf); the view hands
    it to network.services.dispatch_confirm."""

    rating = RatingField(label=_("専門家派遣の評価"))
    comment = FreeTextField(
        label=_("ご感想・ご意見"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, request_pk: int, **kwargs: Any) -> None:
        # One form per dispatch on the member's page: the prefix keeps the ids apart.
        super().__init__(*args, prefix=f"confirm-{request_pk}", label_suffix="", **kwargs)
