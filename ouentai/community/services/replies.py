"""Replies written in the console to applications and inquiries: the organization's reply templates,
the placeholders filled from the record, the preview, and the send through the mail queue.

The preview and the send go through the same ``reply_render``, so what staff see in the preview is
exactly what the applicant receives; ``inbox_reply_send`` refuses a send whose text no longer renders
to the previewed one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Application, ContactLog, InboxItem, Inquiry, ReplyTemplate
from ouentai.community.services.inbox import Item, _action, _lock, _record_first_contact
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.jp import format_phone
from ouentai.core.mail import mail_queue

_WEEKDAYS = "月火水木金土日"
# {会社名}: a name without spaces or braces between single braces.
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,30})\}")
SUBJECT_MAX = 200
BODY_MAX = 10_000


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS[day.weekday()]}）"


def _contact(organization: Organization) -> str:
    parts = [organization.contact_email, format_phone(organization.contact_phone)]
    return " / ".join(part for part in parts if part)


@dataclass(frozen=True)
class Placeholder:
    """A name staff type in braces, what it means, and its value for a record (None: the placeholder
    does not apply to this kind of record)."""

    description: str | Promise
    value: Callable[[InboxItem, User], str | None]
    kinds: frozenset[str] = frozenset({ReplyTemplate.Kind.APPLICATION, ReplyTemplate.Kind.INQUIRY})


def _company_name(item: InboxItem, actor: User) -> str:
    return str(getattr(item, "company_name", ""))


def _person_name(item: InboxItem, actor: User) -> str:
    return (
        item.contact_name if isinstance(item, Application) else item.name if isinstance(item, Inquiry) else ""
    )


def _inquiry_subject(item: InboxItem, actor: User) -> str | None:
    return item.subject if isinstance(item, Inquiry) else None


PLACEHOLDERS: dict[str, Placeholder] = {
    "会社名": Placeholder(_("申込・お問い合わせの会社名"), _company_name),
    "担当者名": Placeholder(_("申込者・お問い合わせいただいた方のお名前"), _person_name),
    "受付番号": Placeholder(_("受付番号（A-… / Q-…）"), lambda item, actor: item.reference),
    "事務局名": Placeholder(_("組織（事務局）の名称"), lambda item, actor: item.organization.name),
    "事務局連絡先": Placeholder(
        _("組織の公開用メールアドレスと電話番号"), lambda item, actor: _contact(item.organization)
    ),
    "返信期限": Placeholder(_("返信期限の日付"), lambda item, actor: _date(item.due_on)),
    "送信者名": Placeholder(_("返信を送るあなたの名前"), lambda item, actor: actor.name),
    "お問い合わせ件名": Placeholder(
        _("お問い合わせの件名"), _inquiry_subject, frozenset({ReplyTemplate.Kind.INQUIRY})
    ),
}


def _kinds_of(kind: str) -> frozenset[str]:
    if kind == ReplyTemplate.Kind.BOTH:
        return frozenset({ReplyTemplate.Kind.APPLICATION, ReplyTemplate.Kind.INQUIRY})
    return frozenset({kind})


def _names(text: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def _braced(names: list[str]) -> str:
    return "、".join(f"{{{name}}}" for name in names)


def _check_known(text: str, field: str) -> None:
    unknown = [name for name in _names(text) if name not in PLACEHOLDERS]
    if unknown:
        raise DomainError(
            _("使えない差し込み項目があります：%(names)s。使える項目は %(known)s です。")
            % {"names": _braced(unknown), "known": _braced(list(PLACEHOLDERS))},
            code="reply.unknown_placeholder",
            field=field,
        )


def _fill(text: str, values: dict[str, str]) -> str:
    # One pass: a value that itself contains braces is inserted as it is, never read again.
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


@dataclass(frozen=True)
class ReplyDraft:
    """A reply as it will be sent: recipient, reply-to address, subject and body with every placeholder
    filled. ``digest`` identifies this exact text, so that a send can insist on what was previewed."""

    to: str
    reply_to: str
    subject: str
    body: str

    @property
    def digest(self) -> str:
        text = "\n".join((self.to, self.reply_to, self.subject, self.body))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _check_actor(item: InboxItem, actor: User) -> None:
    if actor.organization_id != item.organization_id or not actor.can_use_console:
        raise DomainError(
            _("別の組織の申込・お問い合わせには返信できません。"), code="reply.other_organization"
        )
    if not actor.manages_inbox and item.assignee_id != actor.pk:
        raise DomainError(_("担当している申込・お問い合わせにだけ返信できます。"), code="reply.forbidden")


def reply_render(*, item: InboxItem, subject: str, body: str, actor: User) -> ReplyDraft:
    """Fill the placeholders of a reply from the record and check it can be sent: the record has an
    e-mail address and belongs to the actor's organization (coordinators: only items assigned to
    them), subject and body are not empty, the subject is one line of at most 200 characters, and
    every placeholder is known, applies to this kind of record and has a value.

    Raises DomainError: ``reply.no_email``, ``reply.other_organization``, ``reply.forbidden``,
    ``reply.subject_required``, ``reply.body_required``, ``reply.subject_too_long``,
    ``reply.body_too_long``, ``reply.unknown_placeholder`` (naming them), ``reply.placeholder_empty``.
    Writes nothing."""
    _check_actor(item, actor)
    if not item.email:
        raise DomainError(
            _(
                "この記録にはメールアドレスがないため、メールで返信できません。電話などで連絡し、対応を記録してください。"
            ),
            code="reply.no_email",
        )
    subject = " ".join(subject.split())
    body = "\n".join(
        line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ).strip()
    if not subject:
        raise DomainError(_("件名を入力してください。"), code="reply.subject_required", field="subject")
    if not body:
        raise DomainError(_("本文を入力してください。"), code="reply.body_required", field="body")
    if len(body) > BODY_MAX:
        raise DomainError(
            _("本文は%(n)s文字以内にしてください。") % {"n": BODY_MAX},
            code="reply.body_too_long",
            field="body",
        )
    _check_known(subject, "subject")
    _check_known(body, "body")
    kind = str(item._meta.model_name)
    values: dict[str, str] = {}
    for field, text in (("subject", subject), ("body", body)):
        for name in _names(text):
            placeholder = PLACEHOLDERS[name]
            value = placeholder.value(item, actor) if kind in placeholder.kinds else None
            if not value:
                raise DomainError(
                    _(
                        "{%(name)s} はこの%(record)sには当てはまる内容がないため使えません。文面から外してください。"
                    )
                    % {"name": name, "record": item._meta.verbose_name},
                    code="reply.placeholder_empty",
                    field=field,
                )
            values[name] = value
    subject = " ".join(_fill(subject, values).split())
    if len(subject) > SUBJECT_MAX:
        raise DomainError(
            _("件名は差し込み後で%(n)s文字以内にしてください。") % {"n": SUBJECT_MAX},
            code="reply.subject_too_long",
            field="subject",
        )
    return ReplyDraft(
        to=item.email,
        reply_to=item.organization.contact_email,
        subject=subject,
        body=_fill(body, values).strip() + "\n",
    )


def inbox_reply_send(
    *,
    item: Item,
    subject: str,
    body: str,
    actor: User,
    template: ReplyTemplate | None = None,
    previewed: str = "",
) -> ContactLog:
    """Send a reply written in the console to the sender of an application or inquiry.

    In one transaction: renders it (``reply_render``, with all its rules), queues the mail through the
    mail queue (sent by the worker, retried while the mail server is down), records it as a contact of
    channel メール pointing at the mail (on the record page with its delivery status, and on the
    company's timeline once the application belongs to a company), writes the audit entry, and stops
    the reply-due clock: the first reply (or the first call or visit logged) keeps the promise, an item
    awaiting a reply becomes contacted (application) or answered (inquiry) and no longer counts as
    overdue. The staff member becomes the assignee when there is none.

    ``previewed`` is the digest of the draft staff looked at; when given and the text now renders
    differently (edited after the preview, or the record changed), the send is refused with
    ``reply.changed`` so that nothing is sent that was not seen. A template must be the organization's.
    Raises DomainError as ``reply_render`` does, and ``reply.template_invalid``, ``reply.changed``."""
    if template is not None and template.organization_id != item.organization_id:
        raise DomainError(_("この組織のテンプレートを選んでください。"), code="reply.template_invalid")
    with transaction.atomic():
        item = _lock(item)
        draft = reply_render(item=item, subject=subject, body=body, actor=actor)
        if previewed and previewed != draft.digest:
            raise DomainError(
                _("プレビューのあとで内容が変わりました。もう一度プレビューで確かめてから送信してください。"),
                code="reply.changed",
            )
        name = str(item._meta.model_name)
        mail = mail_queue(
            kind=f"{name}.reply",
            to=[draft.to],
            template="community/mail/reply.txt",
            context={"subject": draft.subject, "body": draft.body},
            organization_id=item.organization_id,
            related=item,
            reply_to=draft.reply_to,
        )
        log = ContactLog.objects.create(
            organization_id=item.organization_id,
            application=item if isinstance(item, Application) else None,
            inquiry=item if isinstance(item, Inquiry) else None,
            channel="email",
            note=draft.body.strip(),
            occurred_at=mail.created_at,
            actor=actor,
            mail=mail,
        )
        _record_first_contact(item, when=mail.created_at, actor=actor)
        audit_record(
            actor=actor,
            action=_action(item, "replied"),
            target=item,
            details={
                "subject": draft.subject,
                "mail_id": mail.pk,
                "template": template.name if template is not None else "",
            },
        )
    return log


# --- Templates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyTemplateData:
    name: str
    kind: str
    subject: str
    body: str


def _check_template(data: ReplyTemplateData) -> None:
    if not data.name.strip():
        raise DomainError(
            _("テンプレート名を入力してください。"), code="reply_template.name_required", field="name"
        )
    if data.kind not in ReplyTemplate.Kind.values:
        raise DomainError(_("使う場面を選んでください。"), code="reply_template.kind", field="kind")
    if not data.subject.strip():
        raise DomainError(_("件名を入力してください。"), code="reply.subject_required", field="subject")
    if not data.body.strip():
        raise DomainError(_("本文を入力してください。"), code="reply.body_required", field="body")
    kinds = _kinds_of(data.kind)
    for field, text in (("subject", data.subject), ("body", data.body)):
        _check_known(text, field)
        misfit = [name for name in _names(text) if not kinds <= PLACEHOLDERS[name].kinds]
        if misfit:
            raise DomainError(
                _(
                    "%(names)s はお問い合わせへの返信でしか使えません。使う場面を「お問い合わせ」にしてください。"
                )
                % {"names": _braced(misfit)},
                code="reply.placeholder_kind",
                field=field,
            )


def _check_manager(organization_id: int, actor: User) -> None:
    if actor.organization_id != organization_id or not actor.manages_inbox:
        raise DomainError(_("返信テンプレートを編集する権限がありません。"), code="reply_template.forbidden")


def reply_template_save(
    *, organization: Organization, template: ReplyTemplate | None, data: ReplyTemplateData, actor: User
) -> ReplyTemplate:
    """Create (``template`` None) or change a reply template of the organization. Only the
    organization's staff and admins; the name is unique in the organization; every placeholder must
    be known and apply to the kind of record the template is for. Audited.

    Raises DomainError ``reply_template.forbidden``, ``reply_template.name_required``,
    ``reply_template.name_taken``, ``reply_template.kind`` and the placeholder codes of replies."""
    if template is not None and template.organization_id != organization.pk:
        raise DomainError(_("この組織のテンプレートではありません。"), code="reply_template.forbidden")
    _check_manager(organization.pk, actor)
    _check_template(data)
    try:
        with transaction.atomic():
            created = template is None
            if template is None:
                template = ReplyTemplate(organization=organization)
            template.name = " ".join(data.name.split())
            template.kind = data.kind
            template.subject = " ".join(data.subject.split())
            template.body = data.body.replace("\r\n", "\n").strip()
            template.save()
            audit_record(
                actor=actor,
                action="community.reply_template.saved",
                target=template,
                details={"created": created, "name": template.name},
            )
    except IntegrityError as error:
        raise DomainError(
            _("同じ名前のテンプレートがあります。別の名前にしてください。"),
            code="reply_template.name_taken",
            field="name",
        ) from error
    return template


def reply_template_set_active(*, template: ReplyTemplate, active: bool, actor: User) -> ReplyTemplate:
    """Take a template out of use (it stays, for the replies that came from it) or back into use.
    Only the organization's staff and admins. Audited."""
    _check_manager(template.organization_id, actor)
    with transaction.atomic():
        template.is_active = active
        template.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            action="community.reply_template.activated" if active else "community.reply_template.deactivated",
            target=template,
        )
    return template
