"""The one 1–5 rating scale (ouentai.core.rating): its order and words, the values it accepts, the form
field (a radio group with a legend, each choice with its number and words) and how a stored rating is
shown."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from ouentai.core.forms import AccessibleFormMixin
from ouentai.core.rating import (
    RATING_VALUES,
    RatingField,
    rating_choices,
    rating_label,
    rating_stars,
    rating_text,
    rating_value,
)
from tests.rating import EXPECTED_SCALE, rating_group


class _Form(AccessibleFormMixin, forms.Form):
    rating = RatingField(label="満足度", help_text="いちばん近いものを選んでください。")
    optional = RatingField(label="講師の説明", required=False)


def test_one_order_and_one_set_of_words() -> None:
    assert RATING_VALUES == (1, 2, 3, 4, 5)
    assert [(str(value), label) for value, label in rating_choices()] == EXPECTED_SCALE
    assert rating_label(5) == "5 とても良い" and rating_label("1") == "1 良くない"
    assert rating_text(5) == "5 ／ 5（とても良い）" and rating_text(None) == ""
    assert rating_stars(4) == "★★★★☆" and rating_stars(None) == "☆☆☆☆☆"


@given(st.one_of(st.integers(), st.text(max_size=3), st.booleans(), st.none(), st.floats(allow_nan=False)))
def test_only_the_five_values_are_ratings(value: object) -> None:
    number = rating_value(value)
    assert number is None or number in RATING_VALUES
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        assert number == value
    if isinstance(value, bool | float) or value is None:
        assert number is None


def test_the_field_cleans_to_an_int_and_says_what_to_do() -> None:
    form = _Form({"rating": "5"})
    assert form.is_valid() and form.cleaned_data == {"rating": 5, "optional": None}
    form = _Form({})
    assert not form.is_valid()
    assert form.errors["rating"] == ["評価を1から5で選んでください。"] and "optional" not in form.errors
    form = _Form({"rating": "6"})
    assert not form.is_valid() and "rating" in form.errors


def test_rendered_as_a_radio_group_with_a_legend_and_each_choice_in_words() -> None:
    form = _Form({})
    form.is_valid()
    html = Template('{% for field in form %}{% include "partials/field.html" %}{% endfor %}').render(
        Context({"form": form})
    )
    group = rating_group(html, "rating")
    assert group.legend.startswith("満足度") and "必須" in group.legend
    assert group.choices == EXPECTED_SCALE
    assert rating_group(html, "optional").choices == EXPECTED_SCALE
    # The error and the help are announced with the group and marked on each choice.
    assert 'aria-describedby="id_rating_help id_rating_error"' in html
    assert html.count('aria-invalid="true"') == 5
    assert '<p class="error" id="id_rating_error">評価を1から5で選んでください。</p>' in html


def test_a_stored_rating_is_shown_with_stars_hidden_from_screen_readers() -> None:
    html = Template("{% load rating %}{{ value|rating }}").render(Context({"value": 5}))
    assert html == (
        '<span class="rating-value"><span class="rating-stars" aria-hidden="true">★★★★★</span> 5 ／ 5（とても良い）</span>'
    )
    assert Template("{% load rating %}{{ value|rating }}").render(Context({"value": None})) == "—"
