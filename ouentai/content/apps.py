from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "ouentai.content"
    label = "content"
    verbose_name = _("公開コンテンツ")

    def ready(self) -> None:
        from ouentai.core.audit import register_action_labels

        register_action_labels(
            {
                "content.faq.created": _("Q&Aを追加"),
                "content.faq.updated": _("Q&Aを編集"),
                "content.faq.moved": _("Q&Aを並べ替え"),
                "content.faq.deleted": _("Q&Aを削除"),
            }
        )
