"""Console pages of newsletters (案内メール): the list, writing a draft, the draft's preview and test send,
and the start of sending, which takes an explicit confirmation naming the audience and its size."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community import services
from ouentai.community.forms import NewsletterForm
from ouentai.community.models import Newsletter
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import int_param


class NewsletterListView(ConsoleMixin, View):
    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        newsletters = Newsletter.objects.filter(organization=self.organization).select_related(
            "segment", "created_by"
        )
        return render(request, "community/newsletter_list.html", {"newsletters": newsletters[:100]})


class NewsletterEditView(ConsoleMixin, View):
    """Write or change a draft newsletter."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get_newsletter(self, pk: int | None) -> Newsletter | None:
        if not pk:
            return None
        return get_object_or_404(
            Newsletter.objects.select_related("segment"), organization=self.organization, pk=pk
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        newsletter = self.get_newsletter(pk)
        segment_gone = (
            newsletter is not None and newsletter.segment is not None and newsletter.segment.deleted_at
        )
        initial = (
            {"subject": newsletter.subject, "body": newsletter.body,
             "segment": None if segment_gone else newsletter.segment_id, "per_minute": newsletter.per_minute}
            if newsletter
            else None
        )  # fmt: skip
        form = NewsletterForm(initial=initial, organization=self.organization)
        notice = ""
        if segment_gone and newsletter is not None and newsletter.segment is not None:
            notice = _("宛先だったセグメント「%(name)s」は削除されました。宛先を選び直してください。") % {
                "name": newsletter.segment.name
            }
        return render(
            request,
            "community/newsletter_form.html",
            {"form": form, "newsletter": newsletter, "segment_notice": notice},
        )

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        newsletter = self.get_newsletter(pk)
        form = NewsletterForm(request.POST, organization=self.organization)
        if form.is_valid():
            d = form.cleaned_data
            try:
                newsletter = services.newsletter_save(
                    organization=self.organization, newsletter=newsletter, subject=d["subject"], body=d["body"],
                    segment=d["segment"], per_minute=d["per_minute"], actor=self.user,
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("下書きを保存しました。"))
                return redirect("community:newsletter_detail", pk=newsletter.pk)
        context = {"form": form, "newsletter": newsletter}
        return render(request, "community/newsletter_form.html", context, status=400)


def _audience_context(newsletter: Newsletter) -> dict[str, object]:
    audience = services.newsletter_audience(organization=newsletter.organization, segment=newsletter.segment)
    sample = services.newsletter_sample(newsletter)
    return {
        "newsletter": newsletter,
        "audience_count": audience.count(),
        "sample": sample,
        "sample_is_real": sample.pk is not None,
        "preview": services.newsletter_preview(newsletter, sample),
        "segment_deleted": newsletter.segment is not None and newsletter.segment.deleted_at is not None,
    }


class NewsletterDetailView(ConsoleMixin, View):
    """Preview as the first recipient sees it, the audience and its size, a test send to oneself (always
    possible), and the way to the confirmation that starts sending."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get_newsletter(self, pk: int) -> Newsletter:
        return get_object_or_404(
            Newsletter.objects.select_related("segment", "organization"),
            organization=self.organization,
            pk=pk,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "community/newsletter_detail.html", _audience_context(self.get_newsletter(pk)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        newsletter = self.get_newsletter(pk)
        if request.POST.get("action") == "start":  # starting always goes through the confirmation
            return redirect("community:newsletter_send", pk=newsletter.pk)
        try:
            services.newsletter_test_send(newsletter=newsletter, actor=self.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("%(email)s にテスト送信しました。") % {"email": self.user.email})
        return redirect("community:newsletter_detail", pk=newsletter.pk)


class NewsletterSendView(ConsoleMixin, View):
    """The explicit step before sending: the page names the audience and the number of recipients; the
    button sends to exactly that number (if the audience changed meanwhile, nothing is sent)."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get_newsletter(self, pk: int) -> Newsletter:
        return get_object_or_404(
            Newsletter.objects.select_related("segment", "organization"),
            organization=self.organization,
            pk=pk,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        newsletter = self.get_newsletter(pk)
        if newsletter.status != Newsletter.Status.DRAFT:
            return redirect("community:newsletter_detail", pk=newsletter.pk)
        return render(request, "community/newsletter_send.html", _audience_context(newsletter))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        newsletter = self.get_newsletter(pk)
        try:
            newsletter = services.newsletter_start(
                newsletter=newsletter,
                actor=self.user,
                confirmed_recipients=int_param(request.POST.get("recipients")),
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            if error.code in ("newsletter.audience_changed",):
                return redirect("community:newsletter_send", pk=newsletter.pk)
            return redirect("community:newsletter_detail", pk=newsletter.pk)
        messages.success(request, _("%(count)s人への配信を始めました。") % {"count": newsletter.recipients})
        return redirect("community:newsletter_detail", pk=newsletter.pk)
