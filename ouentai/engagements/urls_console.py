"""Console URLs of engagements (mounted at /console/engagements/)."""

from django.urls import path

from ouentai.engagements.views import attachments, console_detail, console_form, console_list, kpis, plans

app_name = "engagements_console"
urlpatterns = [
    path("", console_list.EngagementListView.as_view(), name="list"),
    path("board/", console_list.EngagementBoardView.as_view(), name="board"),
    path("new/", console_form.EngagementFormView.as_view(), name="create"),
    path("<int:pk>/", console_detail.EngagementDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", console_form.EngagementFormView.as_view(), name="edit"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/", attachments.AttachmentView.as_view(), name="attachment"
    ),
    path("<int:pk>/kpis/", kpis.KpiView.as_view(), name="kpis"),
    path("<int:pk>/plan/", plans.PlanEditView.as_view(), name="plan_edit"),
    path("<int:pk>/plan/compare/", plans.PlanCompareView.as_view(), name="plan_compare"),
    path("<int:pk>/plan/<int:number>/", plans.PlanVersionView.as_view(), name="plan_version"),
    path("<int:pk>/plan/<int:number>/pdf/", plans.PlanPdfView.as_view(), name="plan_pdf"),
    path(
        "diagnosis/companies/<int:company_pk>/",
        plans.CompanyDiagnosisView.as_view(),
        name="company_diagnosis",
    ),
]
