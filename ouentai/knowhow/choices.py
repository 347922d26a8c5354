"""Vocabularies of the know-how library: what an item is, who may see it, and the audit log's words."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ItemKind(models.TextChoices):
    PLAN_TEMPLATE = "plan_template", _("計画書のひな形")
    CHECKLIST = "checklist", _("チェックリスト")
    RFP = "rfp", _("RFP（提案依頼書）")
    SEMINAR = "seminar", _("セミナー資料")
    LESSON = "lesson", _("教訓")


class Visibility(models.TextChoices):
    """Who may see an item: its own organization's console users only; every organization's console
    users (and the support network's experts and partners); or anyone, on the public pages."""

    ORGANIZATION = "organization", _("自組織のみ")
    PLATFORM = "platform", _("すべての実施機関")
    PUBLIC = "public", _("一般公開")


# Visible beyond the item's own organization.
SHARED = frozenset({Visibility.PLATFORM, Visibility.PUBLIC})

# At most this many tags on an item, each at most this long (after normalization).
MAX_TAGS = 10
MAX_TAG_LENGTH = 30

AUDIT_ACTIONS = {
    "knowhow.item.created": pgettext_lazy("audit", "ノウハウを登録"),
    "knowhow.item.updated": pgettext_lazy("audit", "ノウハウを更新"),
    "knowhow.item.visibility_changed": pgettext_lazy("audit", "ノウハウの公開範囲を変更"),
    "knowhow.item.file_added": pgettext_lazy("audit", "ノウハウのファイルを登録"),
    "knowhow.item.engagements_set": pgettext_lazy("audit", "ノウハウを使った支援案件を設定"),
    "knowhow.item.deleted": pgettext_lazy("audit", "ノウハウを削除"),
}
