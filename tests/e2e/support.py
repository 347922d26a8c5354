"""Real servers for tests that cross process boundaries: a mail server on loopback (aiosmtpd) and task
worker clusters (`manage.py qcluster`) that open the very database the test writes to."""

from __future__ import annotations

import contextlib
import email
import email.policy
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from aiosmtpd.controller import Controller
from django.conf import settings

# aiosmtpd logs every SMTP command at INFO; the tests assert on what arrived instead.
logging.getLogger("mail.log").setLevel(logging.WARNING)

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the OS picks it, then it is released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], Any], *, timeout: float, interval: float = 0.1) -> Any:
    """Poll ``predicate`` until it returns something truthy; return it, or the last falsy value after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes

    @property
    def subject(self) -> str:
        """The decoded subject (Japanese arrives as MIME encoded-words). Python folds such a header
        right after "Subject:", and email.policy.default keeps that fold's space: it is stripped."""
        return str(self.message["Subject"]).strip()

    @property
    def raw_headers(self) -> bytes:
        return re.split(rb"\r?\n\r?\n", self.raw, maxsplit=1)[0]

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    @property
    def ouentai_id(self) -> str:
        return str(self.message["X-Ouentai-Mail"])


class _Collector:
    """aiosmtpd handler that accepts every message and keeps it, parsed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[ReceivedMail] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(
                ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), message, envelope.original_content)
            )
        return "250 Message accepted for delivery"


class MailServer:
    """An SMTP server on 127.0.0.1 that keeps what it receives. ``start`` may be called on a port chosen
    beforehand (for example one that was closed while the test ran the queue)."""

    def __init__(self, port: int | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self._collector = _Collector()
        self._controller: Controller | None = None

    def start(self) -> MailServer:
        self._controller = Controller(self._collector, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._collector.lock:
            return list(self._collector.received)

    def wait_for(self, count: int, *, timeout: float = 60) -> list[ReceivedMail]:
        """Wait until at least ``count`` messages arrived (bounded); return what arrived."""
        wait_until(lambda: len(self.messages) >= count, timeout=timeout)
        return self.messages

    def django_settings(self) -> dict[str, Any]:
        return {"EMAIL_BACKEND": SMTP_BACKEND, "EMAIL_HOST": self.host, "EMAIL_PORT": self.port}


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL (config.env.database_config reads it) naming the database of ``settings_dict``
    (a connection's, so the test database once pytest-django created it), with the same OPTIONS."""
    options = settings_dict.get("OPTIONS") or {}
    query = f"?{urlencode(options)}" if options else ""
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}{query}"
    if engine == "django.db.backends.postgresql":
        auth = quote(settings_dict.get("USER") or "", safe="")
        if settings_dict.get("PASSWORD"):
            auth += ":" + quote(settings_dict["PASSWORD"], safe="")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{auth}@{host}{port}/{quote(settings_dict['NAME'], safe='')}{query}"
    raise NotImplementedError(engine)


class WorkerCluster:
    """One `manage.py qcluster` process (its own process group) with config.settings.test, the test
    database and the loopback mail server. Its output goes to ``log_path``."""

    def __init__(
        self,
        *,
        db_settings: dict[str, Any],
        mail: MailServer,
        log_path: Path,
        workers: int = 2,
        extra_env: dict[str, str] | None = None,
    ):
        self.log_path = log_path
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(db_settings),
            "EMAIL_BACKEND": SMTP_BACKEND,
            "EMAIL_HOST": mail.host,
            "EMAIL_PORT": str(mail.port),
            "EMAIL_TIMEOUT": "5",
            "Q_WORKERS": str(workers),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerCluster:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(MANAGE_PY), "qcluster"],
                cwd=MANAGE_PY.parent,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM to the cluster's parent, which stops its sentinel, pusher, workers and monitor in
        order and exits 0. (A SIGTERM to the whole process group kills the sentinel and its children at
        once, whatever they are doing, and the parent was then seen hanging in "stopping" for good.)
        Anything still alive after ``timeout`` is killed with its group."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # stragglers only: normally the group is empty
        returncode = process.wait(5)
        self.process = None
        return returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
