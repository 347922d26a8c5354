"""Behaviour that operators rely on: rate-limit addresses behind proxies, a deployment not set up yet,
and setting up an organization from the command line."""

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Application
from ouentai.core.models import AuditEntry
from ouentai.core.ratelimit import client_address
from tests.community.post_data import application_post_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("proxies", "meta", "address"),
    [
        (
            0,
            {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "1.2.3.4"},
            "203.0.113.5",
        ),  # header ignored
        (1, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}, "198.51.100.7"),
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.0.0.9"}, "198.51.100.7"),
        (1, {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
        (0, {"REMOTE_ADDR": ""}, "unknown"),  # a Unix socket: still a key, never an error
        (0, {"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::/64"),
    ],
)
def test_client_address(proxies, meta, address):
    request = RequestFactory().post("/apply/", **meta)
    with override_settings(OUENTAI_TRUSTED_PROXIES=proxies):
        assert client_address("portal", request) == address


def test_clients_behind_one_proxy_have_their_own_budgets(client, yokohama, settings):
    settings.OUENTAI_PUBLIC_FORM_RATE = "1/m"
    settings.OUENTAI_TRUSTED_PROXIES = 1
    first = client.post("/apply/", application_post_data(), HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = client.post(
        "/apply/", application_post_data(email="b@example.jp"), HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    third = client.post(
        "/apply/", application_post_data(email="c@example.jp"), HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert (first.status_code, second.status_code, third.status_code) == (302, 302, 429)
    assert Application.objects.count() == 2


def test_a_deployment_without_organizations_says_it_is_not_ready(client):
    for url in ("/", "/apply/", "/faq/"):
        response = client.get(url)
        assert response.status_code == 503
        assert "準備中です" in response.content.decode()


def test_create_organization_command(client, monkeypatch):
    monkeypatch.setenv("OUENTAI_ADMIN_PASSWORD", "a-long-enough-passphrase")
    call_command(
        "create_organization", "--slug", "yokohama", "--name", "ITコーディネータ横浜", "--short-name", "ITC横浜",
        "--area", "14100:横浜市", "--default", "--admin-email", "admin@itc.example.jp", "--admin-name", "横浜 太郎",
    )  # fmt: skip
    org = Organization.objects.get(slug="yokohama")
    assert org.is_default and list(org.areas.values_list("code", "name")) == [("14100", "横浜市")]
    admin = User.objects.get(email="admin@itc.example.jp")
    assert admin.role == "org_admin" and admin.is_staff and admin.check_password("a-long-enough-passphrase")
    assert client.get("/").status_code == 200
    with pytest.raises(CommandError):
        call_command(
            "create_organization", "--slug", "k", "--name", "x", "--short-name", "x", "--area", "14100:横浜市"
        )
    with pytest.raises(CommandError):
        call_command(
            "create_organization", "--slug", "k", "--name", "x", "--short-name", "x", "--area", "横浜"
        )
    assert not Organization.objects.filter(slug="k").exists()  # a refused area writes nothing
    entry = AuditEntry.objects.get(action="accounts.organization.set_up")
    assert entry.target_id == str(org.pk) and entry.actor is None
    assert entry.details["admin"] == "admin@itc.example.jp" and entry.details["areas"] == ["14100"]


def test_create_organization_refuses_a_weak_password_and_a_bad_slug(monkeypatch):
    monkeypatch.setenv("OUENTAI_ADMIN_PASSWORD", "1234")
    with pytest.raises(CommandError):
        call_command(
            "create_organization",
            "--slug",
            "k",
            "--name",
            "x",
            "--short-name",
            "x",
            "--admin-email",
            "a@b.jp",
        )
    with pytest.raises(CommandError, match="識別名"):
        call_command("create_organization", "--slug", "Kawasaki!", "--name", "x", "--short-name", "x")
    assert not Organization.objects.exists() and not User.objects.exists()
