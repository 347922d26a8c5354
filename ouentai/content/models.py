"""Editable public content: Q&A entries, news and the privacy policy, per organization."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.core.models import OrganizationOwnedModel


class FaqEntry(OrganizationOwnedModel):
    """One question and its answer on the organization's public Q&A page. An entry whose answer is empty
    is never published, whatever its flag says. Entries of the organization that speaks for the program
    marked ``is_program_wide`` are also the program-wide Q&A at /faq/."""

    question = models.CharField(_("質問"), max_length=300)
    answer = models.TextField(_("回答"), blank=True)
    position = models.PositiveIntegerField(_("表示順"), default=0)
    is_published = models.BooleanField(_("公開する"), default=True)
    is_program_wide = models.BooleanField(
        _("事業全体のページにも掲載する"),
        default=False,
        help_text=_("サイトを代表する組織の項目だけが、トップ（事業全体）のページにも表示されます。"),
    )
    source_inquiry = models.ForeignKey(
        "community.Inquiry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name=_("元のお問い合わせ"),
    )

    class Meta:
        verbose_name = _("Q&A")
        verbose_name_plural = pgettext_lazy("plural", "Q&A")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["organization", "position"])]

    def __str__(self) -> str:
        return self.question

    @property
    def is_visible(self) -> bool:
        return self.is_published and bool(self.answer.strip())


class NewsItem(OrganizationOwnedModel):
    """A dated announcement (お知らせ) on the organization's public pages (and on the program-wide pages
    when marked ``is_program_wide`` by the organization that speaks for the program)."""

    title = models.CharField(_("タイトル"), max_length=200)
    body = models.TextField(_("本文"))
    published_on = models.DateField(_("掲載日"))
    is_published = models.BooleanField(_("公開する"), default=True)
    is_program_wide = models.BooleanField(
        _("事業全体のページにも掲載する"),
        default=False,
        help_text=_("サイトを代表する組織の項目だけが、トップ（事業全体）のページにも表示されます。"),
    )

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = pgettext_lazy("plural", "お知らせ")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class PrivacyPolicy(OrganizationOwnedModel):
    """A version of the privacy policy (個人情報の取扱い). Consent given on a form records the version in
    force; a new version is a new row, never an edit of one that people have agreed to."""

    version = models.CharField(_("版"), max_length=20)
    effective_on = models.DateField(_("施行日"))
    body = models.TextField(_("本文"))
    is_current = models.BooleanField(_("現行版"), default=False)

    class Meta:
        verbose_name = _("個人情報の取扱い")
        verbose_name_plural = pgettext_lazy("plural", "個人情報の取扱い")
        ordering = ["-effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "version"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_current=True), name="one_current_policy"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.effective_on:%Y-%m-%d})"
