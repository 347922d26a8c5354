"""Console URLs of the case library (mounted at /console/cases/)."""

from django.urls import path

from ouentai.cases.views import console

app_name = "cases_console"
urlpatterns = [
    path("", console.CaseListView.as_view(), name="list"),
    path("new/<int:engagement_pk>/", console.CaseFormView.as_view(), name="create"),
    path("<int:pk>/", console.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", console.CaseFormView.as_view(), name="edit"),
    path("<int:pk>/media/<int:media_pk>/", console.CaseMediaView.as_view(), name="media"),
    path("<int:pk>/consents/<int:consent_pk>/form/", console.SignedFormView.as_view(), name="signed_form"),
]
