"""Writes of the accounts app: setting up an implementing organization (the tenant), the areas it
covers, and its first organization admin."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, OrganizationArea, User
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class AdminData:
    email: str
    name: str
    password: str


@dataclass(frozen=True)
class OrganizationData:
    slug: str
    name: str
    short_name: str
    # (JIS code of a prefecture (2 digits) or municipality (5 digits), its name)
    areas: list[tuple[str, str]] = field(default_factory=list)
    make_default: bool = False
    admin: AdminData | None = None


def organization_setup(
    *, data: OrganizationData, actor: AbstractBaseUser | None = None
) -> tuple[Organization, bool]:
    """Create or update the organization ``data.slug`` with its areas and, if given, its organization
    admin (created, or moved to it and given the role, with the new password); returns it and whether it
    was created. Safe to run again with the same data.

    Rules: the slug is lower-case letters, digits and hyphens; an area is a 2- or 5-digit JIS code with a
    name and belongs to one organization only; Django's password rules apply to the admin's password;
    with ``make_default`` this becomes the only default organization (without it, the mark stays as it
    is). Raises DomainError (codes ``organization.slug``, ``organization.area``,
    ``organization.area_taken``, ``organization.password``); nothing is written then. Audited
    (``accounts.organization.set_up``), the admin by e-mail address only."""
    if not SLUG.fullmatch(data.slug):
        raise DomainError(
            _("識別名は半角英小文字・数字・ハイフンで入力してください。"),
            code="organization.slug",
            field="slug",
        )
    for code, name in data.areas:
        if not (code.isascii() and code.isdigit() and len(code) in (2, 5) and name):
            raise DomainError(
                _("地域の形式が正しくありません: %(area)s（例 14100:横浜市）") % {"area": f"{code}:{name}"},
                code="organization.area",
                field="areas",
            )
    if data.admin is not None:
        try:
            validate_password(data.admin.password)
        except ValidationError as error:
            raise DomainError(
                " ".join(error.messages), code="organization.password", field="password"
            ) from error
    with transaction.atomic():
        if data.make_default:
            Organization.objects.filter(is_default=True).exclude(slug=data.slug).update(is_default=False)
        fields: dict[str, object] = {"name": data.name, "short_name": data.short_name}
        if data.make_default:
            fields["is_default"] = True
        organization, created = Organization.objects.update_or_create(slug=data.slug, defaults=fields)
        for code, name in data.areas:
            taken = OrganizationArea.objects.filter(code=code).exclude(organization=organization).first()
            if taken is not None:
                raise DomainError(
                    _("地域 %(code)s はすでに %(organization)s の担当です。")
                    % {"code": code, "organization": taken.organization},
                    code="organization.area_taken",
                    field="areas",
                )
            OrganizationArea.objects.update_or_create(
                code=code, defaults={"organization": organization, "name": name}
            )
        if data.admin is not None:
            admin, _created = User.objects.update_or_create(
                email=data.admin.email,
                defaults={"name": data.admin.name or data.admin.email, "organization": organization,
                          "role": Role.ORG_ADMIN, "is_staff": True},
            )  # fmt: skip
            admin.set_password(data.admin.password)
            admin.save()
        audit_record(
            actor=actor,
            action="accounts.organization.set_up",
            target=organization,
            details={
                "created": created,
                "slug": data.slug,
                "areas": [code for code, _name in data.areas],
                "default": organization.is_default,
                **({"admin": data.admin.email} if data.admin else {}),
            },
        )
    return organization, created
