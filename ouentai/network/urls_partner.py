"""The support organizations' and experts' own pages (mounted at /network/): a partner sees only its
schemes' requests; an expert only their own dispatches."""

from django.urls import path

from ouentai.network.views import expert, partner

app_name = "network"
urlpatterns = [
    path("partner/", partner.PartnerHomeView.as_view(), name="partner_home"),
    path("partner/requests/<int:pk>/", partner.PartnerRequestView.as_view(), name="partner_request"),
    path("partner/totals/", partner.PartnerTotalsView.as_view(), name="partner_totals"),
    path(
        "partner/totals/export/<str:fmt>/",
        partner.PartnerTotalsExportView.as_view(),
        name="partner_totals_export",
    ),
    path("expert/", expert.ExpertHomeView.as_view(), name="expert_home"),
    path("expert/dispatches/<int:pk>/", expert.ExpertDispatchView.as_view(), name="expert_dispatch"),
    path("expert/dispatches/<int:pk>/report.pdf", expert.ExpertReportPdfView.as_view(), name="expert_report"),
]
