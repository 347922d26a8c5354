import pytest
from django.urls import reverse

from ouentai.content.models import FaqEntry
from ouentai.core.audit import audit_entries_for

pytestmark = pytest.mark.django_db


def test_staff_add_edit_reorder_and_delete_entries(client, staff, yokohama):
    client.force_login(staff)
    for question in ["一つ目", "二つ目", "三つ目"]:
        response = client.post(
            reverse("content:faq_create"),
            {"question": question, "answer": f"{question}の回答", "is_published": "on"},
        )
        assert response.status_code == 302
    first, second, third = FaqEntry.objects.order_by("position")
    client.post(reverse("content:faq_move", args=[third.pk]), {"direction": "up"})
    assert list(FaqEntry.objects.order_by("position").values_list("question", flat=True)) == [
        "一つ目",
        "三つ目",
        "二つ目",
    ]
    client.post(
        reverse("content:faq_edit", args=[first.pk]),
        {"question": "一つ目（改）", "answer": "", "is_published": "on"},
    )
    first.refresh_from_db()
    assert first.question == "一つ目（改）" and not first.is_visible
    # Staff's edits show on their organization's own public Q&A.
    public = client.get(reverse("org:faq", kwargs={"org": "yokohama"})).content.decode()
    assert "一つ目（改）" not in public  # no answer: never shown
    assert public.index("三つ目") < public.index("二つ目")
    assert [e.action for e in audit_entries_for(first)] == ["content.faq.updated", "content.faq.created"]
    client.post(reverse("content:faq_delete", args=[second.pk]))
    assert not FaqEntry.objects.filter(pk=second.pk).exists()


def test_empty_question_keeps_the_answer_typed(client, staff):
    client.force_login(staff)
    response = client.post(reverse("content:faq_create"), {"question": " ", "answer": "長い回答の下書き"})
    assert response.status_code == 400
    assert "長い回答の下書き" in response.content.decode()
    assert FaqEntry.objects.count() == 0


def test_other_organization_cannot_edit(client, staff, kawasaki_staff, yokohama):
    entry = FaqEntry.objects.create(organization=yokohama, question="横浜の質問", answer="回答")
    client.force_login(kawasaki_staff)
    assert client.get(reverse("content:faq_edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("content:faq_delete", args=[entry.pk])).status_code == 404
    assert "横浜の質問" not in client.get(reverse("content:faq_list")).content.decode()
