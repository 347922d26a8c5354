"""The reply in the console, as staff use it without JavaScript: pick a template, edit, preview what will
be sent, send; and the reply templates pages (issue 11, defect 1)."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from ouentai.community import services
from ouentai.community.models import ContactLog, ReplyTemplate
from ouentai.core.models import OutgoingMail
from tests.community.factories import ApplicationFactory
from tests.community.test_replies import BODY, SUBJECT, _overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(yokohama):
    return ApplicationFactory.create(organization=yokohama)


@pytest.fixture
def template(yokohama, staff):
    return services.reply_template_save(
        organization=yokohama,
        template=None,
        data=services.ReplyTemplateData(name="受付のお礼", kind="application", subject=SUBJECT, body=BODY),
        actor=staff,
    )


def _url(application):
    return reverse("community:application_detail", args=[application.pk])


def _page(response):
    return unescape(response.content.decode())


def test_the_page_offers_the_organizations_templates_only(
    client, staff, application, template, kawasaki, kawasaki_staff
):
    services.reply_template_save(
        organization=kawasaki,
        template=None,
        data=services.ReplyTemplateData(name="川崎の定型文", kind="both", subject="件名", body="本文"),
        actor=kawasaki_staff,
    )
    client.force_login(staff)
    html = _page(client.get(_url(application)))
    assert "返信を書く" in html
    assert "受付のお礼" in html and "川崎の定型文" not in html
    assert "{会社名}" in html  # the placeholders are listed


def test_pick_preview_and_send_without_javascript(client, staff, application, template):
    _overdue(application)
    client.force_login(staff)
    url = _url(application)
    loaded = client.post(url, {"action": "reply_template", "template": template.pk})
    assert loaded.status_code == 200
    form = loaded.context["reply_form"]
    assert (form["subject"].value(), form["body"].value()) == (SUBJECT, BODY)  # placeholders as written

    edited = BODY.replace(
        "お申し込みありがとうございます。", "お申し込みありがとうございます。担当は私です。"
    )
    preview = client.post(
        url, {"action": "reply_preview", "template": template.pk, "subject": SUBJECT, "body": edited}
    )
    assert preview.status_code == 200
    html = _page(preview)
    draft = preview.context["reply_preview"]
    assert (
        draft.subject
        == f"【ITコーディネータ横浜】参加のお申し込みについて（受付番号 {application.reference}）"
    )
    assert draft.subject in html and "担当は私です。" in html and "株式会社みなと精機" in html
    assert "この内容で送信する" in html
    assert not OutgoingMail.objects.filter(kind="application.reply").exists()  # a preview sends nothing

    sent = client.post(
        url,
        {"action": "reply_send", "template": template.pk, "subject": SUBJECT, "body": edited,
         "previewed": draft.digest},
    )  # fmt: skip
    assert sent.status_code == 302
    mail = OutgoingMail.objects.get(kind="application.reply")
    assert (mail.subject, mail.body) == (draft.subject, draft.body)
    page = _page(client.get(url))
    assert "返信を送信しました" in page
    assert "期限後に連絡" in page and "期限を過ぎています" not in page
    log_section = page[page.index('id="logs-heading"') :]
    assert "返信メール" in log_section and draft.subject in log_section and "送信待ち" in log_section


def test_a_send_without_a_preview_shows_the_preview_first(client, staff, application):
    client.force_login(staff)
    response = client.post(_url(application), {"action": "reply_send", "subject": "件名", "body": "本文"})
    assert response.status_code == 200
    assert response.context["reply_preview"] is not None
    assert not OutgoingMail.objects.filter(kind="application.reply").exists()


def test_an_edit_after_the_preview_asks_for_a_new_preview(client, staff, application):
    client.force_login(staff)
    url = _url(application)
    preview = client.post(url, {"action": "reply_preview", "subject": "件名", "body": "最初の本文"})
    digest = preview.context["reply_preview"].digest
    response = client.post(
        url, {"action": "reply_send", "subject": "件名", "body": "直した本文", "previewed": digest}
    )
    assert response.status_code == 200
    assert not OutgoingMail.objects.filter(kind="application.reply").exists()
    html = _page(response)
    assert "プレビューのあとで内容が変わりました" in html
    assert response.context["reply_preview"].body == "直した本文\n"


def test_unknown_placeholders_are_refused_and_nothing_typed_is_lost(client, staff, application):
    client.force_login(staff)
    body = "{会社名} 様\n長い文章をここまで書きました。{ご担当者}"
    response = client.post(_url(application), {"action": "reply_preview", "subject": "ご連絡", "body": body})
    assert response.status_code == 400
    html = _page(response)
    assert "使えない差し込み項目があります：{ご担当者}" in html
    assert response.context["reply_form"]["body"].value() == body
    assert response.context["reply_form"]["subject"].value() == "ご連絡"
    assert not ContactLog.objects.exists()


def test_a_coordinator_cannot_reply_to_an_item_of_someone_else(client, coordinator, application, staff):
    services.inbox_assign(item=application, assignee=coordinator, actor=staff)
    client.force_login(coordinator)
    response = client.post(_url(application), {"action": "reply_preview", "subject": "件名", "body": "本文"})
    assert response.status_code == 200  # their own item
    services.inbox_assign(item=application, assignee=staff, actor=staff)
    assert (
        client.post(_url(application), {"action": "reply_preview", "subject": "件", "body": "本"}).status_code
        == 404
    )


def test_the_page_query_count_does_not_grow_with_replies(
    client, staff, application, template, django_assert_max_num_queries
):
    client.force_login(staff)
    url = _url(application)
    services.inbox_reply_send(item=application, subject="一通目", body="本文", actor=staff)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(6):
        services.inbox_reply_send(item=application, subject=f"{i + 2}通目", body="本文", actor=staff)
        services.reply_template_save(
            organization=application.organization,
            template=None,
            data=services.ReplyTemplateData(name=f"定型文{i}", kind="both", subject="件名", body="本文"),
            actor=staff,
        )
    with django_assert_max_num_queries(len(one)):
        html = _page(client.get(url))
    assert "7通目" in html


# --- The templates pages --------------------------------------------------------------------------


def test_staff_create_edit_and_deactivate_templates(client, staff, yokohama):
    client.force_login(staff)
    create = reverse("community:reply_template_create")
    refused = client.post(
        create, {"name": "受付", "kind": "both", "subject": "件名", "body": "{会社名前} 様"}
    )
    assert refused.status_code == 400
    assert "{会社名前}" in _page(refused)
    assert 'value="受付"' in refused.content.decode()
    created = client.post(create, {"name": "受付", "kind": "both", "subject": "件名", "body": "{会社名} 様"})
    assert created.status_code == 302
    template = ReplyTemplate.objects.get(organization=yokohama)
    edit = reverse("community:reply_template_edit", args=[template.pk])
    client.post(edit, {"name": "受付のお礼", "kind": "application", "subject": "件名", "body": "{会社名} 様"})
    template.refresh_from_db()
    assert (template.name, template.kind) == ("受付のお礼", "application")
    client.post(edit, {"action": "deactivate"})
    template.refresh_from_db()
    assert not template.is_active
    listing = _page(client.get(reverse("community:reply_template_list")))
    assert "受付のお礼" in listing and "停止中" in listing
    history = _page(client.get(edit))
    assert "返信テンプレートの使用を停止" in history and "返信テンプレートを保存" in history


def test_coordinators_do_not_manage_templates_and_other_organizations_do_not_see_them(
    client, coordinator, kawasaki_staff, template
):
    client.force_login(coordinator)
    assert client.get(reverse("community:reply_template_list")).status_code == 403
    client.force_login(kawasaki_staff)
    assert client.get(reverse("community:reply_template_edit", args=[template.pk])).status_code == 404
    assert "受付のお礼" not in _page(client.get(reverse("community:reply_template_list")))
