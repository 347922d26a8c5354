"""Own host names of organizations' public pages: what a valid one is, and the cache of which host names
belong to which organization (read by the host middleware on every request)."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http.request import validate_host
from django.utils.translation import gettext_lazy as _

HOSTS_CACHE_KEY = "accounts:public_hosts"
# A change of host names made outside the admin (a shell, a migration) is seen within this many seconds.
HOSTS_CACHE_SECONDS = 300

_HOST_NAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)


def site_host() -> str:
    """The host name of the deployment's own address (OUENTAI_PUBLIC_BASE_URL)."""
    return (urlsplit(settings.OUENTAI_PUBLIC_BASE_URL).hostname or "").lower()


def validate_public_host(value: str) -> None:
    """A host name (no scheme, port or path) that this deployment already answers to (ALLOWED_HOSTS),
    and not the deployment's own address: the organization's pages must never take over the program
    pages or answer for a host the operator has not allowed."""
    if not value:
        return
    if not _HOST_NAME.match(value) or _is_ip_address(value):
        raise ValidationError(
            _("ホスト名だけを小文字で入力してください（例：itc-kawasaki.example.jp）。"), code="host_invalid"
        )
    if not validate_host(value, settings.ALLOWED_HOSTS):
        raise ValidationError(
            _("このホスト名は ALLOWED_HOSTS に含まれていません。運用担当者に登録を依頼してください。"),
            code="host_not_allowed",
        )
    if value == site_host():
        raise ValidationError(
            _("サイト全体のホスト名は、組織のホスト名にはできません。"), code="host_is_site"
        )


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def may_be_organization_host(host: str) -> bool:
    """Whether a request's host could be an organization's own: a dotted name that is not an address
    and not the deployment's own host (so that requests to those cost no look-up at all)."""
    return bool(host) and "." in host and host != site_host() and not _is_ip_address(host)


def organization_hosts_changed() -> None:
    """Forget the cached host names once the transaction that changed one commits."""
    transaction.on_commit(lambda: cache.delete(HOSTS_CACHE_KEY))
