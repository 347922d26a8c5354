from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    """What a user may do within their organization. A member is a person at a member company: signs in
    to the member area (/my/) only, never to the console. A partner (a support organization's user) approves requests to its own
    dispatch schemes; an expert sees only their own dispatches. Neither uses the console. The program
    office (the funding bureau, the national office) sees aggregates across organizations at /office/
    and nothing else: no record, no company, no person."""

    ORG_ADMIN = "org_admin", _("組織管理者")
    STAFF = "staff", _("事務局スタッフ")
    COORDINATOR = "coordinator", _("ITコーディネータ")
    MEMBER = "member", _("会員企業の利用者")
    PARTNER = "partner", _("支援機関の担当者")
    EXPERT = "expert", _("専門家")
    PROGRAM_OFFICE = "program_office", _("事業事務局・経済産業局の担当者")


class OrganizationKind(models.TextChoices):
    IMPLEMENTING = "implementing", _("実施機関")
    SUPPORT = "support", _("支援機関")
    PROGRAM_OFFICE = "program_office", _("事業事務局（経済産業局）")


# Roles that work in the staff console, and those that handle every application of their organization.
CONSOLE_ROLES = frozenset({Role.ORG_ADMIN, Role.STAFF, Role.COORDINATOR})
INBOX_MANAGER_ROLES = frozenset({Role.ORG_ADMIN, Role.STAFF})

AUDIT_ACTIONS = {
    "accounts.organization.set_up": pgettext_lazy("audit", "組織を設定"),
}
