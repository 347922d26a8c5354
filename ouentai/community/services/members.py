"""Member accounts: staff invite a contact person of a company by mail with a one-time link; opening it
in time lets the person set a password and sign in to the member area, where they see their own
company's records only."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.choices import Role
from ouentai.accounts.models import User
from ouentai.community.models import Company, Contact, MemberAccount, MemberInvitation
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.mail import mail_queue

INVITATION_DAYS = 7


def member_invite(*, company: Company, contact: Contact, actor: User) -> MemberInvitation:
    """Mail a contact person a one-time link (valid 7 days) to create their member account. The contact
    needs an e-mail address that no user has yet; earlier open invitations to the same address are
    withdrawn."""
    if contact.company_id != company.pk:
        raise DomainError(
            _("この企業の担当者を選んでください。"), code="member.contact_scope", field="contact"
        )
    if not contact.email:
        raise DomainError(
            _("メールアドレスが登録されていない担当者は招待できません。"),
            code="member.no_email",
            field="contact",
        )
    if User.objects.filter(email__iexact=contact.email).exists():
        raise DomainError(
            _("このメールアドレスのアカウントはすでにあります。"), code="member.exists", field="contact"
        )
    now = timezone.now()
    with transaction.atomic():
        MemberInvitation.objects.filter(email__iexact=contact.email, accepted_at__isnull=True).update(
            expires_at=now
        )
        invitation = MemberInvitation.objects.create(
            organization_id=company.organization_id,
            company=company,
            contact=contact,
            name=contact.name,
            email=contact.email,
            expires_at=now + dt.timedelta(days=INVITATION_DAYS),
            invited_by=actor,
        )
        audit_record(
            actor=actor, action="community.member.invited", target=company, details={"email": contact.email}
        )
        mail_queue(
            kind="community.member_invitation",
            to=[contact.email],
            template="community/mail/member_invitation.txt",
            context={"invitation": invitation, "company": company, "days": INVITATION_DAYS},
            organization_id=company.organization_id,
            related=contact,
        )
    return invitation


def member_invitation_valid(invitation: MemberInvitation | None) -> bool:
    return (
        invitation is not None and invitation.accepted_at is None and invitation.expires_at > timezone.now()
    )


def member_invitation_accept(*, invitation: MemberInvitation, password: str) -> User:
    """Create the member's account from a valid invitation (once), with the password they chose
    (Django's password rules apply)."""
    with transaction.atomic():
        invitation = (
            MemberInvitation.objects.select_for_update().select_related("company").get(pk=invitation.pk)
        )
        if not member_invitation_valid(invitation):
            raise DomainError(
                _("この招待リンクは使用済みか、有効期限が切れています。事務局に再送を依頼してください。"),
                code="member.invitation_invalid",
            )
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise DomainError(_("このメールアドレスのアカウントはすでにあります。"), code="member.exists")
        user = User(
            email=invitation.email.lower(),
            name=invitation.name,
            organization_id=invitation.organization_id,
            role=Role.MEMBER,
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), code="member.password", field="password1") from error
        user.set_password(password)
        user.save()
        MemberAccount.objects.create(
            organization_id=invitation.organization_id,
            user=user,
            company=invitation.company,
            contact=invitation.contact,
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
        audit_record(
            actor=user,
            action="community.member.joined",
            target=invitation.company,
            details={"email": user.email},
        )
    return user
