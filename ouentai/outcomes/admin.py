from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ouentai.core.forms import AccessibleFormMixin
from ouentai.outcomes.choices import MANUAL
from ouentai.outcomes.indicators import RULES
from ouentai.outcomes.models import Indicator


class IndicatorForm(AccessibleFormMixin, forms.ModelForm):
    rule = forms.ChoiceField(label=_("集計方法"))
    position = forms.IntegerField(label=_("表示順"), min_value=0, max_value=32767, initial=0)

    class Meta:
        model = Indicator
        fields = ["key", "name", "unit", "definition", "rule", "position", "active"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        rule = self.fields["rule"]
        assert isinstance(rule, forms.ChoiceField)
        rule.choices = [
            (MANUAL, _("手入力")),
            *((key, rule.label) for key, rule in RULES.items()),
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("rule") == MANUAL and not (data.get("name") and data.get("definition")):
            raise forms.ValidationError(_("手入力の指標には、指標名と数え方が必要です。"))
        return data


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The program's indicators are shared by every organization: only the platform's administrators
    add manual ones or switch them on and off. Targets and results are set in the console."""

    form = IndicatorForm
    list_display = ["key", "name", "unit", "rule", "position", "active"]
    list_editable = ["position", "active"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
