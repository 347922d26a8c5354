from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContentConfig(AppConfig):
    name = "ouentai.content"
    label = "content"
    verbose_name = _("公開コンテンツ")

    def ready(self) -> None:
        from ouentai.core.audit import register_action_labels, register_detail_labels

        register_action_labels(
            {
                "content.faq.created": pgettext_lazy("audit", "Q&Aを追加"),
                "content.faq.updated": pgettext_lazy("audit", "Q&Aを編集"),
                "content.faq.moved": pgettext_lazy("audit", "Q&Aを並べ替え"),
                "content.faq.deleted": pgettext_lazy("audit", "Q&Aを削除"),
            }
        )

        def direction_words(value: object) -> str:
            return str(_("上へ") if value == -1 else _("下へ"))

        register_detail_labels(keys={"direction": _("移動")}, formats={"direction": direction_words})
