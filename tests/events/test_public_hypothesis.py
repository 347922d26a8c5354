"""Hypothesis over the public event registration form (field trial: "0 5xx, nothing partially
written"): arbitrary text in any field; each submission registers one person or shows the form again,
and the event's registration export still works afterwards."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ouentai.events.models import Registration
from tests.events.post_data import registration_post_data
from tests.portal.test_public_forms_hypothesis import HOSTILE

pytestmark = pytest.mark.django_db

FIELDS = ["name", "furigana", "company_name", "email", "phone", "consent", "policy_version"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_registration_form_never_fails_and_never_writes_half(
    event: Any, staff: Any, data: st.DataObject
) -> None:
    posted = registration_post_data()
    for name in data.draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3)):
        posted[name] = data.draw(HOSTILE)
    # Each example is another person: a fresh address unless the example replaced it.
    if posted["email"] == "tanaka@minato-seiki.example.jp":
        posted["email"] = f"p{Registration.objects.count()}-{data.draw(st.integers(0, 10**9))}@example.jp"
    before = Registration.objects.count()
    response = Client(raise_request_exception=False).post(reverse("events:register", args=[event.pk]), posted)
    assert response.status_code < 500, (response.status_code, posted)
    written = Registration.objects.count() - before
    assert written == (1 if response.status_code == 302 else 0)

    staff_client = Client()
    staff_client.force_login(staff)
    export = staff_client.get(reverse("events_console:export", args=[event.pk, "xlsx"]))
    assert export.status_code == 200
    content = b"".join(export.streaming_content) if export.streaming else export.getvalue()  # type: ignore[attr-defined]
    load_workbook(io.BytesIO(content))
