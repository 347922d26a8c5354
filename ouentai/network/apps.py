from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "ouentai.network"
    label = "network"
    verbose_name = _("支援ネットワーク")

    def ready(self) -> None:
        from ouentai.core.audit import register_action_labels
        from ouentai.network.choices import AUDIT_ACTIONS

        register_action_labels(AUDIT_ACTIONS)

        from ouentai.core.audit import register_detail_labels
        from ouentai.network.choices import DispatchStatus

        register_detail_labels(
            values=[("network.", "from", DispatchStatus), ("network.", "to", DispatchStatus)]
        )

        from ouentai.community.selectors import register_timeline_source
        from ouentai.network.timeline import company_dispatch_history

        register_timeline_source(company_dispatch_history)

        from ouentai.community.selectors import register_home_card
        from ouentai.network.home import dispatch_home_card

        register_home_card(dispatch_home_card)

        from ouentai.core.panels import register_panel
        from ouentai.network.panels import company_dispatch_panel, engagement_dispatch_panel

        register_panel("community.company", company_dispatch_panel)
        register_panel("engagements.engagement", engagement_dispatch_panel)
