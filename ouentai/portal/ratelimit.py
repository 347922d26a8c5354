"""The client address that public-form rate limits count by."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(group: str, request: HttpRequest) -> str:
    """REMOTE_ADDR, or, behind OUENTAI_TRUSTED_PROXIES reverse proxies, the address the outermost trusted
    proxy saw (the N-th entry from the right of X-Forwarded-For: entries further left can be forged by
    the client). Never empty, so that a server on a Unix socket does not fail."""
    proxies = settings.OUENTAI_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"
