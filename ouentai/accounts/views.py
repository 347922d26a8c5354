from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from ouentai.accounts.choices import Role
from ouentai.accounts.forms import LoginForm
from ouentai.accounts.passwords import PasswordResetForm
from ouentai.core.ratelimit import client_address, form_rate

# The roles that never use the console, and where each one starts.
HOMES: dict[str, str] = {
    Role.MEMBER: "my:home",
    Role.PARTNER: "network:partner_home",
    Role.EXPERT: "network:expert_home",
    Role.PROGRAM_OFFICE: "office:home",
}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Django puts the host name (django.contrib.sites is not used) in ``site_name``: the page's
        title must show the product's name, as on every other page."""
        context = super().get_context_data(**kwargs)
        context["site_name"] = settings.OUENTAI_SITE_NAME
        return context

    def get_default_redirect_url(self) -> str:
        """Where to go after login when no safe ?next= is given: members to the member area, partners
        and experts to their own pages, console users to the console (LOGIN_REDIRECT_URL)."""
        home = HOMES.get(getattr(self.request.user, "role", None) or "")
        if home is not None:
            return reverse(home)
        return super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    pass


@method_decorator(ratelimit(key=client_address, rate=form_rate, method="POST", block=True), name="post")
# However many addresses a sender uses, one person gets at most a few links an hour.
@method_decorator(ratelimit(key="post:email", rate="3/h", method="POST", block=True), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link by e-mail address (the answer never says whether the address is known)."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
