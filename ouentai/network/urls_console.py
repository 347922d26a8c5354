"""Console URLs of the support network (mounted at /console/network/)."""

from django.urls import path

from ouentai.network.views import console, console_dispatch, console_totals

app_name = "network_console"
urlpatterns = [
    path("", console.SupportOrganizationListView.as_view(), name="organizations"),
    path("organizations/new/", console.SupportOrganizationFormView.as_view(), name="organization_create"),
    path("organizations/<int:pk>/", console.SupportOrganizationDetailView.as_view(), name="organization"),
    path(
        "organizations/<int:pk>/edit/",
        console.SupportOrganizationFormView.as_view(),
        name="organization_edit",
    ),
    path("schemes/new/", console.SchemeFormView.as_view(), name="scheme_create"),
    path("schemes/<int:pk>/edit/", console.SchemeFormView.as_view(), name="scheme_edit"),
    path("experts/", console.ExpertListView.as_view(), name="experts"),
    path("experts/new/", console.ExpertFormView.as_view(), name="expert_create"),
    path("experts/<int:pk>/", console.ExpertDetailView.as_view(), name="expert"),
    path("experts/<int:pk>/edit/", console.ExpertFormView.as_view(), name="expert_edit"),
    path("dispatches/", console_dispatch.DispatchListView.as_view(), name="dispatches"),
    path("dispatches/new/", console_dispatch.DispatchFormView.as_view(), name="dispatch_create"),
    path("dispatches/<int:pk>/", console_dispatch.DispatchDetailView.as_view(), name="dispatch"),
    path("dispatches/<int:pk>/edit/", console_dispatch.DispatchFormView.as_view(), name="dispatch_edit"),
    path(
        "dispatches/<int:pk>/report.pdf",
        console_dispatch.DispatchReportPdfView.as_view(),
        name="dispatch_report",
    ),
    path("totals/", console_totals.TotalsView.as_view(), name="totals"),
    path("totals/export/<str:fmt>/", console_totals.TotalsExportView.as_view(), name="totals_export"),
]
