"""Tokens: what the database indexes (a GIN index over a tsvector on PostgreSQL, an FTS5 table on
SQLite). A normalized value gives every character (unigram) and every pair of neighbouring characters
(bigram), whatever the script, so that any part of it (a 1-character word, 在庫, EC, the last digits of
a phone number) has all its tokens in the index. A query word gives its bigrams (a 1-character word,
its unigram): the index finds the entries that have them all, and the entry's normalized text then
confirms that the word is there as one piece (query.py).

A run of 4 or more digits (a phone number, a 法人番号, a postal code) also gives every 4 digits in a
row ("d" and the digits): a query's digit run of 4 or more is looked up by those instead of its digit
pairs. The 100 digit pairs are each in most companies' entries, so an index lookup by them reads
nearly the whole index; 4 digits in a row are in few entries.

Tokens are encoded as plain lower-case ASCII (4 base-36 digits per character; "d" and 4 digits for a
digit run), so that neither database's parser or tokenizer can split, fold or drop them: the same
tokens reach both.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
RUN = 4  # digits in a row that give a run token
_DIGIT_RUN = re.compile(f"[0-9]{{{RUN},}}")


def _code(char: str) -> str:
    number, out = ord(char), ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        out = _DIGITS[digit] + out
    return out


def _runs(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _DIGIT_RUN.finditer(text)]


def _run_tokens(text: str, runs: list[tuple[int, int]]) -> set[str]:
    return {"d" + text[i : i + RUN] for start, end in runs for i in range(start, end - RUN + 1)}


def value_tokens(value: str) -> set[str]:
    """The unigrams and bigrams of one normalized value, and the 4-digit pieces of its digit runs,
    encoded."""
    codes = [_code(char) for char in value]
    return {*codes, *(a + b for a, b in itertools.pairwise(codes)), *_run_tokens(value, _runs(value))}


def document_tokens(values: Iterable[str]) -> list[str]:
    """Every token of the normalized values, each once, sorted (a token never spans two values)."""
    found: set[str] = set()
    for value in values:
        found |= value_tokens(value)
    return sorted(found)


def word_tokens(word: str) -> list[str]:
    """What the index must hold for a normalized query word: its bigrams, or its one character; the
    pairs inside a run of 4 or more digits are replaced by the run's 4-digit pieces."""
    codes = [_code(char) for char in word]
    if len(codes) == 1:
        return codes
    runs = _runs(word)
    inside = {i for start, end in runs for i in range(start, end - 1)}  # pairs (i, i+1) within a run
    pairs = {codes[i] + codes[i + 1] for i in range(len(codes) - 1) if i not in inside}
    return sorted(pairs | _run_tokens(word, runs))
