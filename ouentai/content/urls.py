from django.urls import path

from ouentai.content import views

app_name = "content"
urlpatterns = [
    path("faq/", views.FaqListView.as_view(), name="faq_list"),
    path("faq/new/", views.FaqEditView.as_view(), name="faq_create"),
    path("faq/<int:pk>/", views.FaqEditView.as_view(), name="faq_edit"),
    path("faq/<int:pk>/move/", views.FaqMoveView.as_view(), name="faq_move"),
    path("faq/<int:pk>/delete/", views.FaqDeleteView.as_view(), name="faq_delete"),
]
