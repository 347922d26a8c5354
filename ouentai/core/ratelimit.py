"""Rate limits on public forms: the client address they count by, the rate, and how a refused
submission is shown (every public form of every app uses these)."""

from __future__ import annotations

import ipaddress

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def client_address(group: str, request: HttpRequest) -> str:
    """REMOTE_ADDR, or, behind OUENTAI_TRUSTED_PROXIES reverse proxies, the address the outermost trusted
    proxy saw (the N-th entry from the right of X-Forwarded-For: entries further left can be forged by
    the client). IPv6 addresses count by their /64. Never empty, so that a server on a Unix
    socket does not fail."""
    address = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.OUENTAI_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if parsed.version == 6:
        # One IPv6 client usually holds a whole /64: count the network, not each address.
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def form_rate(group: str, request: HttpRequest) -> str:
    """The rate of public form submissions per client address (settings.OUENTAI_PUBLIC_FORM_RATE)."""
    return str(settings.OUENTAI_PUBLIC_FORM_RATE)


def form_refuse_rate_limited(form: forms.BaseForm) -> None:
    """Show a submission refused by the rate limit on the form, with everything typed kept (the view
    answers 429)."""
    form.is_valid()
    form.add_error(
        None,
        _(
            "短時間に多くの送信がありました。しばらく待ってから、もう一度送信してください。入力内容はそのまま残っています。"
        ),
    )
