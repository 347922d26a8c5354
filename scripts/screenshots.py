"""Screenshots of every page at desktop and phone widths, for people to look at (not a test).

Usage: .venv/bin/python scripts/screenshots.py [base URL, default http://127.0.0.1:8000]
Needs `make run` serving the demo data, and Debian's chromium. Writes var/screenshots/*.png.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "var" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
PUBLIC = ["/", "/faq/", "/news/", "/privacy/", "/apply/", "/contact/", "/find/", "/accounts/login/",
          "/o/yokohama/", "/o/kawasaki/", "/o/kawasaki/faq/", "/o/kawasaki/apply/", "/events/", "/events/1/",
          "/diagnosis/", "/no-such-page/"]  # fmt: skip
CONSOLE = ["/console/", "/console/applications/", "/console/applications/1/", "/console/inquiries/", "/console/inquiries/1/",
           "/console/replies/templates/", "/console/content/faq/", "/console/content/faq/1/", "/console/companies/",
           "/console/companies/1/", "/console/companies/new/", "/console/pipeline/", "/console/companies/duplicates/",
           "/console/companies/import/", "/console/newsletters/", "/console/newsletters/new/", "/console/events/",
           "/console/events/1/", "/console/events/1/checkin/", "/console/engagements/", "/console/engagements/1/",
           "/console/network/dispatches/", "/console/network/dispatches/1/", "/console/network/totals/"]  # fmt: skip
# Other roles' areas: (login, pages)
OTHERS = [("member@yokohama.example.jp", ["/my/"]),
          ("partner@smrj.example.jp", ["/network/partner/"]),
          ("expert@yokohama.example.jp", ["/network/expert/", "/network/expert/dispatches/1/"])]  # fmt: skip
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def name(path: str) -> str:
    return path.strip("/").replace("/", "_") or "home"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size, (width, height) in SIZES.items():
            page = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP").new_page()
            for path in PUBLIC:
                page.goto(BASE + path)
                page.screenshot(path=OUT / f"{size}-{name(path)}.png", full_page=True)
            page.goto(BASE + "/apply/")
            page.get_by_role("button", name="申し込む").click()
            page.screenshot(path=OUT / f"{size}-apply-errors.png", full_page=True)
            for email, paths in [("staff@yokohama.example.jp", CONSOLE), *OTHERS]:
                page.context.clear_cookies()
                page.goto(BASE + "/accounts/login/")
                page.get_by_label("メールアドレス").fill(email)
                page.get_by_label("パスワード").fill("ouentai-demo-2026")
                page.get_by_role("button", name="ログイン").click()
                for path in paths:
                    page.goto(BASE + path)
                    page.screenshot(path=OUT / f"{size}-{name(path)}.png", full_page=True)
        browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
