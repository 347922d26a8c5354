"""Accessible forms: a message added after validation (a service's refusal) is announced too."""

from django import forms

from ouentai.core.forms import AccessibleFormMixin


class VisitsForm(AccessibleFormMixin, forms.Form):
    visits = forms.IntegerField(label="訪問回数", help_text="1回2時間です。")


def test_error_added_after_validation_is_described_and_marked_invalid():
    form = VisitsForm({"visits": "6"})
    assert form.is_valid()
    widget = form.fields["visits"].widget
    assert "aria-invalid" not in widget.attrs
    assert widget.attrs["aria-describedby"] == "id_visits_help"
    form.add_error("visits", "残りは5回です。")
    assert widget.attrs["aria-invalid"] == "true"
    assert widget.attrs["aria-describedby"] == "id_visits_help id_visits_error"
    assert 'aria-describedby="id_visits_help id_visits_error"' in str(form["visits"])


def test_non_field_error_after_validation_changes_no_field():
    form = VisitsForm({"visits": "2"})
    assert form.is_valid()
    form.add_error(None, "受付期間外です。")
    assert "aria-invalid" not in form.fields["visits"].widget.attrs
