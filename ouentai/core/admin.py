from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ouentai.accounts.admin import OrganizationScopedAdmin
from ouentai.core.mail import mail_resend
from ouentai.core.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(OrganizationScopedAdmin):
    """Outgoing mail, read-only, with one action: send again the mails the queue gave up on."""

    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    actions = ["resend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("送信失敗のメールを再送する"), permissions=["view"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        count = 0
        for mail in queryset.filter(status=OutgoingMail.Status.FAILED):
            mail_resend(mail=mail)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d件を再送します。", "%(n)d件を再送します。", count) % {"n": count},
            messages.SUCCESS,
        )
