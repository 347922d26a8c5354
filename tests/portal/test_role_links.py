"""Issue 11, defect 8: every link in the public header and footer opens for the role it is shown to (the
footer's 「会員ページ」 answered 403 to staff, partners and experts)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from ouentai.accounts.models import User
from ouentai.engagements.demo import MEMBER_EMAIL
from ouentai.network.demo import EXPERT_EMAIL, PARTNER_EMAIL
from ouentai.portal.management.commands.demo_data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": None,
    "org_admin": "admin@yokohama.example.jp",
    "staff": "staff@kawasaki.example.jp",
    "coordinator": "itc@yokohama.example.jp",
    "member": MEMBER_EMAIL,
    "partner": PARTNER_EMAIL,
    "expert": EXPERT_EMAIL,
}
PAGES = ["/", "/faq/", "/events/", "/o/yokohama/", "/o/kawasaki/faq/", "/o/kawasaki/apply/"]


class _Links(HTMLParser):
    """The href of every link inside the page's <header> and <footer>."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("header", "footer"):
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("header", "footer"):
            self.depth -= 1


def chrome_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


@pytest.fixture
def demo(db):
    call_command("demo_data", verbosity=0)


def test_defect_8_every_header_and_footer_link_opens_for_each_demo_role(client, demo):
    checked = 0
    for role, email in ROLES.items():
        client.logout()
        if email is not None:
            assert client.login(username=email, password=DEMO_PASSWORD), role
        links: set[str] = set()
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            links.update(chrome_links(response.content.decode()))
        assert links, role
        for href in sorted(links):
            parts = urlsplit(href)
            assert not parts.netloc, (role, href)  # every link stays on this site
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            response = client.get(target)
            assert 200 <= response.status_code < 400, (role, href, response.status_code)
            checked += 1
    assert checked > 60


def test_footer_offers_each_role_its_own_entry(client, demo):
    expected = {
        "anonymous": ({"/my/", "/accounts/login/"}, {"/console/", "/network/partner/", "/network/expert/"}),
        "org_admin": ({"/console/"}, {"/my/", "/accounts/login/", "/network/partner/"}),
        "staff": ({"/console/"}, {"/my/", "/network/partner/"}),
        "coordinator": ({"/console/"}, {"/my/"}),
        "member": ({"/my/"}, {"/console/", "/accounts/login/", "/network/partner/"}),
        "partner": ({"/network/partner/"}, {"/my/", "/console/", "/network/expert/"}),
        "expert": ({"/network/expert/"}, {"/my/", "/console/", "/network/partner/"}),
    }
    for role, (shown, hidden) in expected.items():
        client.logout()
        if ROLES[role] is not None:
            client.login(username=ROLES[role], password=DEMO_PASSWORD)
        links = set(chrome_links(client.get("/").content.decode()))
        assert shown <= links, (role, links)
        assert not (hidden & links), (role, hidden & links)


def test_a_partner_without_an_account_is_offered_no_dead_link(client, demo):
    partner = User.objects.get(email=PARTNER_EMAIL)
    partner.partner_account.delete()
    client.force_login(User.objects.get(pk=partner.pk))
    assert "/network/partner/" not in chrome_links(client.get("/").content.decode())
