"""core.search: the normalizer and tokens (properties), highlighting, the index's writes, the reindex
command, and the console's company list using it."""

from __future__ import annotations

import jaconv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ouentai.core.models import SearchEntry
from ouentai.core.search import highlight, index_put, index_remove, index_remove_many
from ouentai.core.search.normalize import normalize, normalize_with_map, query_words
from ouentai.core.search.tokens import document_tokens, word_tokens

KATAKANA = st.characters(min_codepoint=0x30A1, max_codepoint=0x30F6)
KANJI = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
ALNUM = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
TEXT = st.text(st.one_of(KATAKANA, KANJI, ALNUM, st.sampled_from(" -ー・()㈱株式会社ｶﾞﾊﾟｰ０Ａ")), max_size=30)
WORD = st.text(st.one_of(KATAKANA, KANJI, ALNUM), min_size=1, max_size=6)


def found(text: str, query: str) -> bool:
    """What the database decides, without it: the tokens are in the text's tokens and each word is in
    the normalized text."""
    words = query_words(query)
    tokens = set(document_tokens([normalize(text)]))
    return bool(words) and all(set(word_tokens(w)) <= tokens and w in normalize(text) for w in words)


def widths(word: str) -> list[str]:
    return [
        jaconv.z2h(word, kana=True, ascii=True, digit=True),
        jaconv.h2z(word, kana=True, ascii=True, digit=True),
        jaconv.kata2hira(word),
        word.upper(),
    ]


@given(TEXT, WORD, TEXT)
@settings(max_examples=200, deadline=None)
def test_a_word_in_a_text_is_found_by_all_its_spellings(before: str, word: str, after: str) -> None:
    text = before + " " + word + " " + after
    if not normalize(word):
        return
    for spelling in [word, *widths(word)]:
        assert found(text, spelling), spelling
        assert found("".join(widths(text)[0]), spelling)  # the text typed half-width too


@given(TEXT, WORD)
@settings(max_examples=200, deadline=None)
def test_removing_a_word_removes_the_hit(text: str, word: str) -> None:
    key = normalize(word)
    if key and key not in normalize(text):
        assert not found(text, word)
        assert found(text + word, word)


@given(TEXT)
@settings(max_examples=200, deadline=None)
def test_the_mapped_normalization_is_the_normalization(text: str) -> None:
    normalized, origin = normalize_with_map(text)
    assert normalized == normalize(text)
    assert len(origin) == len(normalized)
    assert all(0 <= start < end <= len(text) for start, end in origin)


def test_normalization_folds_what_people_type_differently() -> None:
    assert normalize("㈱ＡＢＣ") == normalize("株式会社abc") == normalize("(株) ABC") == "abc"
    assert normalize("ｺﾝﾋﾟｭｰﾀ－") == normalize("こんぴゅーたー") == "コンピューター"
    assert normalize("045-201-1234") == "0452011234"
    assert query_words("+81 45 201 1234") == ["0452011234"]
    assert query_words("  会計　ＥＣ 株式会社 ") == ["会計", "ec"]  # the ideographic space splits too


def test_tokens_are_plain_ascii_and_a_word_needs_only_its_own() -> None:
    tokens = document_tokens(["会計"])
    assert len(tokens) == 3 and all(t.isascii() and t.isalnum() and t.islower() for t in tokens)
    assert set(word_tokens("会")) | set(word_tokens("計")) == {t for t in tokens if len(t) == 4}
    assert set(word_tokens("会計")) <= set(tokens) and len(word_tokens("会計")) == 1


DIGITISH = st.text(st.sampled_from("0123456789０１２３-ー abｱ会"), max_size=24)


@given(DIGITISH, DIGITISH, DIGITISH)
@settings(max_examples=300, deadline=None)
def test_digit_runs_are_found_by_any_piece_of_them(before: str, word: str, after: str) -> None:
    """Phone numbers, 法人番号 and postal codes: a query's run of 4+ digits is looked up by its 4-digit
    pieces, which every text holding the query has."""
    text = before + word + after
    if normalize(word) and normalize(word) in normalize(text):
        assert found(text, word)


def test_a_digit_run_is_looked_up_by_its_4_digit_pieces() -> None:
    assert word_tokens("0452011234") == sorted(f"d{'0452011234'[i : i + 4]}" for i in range(7))
    assert "d2011" in document_tokens([normalize("TEL 045-201-1234")])
    # Letters beside a run keep their pairs, the run's pairs inside give way to its pieces.
    tokens = word_tokens("ab12345")
    assert {"d1234", "d2345"} <= set(tokens) and len(tokens) == 4  # a+b, b+1, d1234, d2345
    assert len(word_tokens("123")) == 2  # 3 digits: still their pairs


def test_highlight_marks_the_characters_as_typed() -> None:
    assert highlight("㈱みなと会計サービス", "ミナト") == "㈱<mark>みなと</mark>会計サービス"
    assert highlight("ｶﾞｲｹｲ & <b>", "がい") == "<mark>ｶﾞｲ</mark>ｹｲ &amp; &lt;b&gt;"
    assert highlight("045-201-1234", "2011234") == "045-<mark>201-1234</mark>"
    assert highlight("コンピュータ－工房", "コンピューター") == "<mark>コンピュータ－</mark>工房"
    assert highlight("会計と会計", "会計") == "<mark>会計</mark>と<mark>会計</mark>"
    assert highlight("在庫", "") == "在庫"


@pytest.mark.django_db
def test_index_put_replaces_and_remove_takes_out() -> None:
    index_put(kind="tests.thing", object_id=7, organization_id=None, title="在庫", body="会計")
    index_put(kind="tests.thing", object_id=7, organization_id=None, title="受注")
    index_put(kind="tests.other", object_id=7, organization_id=None, title="在庫")
    entries = SearchEntry.objects.filter(kind="tests.thing")
    assert [(e.title, e.body) for e in entries] == [("受注", "")]
    index_remove(kind="tests.thing", object_id=7)
    assert not SearchEntry.objects.filter(kind="tests.thing").exists()
    assert SearchEntry.objects.filter(kind="tests.other").count() == 1
    index_put(kind="tests.thing", object_id=8, organization_id=None, title="a")
    index_put(kind="tests.thing", object_id=9, organization_id=None, title="b")
    assert index_remove_many(kind="tests.thing", object_ids=[8, 9, 10]) == 2
