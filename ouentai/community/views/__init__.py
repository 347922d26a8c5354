"""Console views of the community app, by subject."""

from ouentai.community.views.companies import (
    CompanyDetailView,
    CompanyExportView,
    CompanyFormView,
    CompanyListView,
    CompanyMergeView,
    ContactEditView,
    DuplicateReportView,
    SegmentView,
)
from ouentai.community.views.inbox import (
    ApplicationDetailView,
    ApplicationListView,
    ConsoleHomeView,
    InquiryDetailView,
    InquiryListView,
)
from ouentai.community.views.operations import (
    ImportDetailView,
    ImportUploadView,
    NewsletterDetailView,
    NewsletterEditView,
    NewsletterListView,
    PipelineView,
)

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
    "ImportUploadView",
    "InquiryDetailView",
    "InquiryListView",
    "NewsletterDetailView",
    "NewsletterEditView",
    "NewsletterListView",
    "PipelineView",
    "SegmentView",
]
