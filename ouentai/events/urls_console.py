"""Console URLs of events (mounted at /console/events/)."""

from django.urls import path

from ouentai.events.views import after, console, door

app_name = "events_console"
urlpatterns = [
    path("", console.EventListView.as_view(), name="list"),
    path("new/", console.EventFormView.as_view(), name="create"),
    path("<int:pk>/", console.EventDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", console.EventFormView.as_view(), name="edit"),
    path("<int:pk>/publish/", console.EventPublishView.as_view(), name="publish"),
    path(
        "<int:pk>/registrations/<int:reg_pk>/", console.RegistrationDetailView.as_view(), name="registration"
    ),
    path("<int:pk>/checkin/", door.CheckInView.as_view(), name="checkin"),
    path("<int:pk>/attendance/", door.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/survey/", after.SurveyView.as_view(), name="survey"),
    path("<int:pk>/survey/results/", after.SurveyResultsView.as_view(), name="survey_results"),
    path("<int:pk>/mail/", after.EventMailView.as_view(), name="mail"),
    path("<int:pk>/followup/", after.FollowUpView.as_view(), name="followup"),
    path("<int:pk>/export/<str:fmt>/", after.ExportView.as_view(), name="export"),
    path("<int:pk>/namelist.pdf", after.NameListView.as_view(), name="namelist"),
    path(
        "<int:pk>/registrations/<int:reg_pk>/certificate.pdf",
        after.CertificateView.as_view(),
        name="certificate",
    ),
]
