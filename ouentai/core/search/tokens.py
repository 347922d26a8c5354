"""Tokens: what the database indexes (a GIN index over a tsvector on PostgreSQL, an FTS5 table on
SQLite). A normalized value gives every character (unigram) and every pair of neighbouring characters
(bigram), whatever the script, so that any part of it (a 1-character word, 在庫, EC, the last digits of
a phone number) has all its tokens in the index. A query word gives its bigrams (a 1-character word,
its unigram): the index finds the entries that have them all, and the entry's normalized text then
confirms that the word is there as one piece (query.py).

Tokens are encoded as plain lower-case ASCII (4 base-36 digits per character), so that neither
database's parser or tokenizer can split, fold or drop them: the same tokens reach both.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _code(char: str) -> str:
    number, out = ord(char), ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        out = _DIGITS[digit] + out
    return out


def value_tokens(value: str) -> set[str]:
    """The unigrams and bigrams of one normalized value, encoded."""
    codes = [_code(char) for char in value]
    return {*codes, *(a + b for a, b in itertools.pairwise(codes))}


def document_tokens(values: Iterable[str]) -> list[str]:
    """Every token of the normalized values, each once, sorted (a token never spans two values)."""
    found: set[str] = set()
    for value in values:
        found |= value_tokens(value)
    return sorted(found)


def word_tokens(word: str) -> list[str]:
    """What the index must hold for a normalized query word: its bigrams, or its one character."""
    codes = [_code(char) for char in word]
    if len(codes) == 1:
        return codes
    return sorted({a + b for a, b in itertools.pairwise(codes)})
