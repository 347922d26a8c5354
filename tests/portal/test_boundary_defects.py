"""Field trial, defects 14 and 15, as the people who met them: numbers beyond a column's range answered
500 on /apply/ and on the console's company form; control characters typed into a public form were
stored and then broke the organization's .xlsx exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ouentai.community import services
from ouentai.community.models import Application, Company
from ouentai.core.models import OutgoingMail
from tests.community.post_data import application_post_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("employees", ["2147483648", "２１４７４８３６４８", "9" * 40, "-3"])
def test_defect14_apply_with_an_out_of_range_number_is_told_and_nothing_is_stored(
    client, yokohama, employees
):
    response = client.post(reverse("portal:apply"), application_post_data(employees=employees))
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "従業員数" in page and ("以下の数で入力してください" in page or "0以上の数字" in page)
    assert "田中" in page  # what was typed is still there
    assert Application.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


def test_defect14_console_company_form_with_huge_numbers(client, yokohama, staff):
    client.force_login(staff)
    response = client.post(
        reverse("community:company_create"),
        {"name": "大型テスト株式会社", "industry": "E", "employees": "123456789012", "capital_yen": "9" * 25},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "10,000,000以下の数で入力してください" in page
    assert "金額は円単位の数字で入力してください" in page or "金額が大きすぎます" in page
    assert Company.objects.count() == 0


def test_defect15_control_characters_never_reach_the_database_and_exports_work(client, yokohama, staff):
    response = client.post(
        reverse("portal:apply"),
        application_post_data(
            company_name="株式会社\x01ミナト\x1b[31m精機\u202e",
            contact_name="田中\u2066 誠\x7f",
            message="一行目\r\n二行目\x00",
        ),
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.company_name == "株式会社ミナト[31m精機"
    assert application.contact_name == "田中 誠"
    assert application.message == "一行目\n二行目"
    services.application_convert(application=application, actor=staff)
    client.force_login(staff)
    for file_format in ("xlsx", "csv", "csv-cp932"):
        export = client.get(reverse("community:company_export"), {"format": file_format})
        assert export.status_code == 200
        content = b"".join(export.streaming_content) if export.streaming else export.getvalue()
        if file_format == "xlsx":
            rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
            assert rows[1][0] == "株式会社ミナト[31m精機"
