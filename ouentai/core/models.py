"""Base models and the platform's own records: the audit log and outgoing mail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeStampedModel(models.Model):
    """created_at / updated_at on every domain record."""

    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        abstract = True


class OrganizationOwnedModel(TimeStampedModel):
    """A record that belongs to exactly one implementing organization (the tenant).

    Selectors always filter by ``organization``; nothing is read across organizations except the
    program office's aggregates.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織")
    )

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who did what to which record, written by the service that did it. Never edited or deleted by the
    application; shown on record pages."""

    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("組織")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("実行者")
    )
    action = models.CharField(_("操作"), max_length=100)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("対象の種類"))
    target_id = models.CharField(_("対象ID"), max_length=64)
    target_repr = models.CharField(_("対象"), max_length=200)
    details: models.JSONField[Any, Any] = models.JSONField(_("詳細"), default=dict, blank=True)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = pgettext_lazy("plural", "監査ログ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class OutgoingMail(models.Model):
    """A mail the platform has promised to send. Written in the same transaction as the record that
    caused it; the task worker delivers it and marks it sent, so it is sent at most once per success and
    is never lost when the mail server is down."""

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗")

    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("組織")
    )
    kind = models.CharField(_("種類"), max_length=60)
    to = models.CharField(_("宛先"), max_length=500)
    subject = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"))
    reply_to = models.CharField(_("返信先"), max_length=254, blank=True)
    headers: models.JSONField[Any, Any] = models.JSONField(_("追加のヘッダー"), default=dict, blank=True)
    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("関連する記録の種類")
    )
    related_id = models.CharField(_("関連する記録のID"), max_length=64, blank=True)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("送信試行回数"), default=0)
    last_error = models.TextField(_("最後のエラー"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("送信メール")
        verbose_name_plural = pgettext_lazy("plural", "送信メール")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["related_type", "related_id"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class OutgoingMailAttachment(models.Model):
    """A file sent with an outgoing mail (a calendar entry, a QR code): kept with the mail so that a retry
    or a re-send carries the same file."""

    mail = models.ForeignKey(
        OutgoingMail, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("送信メール")
    )
    filename = models.CharField(_("ファイル名"), max_length=200)
    mimetype = models.CharField(_("形式"), max_length=100)
    content = models.BinaryField(_("内容"))

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = pgettext_lazy("plural", "添付ファイル")

    def __str__(self) -> str:
        return self.filename


class SearchEntry(models.Model):
    """One searchable record of any app (``kind`` names it, e.g. "community.company"), written only
    through ``ouentai.core.search``: the normalized text of its title, secondary and body fields
    (values one per line) and the tokens the database indexes (a GIN index over ``tokens`` as a
    tsvector on PostgreSQL, the FTS5 table core_searchentry_fts on SQLite; both made by migration
    0006). A record has at most one entry per kind."""

    kind = models.CharField(_("種類"), max_length=50)
    object_id = models.BigIntegerField(_("対象ID"))
    organization_id = models.BigIntegerField(_("組織ID"), null=True, blank=True)
    title = models.TextField(_("検索の見出し"), blank=True)
    secondary = models.TextField(_("課題"), blank=True)
    body = models.TextField(_("本文"), blank=True)
    tokens = models.TextField(_("トークン"), blank=True)

    class Meta:
        verbose_name = _("検索索引")
        verbose_name_plural = _("検索索引")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="core_search_one_per_object")
        ]
        # The newest entries of one organization, for core.search.newest_hits' windows.
        indexes = [
            models.Index(fields=["kind", "organization_id", "object_id"], name="core_search_org_newest")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
