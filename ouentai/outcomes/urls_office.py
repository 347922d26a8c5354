from django.urls import path

from ouentai.outcomes.views import office

app_name = "office"
urlpatterns = [
    path("", office.HomeView.as_view(), name="home"),
    path("trend/", office.TrendView.as_view(), name="trend"),
    path("open-data.csv", office.OpenDataView.as_view(), name="open_data"),
]
