import dataclasses
import datetime as dt
import uuid

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from ouentai.community import services
from ouentai.community.models import Application, Company, ContactLog
from ouentai.content.models import FaqEntry, PrivacyPolicy
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.models import OutgoingMail
from tests.accounts.factories import make_user
from tests.community.factories import APPLICATION

pytestmark = pytest.mark.django_db

DATA = dataclasses.replace(APPLICATION, message="受注管理")


def submit(policy, data=DATA, token=None, **kwargs):
    return services.application_submit(
        data=data,
        token=token or uuid.uuid4(),
        consent=kwargs.pop("consent", True),
        policy=policy,
        policy_version=kwargs.pop("policy_version", policy.version if policy else ""),
        **kwargs,
    )


@pytest.fixture
def policy(yokohama):
    return PrivacyPolicy.objects.get(organization=yokohama)


def test_submit_records_application_audit_and_two_mails_in_queue(policy, staff):
    application, created = submit(policy)
    assert created
    assert application.organization.slug == "yokohama"
    assert application.reference.startswith("A-")
    assert application.privacy_policy_version == "1.0"
    assert [e.action for e in audit_entries_for(application)] == ["community.application.received"]
    mails = OutgoingMail.objects.filter(related_id=str(application.pk)).order_by("kind")
    assert [(m.kind, m.to) for m in mails] == [
        ("application.confirmation", "tanaka@minato.example.jp"),
        ("application.staff_notice", "staff@yokohama.example.jp"),
    ]
    assert application.reference in mails[0].subject
    assert OrmQ.objects.count() == 2


def test_submit_routes_by_postal_area(policy, kawasaki, yokohama):
    kawasaki_data = dataclasses.replace(DATA, municipality_code="14131", city="川崎市川崎区")
    assert submit(policy, kawasaki_data)[0].organization == kawasaki
    tokyo = dataclasses.replace(DATA, municipality_code="13101")
    assert submit(policy, tokyo)[0].organization == yokohama  # outside every area → default
    unknown = dataclasses.replace(DATA, municipality_code="")
    assert submit(policy, unknown)[0].organization == yokohama


def test_due_date_counts_business_days_per_organization(policy, yokohama, monkeypatch):
    yokohama.reply_due_business_days = 3
    yokohama.save()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 20))
    application, _ = submit(policy)
    # Fri 11/20 + 3 business days: Mon 11/23 is 勤労感謝の日 → 11/24, 11/25, 11/26
    assert application.due_on == dt.date(2026, 11, 26)


def test_same_token_twice_creates_one_application(policy):
    token = uuid.uuid4()
    first, created_first = submit(policy, token=token)
    second, created_second = submit(policy, token=token)
    assert created_first and not created_second
    assert first.pk == second.pk
    assert Application.objects.count() == 1
    assert OutgoingMail.objects.count() == 1  # no staff in the organization: confirmation only


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"consent": False}, "consent.required"), ({"policy_version": "0.9"}, "consent.outdated")],
)
def test_consent_rules(policy, kwargs, code):
    with pytest.raises(DomainError) as error:
        submit(policy, **kwargs)
    assert error.value.code == code
    assert Application.objects.count() == 0


def test_assign_only_within_organization_and_by_managers(policy, staff, coordinator, kawasaki_staff):
    application, _ = submit(policy)
    with pytest.raises(DomainError) as error:
        services.inbox_assign(item=application, assignee=kawasaki_staff, actor=staff)
    assert error.value.code == "inbox.assignee_invalid"
    with pytest.raises(DomainError) as error:
        services.inbox_assign(item=application, assignee=coordinator, actor=coordinator)
    assert error.value.code == "inbox.forbidden"
    application = services.inbox_assign(item=application, assignee=coordinator, actor=staff)
    assert application.status == "assigned"
    assert application.assignee == coordinator
    entry = audit_entries_for(application).first()
    assert entry is not None
    assert entry.action == "community.application.assigned"
    assert entry.actor == staff


def test_logging_a_contact_keeps_the_promise(policy, staff):
    application, _ = submit(policy)
    Application.objects.filter(pk=application.pk).update(due_on=dt.date(2020, 1, 6))
    application.refresh_from_db()
    assert application.is_overdue
    services.inbox_log_contact(item=application, channel="phone", note="ヒアリング日程を調整", actor=staff)
    application.refresh_from_db()
    assert application.status == "contacted"
    assert application.first_contacted_at is not None
    assert application.assignee == staff
    assert not application.is_overdue
    assert ContactLog.objects.get().note == "ヒアリング日程を調整"


def test_contact_note_required(policy, staff):
    application, _ = submit(policy)
    with pytest.raises(DomainError) as error:
        services.inbox_log_contact(item=application, channel="phone", note="  ", actor=staff)
    assert error.value.field == "note"


def test_convert_creates_company_then_links_the_same_company(policy, staff):
    application, _ = submit(policy)
    services.application_convert(application=application, actor=staff)
    application.refresh_from_db()
    company = application.company
    assert application.status == "converted"
    assert (company.legal_form, company.legal_form_position, company.core_name) == (
        "株式会社",
        "before",
        "みなと精機",
    )
    assert company.phone == "+81452011234"
    assert company.contacts.get().email == "tanaka@minato.example.jp"
    # The same company applying again, typed another way, is linked rather than duplicated.
    again = dataclasses.replace(
        DATA, company_name="㈱みなと精機", email="sato@minato.example.jp", contact_name="佐藤"
    )
    second, _ = submit(policy, again)
    services.application_convert(application=second, actor=staff)
    second.refresh_from_db()
    assert second.company_id == company.pk
    assert Company.objects.count() == 1
    assert company.contacts.count() == 2
    with pytest.raises(DomainError) as error:
        services.application_convert(application=second, actor=staff)
    assert error.value.code == "application.final"


def test_convert_matches_by_corporate_number(policy, staff):
    numbered = dataclasses.replace(DATA, corporate_number="7000012050002")
    first, _ = submit(policy, numbered)
    services.application_convert(application=first, actor=staff)
    renamed = dataclasses.replace(
        numbered, company_name="全く別の表記", phone="+81312345678", postal_code="1000001"
    )
    second, _ = submit(policy, renamed)
    services.application_convert(application=second, actor=staff)
    assert Company.objects.count() == 1


def test_decline_needs_a_reason(policy, staff):
    application, _ = submit(policy)
    with pytest.raises(DomainError):
        services.application_decline(application=application, reason="", actor=staff)
    services.application_decline(application=application, reason="対象地域外のため", actor=staff)
    application.refresh_from_db()
    assert application.status == "declined"


def inquiry(policy, **overrides):
    data = services.InquiryData(
        name="中村 直樹",
        name_kana="ナカムラ ナオキ",
        company_name="",
        email="nakamura@example.jp",
        phone="",
        postal_code="",
        municipality_code="",
        subject="費用について",
        message="専門家派遣の費用は？",
    )
    return services.inquiry_submit(
        data=dataclasses.replace(data, **overrides),
        token=uuid.uuid4(),
        consent=True,
        policy=policy,
        policy_version=policy.version,
    )[0]


def test_inquiry_close_requires_an_answer_and_faq_links_back(policy, staff):
    item = inquiry(policy)
    assert item.reference.startswith("Q-")
    with pytest.raises(DomainError) as error:
        services.inquiry_close(inquiry=item, actor=staff)
    assert error.value.code == "inquiry.unanswered"
    # An answer by e-mail is sent from the console (a hand-written "e-mail" log is refused).
    services.inbox_reply_send(
        item=item, subject="ご質問への回答（{受付番号}）", body="制度ごとに異なります。", actor=staff
    )
    item.refresh_from_db()
    assert item.status == "answered"
    entry = services.inquiry_to_faq(
        inquiry=item,
        question="専門家派遣の費用は？",
        answer="制度によって異なります。",
        publish=True,
        actor=staff,
    )
    assert entry.source_inquiry == item
    assert entry.organization_id == item.organization_id
    services.inquiry_close(inquiry=item, actor=staff)
    item.refresh_from_db()
    assert item.status == "closed"
    assert FaqEntry.objects.filter(is_published=True).count() == 1


def test_staff_notice_goes_to_notification_address_when_set(policy, yokohama, staff):
    yokohama.notification_email = "inbox@yokohama.example.jp"
    yokohama.save()
    application, _ = submit(policy)
    notice = OutgoingMail.objects.get(kind="application.staff_notice")
    assert notice.to == "inbox@yokohama.example.jp"
    assert application.reference in notice.subject


def test_coordinators_are_not_notified_of_every_application(policy, yokohama, coordinator):
    make_user(yokohama, "staff", "second@yokohama.example.jp")
    submit(policy)
    assert OutgoingMail.objects.get(kind="application.staff_notice").to == "second@yokohama.example.jp"
