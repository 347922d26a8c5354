"""Factories of the accounts app: implementing organizations (the tenants) with their areas and privacy
policy, and users of each role.

The organizations are rows as a deployment holds them once set up, not a call of
``accounts.services.organization_setup``: that service (its slug and area rules, its audit entry) is
tested through the ``create_organization`` command, and as a fixture its audit entry would stand in the
audit log of every test. The other apps' people come with their own records: a member with the
company's member account (tests/community/factories.py), a partner with its support organization and an
expert with the expert profile (tests/network/factories.py)."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, OrganizationArea, User
from tests.content.factories import PrivacyPolicyFactory

PASSWORD = "correct-horse-battery"


class OrganizationFactory(DjangoModelFactory[Organization]):
    """An implementing organization with a current privacy policy (version 1.0; ``policy=None`` for
    none, ``policy__version=…`` for another) and the areas it serves (``areas=[("14100", "横浜市")]``;
    none by default, an area belongs to one organization only)."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"ITコーディネータ組織{n}")
    short_name = factory.Sequence(lambda n: f"ITC組織{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    policy = factory.RelatedFactory(PrivacyPolicyFactory, factory_related_name="organization")

    @factory.post_generation
    def areas(
        organization: Organization, create: bool, extracted: list[tuple[str, str]] | None, **kwargs: Any
    ) -> None:
        for code, name in extracted or ():
            OrganizationArea.objects.create(organization=organization, code=code, name=name)


class UserFactory(DjangoModelFactory[User]):
    """A user of a role (staff by default) in an organization, signing in with ``PASSWORD`` (``password=
    None``: no usable password)."""

    class Meta:
        model = User

    organization = factory.SubFactory(OrganizationFactory)
    role = Role.STAFF
    email = factory.LazyAttributeSequence(lambda u, n: f"{u.role}-{n}@{u.organization.slug}.example.jp")
    name = factory.LazyAttribute(lambda u: f"{u.organization.short_name} {u.role}")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        email, password = kwargs.pop("email"), kwargs.pop("password")
        return model_class.objects.create_user(email, password, **kwargs)


def make_user(
    organization: Organization, role: str = Role.STAFF, email: str | None = None, **extra: Any
) -> User:
    """Shorthand of ``UserFactory.create`` in the order the tests name a person: where, as what, who."""
    if email is not None:
        extra["email"] = email
    return UserFactory.create(organization=organization, role=role, **extra)
