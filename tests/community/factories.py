"""Factories of the community app: companies and contacts (through company_create and contact_create,
which derive the legal form, the SME fields and the search keys), applications and inquiries as the
public forms hand them to the service, and member accounts.

What a person types into the public forms is in tests/community/post_data.py."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import factory
from factory.django import DjangoModelFactory

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Application, Company, Contact, Inquiry, MemberAccount
from ouentai.community.services import (
    ApplicationData,
    CompanyData,
    ContactData,
    InquiryData,
    application_submit,
    company_create,
    contact_create,
    inquiry_submit,
)
from ouentai.content.models import PrivacyPolicy
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.community.post_data import application_post_data, inquiry_post_data
from tests.factories import ServiceFactory

__all__ = [
    "APPLICATION",
    "INQUIRY",
    "ApplicationFactory",
    "CompanyFactory",
    "ContactFactory",
    "InquiryFactory",
    "MemberFactory",
    "application_post_data",
    "inquiry_post_data",
]

Item = TypeVar("Item", Application, Inquiry)

# What the application form hands the service once it has normalized the input (ouentai.core.fields):
# a manufacturer of 45 people in 横浜市中区, so routed to 横浜.
APPLICATION = ApplicationData(
    company_name="株式会社みなと精機",
    company_name_kana="ミナトセイキ",
    contact_name="田中 誠",
    contact_name_kana="タナカ マコト",
    email="tanaka@minato.example.jp",
    phone="+81452011234",
    postal_code="2310023",
    prefecture="神奈川県",
    city="横浜市中区",
    town="山下町",
    address="1-2-3",
    municipality_code="14104",
    corporate_number="",
    industry="E",
    employees=45,
    message="",
)
# The same for the contact form: a question with no postal code (routed to the default organization).
INQUIRY = InquiryData(
    name="田中 誠",
    name_kana="",
    company_name="みなと精機",
    email="tanaka@minato.example.jp",
    phone="",
    postal_code="",
    municipality_code="",
    subject="研修の日程",
    message="日程を教えてください",
)


def _submitted(
    submit: Callable[..., tuple[Item, bool]], data: object, organization: Organization, consent: bool
) -> Item:
    """What a public form does with its cleaned data: the service call with a fresh form token and the
    version of ``organization``'s current policy the person saw."""
    policy = PrivacyPolicy.objects.get(organization=organization, is_current=True)
    record, _created = submit(
        data=data, token=uuid.uuid4(), consent=consent, policy=policy, policy_version=policy.version
    )
    return record


class CompanyFactory(ServiceFactory[Company]):
    """A company through ``company_create`` (no ``actor``: made by the system; ``source`` for its audit
    entry). Any CompanyData field may be given; only the name has a default. ``in_yokohama=True`` makes it the SME the dispatch rules
    expect: a manufacturer in 横浜市中区 (pass ``employees``)."""

    class Meta:
        model = Company

    class Params:
        in_yokohama = factory.Trait(
            postal_code="2310023",
            prefecture="神奈川県",
            city="横浜市中区",
            municipality_code="14104",
            industry="E",
        )

    organization = factory.SubFactory(OrganizationFactory)
    name = "株式会社みなと精機"
    actor = None
    source = ""

    @classmethod
    def _create(
        cls,
        model_class: type[Company],
        *args: Any,
        organization: Organization,
        actor: User | None,
        source: str,
        **fields: Any,
    ) -> Company:
        return company_create(
            organization=organization, data=CompanyData(**fields), actor=actor, source=source
        )


class ContactFactory(ServiceFactory[Contact]):
    """A contact person of a company through ``contact_create`` (which re-indexes the company's
    search keys). Any ContactData field may be given; only the name has a default (no e-mail address:
    give one where the test needs it, an address being what links a person to the company)."""

    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    name = "港 一郎"
    actor = None
    source = ""

    @classmethod
    def _create(
        cls,
        model_class: type[Contact],
        *args: Any,
        company: Company,
        actor: User | None,
        source: str,
        **fields: Any,
    ) -> Contact:
        return contact_create(company=company, data=ContactData(**fields), actor=actor, source=source)


class ApplicationFactory(ServiceFactory[Application]):
    """An application as the public form submits it (``application_submit``, a fresh form token): the
    fields of ``APPLICATION`` with any changes, the box ticked for ``organization``'s current policy.
    The service routes it like a form of the program-wide pages: by the area of the postal code, else
    to the default organization."""

    class Meta:
        model = Application

    consent = True

    @classmethod
    def _create(
        cls,
        model_class: type[Application],
        *args: Any,
        organization: Organization,
        consent: bool,
        **changes: Any,
    ) -> Application:
        return _submitted(
            application_submit, dataclasses.replace(APPLICATION, **changes), organization, consent
        )


class InquiryFactory(ServiceFactory[Inquiry]):
    """A question as the contact form submits it (``inquiry_submit``): the fields of ``INQUIRY`` with
    any changes, consent to ``organization``'s current policy; routed like the application."""

    class Meta:
        model = Inquiry

    @classmethod
    def _create(
        cls, model_class: type[Inquiry], *args: Any, organization: Organization, **changes: Any
    ) -> Inquiry:
        return _submitted(inquiry_submit, dataclasses.replace(INQUIRY, **changes), organization, consent=True)


class MemberFactory(DjangoModelFactory[MemberAccount]):
    """A person of a member company who signs in to the member area: a user of role member (``user__
    email``, ``user__name``) and the company's member account, for ``contact`` if given. Rows: the
    invitation that makes them in real life (``member_invite`` and ``member_invitation_accept``, with
    its mails and audit entries) is tested on its own."""

    class Meta:
        model = MemberAccount

    company = factory.SubFactory(CompanyFactory)
    organization = factory.SelfAttribute("company.organization")
    contact = None
    user = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..organization"), role=Role.MEMBER
    )
