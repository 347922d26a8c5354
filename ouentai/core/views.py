"""/healthz: is the database answering, and is the task queue being worked?"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_q.conf import Conf
from django_q.models import OrmQ

from ouentai.core.models import OutgoingMail

# A task older than this that nobody has taken means no worker is running.
QUEUE_STALE_AFTER = dt.timedelta(minutes=5)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and the queue is being worked; 503 otherwise. The body says which
    part is unwell (no personal data)."""
    report: dict[str, object] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        report["database"] = {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # any database failure is the report
        healthy = False
        report["database"] = {"status": "error", "error": type(exc).__name__}
        return JsonResponse({"status": "error", **report}, status=503)
    now = timezone.now()
    # Only this deployment's queue (Q_CLUSTER name): tasks under another name are never taken by our
    # workers; they are counted apart so that they do not hide, nor fake, the state of our own queue.
    ours = OrmQ.objects.filter(key=Conf.CLUSTER_NAME)
    waiting = ours.filter(lock__lte=now)
    oldest = waiting.order_by("lock").values_list("lock", flat=True).first()
    oldest_age = (now - oldest).total_seconds() if oldest else 0.0
    queue_ok = oldest is None or now - oldest < QUEUE_STALE_AFTER
    healthy = healthy and queue_ok
    report["queue"] = {
        "status": "ok" if queue_ok else "stale",
        "waiting": waiting.count(),
        "in_progress": ours.filter(lock__gt=now).count(),
        "other_queues_waiting": OrmQ.objects.exclude(key=Conf.CLUSTER_NAME).count(),
        "oldest_waiting_seconds": round(oldest_age, 1),
        "mail_pending": OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING).count(),
        "mail_failed": OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED).count(),
    }
    return JsonResponse({"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503)
