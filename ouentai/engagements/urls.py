"""Public URLs of the self-diagnosis (mounted at /diagnosis/)."""

from django.urls import path

from ouentai.engagements.views import diagnosis

app_name = "diagnosis"
urlpatterns = [
    path("", diagnosis.diagnosis_form, name="form"),
    path("result/<uuid:token>/", diagnosis.diagnosis_result, name="result"),
]
