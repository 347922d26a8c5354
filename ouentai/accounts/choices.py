from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do within their organization. Later capabilities add expert, partner, program
    office and member."""

    ORG_ADMIN = "org_admin", _("組織管理者")
    STAFF = "staff", _("事務局スタッフ")
    COORDINATOR = "coordinator", _("ITコーディネータ")


class OrganizationKind(models.TextChoices):
    IMPLEMENTING = "implementing", _("実施機関")
    SUPPORT = "support", _("支援機関")
    PROGRAM_OFFICE = "program_office", _("事業事務局（経済産業局）")


# Roles that work in the staff console, and those that handle every application of their organization.
CONSOLE_ROLES = frozenset({Role.ORG_ADMIN, Role.STAFF, Role.COORDINATOR})
INBOX_MANAGER_ROLES = frozenset({Role.ORG_ADMIN, Role.STAFF})
