from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "ouentai.community"
    label = "community"
    verbose_name = _("コミュニティ")

    def ready(self) -> None:
        from ouentai.community.choices import AUDIT_ACTIONS
        from ouentai.core.audit import register_action_labels

        register_action_labels(AUDIT_ACTIONS)

        from ouentai.community.selectors import COMPANY_SEARCH_KIND, company_search_documents
        from ouentai.core.search import register_kind

        register_kind(COMPANY_SEARCH_KIND, company_search_documents)

        from ouentai.community.choices import AUDIT_DETAIL_KEYS, ContactChannel, ItStage, MembershipStatus
        from ouentai.community.imports import TARGETS
        from ouentai.core.audit import (
            ModelFieldsWords,
            date_words,
            model_count_words,
            register_detail_labels,
        )

        def import_mapping_words(key: str, value: object) -> tuple[str, str] | None:
            """{"name": 0} → 会社名：1列目."""
            if key not in TARGETS or not isinstance(value, int):
                return None
            return str(TARGETS[key][0]), gettext("%(n)s列目") % {"n": value + 1}

        register_detail_labels(
            keys=AUDIT_DETAIL_KEYS,
            values=[
                ("community.membership", "from", MembershipStatus),
                ("community.membership", "to", MembershipStatus),
                ("community.membership", "status", MembershipStatus),
                ("community.", "channel", ContactChannel),
                ("community.company.it_stage_recorded", "from", ItStage),
                ("community.company.it_stage_recorded", "to", ItStage),
            ],
            references=[
                ("community.", "assignee_id", "accounts.User"),
                ("community.", "previous_assignee_id", "accounts.User"),
                ("community.", "company_id", "community.Company"),
                ("community.", "contact_id", "community.Contact"),
                ("community.", "faq_id", "content.FaqEntry"),
                ("community.", "mail_id", "core.OutgoingMail"),
            ],
            formats={"next_due": date_words, "last_it_investment_on": date_words},
            nested={
                "merged_company": ModelFieldsWords("community.Company"),
                "membership": ModelFieldsWords("community.Membership"),
                "moved": model_count_words,
                "mapping": import_mapping_words,
            },
        )
