"""Sections that one app adds to another app's record page, so that imports keep running one way.

A company's page shows its engagements and dispatches, an engagement's page the company's dispatches and
the events it attended, a support organization's page the events it co-hosted: each of those sections
belongs to the app that owns the records it lists, which sits above the page's own app. That app
registers a *panel source* for the page in its ``AppConfig.ready()``; the page's view asks for the
panels of its record and includes each panel's template. A source runs a fixed number of queries, so
the page's query count stays constant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models


@dataclass(frozen=True)
class Panel:
    """One section: the template that draws it (a ``<section class="panel">``) and what it needs, which
    the page's template passes to it as ``panel``. Panels are drawn in ascending ``order``."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    order: int = 100


# (record, user) → the panel, or None when it has nothing to show this user.
PanelSource = Callable[[Any, AbstractBaseUser], Panel | None]

# Page names in use: "community.company", "engagements.engagement", "network.support_organization".
_SOURCES: dict[str, list[PanelSource]] = {}


def register_panel(page: str, source: PanelSource) -> None:
    """Add a section to ``page`` (once, however often the app is readied)."""
    sources = _SOURCES.setdefault(page, [])
    if source not in sources:
        sources.append(source)


def panels_for(page: str, record: models.Model, *, user: AbstractBaseUser) -> list[Panel]:
    """The sections other apps add to ``page`` for ``record``, in order."""
    found = [source(record, user) for source in _SOURCES.get(page, [])]
    return sorted((panel for panel in found if panel is not None), key=lambda panel: panel.order)
