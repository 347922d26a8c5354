"""Issue 11, defect 9: newsletters and segments at their edges (each test fails on the code before)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ouentai.community import services
from ouentai.community.models import Newsletter, Segment
from ouentai.community.services.newsletters import newsletter_dispatch
from ouentai.core.errors import DomainError
from ouentai.core.models import OutgoingMail

pytestmark = pytest.mark.django_db


def member(org, name, contacts):
    company = services.company_create(
        organization=org, data=services.CompanyData(name=name, employees=10, industry="E"), actor=None
    )
    services.membership_create(company=company, status="active", actor=None)
    for contact_name, email, consent in contacts:
        services.contact_create(
            company=company,
            data=services.ContactData(name=contact_name, email=email, newsletter_consent=consent),
            actor=None,
        )
    return company


def draft(org, actor, segment=None) -> Newsletter:
    return services.newsletter_save(
        organization=org, newsletter=None, subject="研修のご案内", body="{会社名}\n{氏名} 様\n本文",
        segment=segment, per_minute=60, actor=actor,
    )  # fmt: skip


def test_defect_9_a_test_send_goes_to_the_staff_member_whatever_the_audience(client, yokohama, staff):
    member(yokohama, "みなと精機", [("田中", "tanaka@minato.example.jp", False)])  # nobody agreed
    letter = draft(yokohama, staff)
    client.force_login(staff)
    url = reverse("community:newsletter_detail", args=[letter.pk])
    page = client.get(url).content.decode()
    assert "（宛先の会社名）" in page and "自分にテスト送信" in page
    client.post(url, {"action": "test"})
    mail = OutgoingMail.objects.get(kind=f"newsletter:{letter.pk}:test")
    assert mail.to == staff.email and mail.subject.startswith("[テスト送信]")
    assert "（宛先の会社名）" in mail.body and "（宛先の氏名） 様" in mail.body


def test_defect_9_sending_is_neither_offered_nor_possible_at_zero_recipients(client, yokohama, staff):
    letter = draft(yokohama, staff)
    client.force_login(staff)
    page = client.get(reverse("community:newsletter_detail", args=[letter.pk])).content.decode()
    assert "宛先が0人なので、配信は始められません" in page and "配信の確認へ" not in page
    response = client.post(reverse("community:newsletter_send", args=[letter.pk]), {"recipients": "0"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "draft"
    with pytest.raises(DomainError) as error:
        services.newsletter_start(newsletter=letter, actor=staff, confirmed_recipients=0)
    assert error.value.code == "newsletter.empty" and "0人" in str(error.value.message)


def test_defect_9_sending_takes_a_confirmation_that_names_the_segment_and_the_count(client, yokohama, staff):
    member(
        yokohama,
        "みなと精機",
        [("田中", "tanaka@minato.example.jp", True), ("佐藤", "sato@minato.example.jp", True)],
    )
    segment = services.segment_save(organization=yokohama, name="製造業", query="industry=E", actor=staff)
    letter = draft(yokohama, staff, segment)
    client.force_login(staff)
    detail = reverse("community:newsletter_detail", args=[letter.pk])
    client.post(detail, {"action": "start"})  # the old one-click start
    letter.refresh_from_db()
    assert letter.status == "draft" and not OutgoingMail.objects.exists()
    send = reverse("community:newsletter_send", args=[letter.pk])
    page = client.get(send).content.decode()
    assert "セグメント「製造業」" in page and "2人に配信する" in page
    member(yokohama, "ベイ物産", [("村上", "murakami@bay.example.jp", True)])  # the audience grows meanwhile
    response = client.post(send, {"recipients": "2"})
    assert response["Location"] == send
    letter.refresh_from_db()
    assert letter.status == "draft"
    client.post(send, {"recipients": "3"})
    letter.refresh_from_db()
    assert letter.status == "sending" and letter.recipients == 3


def test_defect_9_a_segment_is_deleted_after_a_confirmation_and_can_be_restored(client, yokohama, staff):
    member(yokohama, "みなと精機", [("田中", "tanaka@minato.example.jp", True)])
    segment = services.segment_save(organization=yokohama, name="製造業", query="industry=E", actor=staff)
    sent = draft(yokohama, staff, segment)
    services.newsletter_start(newsletter=sent, actor=staff, confirmed_recipients=1)
    newsletter_dispatch(sent.pk)
    client.force_login(staff)
    listing = client.get(reverse("community:company_list")).content.decode()
    delete = reverse("community:segment_delete", args=[segment.pk])
    assert delete in listing  # the × leads to a confirmation, it deletes nothing by itself
    page = client.get(delete).content.decode()
    assert "セグメント「製造業」を削除しますか" in page and "研修のご案内" in page
    assert Segment.objects.get().deleted_at is None
    assert client.post(delete).status_code == 302  # was a ProtectedError (500) with a newsletter on it
    segment.refresh_from_db()
    assert segment.deleted_at is not None
    listing = client.get(reverse("community:company_list")).content.decode()
    assert "元に戻す" in listing and 'href="?industry=E"' not in listing
    record = client.get(reverse("community:newsletter_detail", args=[sent.pk])).content.decode()
    assert "セグメント「製造業」" in record and "（削除済み）" in record  # the record still says to whom
    services.segment_save(organization=yokohama, name="製造業", query="industry=E&size=1-5", actor=staff)
    with pytest.raises(DomainError):  # the name was taken again meanwhile
        services.segment_restore(segment=segment, actor=staff)
    Segment.objects.filter(deleted_at__isnull=True).delete()
    client.post(reverse("community:segment_restore", args=[segment.pk]))
    segment.refresh_from_db()
    assert segment.deleted_at is None


def test_defect_9_a_draft_whose_segment_was_deleted_chooses_again_before_sending(client, yokohama, staff):
    member(yokohama, "みなと精機", [("田中", "tanaka@minato.example.jp", True)])
    segment = services.segment_save(organization=yokohama, name="製造業", query="industry=E", actor=staff)
    letter = draft(yokohama, staff, segment)
    services.segment_delete(segment=segment, actor=staff)
    with pytest.raises(DomainError) as error:
        services.newsletter_start(newsletter=letter, actor=staff, confirmed_recipients=1)
    assert error.value.code == "newsletter.segment_deleted"
    client.force_login(staff)
    page = client.get(reverse("community:newsletter_edit", args=[letter.pk])).content.decode()
    assert "宛先だったセグメント「製造業」は削除されました" in page


def test_a_contact_known_only_by_address_is_greeted_as_ご担当者(yokohama, staff):
    member(yokohama, "みなと精機", [("", "info@minato.example.jp", True)])
    letter = draft(yokohama, staff)
    services.newsletter_start(newsletter=letter, actor=staff, confirmed_recipients=1)
    newsletter_dispatch(letter.pk)
    assert "ご担当者 様" in OutgoingMail.objects.get(kind=f"newsletter:{letter.pk}").body
