from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ouentai.accounts"
    label = "accounts"
    verbose_name = _("アカウントと組織")

    def ready(self) -> None:
        from ouentai.accounts.choices import AUDIT_ACTIONS
        from ouentai.core.audit import register_action_labels

        register_action_labels(AUDIT_ACTIONS)
