from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ouentai.cases"
    label = "cases"
    verbose_name = _("成功事例")

    def ready(self) -> None:
        from ouentai.cases.choices import AUDIT_ACTIONS, CaseStatus, CaseVariant, ConsentMethod
        from ouentai.core.audit import register_action_labels, register_detail_labels

        register_action_labels(AUDIT_ACTIONS)
        register_detail_labels(
            keys={
                "variant": _("公開の形"),
                "version": _("同意文の版"),
                "method": _("同意の方法"),
                "reason": _("理由"),
                "kpis": _("KPI"),
            },
            values=[
                ("cases.", "from", CaseStatus),
                ("cases.", "to", CaseStatus),
                ("cases.", "variant", CaseVariant),
                ("cases.", "method", ConsentMethod),
            ],
            references=[("cases.nominations.", "cases", "cases.Case")],
        )

        from ouentai.cases.selectors.public import CASE_SEARCH_KIND, public_case_documents
        from ouentai.core.search import register_kind

        register_kind(CASE_SEARCH_KIND, public_case_documents)

        from ouentai.cases.panels import company_cases_panel, engagement_cases_panel
        from ouentai.core.panels import register_panel

        register_panel("engagements.engagement", engagement_cases_panel)
        register_panel("community.company", company_cases_panel)
