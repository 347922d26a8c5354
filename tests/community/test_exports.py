import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ouentai.community.models import Segment
from ouentai.core.audit import audit_entries_for
from tests.community.factories import CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def companies(yokohama, kawasaki):
    CompanyFactory.create(
        organization=yokohama,
        name="株式会社みなと精機",
        phone="+81452011234",
        postal_code="2310023",
        employees=45,
        industry="E",
    )
    CompanyFactory.create(
        organization=yokohama, name="髙橋商店㈱", employees=3, industry="I", sme_category="retail"
    )
    CompanyFactory.create(organization=kawasaki, name="川崎の会社")


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_utf8_with_bom_and_filters(client, staff, companies, yokohama):
    client.force_login(staff)
    response = client.get(reverse("community:company_export"), {"format": "csv", "size": "1-5"})
    assert response.status_code == 200 and response.streaming
    data = content(response)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["会社名", "会社名フリガナ", "法人番号"]
    assert [r[0] for r in rows[1:]] == ["髙橋商店㈱"]  # filtered, own organization only
    entry = audit_entries_for(yokohama)[0]
    assert entry.action == "community.companies.exported" and entry.details["rows"] == 1


def test_csv_cp932_for_older_excel(client, staff, companies):
    client.force_login(staff)
    data = content(client.get(reverse("community:company_export"), {"format": "csv-cp932"}))
    text = data.decode("cp932")
    assert "株式会社みなと精機" in text and "髙橋商店㈱" in text  # both exist in CP932
    assert "045-201-1234" in text and "231-0023" in text
    assert "川崎の会社" not in text


def test_xlsx(client, staff, companies):
    client.force_login(staff)
    response = client.get(reverse("community:company_export"), {"format": "xlsx", "q": "みなと"})
    workbook = load_workbook(io.BytesIO(content(response)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "会社名"
    assert rows[1][0] == "株式会社みなと精機" and rows[1][10] == 45


def test_export_is_for_staff_only(client, coordinator, companies):
    client.force_login(coordinator)
    assert client.get(reverse("community:company_export"), {"format": "csv"}).status_code == 403


def test_segments_save_filter_and_list(client, staff, companies, kawasaki_staff):
    client.force_login(staff)
    response = client.post(
        reverse("community:segment"), {"name": "小さな会社", "query": "size=1-5&page=3&q="}
    )
    segment = Segment.objects.get()
    assert segment.query == "size=1-5"
    assert response["Location"].endswith("?size=1-5")
    listing = client.get(reverse("community:company_list") + "?size=1-5").content.decode()
    assert "小さな会社" in listing and "髙橋商店㈱" in listing and "株式会社みなと精機" not in listing
    client.force_login(kawasaki_staff)
    assert "小さな会社" not in client.get(reverse("community:company_list")).content.decode()
    delete = reverse("community:segment_delete", args=[segment.pk])
    assert client.get(delete).status_code == 404 and client.post(delete).status_code == 404
    assert Segment.objects.get().deleted_at is None


def test_text_that_looks_like_a_formula_stays_text():
    import io

    from openpyxl import load_workbook

    from ouentai.core.exports import stream_csv, write_xlsx

    rows = [["氏名", "電話"], ['=HYPERLINK("http://evil.example/","詳細")', "+81451234567"]]
    csv_text = b"".join(stream_csv(rows)).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+81451234567" in csv_text
    sheet = load_workbook(io.BytesIO(write_xlsx(rows, title="t").read())).active
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
