from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "ouentai.community"
    label = "community"
    verbose_name = _("コミュニティ")

    def ready(self) -> None:
        from ouentai.community.choices import AUDIT_ACTIONS
        from ouentai.core.audit import register_action_labels

        register_action_labels(AUDIT_ACTIONS)

        from ouentai.community.choices import ContactChannel, MembershipStatus
        from ouentai.core.audit import register_detail_labels

        register_detail_labels(
            values=[
                ("community.membership", "from", MembershipStatus),
                ("community.membership", "to", MembershipStatus),
                ("community.membership", "status", MembershipStatus),
                ("community.", "channel", ContactChannel),
            ]
        )
