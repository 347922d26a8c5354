from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ouentai.events"
    label = "events"
    verbose_name = _("イベント")

    def ready(self) -> None:
        from ouentai.core.audit import register_action_labels
        from ouentai.events.choices import AUDIT_ACTIONS

        register_action_labels(AUDIT_ACTIONS)

        from ouentai.core.audit import register_detail_labels
        from ouentai.events.choices import MailAudience, RegistrationSource

        register_detail_labels(
            values=[("events.", "source", RegistrationSource), ("events.mail", "audience", MailAudience)]
        )

        from ouentai.community.selectors import register_timeline_source
        from ouentai.events.timeline import company_event_history

        register_timeline_source(company_event_history)

        from ouentai.community.selectors import register_home_card
        from ouentai.events.home import events_home_card

        register_home_card(events_home_card)

        from ouentai.core.panels import register_panel
        from ouentai.events.panels import engagement_attended_panel, support_organization_cohosted_panel

        register_panel("engagements.engagement", engagement_attended_panel)
        register_panel("network.support_organization", support_organization_cohosted_panel)
