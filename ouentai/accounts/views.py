from django.contrib.auth import views as auth_views
from django.urls import reverse

from ouentai.accounts.choices import Role
from ouentai.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Where to go after login when no safe ?next= is given: members to the member area, console
        users to the console (LOGIN_REDIRECT_URL)."""
        if getattr(self.request.user, "role", None) == Role.MEMBER:
            return reverse("my:home")
        return super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    pass
