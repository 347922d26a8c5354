"""The door of the member area (/my/ and the apps' pages under it): who a member page is for."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase

from ouentai.accounts.models import User
from ouentai.accounts.sites import site_use
from ouentai.community.selectors import member_account_for
from ouentai.core.http import private, render_private

View = Callable[..., HttpResponseBase]


def member_required(view: View) -> View:
    """Anonymous visitors go to the login page (and come back); signed-in users without a member
    account (staff, coordinators) get a 403 page that says this area is for member companies. The view
    is called with the member account after the request, on its organization's site, never cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return private(redirect_to_login(request.get_full_path()))
        assert isinstance(user, User)
        account = member_account_for(user)
        if account is None:
            return render_private(
                request, "portal/my/forbidden.html", {"console_user": user.can_use_console}, status=403
            )
        site_use(request, account.organization)  # its events, its diagnosis
        return private(view(request, account, *args, **kwargs))

    return wrapper
