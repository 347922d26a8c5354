"""What the partner's and the expert's pages share: who may open them and how they are served.

A partner (a support organization's user) and an expert sign in like everyone else but never use the
console: these mixins let in only their own role with its record (the partner account, the expert
profile) and answer everyone else with a 403 page in Japanese that points to where they belong.
Pages are about companies: only the user's browser may keep them and search engines must not list
them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from ouentai.accounts.choices import Role
from ouentai.accounts.models import User
from ouentai.network import selectors
from ouentai.network.models import Expert, PartnerAccount, SupportOrganization


def private(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def forbidden(request: HttpRequest, user: User, area: str) -> HttpResponse:
    """The 403 page of the partner's or the expert's area, with a way to the user's own pages."""
    context = {
        "area": area,
        "console_user": user.can_use_console,
        "is_member": user.role == Role.MEMBER,
        # A way to their own area, unless that is the area refusing them (an account not set up).
        "is_partner": user.role == Role.PARTNER and area != "partner",
        "is_expert": user.role == Role.EXPERT and area != "expert",
    }
    response = render(request, "network/forbidden.html", context, status=403)
    private(response)
    return response


class _ExternalMixin(LoginRequiredMixin):
    """Signed in, then ``allow`` decides; the response is marked private."""

    request: HttpRequest
    user: User
    area = ""

    def allow(self, user: User) -> bool:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return private(self.handle_no_permission())
        user = request.user
        assert isinstance(user, User)
        if not user.is_active or not self.allow(user):
            return forbidden(request, user, self.area)
        self.user = user
        return private(super().dispatch(request, *args, **kwargs))


class PartnerMixin(_ExternalMixin):
    """A user of a support organization (role partner with a partner account). Exposes
    ``self.account`` and ``self.support_organization``; every read is scoped by both the account's
    organization and its support organization."""

    area = "partner"
    account: PartnerAccount
    support_organization: SupportOrganization

    def allow(self, user: User) -> bool:
        if user.role != Role.PARTNER:
            return False
        account = selectors.partner_account_for(user)
        if account is None:
            return False
        self.account = account
        user.partner_account = account  # the services' partner check reads it: no second query
        self.support_organization = account.support_organization
        return True


class ExpertMixin(_ExternalMixin):
    """An expert with a login (role expert with an expert profile). Exposes ``self.expert``."""

    area = "expert"
    expert: Expert

    def allow(self, user: User) -> bool:
        if user.role != Role.EXPERT:
            return False
        expert = selectors.expert_profile_for(user)
        if expert is None:
            return False
        self.expert = expert
        user.expert_profile = expert  # the services' expert check reads it: no second query
        return True
