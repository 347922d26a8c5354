"""Console views of the community app, by subject."""

from ouentai.community.views.companies import (
    CompanyDetailView,
    CompanyExportView,
    CompanyFormView,
    CompanyListView,
    CompanyMergeView,
    ContactEditView,
    DuplicateReportView,
)
from ouentai.community.views.imports import ImportDetailView, ImportRowView, ImportUploadView
from ouentai.community.views.inbox import (
    ApplicationDetailView,
    ApplicationListView,
    ConsoleHomeView,
    InquiryDetailView,
    InquiryListView,
)
from ouentai.community.views.newsletters import (
    NewsletterDetailView,
    NewsletterEditView,
    NewsletterListView,
    NewsletterSendView,
)
from ouentai.community.views.operations import PipelineView
from ouentai.community.views.segments import SegmentDeleteView, SegmentRestoreView, SegmentView

__all__ = [
    "ApplicationDetailView",
    "ApplicationListView",
    "CompanyDetailView",
    "CompanyExportView",
    "CompanyFormView",
    "CompanyListView",
    "CompanyMergeView",
    "ConsoleHomeView",
    "ContactEditView",
    "DuplicateReportView",
    "ImportDetailView",
    "ImportRowView",
    "ImportUploadView",
    "InquiryDetailView",
    "InquiryListView",
    "NewsletterDetailView",
    "NewsletterEditView",
    "NewsletterListView",
    "NewsletterSendView",
    "PipelineView",
    "SegmentDeleteView",
    "SegmentRestoreView",
    "SegmentView",
]
