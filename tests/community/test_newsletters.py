import pytest
from django.urls import reverse
from django_q.models import Schedule

from ouentai.community import services
from ouentai.community.models import Contact, Newsletter, Segment
from ouentai.community.services.newsletters import newsletter_dispatch
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.models import OutgoingMail

pytestmark = pytest.mark.django_db


def member(org, name, contacts, *, employees=10):
    company = services.company_create(
        organization=org, data=services.CompanyData(name=name, employees=employees, industry="E"), actor=None
    )
    services.membership_create(company=company, status="active", actor=None)
    for contact_name, email, consent in contacts:
        services.contact_create(
            company=company,
            data=services.ContactData(name=contact_name, email=email, newsletter_consent=consent),
            actor=None,
        )
    return company


@pytest.fixture
def audience(yokohama, kawasaki):
    member(
        yokohama,
        "株式会社みなと精機",
        [("田中 誠", "tanaka@minato.example.jp", True), ("佐藤", "sato@minato.example.jp", False)],
    )
    member(
        yokohama,
        "さくら商店",
        [("桜井", "sakurai@sakura.example.jp", True), ("メールなし", "", True)],
        employees=3,
    )
    member(yokohama, "ベイ物産", [("Bay", "bay@example.jp", True)])
    member(kawasaki, "川崎の会社", [("川崎", "k@kawasaki.example.jp", True)])


def newsletter(org, actor, segment=None, per_minute=60):
    return services.newsletter_save(
        organization=org, newsletter=None, subject="経営者研修のご案内", body="{会社名}\n{氏名} 様\n研修を開催します。",
        segment=segment, per_minute=per_minute, actor=actor,
    )  # fmt: skip


def test_only_consenting_contacts_with_an_address_of_this_organization(audience, yokohama, staff):
    names = sorted(c.name for c in services.newsletter_audience(organization=yokohama, segment=None))
    assert names == ["Bay", "桜井", "田中 誠"]
    small = Segment.objects.create(organization=yokohama, name="小規模", query="size=1-5", created_by=staff)
    assert [c.name for c in services.newsletter_audience(organization=yokohama, segment=small)] == ["桜井"]


def test_batches_at_the_rate_never_twice_with_unsubscribe_headers(audience, yokohama, staff):
    letter = newsletter(yokohama, staff, per_minute=2)
    services.newsletter_start(newsletter=letter, actor=staff, confirmed_recipients=3)
    assert newsletter_dispatch(letter.pk) == 2
    assert (
        Schedule.objects.filter(func="ouentai.community.tasks.newsletter_dispatch").count() == 1
    )  # next batch
    assert newsletter_dispatch(letter.pk) == 1
    assert newsletter_dispatch(letter.pk) == 0  # finished: running again sends nothing
    letter.refresh_from_db()
    assert letter.status == "sent" and letter.queued == 3
    mails = OutgoingMail.objects.filter(kind=f"newsletter:{letter.pk}")
    assert sorted(m.to for m in mails) == [
        "bay@example.jp",
        "sakurai@sakura.example.jp",
        "tanaka@minato.example.jp",
    ]
    tanaka = mails.get(to="tanaka@minato.example.jp")
    assert "株式会社みなと精機" in tanaka.body and "田中 誠 様" in tanaka.body
    contact = Contact.objects.get(email="tanaka@minato.example.jp")
    url = f"/unsubscribe/{contact.unsubscribe_token}/"
    assert url in tanaka.body
    assert tanaka.headers["List-Unsubscribe"].endswith(f"{url}>")
    assert tanaka.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_click_unsubscribe_is_recorded(client, audience, yokohama):
    contact = Contact.objects.get(email="tanaka@minato.example.jp")
    url = reverse("portal:unsubscribe", args=[contact.unsubscribe_token])
    assert "配信を停止する" in client.get(url).content.decode()
    response = client.post(
        url, {"List-Unsubscribe": "One-Click"}
    )  # what a mail provider sends, no CSRF token
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.newsletter_consent is False
    assert audit_entries_for(contact)[0].details == {"consent": False, "source": "unsubscribe link"}
    assert client.post(url).status_code == 200  # twice is harmless
    assert "田中 誠" not in [
        c.name for c in services.newsletter_audience(organization=yokohama, segment=None)
    ]


def test_test_send_preview_and_permissions(client, audience, yokohama, staff, coordinator, kawasaki_staff):
    client.force_login(staff)
    response = client.post(
        reverse("community:newsletter_create"),
        {"subject": "経営者研修のご案内", "body": "{会社名} {氏名} 様", "per_minute": "60"},
    )
    letter = Newsletter.objects.get()
    assert response["Location"] == reverse("community:newsletter_detail", args=[letter.pk])
    page = client.get(response["Location"]).content.decode()
    assert (
        "同意している担当者 3人" in page
        and "株式会社みなと精機 田中 誠 様" in page
        and "/unsubscribe/" in page
    )
    client.post(response["Location"], {"action": "test"})
    test_mail = OutgoingMail.objects.get(kind=f"newsletter:{letter.pk}:test")
    assert test_mail.to == staff.email and test_mail.subject.startswith("[テスト送信]")
    client.post(response["Location"], {"action": "start"})  # only leads to the confirmation
    letter.refresh_from_db()
    assert letter.status == "draft"
    send = reverse("community:newsletter_send", args=[letter.pk])
    confirmation = client.get(send).content.decode()
    assert "3人に配信する" in confirmation and "会員企業すべて" in confirmation
    client.post(send, {"recipients": "3"})
    letter.refresh_from_db()
    assert letter.status == "sending" and letter.recipients == 3
    with pytest.raises(DomainError):
        services.newsletter_save(
            organization=yokohama,
            newsletter=letter,
            subject="x",
            body="y",
            segment=None,
            per_minute=1,
            actor=staff,
        )
    client.force_login(coordinator)
    assert client.get(reverse("community:newsletter_list")).status_code == 403
    client.force_login(kawasaki_staff)
    assert client.get(response["Location"]).status_code == 404


def test_newsletter_mails_are_on_the_company_timeline(client, audience, yokohama, staff):
    letter = newsletter(yokohama, staff)
    services.newsletter_start(newsletter=letter, actor=staff, confirmed_recipients=3)
    newsletter_dispatch(letter.pk)
    company = Contact.objects.get(email="tanaka@minato.example.jp").company
    client.force_login(staff)
    page = client.get(reverse("community:company_detail", args=[company.pk])).content.decode()
    assert "経営者研修のご案内" in page


def test_applicants_who_opt_in_become_consenting_contacts(client, yokohama, staff):
    from ouentai.community.models import Application
    from tests.conftest import application_post_data

    client.post("/apply/", application_post_data(newsletter_opt_in="on"))
    client.post("/apply/", application_post_data(email="nope@example.jp", company_name="別会社"))
    for application in Application.objects.all():
        services.application_convert(application=application, actor=staff)
    consent = dict(Contact.objects.values_list("email", "newsletter_consent"))
    assert consent == {"tanaka@minato-seiki.example.jp": True, "nope@example.jp": False}
