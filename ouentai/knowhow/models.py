"""The know-how library (ノウハウ): templates and lessons learned that an organization shares with
itself, with every organization on the platform, or with the public; each item keeps every version of
its file, and may name the engagements it was used in."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.core.models import OrganizationOwnedModel
from ouentai.knowhow.choices import ItemKind, Visibility


class Tag(models.Model):
    """A tag name, normalized (services.tags_parse), shared by every organization's items. A tag is only
    ever listed through the items a person may see."""

    name = models.CharField(_("タグ"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("タグ")
        verbose_name_plural = pgettext_lazy("plural", "タグ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Item(OrganizationOwnedModel):
    """A template (計画書のひな形, チェックリスト, RFP, セミナー資料) or a lesson learned (教訓). Its visibility
    decides who may see it (selectors.item_visible_q); only console users of its organization may change
    it (services.item_may_edit). Written only through ouentai.knowhow.services, which keeps its search
    entry ("knowhow.item") and the audit log in step."""

    kind = models.CharField(_("種類"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("タイトル"), max_length=200)
    summary = models.TextField(_("概要"), max_length=1000, blank=True)
    body = models.TextField(_("本文"), max_length=20000, blank=True)
    visibility = models.CharField(
        _("公開範囲"), max_length=20, choices=Visibility.choices, default=Visibility.ORGANIZATION
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("作成者"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="items", verbose_name=_("タグ"))
    engagements = models.ManyToManyField(
        "engagements.Engagement", blank=True, related_name="+", verbose_name=_("使った支援案件")
    )

    class Meta:
        verbose_name = _("ノウハウ")
        verbose_name_plural = pgettext_lazy("plural", "ノウハウ")
        indexes = [models.Index(fields=["visibility", "-updated_at"])]

    def __str__(self) -> str:
        return self.title


def item_file_path(instance: ItemFile, filename: str) -> str:
    # A random folder per file: names stay as uploaded, paths cannot be guessed.
    return f"knowhow/{instance.item.organization_id}/{uuid.uuid4().hex}/{filename}"


class ItemFile(models.Model):
    """One version of an item's file (1, 2, …): a new upload adds a version and keeps the earlier ones;
    the highest number is the one downloaded by default. Served only through views that check the
    item's visibility, never from a public media address."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="files", verbose_name=_("ノウハウ"))
    number = models.PositiveIntegerField(_("版"))
    file = models.FileField(_("ファイル"), upload_to=item_file_path, max_length=300)
    name = models.CharField(_("ファイル名"), max_length=200)
    size = models.PositiveBigIntegerField(_("サイズ"), default=0)
    note = models.CharField(_("変更内容"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登録者"),
    )
    uploaded_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("ノウハウのファイル")
        verbose_name_plural = pgettext_lazy("plural", "ノウハウのファイル")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="knowhow_file_one_number")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"
