"""The client address that public-form rate limits count by."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
