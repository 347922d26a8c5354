from django.urls import path

from ouentai.community import views
from ouentai.community.views import members as member_views
from ouentai.community.views import replies as reply_views

app_name = "community"
urlpatterns = [
    path("", views.ConsoleHomeView.as_view(), name="home"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("inquiries/", views.InquiryListView.as_view(), name="inquiry_list"),
    path("inquiries/<int:pk>/", views.InquiryDetailView.as_view(), name="inquiry_detail"),
    path("replies/templates/", reply_views.ReplyTemplateListView.as_view(), name="reply_template_list"),
    path("replies/templates/new/", reply_views.ReplyTemplateEditView.as_view(), name="reply_template_create"),
    path(
        "replies/templates/<int:pk>/", reply_views.ReplyTemplateEditView.as_view(), name="reply_template_edit"
    ),
    path("companies/", views.CompanyListView.as_view(), name="company_list"),
    path("companies/new/", views.CompanyFormView.as_view(), name="company_create"),
    path("companies/export/", views.CompanyExportView.as_view(), name="company_export"),
    path("companies/import/", views.ImportUploadView.as_view(), name="import_upload"),
    path("companies/import/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("companies/import/<int:pk>/rows/<int:row_pk>/", views.ImportRowView.as_view(), name="import_row"),
    path("companies/segments/", views.SegmentView.as_view(), name="segment"),
    path("companies/segments/<int:pk>/delete/", views.SegmentDeleteView.as_view(), name="segment_delete"),
    path("companies/segments/<int:pk>/restore/", views.SegmentRestoreView.as_view(), name="segment_restore"),
    path("companies/<int:pk>/", views.CompanyDetailView.as_view(), name="company_detail"),
    path("companies/<int:pk>/edit/", views.CompanyFormView.as_view(), name="company_edit"),
    path("companies/<int:pk>/invite/", member_views.MemberInviteView.as_view(), name="member_invite"),
    path("pipeline/", views.PipelineView.as_view(), name="pipeline"),
    path("newsletters/", views.NewsletterListView.as_view(), name="newsletter_list"),
    path("newsletters/new/", views.NewsletterEditView.as_view(), name="newsletter_create"),
    path("newsletters/<int:pk>/", views.NewsletterDetailView.as_view(), name="newsletter_detail"),
    path("newsletters/<int:pk>/edit/", views.NewsletterEditView.as_view(), name="newsletter_edit"),
    path("newsletters/<int:pk>/send/", views.NewsletterSendView.as_view(), name="newsletter_send"),
    path("companies/duplicates/", views.DuplicateReportView.as_view(), name="company_duplicates"),
    path("companies/<int:pk>/merge/<int:other_pk>/", views.CompanyMergeView.as_view(), name="company_merge"),
    path(
        "companies/<int:pk>/contacts/<int:contact_pk>/", views.ContactEditView.as_view(), name="contact_edit"
    ),
]
