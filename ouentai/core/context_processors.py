from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """The product's name, and the organization whose public pages are shown (``site_org``, set by the
    view; None on the program-wide pages and outside the public site)."""
    return {"site_name": settings.OUENTAI_SITE_NAME, "site_org": getattr(request, "site_org", None)}
