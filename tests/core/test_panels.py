"""Sections one app adds to another's record page."""

from __future__ import annotations

from typing import Any

from ouentai.core import panels
from ouentai.core.panels import Panel, panels_for, register_panel


def test_panels_come_in_order_and_a_source_may_show_nothing(monkeypatch: Any) -> None:
    monkeypatch.setattr(panels, "_SOURCES", {})

    def second(record: Any, user: Any) -> Panel:
        return Panel("b.html", {"n": record}, order=20)

    def first(record: Any, user: Any) -> Panel:
        return Panel("a.html", order=10)

    def hidden(record: Any, user: Any) -> None:
        return None

    for source in (second, first, hidden, second):
        register_panel("page", source)
    found = panels_for("page", 5, user=None)  # type: ignore[arg-type]
    assert [panel.template for panel in found] == ["a.html", "b.html"]
    assert found[1].context == {"n": 5}
    assert panels_for("other", 5, user=None) == []  # type: ignore[arg-type]


def test_the_apps_register_their_sections() -> None:
    pages = panels._SOURCES
    assert {source.__name__ for source in pages["community.company"]} >= {
        "company_engagements_panel",
        "company_dispatch_panel",
    }
    assert {source.__name__ for source in pages["engagements.engagement"]} >= {
        "engagement_dispatch_panel",
        "engagement_attended_panel",
    }
    assert pages["network.support_organization"]
