"""The form in which search compares text: both what is indexed and what is typed go through it.

One value (a name, a line of text) becomes one string: NFKC (全角/半角 and ㈱/（株） → (株)), case
folded, hiragana → katakana, a dash-like mark after kana read as the long-vowel mark ー (so ｰ － ― ‐ in
コンピュータ－ all match ー) and removed anywhere else (045-201-1234 reads 0452011234), white space
removed (山田 太郎 = 山田太郎), and legal forms removed wherever they stand (株式会社, (株), 有限会社 …,
the list of core.jp.LEGAL_FORMS). A query is split into words at white space; each word is normalized
the same way, except that a query typed like a phone number is its national digits (core.jp's rule, so
+81 45 201 1234 finds 045-201-1234).

``normalize_with_map`` gives the same string with, for each of its characters, the span of the
original text it came from: highlighting marks the characters as typed (ｶﾞ, ㈱ …).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jaconv

from ouentai.core.jp import LEGAL_FORMS, phone_search_digits

# Dash and long-vowel look-alikes (after NFKC: ｰ is already ー, － is already -).
_DASHES = "-‐‑‒–—―−ー"
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
_SPACE = re.compile(r"\s")


def _fold(text: str) -> str:
    """The context-free part: NFKC, case folding, hiragana → katakana."""
    return jaconv.hira2kata(unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=1)
def _legal_forms() -> re.Pattern[str]:
    variants = {_fold(v) for form, others in LEGAL_FORMS.items() for v in (form, *others)}
    return re.compile("|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)))


def _dash_and_space(chars: list[str]) -> list[str]:
    """Per character of the folded text: the dash rule and white space, in order (a dash is ー when the
    character kept before it is kana or ー)."""
    out: list[str] = []
    previous = ""
    for char in chars:
        if _SPACE.match(char):
            out.append("")
            continue
        if char in _DASHES:
            char = "ー" if previous and _KANA.match(previous) else ""
        out.append(char)
        if char:
            previous = char
    return out


def normalize(text: str) -> str:
    """``text`` in the form search compares (see the module's docstring)."""
    folded = "".join(_dash_and_space(list(_fold(text))))
    return _legal_forms().sub("", folded)


def _groups(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that normalize as a unit: a character and the combining or half-width voiced
    marks after it (ｶﾞ, か + U+3099)."""
    spans: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if spans and (unicodedata.combining(char) or char in "\uff9e\uff9f"):
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return spans


def normalize_with_map(text: str) -> tuple[str, list[tuple[int, int]]]:
    """normalize(text), and for each of its characters the span of ``text`` it came from."""
    chars: list[str] = []
    origin: list[tuple[int, int]] = []
    for start, end in _groups(text):
        for char in _fold(text[start:end]):
            chars.append(char)
            origin.append((start, end))
    kept = [(c, o) for c, o in zip(_dash_and_space(chars), origin, strict=True) if c]
    folded = "".join(c for c, _o in kept)
    spans = [o for _c, o in kept]
    result: list[str] = []
    result_spans: list[tuple[int, int]] = []
    position = 0
    for match in _legal_forms().finditer(folded):
        result.append(folded[position : match.start()])
        result_spans += spans[position : match.start()]
        position = match.end()
    result.append(folded[position:])
    result_spans += spans[position:]
    return "".join(result), result_spans


def query_words(query: str) -> list[str]:
    """The normalized words of a query, each to be found (AND); words that normalize to nothing (a
    legal form alone, punctuation) are dropped. A query typed like a phone number is one word, its
    national digits."""
    digits = phone_search_digits(query)
    if digits is not None:
        return [digits]
    words = (normalize(word) for word in query.split())
    return list(dict.fromkeys(word for word in words if word))
