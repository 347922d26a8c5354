from django.urls import path

from ouentai.knowhow.views import console

app_name = "knowhow_console"
urlpatterns = [
    path("", console.ItemListView.as_view(), name="list"),
    path("new/", console.ItemEditView.as_view(), name="create"),
    path("<int:pk>/", console.ItemDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", console.ItemEditView.as_view(), name="edit"),
    path("<int:pk>/upload/", console.ItemUploadView.as_view(), name="upload"),
    path("<int:pk>/engagements/", console.ItemEngagementsView.as_view(), name="engagements"),
    path("<int:pk>/delete/", console.ItemDeleteView.as_view(), name="delete"),
    path("<int:pk>/download/", console.ItemFileView.as_view(), name="download"),
    path("<int:pk>/files/<int:number>/", console.ItemFileView.as_view(), name="file"),
]
