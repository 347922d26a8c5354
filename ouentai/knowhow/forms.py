"""Forms of the know-how library: they parse and normalize what people type; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ouentai.core.errors import DomainError
from ouentai.core.fields import FreeTextField, NameField
from ouentai.core.forms import AccessibleFormMixin
from ouentai.knowhow.choices import MAX_TAGS, ItemKind, Visibility
from ouentai.knowhow.selectors import ItemFilters
from ouentai.knowhow.services import ItemData, tags_parse

FILE_HELP = _("1ファイル20MBまで。入力に誤りがあったときは、ファイルをもう一度選んでください。")


class ItemForm(AccessibleFormMixin, forms.Form):
    """An item's text, kind, tags and visibility; on creation also its first file."""

    title = NameField(label=_("タイトル"), max_length=200)
    kind = forms.ChoiceField(label=_("種類"), choices=[("", "---------"), *ItemKind.choices])
    summary = FreeTextField(
        label=_("概要"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = FreeTextField(
        label=_("本文"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("使い方、気をつける点、教訓なら何が起きて次はどうするか。"),
    )
    tags = forms.CharField(
        label=_("タグ"),
        max_length=400,
        required=False,
        help_text=_("読点・カンマ・スペースで区切って%(max)s個まで（例：在庫、受発注、RFP）。")
        % {"max": MAX_TAGS},
    )
    visibility = forms.ChoiceField(
        label=_("公開範囲"),
        choices=Visibility.choices,
        initial=Visibility.ORGANIZATION,
        widget=forms.RadioSelect,
        help_text=_(
            "「すべての実施機関」は他の実施機関の職員と専門家・支援機関にも、「一般公開」は誰にでも見えます。"
        ),
    )
    file = forms.FileField(label=_("ファイル"), required=False, help_text=FILE_HELP)
    note = NameField(label=_("ファイルの説明"), max_length=200, required=False)

    def __init__(self, *args: Any, with_file: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_file:
            del self.fields["file"]
            del self.fields["note"]

    def clean_tags(self) -> tuple[str, ...]:
        try:
            return tags_parse(self.cleaned_data.get("tags", ""))
        except DomainError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from error

    def item_data(self) -> ItemData:
        data = self.cleaned_data
        return ItemData(
            kind=data["kind"],
            title=data["title"],
            summary=data.get("summary", ""),
            body=data.get("body", ""),
            tags=data.get("tags", ()),
            visibility=data["visibility"],
        )


class ItemFileForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(label=_("新しい版のファイル"), help_text=FILE_HELP)
    note = NameField(
        label=_("変更内容"), max_length=200, required=False, help_text=_("例：2026年度の様式に合わせて改訂")
    )


class ItemEngagementsForm(AccessibleFormMixin, forms.Form):
    engagements = forms.TypedMultipleChoiceField(
        label=_("使った支援案件"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engagements"].choices = choices  # type: ignore[attr-defined]


class ItemFilterForm(AccessibleFormMixin, forms.Form):
    """The list's search box and filters; an unknown value filters nothing (never an error page)."""

    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("種類"), required=False, choices=[("", _("すべて")), *ItemKind.choices])
    tag = forms.ChoiceField(label=_("タグ"), required=False)
    visibility = forms.ChoiceField(
        label=_("公開範囲"), required=False, choices=[("", _("すべて")), *Visibility.choices]
    )

    def __init__(self, *args: Any, tags: list[str], with_visibility: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("すべて")), *((name, name) for name in tags)]  # type: ignore[attr-defined]
        if not with_visibility:
            del self.fields["visibility"]

    def filters(self) -> ItemFilters:
        if not self.is_valid():
            # Keep what is valid: a stale tag or kind in a link must not lose the search words.
            values = {name: self.cleaned_data.get(name, "") for name in ("q", "kind", "tag", "visibility")}
        else:
            values = {
                name: self.cleaned_data.get(name, "") or "" for name in ("q", "kind", "tag", "visibility")
            }
        return ItemFilters(**{name: value or "" for name, value in values.items()})
