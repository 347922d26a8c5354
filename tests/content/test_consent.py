"""One consent rule for every public form that collects personal data (issue 12): the same service
function, the same codes and the same block on the page, for applications, inquiries and event
registrations."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from ouentai.community.models import Application
from ouentai.community.services import application_submit
from ouentai.content.models import PrivacyPolicy
from ouentai.content.services import privacy_consent_check
from ouentai.core.errors import DomainError
from ouentai.events import services as event_services
from ouentai.events.models import Registration
from tests.community.factories import APPLICATION
from tests.community.post_data import application_post_data
from tests.content.factories import PrivacyPolicyFactory
from tests.events.factories import make_event
from tests.events.post_data import registration_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(yokohama, staff):
    return make_event(yokohama, staff)


@pytest.fixture
def policy(yokohama):
    return PrivacyPolicy.objects.get(organization=yokohama, is_current=True)


CASES = [
    ({"policy": None}, "consent.policy_missing", None),
    ({"consent": False}, "consent.required", "consent"),
    ({"policy_version": "0.9"}, "consent.outdated", "consent"),
    ({"policy_version": ""}, "consent.outdated", "consent"),
]


@pytest.mark.parametrize(("overrides", "code", "field"), CASES)
def test_the_rule_refuses_with_consent_codes(policy, overrides, code, field):
    kwargs = {"policy": policy, "consent": True, "policy_version": "1.0", **overrides}
    with pytest.raises(DomainError) as caught:
        privacy_consent_check(**kwargs)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_the_rule_returns_the_policy_agreed_to(policy):
    assert privacy_consent_check(policy=policy, consent=True, policy_version="1.0") == policy


@pytest.mark.parametrize(("overrides", "code", "field"), CASES)
def test_applications_and_event_registrations_follow_the_same_rule(policy, event, overrides, code, field):
    kwargs = {"policy": policy, "consent": True, "policy_version": "1.0", **overrides}
    with pytest.raises(DomainError) as from_application:
        application_submit(data=APPLICATION, token=uuid.uuid4(), **kwargs)
    with pytest.raises(DomainError) as from_registration:
        event_services.registration_create(
            event=event,
            data=event_services.RegistrationData(
                name="田中 誠", name_kana="", company_name="", email="tanaka@example.jp", phone="", answers={}
            ),
            **kwargs,
        )
    assert from_application.value.code == from_registration.value.code == code
    assert str(from_application.value.message) == str(from_registration.value.message)
    assert Application.objects.count() == Registration.objects.count() == 0


def test_staff_registrations_record_no_consent(policy, event, staff):
    registration = event_services.registration_create(
        event=event,
        data=event_services.RegistrationData(
            name="田中 誠", name_kana="", company_name="", email="tanaka@example.jp", phone="", answers={}
        ),
        actor=staff,
        source="console",
        policy=policy,
    )
    assert (registration.privacy_policy_version, registration.consented_at) == ("", None)


def _new_policy(organization):
    return PrivacyPolicyFactory.create(
        organization=organization, version="2.0", effective_on=dt.date(2026, 12, 1), body="新しい方針"
    )


def test_event_form_asks_again_when_the_policy_changed_while_open(client, yokohama, event):
    _new_policy(yokohama)
    response = client.post(
        reverse("events:register", args=[event.pk]),
        registration_post_data(company_name="", email="tanaka@example.jp", phone=""),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "個人情報の取扱いが更新されました" in html
    assert 'name="policy_version" value="2.0"' in html
    consent_input = html.split('name="consent"')[1].split(">")[0]
    assert "checked" not in consent_input
    assert Registration.objects.count() == 0


def test_application_form_asks_again_the_same_way(client, yokohama):
    _new_policy(yokohama)
    response = client.post(reverse("portal:apply"), application_post_data(policy_version="1.0"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "個人情報の取扱いが更新されました" in html
    assert 'name="policy_version" value="2.0"' in html


def test_every_public_form_shows_the_one_consent_block(client, yokohama, event):
    pages = [
        client.get(reverse("portal:apply")).content.decode(),
        client.get(reverse("portal:contact")).content.decode(),
        client.get(reverse("events:detail", args=[event.pk])).content.decode(),
    ]
    for html in pages:
        assert html.count('class="consent-box"') == 1
        assert "個人情報の取扱いの全文を読む（新しいタブ）" in html
        assert "（第1.0版）" in html
