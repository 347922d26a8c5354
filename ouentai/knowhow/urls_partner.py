"""Mounted at /network/knowhow/: the experts' and partners' read-only view of the shared items."""

from django.urls import path

from ouentai.knowhow.views import external

app_name = "knowhow_network"
urlpatterns = [
    path("", external.ItemListView.as_view(), name="list"),
    path("<int:pk>/", external.ItemDetailView.as_view(), name="detail"),
    path("<int:pk>/download/", external.ItemFileView.as_view(), name="download"),
    path("<int:pk>/files/<int:number>/", external.ItemFileView.as_view(), name="file"),
]
