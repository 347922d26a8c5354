from django.urls import path

from ouentai.outcomes.views import goals, reports

app_name = "outcomes_console"
urlpatterns = [
    path("", goals.DashboardView.as_view(), name="dashboard"),
    path("targets/", goals.TargetsView.as_view(), name="targets"),
    path("reports/", reports.ReportsView.as_view(), name="reports"),
    path("reports/<int:pk>/xlsx/", reports.ReportFileView.as_view(extension="xlsx"), name="report_xlsx"),
    path("reports/<int:pk>/pdf/", reports.ReportFileView.as_view(extension="pdf"), name="report_pdf"),
    path("<slug:key>/", goals.RecordsView.as_view(), name="records"),
    path("<slug:key>/results/", goals.ManualResultsView.as_view(), name="manual"),
]
