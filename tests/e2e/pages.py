"""What every browser test does the same way: find a control by its label, sign in, open a fresh
Japanese browser context, take screenshots at desktop and phone widths, read a downloaded PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator, Page, ViewportSize

from tests.accounts.factories import PASSWORD

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


def field(page: Page | Locator, label: str) -> Locator:
    """The control whose accessible name is exactly ``label`` (the 必須 / 任意 marker is aria-hidden)."""
    return page.get_by_label(label, exact=True)


def screenshot(page: Page, folder: Path, name: str) -> None:
    """Full-page screenshots at desktop and phone widths, for people to look at (not asserted)."""
    for suffix, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=folder / f"{name}-{suffix}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    """A fresh browser context (no cookies) in Japanese, downloads allowed."""
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP", accept_downloads=True)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def log_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    field(page, "メールアドレス").fill(email)
    field(page, "パスワード").fill(password)
    page.get_by_role("button", name="ログイン", exact=True).click()


def pdf_text(path: Path) -> str:
    """The text of a saved PDF, extracted with pdftotext (poppler) as a reader's tool would."""
    assert path.read_bytes().startswith(b"%PDF-")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")
