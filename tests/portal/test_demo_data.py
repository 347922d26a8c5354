import pytest
from django.core.management import call_command

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
    assert set(Organization.objects.values_list("short_name", flat=True)) == {"ITC横浜", "ITC川崎"}
    assert Application.objects.filter(organization__slug="kawasaki").exists()  # routed by postal code
    assert client.login(username="staff@yokohama.example.jp", password="ouentai-demo-2026")
    inbox = client.get("/console/applications/").content.decode()
    assert "期限超過" in inbox
    faq = client.get("/faq/").content.decode()
    assert "どのような会社が参加できますか" in faq
    assert "専門家派遣はどの制度を使いますか" not in faq  # a draft without an answer
