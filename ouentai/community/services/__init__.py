"""Writes of the community app: the inboxes (applications, inquiries) and companies with contacts."""

from ouentai.community.services.companies import (
    CompanyData,
    ContactData,
    company_create,
    company_merge,
    company_reindex,
    company_update,
    contact_create,
    contact_update,
)
from ouentai.community.services.imports import import_preview, import_start, import_upload
from ouentai.community.services.inbox import (
    ApplicationData,
    InquiryData,
    application_convert,
    application_decline,
    application_submit,
    inbox_assign,
    inbox_log_contact,
    inquiry_close,
    inquiry_submit,
    inquiry_to_faq,
)
from ouentai.community.services.members import (
    member_invitation_accept,
    member_invitation_valid,
    member_invite,
)
from ouentai.community.services.memberships import (
    membership_activate,
    membership_assign_coordinator,
    membership_create,
    membership_record_investment,
    membership_set_status,
)
from ouentai.community.services.newsletters import (
    contact_set_consent,
    newsletter_audience,
    newsletter_preview,
    newsletter_save,
    newsletter_start,
    newsletter_test_send,
)
from ouentai.community.services.segments import companies_exported, segment_delete, segment_save

__all__ = [
    "ApplicationData",
    "CompanyData",
    "ContactData",
    "InquiryData",
    "application_convert",
    "application_decline",
    "application_submit",
    "companies_exported",
    "company_create",
    "company_merge",
    "company_reindex",
    "company_update",
    "contact_create",
    "contact_set_consent",
    "contact_update",
    "import_preview",
    "import_start",
    "import_upload",
    "inbox_assign",
    "inbox_log_contact",
    "inquiry_close",
    "inquiry_submit",
    "inquiry_to_faq",
    "member_invitation_accept",
    "member_invitation_valid",
    "member_invite",
    "membership_activate",
    "membership_assign_coordinator",
    "membership_create",
    "membership_record_investment",
    "membership_set_status",
    "newsletter_audience",
    "newsletter_preview",
    "newsletter_save",
    "newsletter_start",
    "newsletter_test_send",
    "segment_delete",
    "segment_save",
]
