"""The application form asks only what the program needs (issue 11, defect 11): company, contact person
and e-mail are required; the rest is optional, grouped and explained; the address is typed once, in
the same parts as a company's in the console."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from ouentai.community import services
from ouentai.community.forms import CompanyForm
from ouentai.community.models import Application, Company
from ouentai.core.models import OutgoingMail
from ouentai.portal.forms import ApplicationForm
from tests.community.factories import CompanyFactory
from tests.community.post_data import application_post_data

pytestmark = pytest.mark.django_db

MINIMAL = {
    "company_name": "さくら商店",
    "contact_name": "桜井 花",
    "email": "sakurai@sakura.example.jp",
}


def _minimal_post(**overrides: str) -> dict[str, str]:
    data = {"form_token": str(uuid.uuid4()), "policy_version": "1.0", "website": "", "consent": "on"}
    return {**data, **MINIMAL, **overrides}


def test_only_company_contact_and_email_are_required():
    required = {name for name, field in ApplicationForm.base_fields.items() if field.required}
    assert required == {"company_name", "contact_name", "email", "consent", "form_token"}


def test_an_application_with_only_the_required_fields_is_received(client, yokohama, staff):
    response = client.post(reverse("portal:apply"), _minimal_post())
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.company_name, application.contact_name, application.email) == (
        "さくら商店",
        "桜井 花",
        "sakurai@sakura.example.jp",
    )
    assert application.employees is None
    assert (application.phone, application.postal_code, application.industry) == ("", "", "")
    assert application.organization == yokohama  # no postal code: the default organization
    mails = {m.kind: m for m in OutgoingMail.objects.all()}
    assert "電話番号: —" in mails["application.confirmation"].body
    assert "application.staff_notice" in mails
    client.force_login(staff)
    page = client.get(reverse("community:application_detail", args=[application.pk])).content.decode()
    assert "None" not in page and "〒 " not in page


def test_empty_form_names_only_the_three_required_fields(client, yokohama):
    response = client.post(reverse("portal:apply"), _minimal_post(company_name="", contact_name="", email=""))
    form = response.context["form"]
    assert set(form.errors) == {"company_name", "contact_name", "email"}


def test_the_form_is_grouped_and_says_why_it_asks(client, yokohama):
    html = client.get(reverse("portal:apply")).content.decode()
    for legend in ["お申し込みの方", "会社の所在地（任意）", "会社について（任意）", "ご相談内容（任意）"]:
        assert f"<legend>{legend}</legend>" in html
    assert "郵便番号から、地域を担当する実施機関におつなぎします" in html
    assert "受付番号と担当者からのご連絡はメールでお送りします" in html
    assert "お電話での連絡をご希望の場合にご記入ください" in html
    assert html.count('aria-describedby="section-') == 4


def test_the_address_has_the_same_parts_and_labels_as_the_console():
    parts = ["postal_code", "prefecture", "city", "town", "address"]
    public = [str(ApplicationForm.base_fields[name].label) for name in parts]
    console = [str(CompanyForm.base_fields[name].label) for name in parts]
    assert public == console == ["郵便番号", "都道府県", "市区町村", "町域", "番地・建物名"]


@pytest.mark.parametrize(
    "typed",
    [
        "神奈川県横浜市中区山下町1-2-3 みなとビル4階",
        "横浜市中区山下町１－２－３ みなとビル4階",
        "1-2-3 みなとビル4階",
    ],
)
def test_an_address_typed_whole_is_not_doubled(client, yokohama, staff, typed):
    response = client.post(reverse("portal:apply"), application_post_data(address=typed))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.address == "1-2-3 みなとビル4階"
    assert application.full_address == "神奈川県横浜市中区山下町1-2-3 みなとビル4階"
    services.application_convert(application=application, actor=staff)
    company = Company.objects.get()
    assert f"{company.prefecture}{company.city}{company.town}{company.address}" == application.full_address


def test_a_minimal_application_converts_and_does_not_match_companies_by_empty_fields(client, yokohama, staff):
    other = CompanyFactory.create(organization=yokohama, name="さくら商店", actor=staff)
    client.post(reverse("portal:apply"), _minimal_post())
    application = Application.objects.get()
    services.application_convert(application=application, actor=staff)
    application.refresh_from_db()
    # Same name, but neither has a phone or postal code: not enough to call them the same company.
    assert application.company_id != other.pk
    assert application.company is not None and application.company.employees is None
