"""Setting a password by mail: "forgot my password" for everyone, and the first password of an
account staff created (an expert's login). Django's reset tokens (one use, PASSWORD_RESET_TIMEOUT);
the mail goes through the platform's queue like every other mail, so it is never lost."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ouentai.accounts.models import User
from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.mail import mail_queue


def password_link(user: User) -> str:
    """The path of a one-time link that lets ``user`` choose a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def password_mail_queue(*, user: User, first: bool = False) -> None:
    """Queue the mail with the link (inside the caller's transaction, or a new one)."""
    with transaction.atomic():
        mail_queue(
            kind="accounts.password_setup" if first else "accounts.password_reset",
            to=[user.email],
            template="accounts/mail/password.txt",
            context={"user": user, "link": password_link(user), "first": first},
            organization_id=user.organization_id,
            related=user,
        )


class PasswordResetForm(AccessibleFormMixin, DjangoPasswordResetForm):
    """Django's form (it answers the same whether or not the address is known), sending through the
    queue. Unlike Django's, it also reaches active accounts that have no password yet (an expert whose
    first link expired): they get the first-password mail again."""

    def get_users(self, email: str) -> Iterator[User]:
        yield from User.objects.filter(email__iexact=email, is_active=True)

    def save(self, *args: Any, **kwargs: Any) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            password_mail_queue(user=user, first=not user.has_usable_password())
