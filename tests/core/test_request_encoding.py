"""Issue 11, defect 17: a body in another character set (or not UTF-8 at all) answered a bare 500 on every
public form (Django's 400 handler read the form again through the CSRF check). Now: our 400 page, in every
setting, and nothing stored."""

import uuid
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouentai.community.models import Application, Contact, Inquiry, MemberAccount
from ouentai.core.encoding import charset_is_utf8, urlencoded_is_utf8
from ouentai.core.models import AuditEntry, OutgoingMail
from ouentai.engagements.models import DiagnosisResult
from ouentai.events.models import Event, Registration, SurveyResponse
from tests.community.post_data import application_post_data

pytestmark = pytest.mark.django_db

MESSAGE = "UTF-8 で送信してください"


def stored() -> tuple[int, ...]:
    models = (
        Application,
        Inquiry,
        Registration,
        DiagnosisResult,
        SurveyResponse,
        MemberAccount,
        AuditEntry,
        OutgoingMail,
    )
    return (
        *(model.objects.count() for model in models),
        Contact.objects.filter(newsletter_consent=False).count(),
    )


@pytest.fixture
def public_forms(db) -> list[str]:
    """Every public URL that takes a form, with real records behind it (the demo data)."""
    call_command("demo_data", verbosity=0)
    event = Event.objects.filter(is_published=True).first()
    registration = Registration.objects.first()
    contact = Contact.objects.exclude(email="").first()
    assert event and registration and contact
    return [
        "/apply/",
        "/contact/",
        "/o/kawasaki/apply/",
        "/o/kawasaki/contact/",
        "/diagnosis/",
        "/o/kawasaki/diagnosis/",
        f"/events/{event.pk}/register/",
        f"/events/r/{registration.token}/survey/",
        f"/events/r/{registration.token}/cancel/",
        f"/unsubscribe/{contact.unsubscribe_token}/",
        f"/my/join/{uuid.uuid4()}/",
        "/accounts/login/",
        "/accounts/password/",
    ]


def odd_bodies(token: str) -> list[tuple[str, bytes, str]]:
    """(what, body, content type): the ways a body can be other than UTF-8."""
    data = {**application_post_data(), "csrfmiddlewaretoken": token, "name": "佐藤", "email": "a@example.jp"}
    form = "application/x-www-form-urlencoded"
    text = urlencode(data)
    boundary = "xYzZY"
    multipart = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="company_name"\r\n\r\n'
        ).encode()
        + b"\xff\xfe\x81\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    return [
        ("utf-16", text.encode("utf-16"), f"{form}; charset=utf-16"),
        ("utf-32", text.encode("utf-32"), f"{form}; charset=utf-32"),
        ("shift_jis", urlencode(data, encoding="cp932").encode(), f"{form}; charset=shift_jis"),
        ("unknown charset", text.encode(), f"{form}; charset=x-no-such-charset"),
        ("invalid utf-8 escaped", text.encode() + b"&company_name=%FF%FE%81", form),
        ("invalid utf-8 raw", text.encode() + b"&company_name=\xe6\xa0", form),
        (
            "multipart utf-16",
            text.encode("utf-16"),
            f"multipart/form-data; boundary={boundary}; charset=utf-16",
        ),
        ("multipart invalid utf-8", multipart, f"multipart/form-data; boundary={boundary}"),
    ]


def test_defect_17_odd_charsets_get_our_400_on_every_public_form(public_forms):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/apply/")
    token = client.cookies["csrftoken"].value
    before = stored()
    for url in public_forms:
        for what, body, content_type in odd_bodies(token):
            response = client.generic("POST", url, body, content_type=content_type)
            assert response.status_code == 400, (url, what, response.status_code)
            assert MESSAGE in response.content.decode(), (url, what)
    assert stored() == before


def test_utf8_and_ascii_bodies_are_read_as_before(client, yokohama):
    for n, content_type in enumerate(
        (
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=UTF-8",
            "application/x-www-form-urlencoded; charset=utf8",
            "application/x-www-form-urlencoded; charset=us-ascii",
        )
    ):
        data = urlencode(application_post_data(email=f"person{n}@example.jp")).encode()
        response = client.generic("POST", "/apply/", data, content_type=content_type)
        assert response.status_code == 302, (content_type, response.content.decode()[:3000])
    assert Application.objects.count() == 4


@pytest.mark.parametrize(
    ("charset", "ok"),
    [
        ("utf-8", True),
        ("UTF8", True),
        ("us-ascii", True),
        ("utf-16", False),
        ("shift_jis", False),
        ("nonsense", False),
        ("utf-8\x00", False),
    ],
)
def test_charset_is_utf8(charset, ok):
    assert charset_is_utf8(charset) is ok


def test_urlencoded_is_utf8():
    assert urlencoded_is_utf8(b"a=%E6%A0%AA&b=+x")
    assert not urlencoded_is_utf8(b"a=%E6%A0")
    assert not urlencoded_is_utf8(b"a=\xe6\xa0\xaa")  # raw bytes are not form encoding


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.binary(max_size=300),
    charset=st.one_of(
        st.none(),
        st.sampled_from(
            ["utf-8", "utf-16", "utf-16-le", "utf-32", "shift_jis", "euc-jp", "latin-1", "x-bogus"]
        ),
        # Any printable name; control characters cannot be in a header a server hands over (gunicorn
        # refuses them with a 400 before Django, whose request object fails on a NUL in the charset).
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=12).filter(
            lambda s: ";" not in s
        ),
    ),
    url=st.sampled_from(["/apply/", "/contact/", "/o/yokohama/apply/", "/diagnosis/"]),
)
def test_no_body_in_any_charset_makes_a_server_error(yokohama, body, charset, url):
    client = Client(raise_request_exception=False)
    client.get("/diagnosis/")  # the organization's questionnaire exists before counting
    content_type = "application/x-www-form-urlencoded" + (f"; charset={charset}" if charset else "")
    before = stored()
    response = client.generic("POST", url, body, content_type=content_type)
    assert response.status_code < 500
    if response.status_code != 302:
        assert stored() == before
