"""One rating scale for the whole product: every question answered from 1 to 5 (a company rating an
expert dispatch, staff recording that rating on the company's behalf, events' 5-point registration and
survey questions) is asked with the same field and shown with the same words.

The scale runs from 1 on the left (or top) to 5 on the right (or bottom), 5 being the best, and every
choice shows its number and its words (「5 とても良い」), so that someone who learned one form cannot
pick the wrong end of another. Stored ratings are plain integers 1–5.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The values in the order every form shows them.
RATING_VALUES: tuple[int, ...] = (1, 2, 3, 4, 5)
RATING_MAX = RATING_VALUES[-1]
RATING_WORDS = {
    1: _("良くない"),
    2: _("あまり良くない"),
    3: _("ふつう"),
    4: _("良い"),
    5: _("とても良い"),
}
RATING_REQUIRED = _("評価を1から5で選んでください。")


def rating_value(value: Any) -> int | None:
    """The rating as an integer of the scale, or None for anything else (a stored "5" counts as 5;
    True, 0, 6, 4.5 and "５" do not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in RATING_VALUES else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return rating_value(int(value))
    return None


def rating_valid(value: Any) -> bool:
    return rating_value(value) is not None


def rating_words(value: Any) -> str:
    """「とても良い」 for 5; "" outside the scale."""
    number = rating_value(value)
    return str(RATING_WORDS[number]) if number is not None else ""


def rating_label(value: Any) -> str:
    """A choice as forms show it: 「5 とても良い」."""
    number = rating_value(value)
    return f"{number} {RATING_WORDS[number]}" if number is not None else ""


def rating_text(value: Any) -> str:
    """A stored rating as pages show it: 「5 ／ 5（とても良い）」; "" when there is none."""
    number = rating_value(value)
    if number is None:
        return ""
    return gettext("%(n)s ／ %(max)s（%(words)s）") % {
        "n": number,
        "max": RATING_MAX,
        "words": RATING_WORDS[number],
    }


def rating_stars(value: Any) -> str:
    """★★★★☆ for 4 (decoration beside rating_text, hidden from screen readers)."""
    number = rating_value(value) or 0
    return "★" * number + "☆" * (RATING_MAX - number)


def rating_html(value: Any) -> SafeString:
    """Stars (hidden from screen readers) and the words: what every page shows for a stored rating."""
    if rating_value(value) is None:
        return format_html("{}", "—")
    return format_html(
        '<span class="rating-value"><span class="rating-stars" aria-hidden="true">{}</span> {}</span>',
        rating_stars(value),
        rating_text(value),
    )


def rating_choices() -> list[tuple[int, str]]:
    return [(number, rating_label(number)) for number in RATING_VALUES]


class RatingWidget(forms.RadioSelect):
    """Radio buttons in the scale's order, each label showing the number and the words. Rendered inside
    a fieldset whose legend is the question (RatingField.template_name); arrow keys move between the
    choices as in any radio group."""

    template_name = "core/widgets/rating.html"
    option_template_name = "core/widgets/rating_option.html"


class RatingField(forms.TypedChoiceField):
    """A 1–5 rating: cleans to an int (None when optional and left empty). An empty required answer
    says 「評価を1から5で選んでください。」 whatever the form's own messages."""

    widget = RatingWidget

    def __init__(self, *, label: Any, required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "core/rating_field.html")
        super().__init__(
            label=label,
            required=required,
            choices=rating_choices,
            coerce=int,
            empty_value=None,
            **kwargs,
        )

    def validate(self, value: Any) -> None:
        if self.required and value in self.empty_values:
            raise ValidationError(RATING_REQUIRED, code="required")
        super().validate(value)
