"""Plain data handed from forms and imports to the services (already normalized)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompanyData:
    """A company's typed fields, already normalized by the form (ouentai.core.fields)."""

    name: str
    name_kana: str = ""
    corporate_number: str = ""
    postal_code: str = ""
    prefecture: str = ""
    city: str = ""
    town: str = ""
    address: str = ""
    municipality_code: str = ""
    phone: str = ""
    industry: str = ""
    employees: int | None = None
    capital_yen: int | None = None
    sme_category: str = ""
    it_stage: int | None = None


@dataclass(frozen=True)
class ContactData:
    name: str
    name_kana: str = ""
    email: str = ""
    phone: str = ""
    newsletter_consent: bool = False
