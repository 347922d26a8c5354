from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "ouentai.engagements"
    label = "engagements"
    verbose_name = _("IT経営支援")

    def ready(self) -> None:
        from ouentai.core.audit import register_action_labels
        from ouentai.engagements.choices import AUDIT_ACTIONS

        register_action_labels(AUDIT_ACTIONS)

        from ouentai.core.audit import register_detail_labels
        from ouentai.engagements.choices import EngagementStatus, Phase, Stage

        register_detail_labels(
            values=[
                ("engagements.engagement.phase_changed", "from", Phase),
                ("engagements.engagement.phase_changed", "to", Phase),
                ("engagements.engagement.created", "phase", Phase),
                ("engagements.engagement.status_changed", "from", EngagementStatus),
                ("engagements.engagement.status_changed", "to", EngagementStatus),
                ("engagements.diagnosis", "stage", Stage),
            ],
            # The note's own text, not its number.
            references=[("engagements.note.added", "note", "engagements.Note")],
        )

        from ouentai.community.selectors import register_timeline_source
        from ouentai.engagements.timeline import company_engagement_history

        register_timeline_source(company_engagement_history)

        from ouentai.community.selectors import register_home_card
        from ouentai.engagements.home import engagements_home_card

        register_home_card(engagements_home_card)

        from ouentai.core.panels import register_panel
        from ouentai.engagements.panels import company_engagements_panel

        register_panel("community.company", company_engagements_panel)
