"""Issue 11, defect 12: set-up. `PORT=8101 make run` mailed links to :8000; the login page's title showed
「127.0.0.1:8101」; MEDIA_ROOT could not be set from the environment."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import BASE_DIR, env_path
from ouentai.core.models import OutgoingMail
from tests.accounts.factories import make_user
from tests.community.post_data import application_post_data

SERVE = BASE_DIR / "scripts" / "serve.sh"


def serve(tmp_path: Path, *args: str, **env: str) -> str:
    """Run scripts/serve.sh with a stand-in for the project's Python that prints the address the web
    server and the worker would put in links, then exits."""
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    # Both print at once, then stay up a moment: serve.sh stops the other as soon as one exits.
    python.write_text('#!/bin/sh\necho "$* -> $OUENTAI_PUBLIC_BASE_URL"\nsleep 1\n')
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    environment = {k: v for k, v in os.environ.items() if k != "OUENTAI_PUBLIC_BASE_URL"} | env
    result = subprocess.run(
        ["bash", str(SERVE), *args], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=30
    )
    return result.stdout


def test_defect_12_links_follow_the_served_address(tmp_path):
    out = serve(tmp_path, "127.0.0.1", "8101")
    assert "runserver 127.0.0.1:8101 -> http://127.0.0.1:8101" in out
    assert "qcluster -> http://127.0.0.1:8101" in out  # the worker renders mails too


def test_an_explicit_base_url_wins(tmp_path):
    out = serve(tmp_path, "0.0.0.0", "8101", OUENTAI_PUBLIC_BASE_URL="https://ouentai.example.jp")
    assert "runserver 0.0.0.0:8101 -> https://ouentai.example.jp" in out


def test_every_interface_is_linked_as_this_machine(tmp_path):
    assert "-> http://127.0.0.1:8200" in serve(tmp_path, "0.0.0.0", "8200")


@pytest.mark.django_db
def test_mail_links_use_the_base_url(client, yokohama, settings):
    settings.OUENTAI_PUBLIC_BASE_URL = "http://127.0.0.1:8101"
    make_user(yokohama, "staff", "staff@yokohama.example.jp")
    client.post("/apply/", application_post_data())
    notice = OutgoingMail.objects.get(kind="application.staff_notice")
    assert "http://127.0.0.1:8101/console/applications/" in notice.body
    assert ":8000" not in notice.body


@pytest.mark.django_db
def test_defect_12_login_title_is_the_products_name(client, yokohama):
    html = client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8101").content.decode()
    assert "<title>ログイン | 応援隊</title>" in html
    assert "127.0.0.1" not in html.split("<title>")[1].split("</title>")[0]


def test_env_path(monkeypatch, tmp_path):
    default = tmp_path / "default"
    monkeypatch.delenv("SOME_PATH", raising=False)
    assert env_path("SOME_PATH", default) == default
    monkeypatch.setenv("SOME_PATH", "/srv/ouentai/media")
    assert env_path("SOME_PATH", default) == Path("/srv/ouentai/media")
    monkeypatch.setenv("SOME_PATH", "var/elsewhere")
    assert env_path("SOME_PATH", default) == BASE_DIR / "var" / "elsewhere"


@pytest.mark.parametrize(
    ("value", "expected"), [(None, str(BASE_DIR / "var" / "media")), ("/srv/media", "/srv/media")]
)
def test_defect_12_media_root_from_the_environment(value, expected):
    code = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(str(settings.MEDIA_ROOT)))"
    env = {k: v for k, v in os.environ.items() if k != "MEDIA_ROOT"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.local"
    }
    if value is not None:
        env["MEDIA_ROOT"] = value
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == expected
