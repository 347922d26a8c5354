"""Nothing reaches a public output that the company did not agree to publish, rendered and read as a
visitor (or a crawler, a feed reader, a link preview) gets it: the library (program-wide and the
organization's), keyword search results, each case page with its OGP/Twitter tags, its photos, the Atom
feed and the sitemap.

- A draft, a case in review, one waiting for consent, one consented but not published, one withdrawn,
  and two published behind the services' back (consent withdrawn; consent for the other variant) appear
  nowhere: not their titles, not their keys, and their pages and photos are 404.
- A published anonymized case appears, but its company's name (and フリガナ), 法人番号, city, address,
  phone, the people (contacts, members, the coordinator) and their e-mail addresses appear nowhere.
- A published named case shows its company's name and city everywhere it is listed: the same checks
  find it there, so they can fail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ouentai.accounts.models import User
from ouentai.cases.choices import CONSENT_TEXT_VERSION, CaseStatus, CaseVariant
from ouentai.cases.models import Case, CaseConsent, CaseMedia
from ouentai.cases.selectors.public import CASE_SEARCH_KIND
from ouentai.cases.services.authoring import case_media_add
from ouentai.cases.services.workflow import case_consent, case_request_consent, case_submit, case_withdraw
from ouentai.core.jp import format_phone
from ouentai.core.models import SearchEntry
from tests.cases.factories import CaseFactory, completed_engagement, member_of, publish, reviewer_of
from tests.community.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def _company(organization: Any, n: int, name: str, corporate_number: str, city: str, town: str) -> Any:
    company = CompanyFactory.create(
        organization=organization, name=name, name_kana=f"テストコウギョウ{n}", corporate_number=corporate_number,
        postal_code="2310023", prefecture="神奈川県", city=city, municipality_code="14104", town=town,
        address=f"{n}-2-3 港ビル", phone=f"+8145201{n:04d}", industry="E", employees=12,
    )  # fmt: skip
    ContactFactory.create(company=company, name=f"秘密 花子{n}", email=f"hanako{n}@secret{n}.example.jp")
    return company


def _case(organization: Any, n: int, *, stage: str, company: Any = None) -> Case:
    """A case of company n, with a photo, taken to ``stage``."""
    company = company or _company(organization, n, f"株式会社非公開{n}工業", "", "横浜市中区", f"非公開町{n}")
    case = CaseFactory.create(engagement=completed_engagement(company=company), title=f"受注の事例 {stage}")
    assert case.author is not None
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    case_media_add(case=case, actor=case.author, upload=upload, kind="photo", alt_text="作業場の様子")
    reviewer = reviewer_of(case)
    if stage == "draft":
        return case
    case = case_submit(case=case, actor=case.author)
    if stage == "review":
        return case
    case = case_request_consent(case=case, actor=reviewer, variant=CaseVariant.ANONYMOUS)
    if stage == "consent_requested":
        return case
    case_consent(
        case=case, actor=member_of(case).user, shown_version=CONSENT_TEXT_VERSION, shown_variant=case.variant
    )
    case.refresh_from_db()
    if stage == "consented":
        return case
    raise AssertionError(stage)


@pytest.fixture
def cases(yokohama: Any) -> dict[str, Case]:
    hidden = {stage: _case(yokohama, n, stage=stage) for n, stage in enumerate(
        ["draft", "review", "consent_requested", "consented"], start=1
    )}  # fmt: skip
    withdrawn = publish(CaseFactory.create(
        engagement=completed_engagement(company=_company(yokohama, 5, "株式会社取下げ5工業", "", "横浜市中区", "取下町")),
        title="受注の事例 withdrawn",
    ))  # fmt: skip
    case_withdraw(case=withdrawn, actor=withdrawn.company.member_accounts.get().user)
    hidden["withdrawn"] = withdrawn
    # Published, but its consent was withdrawn behind the services' back: the gate reads the consent.
    no_consent = publish(CaseFactory.create(
        engagement=completed_engagement(company=_company(yokohama, 6, "株式会社裏口6工業", "", "横浜市中区", "裏口町")),
        title="受注の事例 no_consent",
    ))  # fmt: skip
    CaseConsent.objects.filter(case=no_consent).update(withdrawn_at=timezone.now())
    hidden["no_consent"] = no_consent
    # Published as named while the company agreed to the anonymized form only.
    wrong_variant = publish(CaseFactory.create(
        engagement=completed_engagement(company=_company(yokohama, 7, "株式会社別形7工業", "", "横浜市中区", "別形町")),
        title="受注の事例 wrong_variant",
    ))  # fmt: skip
    Case.objects.filter(pk=wrong_variant.pk).update(variant=CaseVariant.NAMED)
    hidden["wrong_variant"] = wrong_variant

    anonymous_company = _company(yokohama, 8, "株式会社ひみつ精工", "1180301018771", "横浜市中区", "山下町")
    anonymous = _case(yokohama, 8, stage="draft", company=anonymous_company)
    anonymous.title = "受注の事例 anonymous"
    anonymous.save(update_fields=["title"])
    anonymous = publish(anonymous, variant=CaseVariant.ANONYMOUS)
    named_company = _company(yokohama, 9, "株式会社おもて商事", "7000012050002", "横浜市西区", "みなとみらい")
    named = publish(
        CaseFactory.create(engagement=completed_engagement(company=named_company), title="受注の事例 named"),
        variant=CaseVariant.NAMED,
    )
    for case in (*hidden.values(), anonymous, named):
        case.refresh_from_db()
        assert (case.status == CaseStatus.PUBLISHED) == (
            case.title.split()[-1] in {"anonymous", "named", "no_consent", "wrong_variant"}
        )
    return {**hidden, "anonymous": anonymous, "named": named}


def _secrets(case: Case) -> list[str]:
    """What of the company and its people must never be shown for an anonymized case."""
    company = case.company
    people: list[User] = [m.user for m in company.member_accounts.select_related("user")]
    if case.engagement.lead is not None:
        people.append(case.engagement.lead)
    values = [
        company.name, company.core_name, company.name_kana, company.corporate_number, company.city, company.town,
        company.address, company.phone, format_phone(company.phone),
    ]  # fmt: skip
    for contact in company.contacts.all():
        values += [contact.name, contact.email]
    for person in people:
        values += [person.name, person.email]
    values += [c.signer_name for c in case.consents.all()]
    return [v for v in values if v and len(v) >= 2]


def _outputs(client: Client, cases: dict[str, Case]) -> dict[str, str]:
    """Every public output, rendered: name → text."""
    pages = {
        "list": "/cases/",
        "organization list": "/o/yokohama/cases/",
        "list page 2": "/cases/?page=2",
        "search 受注": "/cases/?q=%E5%8F%97%E6%B3%A8",
        "search 受注 relevance": "/cases/?q=%E5%8F%97%E6%B3%A8&sort=relevance",
        "facets": "/cases/?industry=E&size=6-20&region=%E7%A5%9E%E5%A5%88%E5%B7%9D%E7%9C%8C&it_area=orders&challenge=productivity",
        "feed": "/cases/feed/",
        "sitemap": "/cases/sitemap.xml",
        "home": "/",
    }
    for name, case in cases.items():
        pages[f"page of {name}"] = f"/cases/{case.public_key}/"
    out = {}
    for name, url in pages.items():
        response = client.get(url)
        # Hits are highlighted: a name split by <mark> must still be found.
        out[name] = re.sub(r"</?mark>", "", response.content.decode())
        expected = 404 if name.startswith("page of ") and name[8:] not in ("anonymous", "named") else 200
        assert response.status_code == expected, (name, response.status_code)
    return out


def _meta_tags(html: str) -> str:
    return "\n".join(re.findall(r"<meta [^>]+>", html))


def test_no_unpublished_or_unconsented_case_appears_in_any_public_output(
    client: Client, cases: dict[str, Case]
) -> None:
    outputs = _outputs(client, cases)
    for stage in (
        "draft",
        "review",
        "consent_requested",
        "consented",
        "withdrawn",
        "no_consent",
        "wrong_variant",
    ):
        case = cases[stage]
        for name, text in outputs.items():
            assert case.title not in text, f"{stage} case's title in {name}"
            if name != f"page of {stage}":  # its own 404 page repeats the address asked for
                assert str(case.public_key) not in text, f"{stage} case's key in {name}"
        for media in CaseMedia.objects.filter(case=case):
            assert client.get(f"/cases/{case.public_key}/media/{media.pk}/").status_code == 404
        for secret in _secrets(case):
            assert 'class="case-card"' not in client.get("/cases/", {"q": secret}).content.decode()
    # The published ones are there, so the checks above look at real output.
    for name in ("list", "search 受注", "facets", "feed"):
        assert cases["anonymous"].title in outputs[name] and cases["named"].title in outputs[name], name
    assert str(cases["anonymous"].public_key) in outputs["sitemap"]
    assert outputs["sitemap"].count("<url>") == 3  # the library and the two public cases
    # The index holds only the public cases.
    indexed = set(SearchEntry.objects.filter(kind=CASE_SEARCH_KIND).values_list("object_id", flat=True))
    assert indexed <= {
        cases["anonymous"].pk,
        cases["named"].pk,
        cases["no_consent"].pk,
        cases["wrong_variant"].pk,
    }


def test_an_anonymized_case_never_shows_its_company_or_people(client: Client, cases: dict[str, Case]) -> None:
    outputs = _outputs(client, cases)
    anonymous, named = cases["anonymous"], cases["named"]
    secrets = _secrets(anonymous)
    assert "株式会社ひみつ精工" in secrets and "1180301018771" in secrets and "横浜市中区" in secrets
    assert "秘密 花子8" in secrets and "hanako8@secret8.example.jp" in secrets
    page = outputs["page of anonymous"]
    assert anonymous.title in page
    assert "神奈川県の製造業（6〜20人）" in page  # how it is named instead
    tags = _meta_tags(page)
    assert anonymous.title in tags
    for name, text in outputs.items():
        if name == "page of named":
            continue  # the named case's own page shows its company (checked below)
        for secret in secrets:
            if secret == "横浜市中区" and name in (
                "list",
                "organization list",
                "search 受注",
                "search 受注 relevance",
            ):
                continue  # no: checked just below, without the named case's card
            assert secret not in text, f"{secret!r} of the anonymized case in {name}"
    for secret in secrets:
        assert secret not in tags
        found = re.sub(r"</?mark>", "", client.get("/cases/", {"q": secret}).content.decode())
        assert anonymous.title not in found, f"searching {secret!r} finds the anonymized case"
    entry = SearchEntry.objects.get(kind=CASE_SEARCH_KIND, object_id=anonymous.pk)
    for secret in ("ひみつ精工", "ヒミツ", "1180301018771", "中区", "花子"):
        assert secret not in entry.title + entry.secondary + entry.body
    # The named case (in 横浜市西区) is on the same lists: the anonymized one's city is not.
    for name in ("list", "organization list", "search 受注"):
        assert "横浜市中区" not in outputs[name]

    # The same checks find a named case's company where it is published: they can fail.
    named_page = outputs["page of named"]
    assert "株式会社おもて商事" in named_page and "横浜市西区" in named_page
    assert "株式会社おもて商事" in _meta_tags(named_page)
    for name in ("list", "search 受注", "feed"):
        assert "株式会社おもて商事" in outputs[name], name
    found = re.sub(r"</?mark>", "", client.get("/cases/", {"q": "おもて商事"}).content.decode())
    assert named.title in found and "株式会社おもて商事" in found
    # People are never shown, even for a named case.
    for secret in ("秘密 花子9", "hanako9@secret9.example.jp", "1180301018771", "7000012050002"):
        for name, text in outputs.items():
            assert secret not in text, f"{secret!r} in {name}"
