from django.apps import AppConfig
from django.utils.translation import gettext, pgettext_lazy
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
        from ouentai.events.choices import AttendanceVia, MailAudience, RegistrationSource

        def changes_words(value: object) -> str:
            """The summary of a replaced list (["+12", "-13"]) as counts: 1件追加、1件削除."""
            items = [str(v) for v in value] if isinstance(value, list) else []
            added = sum(item.startswith("+") for item in items)
            removed = sum(item.startswith("-") for item in items)
            parts = [gettext("%(n)s件追加") % {"n": added}] if added else []
            parts += [gettext("%(n)s件削除") % {"n": removed}] if removed else []
            return "、".join(parts) or gettext("内容を更新")

        register_detail_labels(
            keys={
                "event": _("イベント"),
                "session": _("開催回"),
                "company": _("企業"),
                "contact": pgettext_lazy("company contact", "担当者"),
                "sessions": _("開催回"),
                "presenters": _("登壇者"),
                "questions.registration": _("申込時の質問"),
                "questions.survey": _("アンケートの質問"),
                "via": _("記録の方法"),
            },
            values=[
                ("events.", "source", RegistrationSource),
                ("events.mail", "audience", MailAudience),
                ("events.attendance", "via", AttendanceVia),
            ],
            references=[
                ("events.", "event", "events.Event"),
                ("events.", "session", "events.Session"),
                ("events.", "company", "community.Company"),
                ("events.", "contact", "community.Contact"),
            ],
            formats={
                "sessions": changes_words,
                "presenters": changes_words,
                "questions.registration": changes_words,
                "questions.survey": changes_words,
            },
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
