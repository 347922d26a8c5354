"""Console access: signed in, active, with a console role in an organization. Anonymous users are sent
to the login page; signed-in users without a console role get 403."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from ouentai.accounts.models import Organization, User


class ConsoleMixin(LoginRequiredMixin):
    """Base for every console view: checks the role and exposes ``self.user`` and ``self.organization``."""

    request: HttpRequest
    user: User
    organization: Organization
    # Roles allowed on this view; None allows every console role.
    allowed_roles: frozenset[str] | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        assert isinstance(user, User)
        if not user.can_use_console or user.organization is None:
            raise PermissionDenied
        if self.allowed_roles is not None and user.role not in self.allowed_roles:
            raise PermissionDenied
        self.user = user
        self.organization = user.organization
        return super().dispatch(request, *args, **kwargs)
