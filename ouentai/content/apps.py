from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "ouentai.content"
    label = "content"
    verbose_name = _("公開コンテンツ")
