"""The support network's record pages show their audit trail in words (issue 11, defect 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from ouentai.core.audit import audit_record
from tests.core.test_audit_pages import assert_in_words
from tests.network.factories import DispatchFactory

pytestmark = pytest.mark.django_db


def test_dispatch_page(client, yokohama, staff, sme, scheme):
    request = DispatchFactory.create(
        organization=yokohama,
        company=sme,
        scheme=scheme,
        theme="management",
        requested_visits=2,
        first_preferred_on=dt.date.today(),
        actor=staff,
        submit=True,
    )
    client.force_login(staff)
    html = client.get(f"/console/network/dispatches/{request.pk}/").content.decode()
    assert_in_words(html, "派遣申請を作成", "派遣申請を提出", "変更前：")


def test_expert_page(client, yokohama, staff, expert):
    audit_record(
        actor=staff,
        action="network.expert.saved",
        target=expert,
        details={
            "created": False,
            "skills": ["会計"],
            "qualifications": 1,
            "login": "",
            "login_created": False,
        },
    )
    client.force_login(staff)
    html = client.get(f"/console/network/experts/{expert.pk}/").content.decode()
    assert_in_words(html, "専門家を保存", "スキル：会計", "資格の数：1")


def test_support_organization_page(client, yokohama, staff, support_org, scheme):
    audit_record(
        actor=staff,
        action="network.organization.saved",
        target=support_org,
        details={"created": True, "contacts": 2, "key_persons": 0},
    )
    client.force_login(staff)
    html = client.get(f"/console/network/organizations/{support_org.pk}/").content.decode()
    assert_in_words(html, "支援機関を保存", "新規作成：はい", "担当者：2")
