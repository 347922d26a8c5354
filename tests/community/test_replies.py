"""Replies written and sent from the console (issue 11, defect 1): templates per organization with
placeholders, the preview that is exactly what is sent, the send through the mail queue that records
the reply and stops the reply-due clock, the rules at the service, and the welcome mail when an
application becomes a membership."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail as django_mail
from django_q.models import OrmQ

from ouentai.accounts.choices import Role
from ouentai.community import services
from ouentai.community.models import Application, ContactLog, ReplyTemplate
from ouentai.community.selectors import company_timeline, reply_templates_for
from ouentai.core.audit import audit_details, audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.models import OutgoingMail
from tests.accounts.factories import make_user
from tests.community.factories import ApplicationFactory, InquiryFactory

pytestmark = pytest.mark.django_db

SUBJECT = "【{事務局名}】参加のお申し込みについて（受付番号 {受付番号}）"
BODY = """{会社名}
{担当者名} 様

お申し込みありがとうございます。{事務局名}の{送信者名}です。
ご都合のよい日時を、{返信期限}までにお知らせください。

{事務局名}
{事務局連絡先}"""


def _inquiry(organization):
    """A question about the fee, with no company name."""
    return InquiryFactory.create(
        organization=organization,
        name="中村 直樹",
        company_name="",
        email="nakamura@example.jp",
        subject="費用について",
        message="費用は？",
    )


@pytest.fixture
def application(yokohama):
    yokohama.contact_phone = "+81450000000"
    yokohama.save()
    return ApplicationFactory.create(organization=yokohama)


def _overdue(item):
    type(item).objects.filter(pk=item.pk).update(due_on=dt.date.today() - dt.timedelta(days=3))
    item.refresh_from_db()
    assert item.is_overdue and item.reply_state == "overdue"
    return item


def _nothing_sent(item):
    assert not OutgoingMail.objects.filter(kind__endswith=".reply").exists()
    assert not ContactLog.objects.exists()
    assert not any(e.action.endswith(".replied") for e in audit_entries_for(item))


# --- Rendering: placeholders filled from the record ---------------------------------------------


def test_placeholders_are_filled_from_the_record(application, staff):
    draft = services.reply_render(item=application, subject=SUBJECT, body=BODY, actor=staff)
    assert draft.to == "tanaka@minato.example.jp"
    assert draft.reply_to == "office@yokohama.example.jp"
    assert (
        draft.subject
        == f"【ITコーディネータ横浜】参加のお申し込みについて（受付番号 {application.reference}）"
    )
    due = application.due_on
    assert draft.body.startswith("株式会社みなと精機\n田中 誠 様\n")
    assert "ITコーディネータ横浜の山田 花子です。" in draft.body
    assert f"{due.year}年{due.month}月{due.day}日（" in draft.body
    assert "office@yokohama.example.jp / 045-000-0000" in draft.body
    assert "{" not in draft.subject + draft.body


def test_a_value_with_braces_is_inserted_once_not_read_again(yokohama, staff):
    item = ApplicationFactory.create(
        organization=yokohama, company_name="{受付番号}商店", contact_name="森", email="m@example.jp"
    )
    draft = services.reply_render(item=item, subject="ご連絡", body="{会社名} 御中", actor=staff)
    assert draft.body == "{受付番号}商店 御中\n"


def test_unknown_placeholders_are_refused_naming_them(application, staff):
    with pytest.raises(DomainError) as caught:
        services.reply_render(
            item=application, subject="件名", body="{会社名称} 様 {ご担当} {担当者名}", actor=staff
        )
    assert (caught.value.code, caught.value.field) == ("reply.unknown_placeholder", "body")
    message = str(caught.value.message)
    assert "{会社名称}" in message and "{ご担当}" in message and "{担当者名}、" in message


def test_a_placeholder_without_a_value_is_refused(yokohama, staff, application):
    inquiry = _inquiry(yokohama)  # no company name given
    with pytest.raises(DomainError) as caught:
        services.reply_render(item=inquiry, subject="回答", body="{会社名} 御中", actor=staff)
    assert caught.value.code == "reply.placeholder_empty" and "{会社名}" in str(caught.value.message)
    with pytest.raises(DomainError) as caught:
        services.reply_render(item=application, subject="{お問い合わせ件名}", body="本文", actor=staff)
    assert (caught.value.code, caught.value.field) == ("reply.placeholder_empty", "subject")
    draft = services.reply_render(
        item=inquiry, subject="Re: {お問い合わせ件名}", body="回答です", actor=staff
    )
    assert draft.subject == "Re: 費用について"


# --- The rules, at the service ------------------------------------------------------------------


def test_an_item_without_email_is_refused(application, staff):
    Application.objects.filter(pk=application.pk).update(email="")
    application.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        services.inbox_reply_send(item=application, subject="件名", body="本文", actor=staff)
    assert caught.value.code == "reply.no_email"
    _nothing_sent(application)


def test_an_item_of_another_organization_is_refused(application, kawasaki_staff):
    with pytest.raises(DomainError) as caught:
        services.inbox_reply_send(item=application, subject="件名", body="本文", actor=kawasaki_staff)
    assert caught.value.code == "reply.other_organization"
    _nothing_sent(application)


def test_a_coordinator_replies_only_to_items_assigned_to_them(application, coordinator, staff):
    with pytest.raises(DomainError) as caught:
        services.inbox_reply_send(item=application, subject="件名", body="本文", actor=coordinator)
    assert caught.value.code == "reply.forbidden"
    services.inbox_assign(item=application, assignee=coordinator, actor=staff)
    services.inbox_reply_send(item=application, subject="件名", body="本文", actor=coordinator)
    assert ContactLog.objects.get().actor == coordinator


@pytest.mark.parametrize(
    ("subject", "body", "code", "field"),
    [
        ("", "本文", "reply.subject_required", "subject"),
        ("   ", "本文", "reply.subject_required", "subject"),
        ("件名", "", "reply.body_required", "body"),
        ("件名", " \n \n", "reply.body_required", "body"),
        ("件" * 201, "本文", "reply.subject_too_long", "subject"),
    ],
)
def test_empty_subject_or_body_is_refused(application, staff, subject, body, code, field):
    with pytest.raises(DomainError) as caught:
        services.inbox_reply_send(item=application, subject=subject, body=body, actor=staff)
    assert (caught.value.code, caught.value.field) == (code, field)
    _nothing_sent(application)


def test_a_template_of_another_organization_is_refused(application, staff, kawasaki, kawasaki_staff):
    theirs = services.reply_template_save(
        organization=kawasaki,
        template=None,
        data=services.ReplyTemplateData(name="受付", kind="both", subject="件名", body="本文"),
        actor=kawasaki_staff,
    )
    with pytest.raises(DomainError) as caught:
        services.inbox_reply_send(item=application, subject="件名", body="本文", actor=staff, template=theirs)
    assert caught.value.code == "reply.template_invalid"


def test_a_text_changed_after_the_preview_is_not_sent(application, staff):
    draft = services.reply_render(item=application, subject=SUBJECT, body=BODY, actor=staff)
    with pytest.raises(DomainError) as caught:
        services.inbox_reply_send(
            item=application, subject=SUBJECT, body=BODY + "\n追記", actor=staff, previewed=draft.digest
        )
    assert caught.value.code == "reply.changed"
    _nothing_sent(application)


# --- The send: queued, recorded, audited, and the clock stopped ------------------------------------


def test_the_reply_is_queued_recorded_audited_and_stops_the_clock(application, staff, run_queued_tasks):
    _overdue(application)
    template = services.reply_template_save(
        organization=application.organization,
        template=None,
        data=services.ReplyTemplateData(name="受付のお礼", kind="application", subject=SUBJECT, body=BODY),
        actor=staff,
    )
    draft = services.reply_render(item=application, subject=SUBJECT, body=BODY, actor=staff)
    log = services.inbox_reply_send(
        item=application, subject=SUBJECT, body=BODY, actor=staff, template=template, previewed=draft.digest
    )
    sent = OutgoingMail.objects.get(kind="application.reply")
    # Exactly what the preview showed.
    assert (sent.to, sent.reply_to, sent.subject, sent.body) == (
        draft.to,
        draft.reply_to,
        draft.subject,
        draft.body,
    )
    assert log.mail == sent and log.channel == "email" and log.actor == staff
    assert OrmQ.objects.count() >= 1  # the delivery task, in the same transaction
    application.refresh_from_db()
    assert application.status == "contacted"
    assert application.first_contacted_at == sent.created_at
    assert application.assignee == staff
    assert not application.is_overdue
    assert application.reply_state == "late"  # after the due date, but no longer overdue
    entry = audit_entries_for(application).first()
    assert entry is not None and entry.action == "community.application.replied"
    assert dict(audit_details(entry)) == {
        "件名": draft.subject,
        "送信メール": f"{draft.subject} → tanaka@minato.example.jp",
        "使ったテンプレート": "受付のお礼",
    }
    run_queued_tasks()
    delivered = [
        m
        for m in django_mail.outbox
        if m.to == ["tanaka@minato.example.jp"] and "お申し込みについて" in m.subject
    ]
    assert len(delivered) == 1
    assert delivered[0].body == draft.body and delivered[0].reply_to == ["office@yokohama.example.jp"]
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_a_timely_reply_meets_the_promise_and_a_second_one_keeps_the_first_time(application, staff):
    services.inbox_reply_send(item=application, subject="ご連絡", body="一通目", actor=staff)
    application.refresh_from_db()
    first = application.first_contacted_at
    assert application.reply_state == "met"
    services.inbox_reply_send(item=application, subject="ご連絡", body="二通目", actor=staff)
    application.refresh_from_db()
    assert application.first_contacted_at == first
    assert ContactLog.objects.filter(application=application).count() == 2


def test_an_inquiry_reply_answers_it(yokohama, staff):
    inquiry = _overdue(_inquiry(yokohama))
    services.inbox_reply_send(item=inquiry, subject="Re: {お問い合わせ件名}", body="無料です。", actor=staff)
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and not inquiry.is_overdue
    assert OutgoingMail.objects.get(kind="inquiry.reply").subject == "Re: 費用について"
    services.inquiry_close(inquiry=inquiry, actor=staff)


def test_a_logged_call_still_keeps_the_promise_but_an_email_is_sent_not_logged(application, staff):
    with pytest.raises(DomainError) as caught:
        services.inbox_log_contact(item=application, channel="email", note="メールしました", actor=staff)
    assert (caught.value.code, caught.value.field) == ("contact_log.email_is_reply", "channel")
    _overdue(application)
    services.inbox_log_contact(item=application, channel="phone", note="電話で日程を調整", actor=staff)
    application.refresh_from_db()
    assert application.status == "contacted" and not application.is_overdue
    assert application.reply_state == "late"


# --- Conversion: the applicant hears that their membership started --------------------------------


def test_conversion_tells_the_applicant_and_the_timeline_shows_both_mails(
    application, staff, run_queued_tasks
):
    services.inbox_reply_send(item=application, subject="日程のご相談", body="来週伺います。", actor=staff)
    services.application_convert(application=application, actor=staff)
    welcome = OutgoingMail.objects.get(kind="application.welcome")
    assert welcome.to == "tanaka@minato.example.jp"
    assert welcome.reply_to == "office@yokohama.example.jp"
    assert "ITコーディネータ横浜" in welcome.subject and application.reference in welcome.subject
    assert "株式会社みなと精機" in welcome.body and "田中 誠 様" in welcome.body
    assert "これからの流れ" in welcome.body and "/diagnosis/" in welcome.body
    converted = next(
        e for e in audit_entries_for(application) if e.action == "community.application.converted"
    )
    assert dict(audit_details(converted))["送信メール"].startswith(welcome.subject)
    application.refresh_from_db()
    assert application.company is not None
    timeline = company_timeline(application.company)
    titles = [event.title for event in timeline if event.kind == "mail"]
    assert "返信メール「日程のご相談」" in titles
    assert welcome.subject in titles
    # The reply is on the timeline once, as the mail with its delivery status (not also as a log).
    assert not [e for e in timeline if e.kind == "contact_log"]
    run_queued_tasks()
    assert any(m.subject == welcome.subject for m in django_mail.outbox)
    timeline = company_timeline(application.company)
    assert any(e.title == "返信メール「日程のご相談」" and e.detail.startswith("送信済み") for e in timeline)


# --- Templates: per organization, checked, audited -------------------------------------------------


def test_templates_are_per_organization_checked_and_audited(
    yokohama, kawasaki, staff, kawasaki_staff, application
):
    data = services.ReplyTemplateData(name="受付のお礼", kind="application", subject=SUBJECT, body=BODY)
    mine = services.reply_template_save(organization=yokohama, template=None, data=data, actor=staff)
    services.reply_template_save(organization=kawasaki, template=None, data=data, actor=kawasaki_staff)
    with pytest.raises(DomainError) as caught:
        services.reply_template_save(organization=yokohama, template=None, data=data, actor=staff)
    assert (caught.value.code, caught.value.field) == ("reply_template.name_taken", "name")
    with pytest.raises(DomainError) as caught:
        services.reply_template_save(organization=yokohama, template=mine, data=data, actor=kawasaki_staff)
    assert caught.value.code == "reply_template.forbidden"
    coordinator = make_user(yokohama, Role.COORDINATOR)
    with pytest.raises(DomainError) as caught:
        services.reply_template_set_active(template=mine, active=False, actor=coordinator)
    assert caught.value.code == "reply_template.forbidden"
    bad = services.ReplyTemplateData(name="誤り", kind="both", subject="件名", body="{会社名前} 様")
    with pytest.raises(DomainError) as caught:
        services.reply_template_save(organization=yokohama, template=None, data=bad, actor=staff)
    assert caught.value.code == "reply.unknown_placeholder" and "{会社名前}" in str(caught.value.message)
    misfit = services.ReplyTemplateData(
        name="回答", kind="both", subject="Re: {お問い合わせ件名}", body="本文"
    )
    with pytest.raises(DomainError) as caught:
        services.reply_template_save(organization=yokohama, template=None, data=misfit, actor=staff)
    assert (caught.value.code, caught.value.field) == ("reply.placeholder_kind", "subject")
    assert list(reply_templates_for(application)) == [mine]
    assert not list(reply_templates_for(_inquiry(yokohama)))  # an application-only template
    services.reply_template_set_active(template=mine, active=False, actor=staff)
    assert not list(reply_templates_for(application))
    assert ReplyTemplate.objects.filter(organization=yokohama).count() == 1  # kept, not deleted
    actions = [e.action for e in audit_entries_for(mine)]
    assert actions == ["community.reply_template.deactivated", "community.reply_template.saved"]
