from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ouentai.accounts"
    label = "accounts"
    verbose_name = _("アカウントと組織")

    def ready(self) -> None:
        from ouentai.accounts.choices import AUDIT_ACTIONS
        from ouentai.core.audit import register_action_labels, register_detail_labels

        register_action_labels(AUDIT_ACTIONS)
        register_detail_labels(
            keys={
                "slug": _("識別名"),
                "areas": _("担当地域"),
                "default": _("既定の受付組織"),
                "admin": _("組織管理者"),
            }
        )
