from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "ouentai.outcomes"
    label = "outcomes"
    verbose_name = _("成果目標")

    def ready(self) -> None:
        from ouentai.core.audit import register_action_labels, register_detail_labels
        from ouentai.outcomes.choices import AUDIT_ACTIONS, AUDIT_DETAIL_KEYS

        register_action_labels(AUDIT_ACTIONS)
        register_detail_labels(keys=AUDIT_DETAIL_KEYS)
