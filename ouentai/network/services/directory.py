"""Writes of the network's directory: support organizations (with their contacts and regional key
persons), dispatch schemes (their rules as data) and experts (profile, skills, qualifications, login).
Each service validates, writes in one transaction and records one audit entry. Imported directly
(``from ouentai.network.services import directory``), not re-exported."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.accounts.passwords import password_mail_queue
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.network.choices import REPORT_FIELDS, DispatchTheme, QualificationKind, SupportOrganizationKind
from ouentai.network.models import (
    DispatchScheme,
    Expert,
    KeyPerson,
    Qualification,
    Skill,
    SupportContact,
    SupportOrganization,
)

# A JIS code: 2 digits (prefecture) or 5 digits (municipality; the check digit left off).
AREA_CODE = re.compile(r"^\d{2}(\d{3})?$")


def area_codes_clean(text: str, *, field_name: str = "area_codes") -> str:
    """'14, 14100、14130' → '14,14100,14130'; refuses anything that is not a 2- or 5-digit JIS code."""
    codes = [code.strip() for code in text.replace("、", ",").replace(" ", ",").split(",") if code.strip()]
    bad = [code for code in codes if not AREA_CODE.match(code)]
    if bad:
        raise DomainError(
            _(
                "地域コードは都道府県の2桁か市区町村の5桁の数字で、カンマ区切りで入力してください"
                "（例: 14 神奈川県, 14100 横浜市）。確認してください: %(bad)s"
            )
            % {"bad": "、".join(bad)},
            code="network.area_codes",
            field=field_name,
        )
    return ",".join(dict.fromkeys(codes))


# --- Support organizations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactData:
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""
    pk: int | None = None


@dataclass(frozen=True)
class KeyPersonData:
    name: str
    affiliation: str = ""
    region: str = ""
    commitment: str = ""
    committed_on: dt.date | None = None
    pk: int | None = None


@dataclass(frozen=True)
class SupportOrganizationData:
    name: str
    kind: str
    region: str = ""
    website: str = ""
    contacts: list[ContactData] = field(default_factory=list)
    key_persons: list[KeyPersonData] = field(default_factory=list)


def support_organization_save(
    *,
    organization: Organization,
    data: SupportOrganizationData,
    actor: User | None,
    support_organization: SupportOrganization | None = None,
) -> SupportOrganization:
    """Create or change a support organization with its contacts and key persons (the lists given
    replace the stored ones: rows with a pk are updated, rows without are added, stored rows not given
    are removed; a key person removed here is deleted). Refuses an empty or duplicate name (within the
    organization) and an unknown kind. Audited as network.organization.saved (no ``actor``: written by
    the system, as set-up data is)."""
    name = data.name.strip()
    if not name:
        raise DomainError(_("名称を入力してください。"), code="network.organization.name", field="name")
    if data.kind not in SupportOrganizationKind.values:
        raise DomainError(_("種類を選んでください。"), code="network.organization.kind", field="kind")
    duplicates = SupportOrganization.objects.filter(organization=organization, name=name)
    if support_organization is not None:
        if support_organization.organization_id != organization.pk:
            raise DomainError(_("別の組織の支援機関です。"), code="network.organization.scope")
        duplicates = duplicates.exclude(pk=support_organization.pk)
    if duplicates.exists():
        raise DomainError(
            _("「%(name)s」という支援機関はすでに登録されています。") % {"name": name},
            code="network.organization.duplicate",
            field="name",
        )
    with transaction.atomic():
        created = support_organization is None
        if support_organization is None:
            support_organization = SupportOrganization(organization=organization)
        support_organization.name = name
        support_organization.kind = data.kind
        support_organization.region = data.region.strip()
        support_organization.website = data.website.strip()
        support_organization.save()
        _contacts_set(support_organization, data.contacts)
        _key_persons_set(support_organization, data.key_persons)
        audit_record(
            actor=actor,
            action="network.organization.saved",
            target=support_organization,
            details={
                "created": created,
                "contacts": len(data.contacts),
                "key_persons": len(data.key_persons),
            },
        )
    return support_organization


def _contacts_set(support_organization: SupportOrganization, rows: list[ContactData]) -> None:
    stored = {contact.pk: contact for contact in support_organization.contacts.all()}
    kept: set[int] = set()
    for row in rows:
        contact = stored.get(row.pk) if row.pk else None
        if contact is None:
            contact = SupportContact(support_organization=support_organization)
        contact.name, contact.title = row.name.strip(), row.title.strip()
        contact.email, contact.phone = row.email.strip(), row.phone.strip()
        contact.save()
        kept.add(contact.pk)
    SupportContact.objects.filter(support_organization=support_organization).exclude(pk__in=kept).delete()


def _key_persons_set(support_organization: SupportOrganization, rows: list[KeyPersonData]) -> None:
    stored = {person.pk: person for person in support_organization.key_persons.all()}
    kept: set[int] = set()
    for row in rows:
        person = stored.get(row.pk) if row.pk else None
        if person is None:
            person = KeyPerson(
                organization_id=support_organization.organization_id,
                support_organization=support_organization,
            )
        person.name, person.affiliation = row.name.strip(), row.affiliation.strip()
        person.region, person.commitment = row.region.strip(), row.commitment.strip()
        person.committed_on = row.committed_on
        person.save()
        kept.add(person.pk)
    KeyPerson.objects.filter(support_organization=support_organization).exclude(pk__in=kept).delete()


# --- Schemes -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemeData:
    support_organization_id: int
    name: str
    visits_per_year: int
    description: str = ""
    sme_only: bool = True
    area_codes: str = ""
    visits_per_theme: dict[str, int] = field(default_factory=dict)
    hours_per_visit: Decimal = Decimal("2")
    fee_per_hour: int = 0
    fee_share_percent: int = 100
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    report_fields: list[str] = field(default_factory=list)
    is_active: bool = True


def scheme_save(
    *, organization: Organization, data: SchemeData, actor: User | None, scheme: DispatchScheme | None = None
) -> DispatchScheme:
    """Create or change a dispatch scheme. Its rules must make sense: a support organization of this
    organization, a name, at least 1 visit per 年度 (and per theme, for known themes only), hours per
    visit above 0, a covered share of 0–100 %, a window that closes after it opens, JIS area codes, and
    known report fields. Changing a scheme's limits does not touch requests already made (they are
    checked again when submitted and approved). Audited as network.scheme.saved with the rules (no
    ``actor``: written by the system)."""
    support_organization = SupportOrganization.objects.filter(
        organization=organization, pk=data.support_organization_id
    ).first()
    if support_organization is None:
        raise DomainError(
            _("支援機関を選んでください。"),
            code="network.scheme.support_organization",
            field="support_organization",
        )
    if scheme is not None and scheme.organization_id != organization.pk:
        raise DomainError(_("別の組織の派遣制度です。"), code="network.scheme.scope")
    if not data.name.strip():
        raise DomainError(_("制度名を入力してください。"), code="network.scheme.name", field="name")
    if data.visits_per_year < 1:
        raise DomainError(
            _("訪問回数の上限は1回以上にしてください。"),
            code="network.scheme.visits",
            field="visits_per_year",
        )
    per_theme: dict[str, int] = {}
    for theme, value in data.visits_per_theme.items():
        if theme not in DispatchTheme.values:
            raise DomainError(_("テーマが正しくありません。"), code="network.scheme.theme")
        if value < 1:
            raise DomainError(
                _("テーマ別の上限は1回以上にしてください（使わないテーマは空欄に）。"),
                code="network.scheme.theme_visits",
                field=f"theme_{theme}",
            )
        per_theme[theme] = int(value)
    if data.hours_per_visit <= 0:
        raise DomainError(
            _("1回あたりの時間は0より大きくしてください。"),
            code="network.scheme.hours",
            field="hours_per_visit",
        )
    if not 0 <= data.fee_share_percent <= 100:
        raise DomainError(
            _("負担の割合は0〜100％で入力してください。"),
            code="network.scheme.share",
            field="fee_share_percent",
        )
    if data.opens_on and data.closes_on and data.closes_on < data.opens_on:
        raise DomainError(
            _("受付終了日は受付開始日より後にしてください。"), code="network.scheme.window", field="closes_on"
        )
    unknown = [key for key in data.report_fields if key not in REPORT_FIELDS]
    if unknown:
        raise DomainError(
            _("報告書の項目が正しくありません。"), code="network.scheme.report_fields", field="report_fields"
        )
    area_codes = area_codes_clean(data.area_codes)
    with transaction.atomic():
        created = scheme is None
        if scheme is None:
            scheme = DispatchScheme(organization=organization)
        scheme.support_organization = support_organization
        scheme.name = data.name.strip()
        scheme.description = data.description.strip()
        scheme.sme_only = data.sme_only
        scheme.area_codes = area_codes
        scheme.visits_per_year = data.visits_per_year
        scheme.visits_per_theme = per_theme
        scheme.hours_per_visit = data.hours_per_visit
        scheme.fee_per_hour = data.fee_per_hour
        scheme.fee_share_percent = data.fee_share_percent
        scheme.opens_on, scheme.closes_on = data.opens_on, data.closes_on
        scheme.report_fields = [key for key in REPORT_FIELDS if key in data.report_fields]
        scheme.is_active = data.is_active
        scheme.save()
        audit_record(
            actor=actor,
            action="network.scheme.saved",
            target=scheme,
            details={
                "created": created,
                "visits_per_year": scheme.visits_per_year,
                "visits_per_theme": per_theme,
                "area_codes": area_codes,
                "active": scheme.is_active,
            },
        )
    return scheme


# --- Experts --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualificationData:
    kind: str
    name: str = ""
    number: str = ""
    expires_on: dt.date | None = None
    pk: int | None = None


@dataclass(frozen=True)
class ExpertData:
    name: str
    name_kana: str = ""
    email: str = ""
    phone: str = ""
    profile: str = ""
    skill_ids: list[int] = field(default_factory=list)
    area_codes: str = ""
    is_available: bool = True
    available_from: dt.date | None = None
    max_active: int = 3
    qualifications: list[QualificationData] = field(default_factory=list)
    # The login: an existing user of role expert, or a new one made from ``email`` (create_login).
    user_id: int | None = None
    create_login: bool = False


def expert_save(
    *, organization: Organization, data: ExpertData, actor: User | None, expert: Expert | None = None
) -> tuple[Expert, User | None]:
    """Create or change an expert with skills, qualifications (replacing the stored ones) and login.
    The login is either an existing active user of this organization with role expert and no other
    expert profile, or (``create_login``) a new user of role expert with the expert's e-mail and no
    usable password (refused when the e-mail is missing or already used), to whom a one-time link to
    choose a password is mailed. Returns the expert and the user created, if any. Audited as
    network.expert.saved (no ``actor``: written by the system)."""
    if expert is not None and expert.organization_id != organization.pk:
        raise DomainError(_("別の組織の専門家です。"), code="network.expert.scope")
    if not data.name.strip():
        raise DomainError(_("氏名を入力してください。"), code="network.expert.name", field="name")
    if data.max_active < 1:
        raise DomainError(
            _("同時に担当できる件数は1件以上にしてください。"), code="network.expert.max", field="max_active"
        )
    for row in data.qualifications:
        if row.kind not in QualificationKind.values:
            raise DomainError(_("資格の種類を選んでください。"), code="network.expert.qualification")
        if row.kind == QualificationKind.OTHER and not row.name.strip():
            raise DomainError(
                _("「その他」の資格は資格名を入力してください。"), code="network.expert.qualification_name"
            )
    area_codes = area_codes_clean(data.area_codes)
    skills = list(Skill.objects.filter(pk__in=data.skill_ids))
    user: User | None = None
    if data.create_login:
        email = data.email.strip().lower()
        if not email:
            raise DomainError(
                _("ログイン用アカウントを作るにはメールアドレスを入力してください。"),
                code="network.expert.login_email",
                field="email",
            )
        if User.objects.filter(email__iexact=email).exists():
            raise DomainError(
                _("このメールアドレスのユーザーはすでにいます。「ログインするユーザー」から選んでください。"),
                code="network.expert.login_exists",
                field="email",
            )
    elif data.user_id is not None:
        user = User.objects.filter(
            pk=data.user_id, organization=organization, role=Role.EXPERT, is_active=True
        ).first()
        other = Expert.objects.filter(user_id=data.user_id)
        if expert is not None:
            other = other.exclude(pk=expert.pk)
        if user is None or other.exists():
            raise DomainError(
                _("役割が「専門家」で、ほかの専門家に結び付いていないユーザーを選んでください。"),
                code="network.expert.login_user",
                field="user",
            )
    with transaction.atomic():
        created = expert is None
        if expert is None:
            expert = Expert(organization=organization)
        created_user: User | None = None
        if data.create_login:
            created_user = User.objects.create_user(
                data.email.strip().lower(),
                None,
                name=data.name.strip(),
                name_kana=data.name_kana.strip(),
                organization=organization,
                role=Role.EXPERT,
            )
            created_user.set_unusable_password()
            created_user.save(update_fields=["password"])
            # The expert chooses their password from a one-time link (queued with this transaction).
            password_mail_queue(user=created_user, first=True)
            user = created_user
        expert.user = user
        expert.name, expert.name_kana = data.name.strip(), data.name_kana.strip()
        expert.email, expert.phone = data.email.strip(), data.phone.strip()
        expert.profile = data.profile.strip()
        expert.area_codes = area_codes
        expert.is_available, expert.available_from = data.is_available, data.available_from
        expert.max_active = data.max_active
        expert.save()
        expert.skills.set(skills)
        stored = {q.pk: q for q in expert.qualifications.all()}
        kept: set[int] = set()
        for row in data.qualifications:
            qualification = stored.get(row.pk) if row.pk else None
            if qualification is None:
                qualification = Qualification(expert=expert)
            qualification.kind, qualification.name = row.kind, row.name.strip()
            qualification.number, qualification.expires_on = row.number.strip(), row.expires_on
            qualification.save()
            kept.add(qualification.pk)
        expert.qualifications.exclude(pk__in=kept).delete()
        audit_record(
            actor=actor,
            action="network.expert.saved",
            target=expert,
            details={
                "created": created,
                "skills": [skill.name for skill in skills],
                "qualifications": len(data.qualifications),
                "login": user.email if user else "",
                "login_created": created_user is not None,
            },
        )
    return expert, created_user


# --- Totals ---------------------------------------------------------------------------------------------


def dispatch_totals_exported(
    *,
    organization: Organization,
    fiscal_year: int,
    support_organization_id: int | None,
    file_format: str,
    rows: int,
    actor: User,
) -> None:
    """Record that the dispatch totals left the system as a file (who, which 年度, which support
    organization, format, rows). Audited as network.totals.exported on the organization."""
    entry = audit_record(
        actor=actor,
        action="network.totals.exported",
        target=organization,
        details={
            "fiscal_year": fiscal_year,
            "support_organization": support_organization_id,
            "format": file_format,
            "rows": rows,
        },
    )
    # The organization has no organization_id of its own: scope the entry to it explicitly.
    if entry.organization_id is None:
        entry.organization_id = organization.pk
        entry.save(update_fields=["organization"])
