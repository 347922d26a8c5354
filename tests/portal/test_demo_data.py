import pytest
from django.core.management import call_command

from ouentai.accounts.choices import OrganizationKind
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Application, Inquiry
from ouentai.content.models import FaqEntry

pytestmark = pytest.mark.django_db


def test_demo_data_is_japanese_and_safe_to_run_twice(client):
    call_command("demo_data")
    counts = (
        User.objects.count(),
        Application.objects.count(),
        Inquiry.objects.count(),
        FaqEntry.objects.count(),
    )
    call_command("demo_data")
    assert (
        User.objects.count(),
        Application.objects.count(),
        Inquiry.objects.count(),
        FaqEntry.objects.count(),
    ) == counts
    implementing = Organization.objects.filter(kind=OrganizationKind.IMPLEMENTING)
    assert set(implementing.values_list("short_name", flat=True)) == {"ITC横浜", "ITC川崎"}
    # and the program office that funds them, which sees their aggregates only
    assert Organization.objects.filter(kind=OrganizationKind.PROGRAM_OFFICE).count() == 1
    assert Application.objects.filter(organization__slug="kawasaki").exists()  # routed by postal code
    assert client.login(username="staff@yokohama.example.jp", password="ouentai-demo-2026")
    inbox = client.get("/console/applications/").content.decode()
    assert "期限超過" in inbox
    faq = client.get("/faq/").content.decode()
    assert "どのような会社が参加できますか" in faq
    assert "専門家派遣はどの制度を使いますか" not in faq  # a draft without an answer


def test_demo_reply_templates_fit_the_demo_records():
    """Two or three realistic templates per organization (issue 11, defect 1), each rendering for the
    records it is for, and the first demo application answered with one before it was converted."""
    from ouentai.community.models import ReplyTemplate
    from ouentai.community.services import reply_render
    from ouentai.core.models import OutgoingMail

    call_command("demo_data")
    staff = User.objects.get(email="staff@yokohama.example.jp")
    for organization in Organization.objects.filter(kind=OrganizationKind.IMPLEMENTING):
        assert 2 <= ReplyTemplate.objects.filter(organization=organization, is_active=True).count() <= 3
    application = Application.objects.filter(organization=staff.organization).first()
    inquiry = Inquiry.objects.filter(organization=staff.organization).first()
    for template in ReplyTemplate.objects.filter(organization=staff.organization):
        item = inquiry if template.kind == "inquiry" else application
        assert item is not None
        draft = reply_render(item=item, subject=template.subject, body=template.body, actor=staff)
        assert "{" not in draft.subject + draft.body
    assert OutgoingMail.objects.filter(kind="application.reply").count() == 1
    assert OutgoingMail.objects.filter(kind="application.welcome").count() == 1


def test_defect_9_demo_contacts_agreed_to_newsletters_so_a_newsletter_can_be_tried(client):
    from ouentai.community.models import Contact, Newsletter
    from ouentai.community.services import newsletter_audience
    from ouentai.core.audit import audit_entries_for

    call_command("demo_data")
    consenting = Contact.objects.filter(newsletter_consent=True)
    assert consenting.filter(organization__slug="yokohama").count() >= 3
    contact = consenting.exclude(newsletter_consent_changed_at=None).first()
    assert contact is not None  # when it was recorded, and how (the audit entry), as the console records it
    assert any(e.action == "community.contact.consent_changed" for e in audit_entries_for(contact))
    assert Contact.objects.filter(newsletter_consent=False).exists()  # not everyone agreed
    letter = Newsletter.objects.get(organization__slug="yokohama")
    assert newsletter_audience(organization=letter.organization, segment=letter.segment).count() >= 3
    assert client.login(username="staff@yokohama.example.jp", password="ouentai-demo-2026")
    page = client.get(f"/console/newsletters/{letter.pk}/").content.decode()
    assert "配信の確認へ" in page


def test_defect_18_demo_set_up_leaves_no_mail_or_task_for_a_worker_with_other_settings(settings):
    from django_q.models import OrmQ

    from ouentai.core.models import OutgoingMail

    call_command("demo_data")
    assert OutgoingMail.objects.exists()
    assert not OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING).exists()
    assert not OrmQ.objects.exists()  # nothing signed with this SECRET_KEY waits for a worker
