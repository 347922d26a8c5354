"""Hypothesis over the public forms (field trial: "0 5xx, nothing partially written"): any text in any
field, control characters, huge and negative numbers, very long input. Each submission either is
accepted whole (one record, its mails queued) or is refused with the form shown again (nothing written);
never a server error."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouentai.community.models import Application, Inquiry
from ouentai.core.models import OutgoingMail
from ouentai.portal.forms import ApplicationForm, InquiryForm
from tests.community.post_data import application_post_data, inquiry_post_data

pytestmark = pytest.mark.django_db

CONTROL = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\u202e", "\u2066", "\ufeff", "\r\n", "\t"])
HOSTILE = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.text(max_size=5), CONTROL), max_size=12).map("".join),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=0, max_value=10**12).map(lambda n: f"{n:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))),
    st.sampled_from(["", " ", "9" * 5000, "あ" * 5000, "=cmd|' /C calc'!A0", "<script>x</script>"]),
)  # fmt: skip
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _fields(form_class: type[Any]) -> list[str]:
    return [
        name for name in form_class.base_fields if name not in ("form_token", "policy_version", "website")
    ]


def _submit(url: str, data: dict[str, str], model: Any) -> None:
    before, mails = model.objects.count(), OutgoingMail.objects.count()
    client = Client(raise_request_exception=False)
    response = client.post(url, data)
    assert response.status_code < 500, (response.status_code, data)
    written = model.objects.count() - before
    if response.status_code == 302:
        assert written == 1
        assert OutgoingMail.objects.count() > mails
    else:
        assert response.status_code in (200, 400, 429)
        assert written == 0
        assert OutgoingMail.objects.count() == mails


@FUZZ
@given(data=st.data())
def test_application_form_never_fails_and_never_writes_half(yokohama: Any, data: st.DataObject) -> None:
    posted = application_post_data(form_token=str(uuid.uuid4()))
    for name in data.draw(st.lists(st.sampled_from(_fields(ApplicationForm)), min_size=1, max_size=4)):
        posted[name] = data.draw(HOSTILE)
    _submit(reverse("portal:apply"), posted, Application)


@FUZZ
@given(data=st.data())
def test_contact_form_never_fails_and_never_writes_half(yokohama: Any, data: st.DataObject) -> None:
    posted = inquiry_post_data()
    for name in data.draw(st.lists(st.sampled_from(_fields(InquiryForm)), min_size=1, max_size=4)):
        posted[name] = data.draw(HOSTILE)
    _submit(reverse("portal:contact"), posted, Inquiry)


@FUZZ
@given(stored=st.lists(st.one_of(HOSTILE, CONTROL), min_size=1, max_size=3).map("".join))
def test_whatever_a_visitor_typed_is_stored_without_control_characters(yokohama: Any, stored: str) -> None:
    posted = application_post_data(form_token=str(uuid.uuid4()), company_name=f"株式会社{stored}"[:200])
    Client().post(reverse("portal:apply"), posted)
    for application in Application.objects.all():
        for text in (application.company_name, application.contact_name, application.message):
            assert not any(ord(ch) < 0x20 and ch not in "\n\t" for ch in text)
            assert "\u202e" not in text and "\x7f" not in text
