"""PDF documents from templates, rendered by WeasyPrint. Japanese is typeset with the Noto CJK fonts that
each document's stylesheet names (templates/pdf/document.html for A4 documents); without those fonts on
the machine WeasyPrint draws boxes with no error, so tests check the extracted text and embedded fonts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF. WeasyPrint is imported here, not at module load: it loads Pango, which
    the web pages never need."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
