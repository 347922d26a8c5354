"""Fixtures of the know-how tests: an expert and a partner (the support network's signed-in users) and
a member of 横浜, beside the shared organizations and console users."""

from __future__ import annotations

import pytest

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from tests.accounts.factories import make_user


@pytest.fixture
def expert_user(yokohama: Organization) -> User:
    return make_user(yokohama, Role.EXPERT, "expert@yokohama.example.jp", name="専門家 太郎")


@pytest.fixture
def partner_user(yokohama: Organization) -> User:
    return make_user(yokohama, Role.PARTNER, "partner@yokohama.example.jp", name="支援機関 花子")


@pytest.fixture
def member_user(yokohama: Organization) -> User:
    return make_user(yokohama, Role.MEMBER, "member@yokohama.example.jp", name="会員 一郎")
