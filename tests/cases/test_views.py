"""The case library's pages: the console (list, a case made from a completed engagement, edit, the case
page with its workflow buttons, photos and files, the signed form) and the member area (preview,
consent, withdrawal). Who may open what, that each button shows only when its step is allowed, that
the list's query count does not grow with the cases, that a refused form keeps what was typed, and
the mails each step queues."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ouentai.accounts.choices import Role
from ouentai.accounts.models import User
from ouentai.cases.choices import CONSENT_TEXT_VERSION, CONSENT_TEXTS, CaseStatus, CaseVariant, ConsentMethod
from ouentai.cases.models import Case, CaseMedia
from ouentai.cases.selectors.public import CASE_SEARCH_KIND, public_cases
from ouentai.cases.services import workflow
from ouentai.core.models import OutgoingMail, SearchEntry
from ouentai.core.search import search_filter
from tests.accounts.factories import OrganizationFactory, make_user
from tests.cases.factories import CaseFactory, completed_engagement, member_of, publish
from tests.cases.post_data import case_post_data
from tests.community.factories import CompanyFactory, MemberFactory
from tests.engagements.factories import EngagementFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
    b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def japanese(text: Any) -> str:
    """A lazy text as the Japanese pages show it, whatever language this thread has active."""
    with translation.override("ja"):
        return str(text)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def file_bytes(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def detail(case: Case) -> str:
    return reverse("cases_console:detail", args=[case.pk])


def my_detail(case: Case) -> str:
    return reverse("cases_my:detail", args=[case.pk])


def in_review(case: Case) -> Case:
    assert case.author is not None
    return workflow.case_submit(case=case, actor=case.author)


def asked(case: Case, variant: str = CaseVariant.ANONYMOUS) -> Case:
    return workflow.case_request_consent(
        case=in_review(case), actor=make_user(case.organization, Role.STAFF), variant=variant
    )


# --- Who may open what ----------------------------------------------------------------------------------


def test_other_organizations_staff_get_404_on_every_case_page() -> None:
    case = CaseFactory.create()
    media = CaseMedia.objects.create(case=case, name="a.png", file=SimpleUploadedFile("a.png", PNG))
    stranger = client_for(make_user(OrganizationFactory.create(), Role.STAFF))
    urls = [
        detail(case),
        reverse("cases_console:edit", args=[case.pk]),
        reverse("cases_console:media", args=[case.pk, media.pk]),
        reverse("cases_console:signed_form", args=[case.pk, 1]),
        reverse("cases_console:create", args=[case.engagement_id]),
    ]
    for url in urls:
        assert stranger.get(url).status_code == 404, url
        assert stranger.post(url, {"action": "publish"}).status_code in (404, 405), url  # 405: GET only
    assert case.title not in stranger.get(reverse("cases_console:list")).content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.PARTNER])
def test_people_outside_the_console_are_refused_it(role: str) -> None:
    case = CaseFactory.create()
    client = client_for(make_user(case.organization, role))
    for url in (reverse("cases_console:list"), detail(case)):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.EXPERT, Role.PARTNER, Role.STAFF])
def test_the_member_area_is_for_member_companies_only(role: str) -> None:
    case = asked(CaseFactory.create())
    client = client_for(make_user(case.organization, role))
    assert client.get(reverse("cases_my:list")).status_code == 403
    assert client.get(my_detail(case)).status_code == 403
    assert client.post(my_detail(case), {"action": "withdraw"}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CONSENT_REQUESTED


def test_a_member_sees_only_their_companys_cases_once_asked() -> None:
    case = CaseFactory.create()
    member = client_for(member_of(case).user)
    assert member.get(my_detail(case)).status_code == 404  # a draft is not the company's business yet
    in_review(case)
    assert member.get(my_detail(case)).status_code == 404
    other = asked(CaseFactory.create(engagement=completed_engagement(organization=case.organization)))
    workflow.case_request_consent(
        case=case, actor=make_user(case.organization, Role.STAFF), variant=CaseVariant.NAMED
    )
    assert member.get(my_detail(case)).status_code == 200
    assert member.get(my_detail(other)).status_code == 404
    assert member.post(my_detail(other), {"action": "withdraw"}).status_code == 404
    listing = member.get(reverse("cases_my:list")).content.decode()
    assert my_detail(case) in listing and my_detail(other) not in listing


# --- The list -------------------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_keeps_its_query_count(django_assert_num_queries: Any) -> None:
    first = CaseFactory.create()
    staff = client_for(make_user(first.organization, Role.STAFF))
    url = reverse("cases_console:list")
    response = staff.get(url)
    assert response.status_code == 200 and first.title in response.content.decode()
    with CaptureQueriesContext(connection) as one:
        staff.get(url)
    for _ in range(4):
        CaseFactory.create(engagement=completed_engagement(organization=first.organization))
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff.get(url)
    assert response.content.decode().count("/console/cases/") >= 5
    in_review(first)
    filtered = staff.get(url, {"status": CaseStatus.REVIEW}).content.decode()
    assert detail(first) in filtered and filtered.count('class="status case-status-') == 1


# --- A case from a completed engagement -------------------------------------------------------------------


def test_the_create_form_is_prefilled_from_the_engagement_and_its_kpis() -> None:
    engagement = completed_engagement()
    kpi = engagement.kpis.get()
    coordinator = client_for(engagement.lead)
    url = reverse("cases_console:create", args=[engagement.pk])
    page = coordinator.get(url).content.decode()
    assert engagement.challenges in page and "横浜市中区" in page and "6〜20人" in page
    assert f'value="{kpi.pk}"' in page and "1,000 → 1,170" in page
    # What the person types; the KPI is chosen, never typed.
    response = coordinator.post(url, case_post_data(kpi_ids=(kpi.pk,)))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(case)
    assert [k.kpi_id for k in case.kpis.all()] == [kpi.pk]
    assert case.author == engagement.lead and case.status == CaseStatus.DRAFT


def test_a_refused_form_keeps_what_was_typed() -> None:
    engagement = completed_engagement()
    coordinator = client_for(engagement.lead)
    url = reverse("cases_console:create", args=[engagement.pk])
    typed = {"title": "", "summary": "要約の下書き", "challenge": "課題の長い文章", "solution": "クラウド化",
             "results": "即日回答", "challenge_kind": "productivity", "it_area": "orders"}  # fmt: skip
    response = coordinator.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 400 and "入力してください。" in page
    assert "要約の下書き" in page and "課題の長い文章" in page and "即日回答" in page
    assert not Case.objects.exists()
    # A KPI of another engagement: the service refuses it beside the field, the text stays.
    other_kpi = completed_engagement(organization=engagement.organization).kpis.get()
    response = coordinator.post(url, {**typed, "title": "表題", "kpi_ids": [str(other_kpi.pk)]})
    assert response.status_code == 400 and "要約の下書き" in response.content.decode()
    assert not Case.objects.exists()


def test_an_engagement_that_is_not_completed_cannot_become_a_case() -> None:
    engagement = EngagementFactory.create()
    client = client_for(engagement.lead)
    url = reverse("cases_console:create", args=[engagement.pk])
    assert "完了した支援案件からだけ事例を作れます" in client.get(url).content.decode()
    response = client.post(url, case_post_data())
    assert response.status_code == 400 and not Case.objects.exists()
    engagement_page = client.get(reverse("engagements_console:detail", args=[engagement.pk])).content.decode()
    assert url not in engagement_page


def test_the_engagement_and_company_pages_offer_the_case_button() -> None:
    engagement = completed_engagement()
    client = client_for(engagement.lead)
    url = reverse("cases_console:create", args=[engagement.pk])
    assert url in client.get(reverse("engagements_console:detail", args=[engagement.pk])).content.decode()
    company_page = client.get(reverse("community:company_detail", args=[engagement.company_id]))
    assert url in company_page.content.decode()


def test_edit_only_while_a_draft() -> None:
    case = CaseFactory.create()
    client = client_for(case.engagement.lead)
    url = reverse("cases_console:edit", args=[case.pk])
    data = case_post_data(title="新しい表題")
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.title == "新しい表題" and case.kpis.count() == 0
    in_review(case)
    response = client.post(url, {**data, "title": "もう一度"})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).title == "新しい表題"


# --- The workflow buttons ---------------------------------------------------------------------------------


def buttons(client: Client, case: Case) -> set[str]:
    page = client.get(detail(case)).content.decode()
    names = ["submit", "approve", "return", "attach", "publish", "withdraw", "reopen"]
    return {name for name in names if f'name="action" value="{name}"' in page}


def test_each_button_shows_only_when_its_step_is_allowed_and_works(mailoutbox: Any) -> None:
    case = CaseFactory.create()
    author = client_for(case.engagement.lead)
    reviewer_user = make_user(case.organization, Role.STAFF, name="承認 担当")
    reviewer = client_for(reviewer_user)
    member = member_of(case)

    assert buttons(author, case) == {"submit"}
    assert author.post(detail(case), {"action": "submit"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEW
    assert buttons(author, case) == set()  # the author never approves their own case
    assert buttons(reviewer, case) == {"approve", "return"}

    # Return needs a reason: refused beside the field, nothing changes.
    response = reviewer.post(detail(case), {"action": "return", "reason": ""})
    assert response.status_code == 400 and Case.objects.get(pk=case.pk).status == CaseStatus.REVIEW
    assert (
        reviewer.post(detail(case), {"action": "return", "reason": "成果の数字を足してください"}).status_code
        == 302
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT
    author.post(detail(case), {"action": "submit"})

    # Approve with the variant: the company's members are mailed.
    response = reviewer.post(detail(case), {"action": "approve", "variant": CaseVariant.NAMED})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.variant, case.reviewer_id) == (
        CaseStatus.CONSENT_REQUESTED,
        CaseVariant.NAMED,
        reviewer_user.pk,
    )
    [mail] = OutgoingMail.objects.filter(kind="cases.consent_requested")
    assert mail.to == member.user.email and my_detail(case) in mail.body and case.title in mail.body
    assert buttons(reviewer, case) == {"attach", "withdraw"}
    assert buttons(author, case) == set()  # a coordinator neither attaches forms nor withdraws
    page = reviewer.get(detail(case)).content.decode()
    assert japanese(CONSENT_TEXTS[CaseVariant.NAMED]) in page  # the text the signed form must carry

    # A signed form without the signer's name: refused, and what was typed stays.
    form = SimpleUploadedFile("同意書.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = reviewer.post(detail(case), {"action": "attach", "signer_name": "", "signed_form": form})
    assert response.status_code == 400 and Case.objects.get(pk=case.pk).status == CaseStatus.CONSENT_REQUESTED
    form = SimpleUploadedFile("同意書.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = reviewer.post(
        detail(case), {"action": "attach", "signer_name": "港 一郎", "signed_form": form}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    consent = case.consents.get()
    assert (case.status, consent.method, consent.version) == (
        CaseStatus.CONSENTED,
        ConsentMethod.SIGNED_FORM,
        CONSENT_TEXT_VERSION,
    )
    [notice] = OutgoingMail.objects.filter(kind="cases.consented")
    assert notice.to == case.engagement.lead.email

    # The consent history shows the exact text and version; the form opens for staff only.
    page = reviewer.get(detail(case)).content.decode()
    assert consent.text in page and f"第{CONSENT_TEXT_VERSION}版" in page
    form_url = reverse("cases_console:signed_form", args=[case.pk, consent.pk])
    assert form_url in page and form_url not in author.get(detail(case)).content.decode()
    download = reviewer.get(form_url)
    assert download.status_code == 200 and file_bytes(download) == b"%PDF-1.4 signed"
    assert "no-store" in download["Cache-Control"]
    assert author.get(form_url).status_code == 403

    assert buttons(reviewer, case) == {"publish", "withdraw"}
    assert reviewer.post(detail(case), {"action": "publish"}).status_code == 302
    assert list(public_cases()) == [case]
    assert SearchEntry.objects.filter(kind=CASE_SEARCH_KIND, object_id=case.pk).exists()

    assert buttons(reviewer, case) == {"withdraw"}
    assert reviewer.post(detail(case), {"action": "withdraw", "reason": "企業の依頼"}).status_code == 302
    assert list(public_cases()) == []
    assert not SearchEntry.objects.filter(kind=CASE_SEARCH_KIND).exists()
    [withdrawn] = OutgoingMail.objects.filter(kind="cases.withdrawn")
    assert "企業の依頼" in withdrawn.body

    assert buttons(author, case) == {"reopen"}
    assert author.post(detail(case), {"action": "reopen"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT
    page = reviewer.get(detail(case)).content.decode()
    assert "事例を公開" in page and "事例の公開を取りやめ" in page  # the audit trail in words


def test_a_step_refused_by_the_service_is_shown_beside_its_button() -> None:
    case = CaseFactory.create(summary="")
    client = client_for(case.engagement.lead)
    response = client.post(detail(case), {"action": "submit"})
    assert response.status_code == 400
    assert "承認に回す前に" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT
    # A button the person does not have: the service refuses it the same way.
    response = client.post(detail(case), {"action": "publish"})
    assert response.status_code == 400 and "権限がありません" in response.content.decode()


def test_photos_need_alt_text_and_can_be_removed_while_a_draft() -> None:
    case = CaseFactory.create()
    client = client_for(case.engagement.lead)
    photo = SimpleUploadedFile("工場.png", PNG, content_type="image/png")
    response = client.post(
        detail(case),
        {"action": "media", "kind": "photo", "file": photo, "alt_text": "", "caption": "新しい出荷棚"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "代替テキスト" in page and "新しい出荷棚" in page
    assert not CaseMedia.objects.exists()
    photo = SimpleUploadedFile("工場.png", PNG, content_type="image/png")
    response = client.post(
        detail(case),
        {"action": "media", "kind": "photo", "file": photo, "alt_text": "出荷棚の前の社員", "caption": ""},
    )
    assert response.status_code == 302
    media = CaseMedia.objects.get()
    page = client.get(detail(case)).content.decode()
    assert 'alt="出荷棚の前の社員"' in page
    url = reverse("cases_console:media", args=[case.pk, media.pk])
    assert file_bytes(client.get(url)) == PNG
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert not CaseMedia.objects.exists()


# --- The member area ---------------------------------------------------------------------------------------


def test_the_member_previews_exactly_what_is_public_and_consents() -> None:
    case = asked(CaseFactory.create(), CaseVariant.ANONYMOUS)
    member = member_of(case)
    client = client_for(member.user)
    listing = client.get(reverse("cases_my:list")).content.decode()
    assert "同意をお願いしている事例" in listing and case.title in listing
    response = client.get(my_detail(case))
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    preview = page.split('<article class="case-preview"', 1)[1].split("</article>", 1)[0]
    assert case.title in preview and "神奈川県の" in preview and "製造業" in preview
    assert case.company.name not in preview and "横浜市中区" not in preview  # anonymized
    assert japanese(CONSENT_TEXTS[CaseVariant.ANONYMOUS]) in page and f"第{CONSENT_TEXT_VERSION}版" in page

    # Without ticking the box: refused, nothing recorded.
    data = {"action": "consent", "version": CONSENT_TEXT_VERSION, "variant": CaseVariant.ANONYMOUS}
    response = client.post(my_detail(case), data)
    assert response.status_code == 400 and "チェックを入れてください" in response.content.decode()
    # A version the page no longer shows: refused, asked again.
    response = client.post(my_detail(case), {**data, "version": "2025-1", "agree": "on"})
    assert response.status_code == 400 and "同意文が変わりました" in response.content.decode()
    assert not case.consents.exists()

    response = client.post(my_detail(case), {**data, "agree": "on"})
    assert response.status_code == 302
    consent = case.consents.get()
    assert (consent.given_by, consent.method, consent.variant) == (
        member.user,
        ConsentMethod.ONLINE,
        CaseVariant.ANONYMOUS,
    )
    assert consent.text == japanese(CONSENT_TEXTS[CaseVariant.ANONYMOUS])
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CONSENTED
    [notice] = OutgoingMail.objects.filter(kind="cases.consented")
    assert notice.to == case.engagement.lead.email and case.company.name in notice.body


def test_the_member_withdraws_a_published_case_and_it_is_gone_everywhere() -> None:
    case = publish(CaseFactory.create(), variant=CaseVariant.NAMED)
    member = case.company.member_accounts.get()
    client = client_for(member.user)
    assert list(search_filter(public_cases(), kind=CASE_SEARCH_KIND, query="受注")) == [case]
    page = client.get(my_detail(case)).content.decode()
    assert case.company.name in page.split('<article class="case-preview"', 1)[1]  # named
    response = client.post(my_detail(case), {"action": "withdraw", "reason": "取引先の事情"})
    assert response.status_code == 302
    assert list(public_cases()) == []
    assert list(search_filter(public_cases(), kind=CASE_SEARCH_KIND, query="受注")) == []
    assert not SearchEntry.objects.filter(kind=CASE_SEARCH_KIND).exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN and case.consents.get().withdrawn_at is not None
    [notice] = OutgoingMail.objects.filter(kind="cases.withdrawn")
    assert notice.to == case.engagement.lead.email and "取引先の事情" in notice.body
    # Nothing left to withdraw: the button is gone and a second post is refused.
    assert 'value="withdraw"' not in client.get(my_detail(case)).content.decode()
    assert client.post(my_detail(case), {"action": "withdraw"}).status_code == 400


def test_the_member_home_links_to_the_cases() -> None:
    company = CompanyFactory.create()
    member = MemberFactory.create(company=company)
    page = client_for(member.user).get(reverse("my:home")).content.decode()
    assert reverse("cases_my:list") in page


def test_the_member_may_decline_while_asked() -> None:
    case = asked(CaseFactory.create())
    client = client_for(member_of(case).user)
    page = client.get(my_detail(case)).content.decode()
    assert "掲載に同意しない" in page
    response = client.post(my_detail(case), {"action": "withdraw", "reason": ""}, follow=True)
    assert "掲載をお断りしました" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.WITHDRAWN
    [notice] = OutgoingMail.objects.filter(kind="cases.withdrawn")
    assert notice.to == case.engagement.lead.email


def test_the_audit_trail_says_the_consent_method_in_words() -> None:
    case = asked(CaseFactory.create())
    member = member_of(case)
    workflow.case_consent(
        case=case, actor=member.user, shown_version=CONSENT_TEXT_VERSION, shown_variant=case.variant
    )
    page = client_for(make_user(case.organization, Role.STAFF)).get(detail(case)).content.decode()
    assert "同意の方法：会員ページで同意" in page and "：online" not in page


def test_the_case_page_says_whether_anyone_at_the_company_can_consent_online() -> None:
    case = asked(CaseFactory.create())
    staff = client_for(make_user(case.organization, Role.STAFF))
    assert "会員ページのアカウントがないため" in staff.get(detail(case)).content.decode()
    member_of(case)
    page = staff.get(detail(case)).content.decode()
    assert "会員ページのアカウントがないため" not in page and "会員1名" in page


def test_the_list_links_to_the_nomination_export_for_staff_only() -> None:
    case = CaseFactory.create()
    nominations = reverse("case_nominations")
    staff = client_for(make_user(case.organization, Role.STAFF)).get(reverse("cases_console:list"))
    assert nominations in staff.content.decode()
    coordinator = client_for(make_user(case.organization, Role.COORDINATOR)).get(
        reverse("cases_console:list")
    )
    assert coordinator.status_code == 200 and nominations not in coordinator.content.decode()
