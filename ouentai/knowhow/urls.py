from django.urls import path

from ouentai.knowhow.views import public

app_name = "knowhow"
urlpatterns = [
    path("", public.item_list, name="list"),
    path("<int:pk>/", public.item_detail, name="detail"),
    path("<int:pk>/download/", public.item_download, name="download"),
]
