"""Member-area URLs of the case library (mounted at /my/cases/): a member company's own cases."""

from django.urls import path

from ouentai.cases.views import my

app_name = "cases_my"
urlpatterns = [
    path("", my.case_list, name="list"),
    path("<int:pk>/", my.case_detail, name="detail"),
    path("<int:pk>/media/<int:media_pk>/", my.case_media, name="media"),
]
