"""Reading the 1–5 rating questions of a rendered page as a person does: the radio buttons' values
and the text of their labels, in the order shown, and the legend of the group they are in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# The one scale, as every form must show it: 1 first, each choice with its number and its words.
EXPECTED_SCALE = [
    ("1", "1 良くない"),
    ("2", "2 あまり良くない"),
    ("3", "3 ふつう"),
    ("4", "4 良い"),
    ("5", "5 とても良い"),
]


def _text(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(parts)).strip()


@dataclass
class RadioGroup:
    legend: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)


class _Radios(HTMLParser):
    """Radio buttons named ``name``: each with the text of the label around it, and the legend of the
    fieldset they sit in."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.group = RadioGroup()
        self._legends: list[str] = []  # of the open fieldsets
        self._legend: list[str] | None = None
        self._label: list[str] | None = None
        self._value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        if tag == "fieldset":
            self._legends.append("")
        elif tag == "legend":
            self._legend = []
        elif tag == "label":
            self._label, self._value = [], None
        elif tag == "input" and data.get("type") == "radio" and data.get("name") == self.name:
            self._value = data.get("value") or ""
            if self._legends:
                self.group.legend = self._legends[-1]

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset" and self._legends:
            self._legends.pop()
        elif tag == "legend" and self._legend is not None:
            if self._legends:
                self._legends[-1] = _text(self._legend)
            self._legend = None
        elif tag == "label" and self._label is not None:
            if self._value is not None:
                self.group.choices.append((self._value, _text(self._label)))
            self._label, self._value = None, None

    def handle_data(self, data: str) -> None:
        for parts in (self._legend, self._label):
            if parts is not None:
                parts.append(data)


def rating_group(html: str, name: str) -> RadioGroup:
    parser = _Radios(name)
    parser.feed(html)
    return parser.group


def rating_choices(html: str, name: str) -> list[tuple[str, str]]:
    """[(value, label text)] of the radio buttons named ``name``, in document order."""
    return rating_group(html, name).choices
