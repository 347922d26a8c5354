"""An engagement's files in the console: download (any console role of the organization) and removal
(whom services.attachment_may_remove allows: the service decides, the page only offers it)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.core.errors import DomainError
from ouentai.engagements import selectors, services
from ouentai.engagements.models import Attachment
from ouentai.engagements.views.mixins import EngagementConsoleMixin


class AttachmentView(EngagementConsoleMixin, View):
    """GET: the file, as a download under its original name. POST ``action=delete``: remove it; a
    refusal by the service is a 403."""

    def get_attachment(self, pk: int, attachment_pk: int) -> Attachment:
        attachment = selectors.attachment_get(engagement=self.get_engagement(pk), pk=attachment_pk)
        if attachment is None:
            raise Http404
        return attachment

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
        attachment = self.get_attachment(pk, attachment_pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=True, filename=attachment.name)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def post(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
        attachment = self.get_attachment(pk, attachment_pk)
        if request.POST.get("action") != "delete":
            raise Http404
        try:
            services.attachment_remove(attachment=attachment, actor=self.user)
        except DomainError as error:
            raise PermissionDenied(str(error.message)) from error
        messages.success(request, _("「%(name)s」を削除しました。") % {"name": attachment.name})
        return redirect(f"{reverse('engagements_console:detail', args=[pk])}#attachments")
