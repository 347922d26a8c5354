from django.apps import AppConfig
from django.utils.translation import gettext, pgettext_lazy
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
        from ouentai.network.choices import DispatchStatus, DispatchTheme

        def theme_visits_words(key: str, value: object) -> tuple[str, str]:
            """{"it": 5} → IT…：5回."""
            theme = DispatchTheme(key).label if key in DispatchTheme.values else key
            return str(theme), gettext("%(n)s回") % {"n": value}

        register_detail_labels(
            keys={
                "contacts": pgettext_lazy("company contact, plural", "担当者"),
                "key_persons": _("地域キーマン"),
                "visits_per_year": _("年度内の訪問回数の上限"),
                "visits_per_theme": _("テーマ別の上限"),
                "area_codes": _("対象地域のコード"),
                "skills": _("スキル"),
                "qualifications": _("資格の数"),
                "login": _("ログイン用メールアドレス"),
                "login_created": _("ログインを新規に作成"),
                "support_organization": _("支援機関"),
                "visit": _("訪問"),
            },
            values=[("network.", "from", DispatchStatus), ("network.", "to", DispatchStatus)],
            references=[
                ("network.", "support_organization", "network.SupportOrganization"),
                ("network.visit.", "visit", "network.DispatchVisit"),
            ],
            nested={"visits_per_theme": theme_visits_words},
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
