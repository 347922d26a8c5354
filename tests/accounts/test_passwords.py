"""Choosing a password by mail: forgotten passwords, and the first password of an expert's login."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from ouentai.accounts.models import User
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "yokohama-minato-2026-kaizen"


def link_in(body: str) -> str:
    found = re.search(r"/accounts/password/[^/\s]+/[^/\s]+/", body)
    assert found is not None, body
    return found.group(0)


def test_forgotten_password_by_mail(client, staff, run_queued_tasks):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "パスワードを忘れた方" in page
    response = client.post(reverse("accounts:password_reset"), {"email": staff.email})
    assert response.status_code == 302
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == [staff.email] and "パスワードの再設定" in message.subject
    form = client.get(link_in(str(message.body)), follow=True)
    assert "パスワードを決める" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert client.login(username=staff.email, password=NEW_PASSWORD)
    assert not client.login(username=staff.email, password=PASSWORD)
    # The link works once.
    again = client.get(link_in(str(message.body)), follow=True).content.decode()
    assert "使用済みか、有効期限が切れています" in again


def test_unknown_address_gets_the_same_answer_and_no_mail(client, yokohama, run_queued_tasks):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.jp"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    run_queued_tasks()
    assert mail.outbox == []


def test_expert_login_created_by_staff_gets_a_first_password_link(client, yokohama, staff, run_queued_tasks):
    from ouentai.network.services import directory

    _expert, created = directory.expert_save(
        organization=yokohama,
        data=directory.ExpertData(name="新人 専門家", email="newexpert@example.jp", create_login=True),
        actor=staff,
    )
    assert created is not None and not created.has_usable_password()
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["newexpert@example.jp"] and "パスワードを設定" in message.subject
    form = client.get(link_in(str(message.body)), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user = User.objects.get(email="newexpert@example.jp")
    assert user.has_usable_password()
    assert client.login(username=user.email, password=NEW_PASSWORD)


def test_account_without_a_password_can_ask_again(client, yokohama, staff, run_queued_tasks):
    from ouentai.network.services import directory

    directory.expert_save(
        organization=yokohama,
        data=directory.ExpertData(name="遅れた 専門家", email="late@example.jp", create_login=True),
        actor=staff,
    )
    run_queued_tasks()
    mail.outbox.clear()
    client.post(reverse("accounts:password_reset"), {"email": "LATE@example.jp"})
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["late@example.jp"] and "パスワードを設定" in message.subject


def test_one_address_gets_at_most_three_links_an_hour(client, staff, run_queued_tasks):
    for _ in range(5):
        client.post(reverse("accounts:password_reset"), {"email": staff.email})
    run_queued_tasks()
    assert len(mail.outbox) == 3
