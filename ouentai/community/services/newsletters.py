"""案内メール: mail to the contacts of a segment who agreed to receive it.

Only contacts with recorded consent and an e-mail address receive it; every mail carries a one-click
unsubscribe link and List-Unsubscribe headers (RFC 8058). The task worker sends ``per_minute`` mails a
minute: each batch queues its mails, then schedules the next batch a minute later. A contact never gets
the same newsletter twice, however often a batch runs.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import BigIntegerField, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.models import Schedule
from django_q.tasks import async_task

from ouentai.accounts.models import Organization, User
from ouentai.community.choices import MembershipStatus
from ouentai.community.models import Company, Contact, Newsletter, Segment
from ouentai.community.selectors import CompanyFilters, company_list
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.mail import mail_queue
from ouentai.core.models import OutgoingMail

DISPATCH_TASK = "ouentai.community.tasks.newsletter_dispatch"


def _kind(newsletter: Newsletter) -> str:
    return f"newsletter:{newsletter.pk}"


def newsletter_audience(*, organization: Organization, segment: Segment | None) -> QuerySet[Contact]:
    """Contacts who may receive a newsletter: consent recorded, an e-mail address, and a company in the
    segment (or, without a segment, an active member company)."""
    if segment is not None:
        params = dict(parse_qsl(segment.query))
        filters = CompanyFilters(
            **{k: v for k, v in params.items() if k in CompanyFilters.__dataclass_fields__}
        )
        companies = company_list(organization=organization, filters=filters)
    else:
        companies = company_list(
            organization=organization, filters=CompanyFilters(membership=MembershipStatus.ACTIVE)
        )
    return (
        Contact.objects.filter(
            organization=organization, newsletter_consent=True, company__in=companies.values("pk")
        )
        .exclude(email="")
        .select_related("company")
        .order_by("id")
    )


def newsletter_save(
    *,
    organization: Organization,
    newsletter: Newsletter | None,
    subject: str,
    body: str,
    segment: Segment | None,
    per_minute: int,
    actor: User,
) -> Newsletter:
    """Create or change a draft."""
    if newsletter is not None and newsletter.status != Newsletter.Status.DRAFT:
        raise DomainError(_("配信を始めた案内メールは変更できません。"), code="newsletter.not_draft")
    if segment is not None and segment.organization_id != organization.pk:
        raise DomainError(
            _("この組織のセグメントを選んでください。"), code="newsletter.segment", field="segment"
        )
    if segment is not None and segment.deleted_at is not None:
        raise DomainError(
            _("このセグメントは削除されています。ほかの宛先を選んでください。"),
            code="newsletter.segment_deleted",
            field="segment",
        )
    if not 1 <= per_minute <= 1000:
        raise DomainError(
            _("1分あたりの配信数は1〜1000で入力してください。"), code="newsletter.rate", field="per_minute"
        )
    with transaction.atomic():
        if newsletter is None:
            newsletter = Newsletter(organization=organization, created_by=actor)
        newsletter.subject, newsletter.body = subject.strip(), body.strip()
        newsletter.segment, newsletter.per_minute = segment, per_minute
        newsletter.save()
        audit_record(
            actor=actor,
            action="community.newsletter.saved",
            target=newsletter,
            details={"subject": newsletter.subject},
        )
    return newsletter


def _personal(newsletter: Newsletter, contact: Contact, test: bool = False) -> dict[str, object]:
    unsubscribe = (
        f"{settings.OUENTAI_PUBLIC_BASE_URL}{reverse('portal:unsubscribe', args=[contact.unsubscribe_token])}"
    )
    name = contact.name or str(_("ご担当者"))  # a contact known only by address
    body = newsletter.body.replace("{会社名}", contact.company.name).replace("{氏名}", name)
    return {"newsletter": newsletter, "body": body, "unsubscribe_url": unsubscribe, "test": test}


def newsletter_sample(newsletter: Newsletter) -> Contact:
    """Whom a preview or a test send shows the mail to: the first recipient, or, while the audience is
    empty, a stand-in whose company and name say where the placeholders go (never saved)."""
    first = newsletter_audience(organization=newsletter.organization, segment=newsletter.segment).first()
    if first is not None:
        return first
    return Contact(name=str(_("（宛先の氏名）")), company=Company(name=str(_("（宛先の会社名）"))))


def newsletter_preview(newsletter: Newsletter, contact: Contact) -> str:
    """The mail as ``contact`` would receive it (subject line first)."""
    from django.template.loader import render_to_string

    context = {**_personal(newsletter, contact), "site_name": settings.OUENTAI_SITE_NAME}
    return render_to_string("community/mail/newsletter.txt", context).strip()


def newsletter_test_send(*, newsletter: Newsletter, actor: User) -> OutgoingMail:
    """Send the newsletter to the staff member themself, as the first recipient would see it (or, with
    nobody in the audience yet, with stand-ins for the company and the name). A test goes to the staff
    member whatever the audience, so it never needs recipients."""
    sample = newsletter_sample(newsletter)
    with transaction.atomic():
        return mail_queue(
            kind=f"{_kind(newsletter)}:test",
            to=[actor.email],
            template="community/mail/newsletter.txt",
            context=_personal(newsletter, sample, test=True),
            organization_id=newsletter.organization_id,
            related=newsletter,
        )


def newsletter_start(*, newsletter: Newsletter, actor: User, confirmed_recipients: int) -> Newsletter:
    """Start sending a draft to its audience, in batches. ``confirmed_recipients`` is the number of
    recipients the staff member was shown and confirmed: if the audience has changed since, nothing is
    sent and they confirm again. Refused with nobody to send to, or when its segment was deleted."""
    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if newsletter.status != Newsletter.Status.DRAFT:
            raise DomainError(_("この案内メールはすでに配信を始めています。"), code="newsletter.not_draft")
        if newsletter.segment is not None and newsletter.segment.deleted_at is not None:
            raise DomainError(
                _("宛先のセグメント「%(name)s」は削除されています。編集して宛先を選び直してください。")
                % {"name": newsletter.segment.name},
                code="newsletter.segment_deleted",
            )
        count = newsletter_audience(organization=newsletter.organization, segment=newsletter.segment).count()
        if count == 0:
            raise DomainError(
                _(
                    "宛先が0人なので配信できません。配信に同意しメールアドレスのある担当者が、"
                    "宛先の企業にいません。宛先を選び直すか、担当者の同意を記録してください。"
                ),
                code="newsletter.empty",
            )
        if count != confirmed_recipients:
            raise DomainError(
                _(
                    "宛先の数が、確かめたときの%(confirmed)s人から%(now)s人に変わりました。もう一度確かめてください。"
                )
                % {"confirmed": confirmed_recipients, "now": count},
                code="newsletter.audience_changed",
            )
        newsletter.status = Newsletter.Status.SENDING
        newsletter.recipients = count
        newsletter.started_at = timezone.now()
        newsletter.save()
        async_task(
            DISPATCH_TASK, newsletter.pk, task_name=f"newsletter-{newsletter.pk}-start", group="newsletter"
        )
        audit_record(
            actor=actor,
            action="community.newsletter.started",
            target=newsletter,
            details={"recipients": count},
        )
    return newsletter


def newsletter_dispatch(newsletter_id: int) -> int:
    """Queue the next batch (at most ``per_minute`` contacts not mailed yet) and schedule the following
    batch a minute later; mark the newsletter sent when nobody is left. Returns the batch size."""
    newsletter = Newsletter.objects.select_related("organization", "segment").get(pk=newsletter_id)
    if newsletter.status != Newsletter.Status.SENDING:
        return 0
    contact_type = ContentType.objects.get_for_model(Contact)
    already = (
        OutgoingMail.objects.filter(kind=_kind(newsletter), related_type=contact_type)
        .annotate(contact_id=Cast("related_id", BigIntegerField()))
        .values("contact_id")
    )
    audience = newsletter_audience(organization=newsletter.organization, segment=newsletter.segment)
    batch = list(audience.exclude(pk__in=already)[: newsletter.per_minute])
    with transaction.atomic():
        for contact in batch:
            personal = _personal(newsletter, contact)
            mail_queue(
                kind=_kind(newsletter),
                to=[contact.email],
                template="community/mail/newsletter.txt",
                context=personal,
                organization_id=newsletter.organization_id,
                related=contact,
                headers={
                    "List-Unsubscribe": f"<{personal['unsubscribe_url']}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        newsletter.queued += len(batch)
        if len(batch) < newsletter.per_minute:
            newsletter.status = Newsletter.Status.SENT
            newsletter.finished_at = timezone.now()
        else:
            Schedule.objects.create(
                name=f"newsletter-{newsletter.pk}-{newsletter.queued}",
                func=DISPATCH_TASK,
                args=str(newsletter.pk),
                schedule_type=Schedule.ONCE,
                next_run=timezone.now() + dt.timedelta(minutes=1),
            )
        newsletter.save(update_fields=["queued", "status", "finished_at", "updated_at"])
    return len(batch)


def contact_set_consent(*, contact: Contact, consent: bool, actor: User | None, source: str) -> Contact:
    """Record that a contact agreed to, or declined, receiving newsletters (and how we know)."""
    with transaction.atomic():
        if contact.newsletter_consent == consent:
            return contact
        contact.newsletter_consent = consent
        contact.newsletter_consent_changed_at = timezone.now()
        contact.save(update_fields=["newsletter_consent", "newsletter_consent_changed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="community.contact.consent_changed",
            target=contact,
            details={"consent": consent, "source": source},
        )
    return contact
