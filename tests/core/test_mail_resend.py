import pytest
from django_q.models import OrmQ

from ouentai.core.models import OutgoingMail
from tests.community.post_data import application_post_data

pytestmark = pytest.mark.django_db


def test_org_admin_resends_mail_the_queue_gave_up_on(client, yokohama, org_admin):
    client.post("/apply/", application_post_data())
    OrmQ.objects.all().delete()  # the queue gave up
    mail = OutgoingMail.objects.get(kind="application.confirmation")
    OutgoingMail.objects.filter(pk=mail.pk).update(status="failed", attempts=100, last_error="SMTP down")
    client.force_login(org_admin)
    page = client.get("/admin/core/outgoingmail/")
    assert page.status_code == 200 and mail.subject in page.content.decode()
    response = client.post("/admin/core/outgoingmail/", {"action": "resend", "_selected_action": [mail.pk]})
    assert response.status_code == 302
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("pending", 0)
    assert OrmQ.objects.count() == 1


def test_console_says_failed_not_retrying(client, yokohama, staff):
    client.post("/apply/", application_post_data())
    mail = OutgoingMail.objects.get(kind="application.confirmation")
    OutgoingMail.objects.filter(pk=mail.pk).update(status="failed", attempts=100, last_error="SMTP down")
    client.force_login(staff)
    html = client.get(f"/console/applications/{mail.related_id}/").content.decode()
    assert "送信失敗" in html and "再送予定" not in html
