from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowhowConfig(AppConfig):
    name = "ouentai.knowhow"
    label = "knowhow"
    verbose_name = _("ノウハウ")

    def ready(self) -> None:
        from ouentai.core.audit import register_action_labels, register_detail_labels
        from ouentai.core.search import register_kind
        from ouentai.knowhow.choices import AUDIT_ACTIONS, ItemKind, Visibility
        from ouentai.knowhow.selectors import ITEM_SEARCH_KIND, item_documents

        register_action_labels(AUDIT_ACTIONS)
        register_detail_labels(
            keys={
                "kind": _("種類"),
                "visibility": _("公開範囲"),
                "tags": _("タグ"),
                "number": _("ファイルの版"),
                "file": _("ファイル"),
                "files": _("ファイルの数"),
                "title": _("タイトル"),
                "added": _("追加"),
                "removed": _("解除"),
            },
            values=[
                ("knowhow.", "kind", ItemKind),
                ("knowhow.", "visibility", Visibility),
                ("knowhow.", "from", Visibility),
                ("knowhow.", "to", Visibility),
            ],
            references=[
                ("knowhow.", "added", "engagements.Engagement"),
                ("knowhow.", "removed", "engagements.Engagement"),
            ],
        )
        register_kind(ITEM_SEARCH_KIND, item_documents)
