"""How alike a company and a published case are: the recommender's model, without the database.

A case's text and a company's text (what it wrote: application, engagement challenges and goals,
diagnosis) are put through the search normalizer (``core.search.normalize``: 全角/半角, hiragana →
katakana, case …), cut at punctuation, and compared as character 1–3-gram TF-IDF vectors
(scikit-learn's ``TfidfVectorizer(analyzer="char_wb")``): no word segmenter, so 在庫 and 受発注 match
whatever surrounds them, and no hosted model. The cosine of the two vectors (0–1) is the text score;
small structured points are added when the case has the company's industry, size band, prefecture,
or the challenge kind / IT area that the company's words point to (``STRUCTURE_POINTS``,
``CHALLENGE_WORDS``, ``IT_AREA_WORDS``). Every match carries its reasons in words (the shared key
terms and each structured point), built in the language of the request.

``CaseModel.fit`` is the only expensive step; the selectors (``selectors/recommend.py``) keep one
fitted model per process and fit again when the set of public cases changes.
docs/decisions/0009-recommendations.md gives the design and what it measured.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext

from ouentai.cases.choices import Challenge, ItArea, SizeBand
from ouentai.cases.rules import anonymous_name
from ouentai.community.choices import Industry, industry_name
from ouentai.core.search.normalize import normalize, normalize_with_map

# Points added to the text score (a cosine, 0–1) for each structured match. Kept small: two texts
# that share nothing stay below two texts that share the problem, whatever the company facts say.
STRUCTURE_POINTS = {
    "industry": 0.06,
    "size_band": 0.02,
    "prefecture": 0.02,
    "challenge_kind": 0.04,
    "it_area": 0.06,
}
# Below this a case is not recommended (a lone size band or prefecture is not a reason).
MIN_SCORE = 0.05
# How many shared key terms a reason lists.
MAX_TERMS = 3

# Words that point to a challenge kind or an IT area when a company writes them. Data, not code: a
# word may point to several. Matched on normalized text (hiragana and katakana alike).
CHALLENGE_WORDS: dict[str, tuple[str, ...]] = {
    Challenge.GROWTH: ("売上", "販路", "新規顧客", "集客", "海外", "ネット販売", "通販", "EC"),
    Challenge.PRODUCTIVITY: ("手間", "時間がかか", "残業", "生産性", "手作業", "二重入力", "転記", "効率"),
    Challenge.COST: ("コスト", "削減", "経費", "在庫過多", "ロス", "廃棄", "外注費"),
    Challenge.LABOUR: ("人手不足", "人手が足り", "採用", "人材不足", "高齢", "人が足り", "人手"),
    Challenge.QUALITY: ("品質", "クレーム", "ミス", "不良", "誤出荷", "間違い", "満足"),
    Challenge.SUCCESSION: ("承継", "後継", "技能", "熟練", "ベテラン", "属人", "勘"),
    Challenge.NEW_BUSINESS: ("新事業", "新分野", "新商品", "新サービス", "参入", "新しい事業"),
}
IT_AREA_WORDS: dict[str, tuple[str, ...]] = {
    ItArea.SALES: ("EC", "ネットショップ", "通販", "販路", "ホームページ", "SNS", "オンライン販売"),
    ItArea.ORDERS: ("受注", "発注", "FAX", "ファックス", "見積", "注文", "納期"),
    ItArea.INVENTORY: ("在庫", "物流", "出荷", "倉庫", "棚卸", "配送", "入荷"),
    ItArea.PRODUCTION: ("生産", "工程", "図面", "段取", "稼働", "製造", "生産管理"),
    ItArea.ACCOUNTING: ("会計", "経理", "請求", "帳簿", "仕訳", "決算", "入金", "インボイス", "原価"),
    ItArea.CUSTOMERS: ("顧客", "CRM", "予約", "問い合わせ", "商談", "リピート", "名刺"),
    ItArea.HR: ("勤怠", "給与", "シフト", "人事", "労務", "有給", "タイムカード"),
    ItArea.COLLABORATION: ("情報共有", "テレワーク", "グループウェア", "チャット", "日報", "回覧", "共有"),
    ItArea.DATA: ("データ", "分析", "AI", "予測", "見える化", "可視化", "ダッシュボード", "IoT", "センサー"),
    ItArea.SECURITY: (
        "セキュリティ",
        "ウイルス",
        "バックアップ",
        "漏洩",
        "パスワード",
        "不正アクセス",
        "ランサム",
    ),
}

# Words too common in this domain to be a reason on their own (they still count in the score).
_GENERIC_TERMS = frozenset(
    normalize(word)
    for word in (
        "当社",
        "弊社",
        "会社",
        "社員",
        "従業員",
        "導入",
        "管理",
        "活用",
        "業務",
        "改善",
        "システム",
        "効率",
        "課題",
        "必要",
        "現在",
        "以前",
        "仕組",
    )
)
_SPLIT = re.compile(r"[\s、。，．,.・･「」『』（）()\[\]【】！？!?：:；;／/〜~…\"'“”‘’]+")
# Runs that can be a key term: kanji, katakana (written as katakana), Latin letters and digits.
_RUNS = re.compile(r"[\u4e00-\u9fff\u3005\u3006]+|[\u30a1-\u30fa\u30fc]{3,}|[a-z][a-z0-9]+")


def prepare(text: str) -> str:
    """The text as the vectorizer reads it: each piece between punctuation normalized, pieces
    separated by one space (so that n-grams do not run across a sentence boundary)."""
    pieces = (normalize(piece) for piece in _SPLIT.split(text))
    return " ".join(piece for piece in pieces if piece)


def _term_runs(text: str) -> list[str]:
    """The pieces of ``text`` that may be key terms, normalized: kanji runs, katakana runs written
    as katakana (hiragana is grammar more often than not), Latin words."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    runs = (normalize(run) for run in _RUNS.findall(folded))
    return list(dict.fromkeys(run for run in runs if run))


@lru_cache(maxsize=1)
def _normalized_words() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    def fold(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {key: tuple(normalize(word) for word in words) for key, words in table.items()}

    return fold(CHALLENGE_WORDS), fold(IT_AREA_WORDS)


def _pointed(table: dict[str, tuple[str, ...]], text: str, limit: int = 2) -> frozenset[str]:
    """The keys whose words the text holds most (at most ``limit``, each with at least one word)."""
    hits = {key: sum(text.count(word) for word in words) for key, words in table.items()}
    ranked = sorted((key for key, count in hits.items() if count), key=lambda key: (-hits[key], key))
    return frozenset(ranked[:limit])


def pointed_kinds(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The challenge kinds and IT areas a company's words point to (CHALLENGE_WORDS, IT_AREA_WORDS)."""
    folded = normalize(text)
    challenge_words, area_words = _normalized_words()
    return _pointed(challenge_words, folded), _pointed(area_words, folded)


def _label(choices: type[Challenge | ItArea | SizeBand | Industry], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return ""


@dataclass(frozen=True)
class CaseItem:
    """What the model keeps of one public case, taken from its public projection
    (``selectors.public.public_case``): ``company_name`` is empty for an anonymized case. Labels are
    made when shown, in the language of the page."""

    pk: int
    key: uuid.UUID
    organization_id: int
    company_id: int
    named: bool
    company_name: str
    title: str
    summary: str
    industry: str
    size_band: str
    prefecture: str
    city: str
    challenge_kind: str
    it_area: str
    expert_ids: tuple[int, ...] = ()

    @property
    def industry_label(self) -> str:
        return industry_name(self.industry)

    @property
    def size_band_label(self) -> str:
        return _label(SizeBand, self.size_band)

    @property
    def challenge_kind_label(self) -> str:
        return _label(Challenge, self.challenge_kind)

    @property
    def it_area_label(self) -> str:
        return _label(ItArea, self.it_area)

    @property
    def who(self) -> str:
        """As the public case names the company (the same words as ``PublicCase.who``)."""
        if self.named:
            return self.company_name
        return anonymous_name(prefecture=self.prefecture, industry=self.industry, size_band=self.size_band)


@dataclass(frozen=True)
class Profile:
    """What is known of a company for matching: its own words (``text``) and facts. ``company_id``
    is left out of the results (a company is not shown its own case)."""

    text: str
    industry: str = ""
    size_band: str = ""
    prefecture: str = ""
    company_id: int | None = None


@dataclass
class Match:
    """A case for a profile: the score (text cosine plus structured points), its parts and its
    reasons in words, the shared key terms first."""

    item: CaseItem
    score: float
    text_score: float
    terms: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _maximal_shared(run: str, other: str, minimum: int) -> list[str]:
    """The longest pieces of ``run`` (at least ``minimum`` characters) found in ``other``, one per
    starting point, without pieces that lie inside a longer one found."""
    found: list[str] = []
    for start in range(len(run)):
        end = start + minimum
        if end > len(run) or run[start:end] not in other:
            continue
        while end < len(run) and run[start : end + 1] in other:
            end += 1
        piece = run[start:end]
        if not any(piece in longer for longer in found):
            found.append(piece)
    return found


class CaseModel:
    """A fitted TF-IDF model of the public cases: ``rank`` a profile against every case."""

    def __init__(self, items: Sequence[CaseItem], texts: Sequence[str]) -> None:
        import numpy
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.items = list(items)
        self.texts = [prepare(text) for text in texts]
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, lowercase=False, dtype=numpy.float32
        )
        self.matrix = self.vectorizer.fit_transform(self.texts) if self.items else None
        self._idf = (
            {gram: float(self.vectorizer.idf_[index]) for gram, index in self.vectorizer.vocabulary_.items()}
            if self.items
            else {}
        )
        self._unknown_idf = max(self._idf.values(), default=1.0)
        # The facts of every case as arrays, so that a profile is scored against all cases at once.
        self._facts = {
            name: numpy.array([getattr(item, name) for item in self.items], dtype=object)
            for name in STRUCTURE_POINTS
        }
        self._companies = numpy.array([item.company_id for item in self.items], dtype=numpy.int64)
        self._pks = numpy.array([item.pk for item in self.items], dtype=numpy.int64)

    @classmethod
    def fit(cls, documents: Iterable[tuple[CaseItem, str]]) -> CaseModel:
        pairs = list(documents)
        return cls([item for item, _text in pairs], [text for _item, text in pairs])

    def __len__(self) -> int:
        return len(self.items)

    def _term_weight(self, term: str) -> float:
        """How telling a term is: the IDF of its bigrams, summed (rare, long terms first)."""
        unknown = self._unknown_idf
        grams = [term[i : i + 2] for i in range(len(term) - 1)] or [term]
        return sum(self._idf.get(gram, unknown) for gram in grams)

    def shared_terms(self, query_runs: Sequence[str], index: int) -> list[str]:
        """The key terms the company's words and the case share, most telling first."""
        text = self.texts[index]
        candidates: list[str] = []
        for run in query_runs:
            minimum = 3 if run[0] >= "\u30a1" and run[0] <= "\u30fc" else 2
            candidates += _maximal_shared(run, text, minimum)
        terms = sorted(
            {t for t in candidates if t not in _GENERIC_TERMS},
            key=lambda t: (-self._term_weight(t), t),
        )
        chosen: list[str] = []
        for term in terms:
            if not any(term in other or other in term for other in chosen):
                chosen.append(term)
            if len(chosen) == MAX_TERMS:
                break
        return chosen

    def similarities(self, text: str) -> Any:
        """The text score of ``text`` against every case: a numpy array of cosines, 0–1 (all 0 for an
        empty text)."""
        import numpy

        if self.matrix is None:
            return numpy.zeros(0)
        # A dense query vector: the product is then one pass over the matrix's entries.
        vector = self.vectorizer.transform([prepare(text)]).toarray().ravel()
        return numpy.asarray(self.matrix @ vector, dtype=numpy.float64)

    def _parts(
        self, profile: Profile, challenges: frozenset[str], areas: frozenset[str], index: int
    ) -> list[str]:
        item = self.items[index]
        wanted = {
            "industry": profile.industry,
            "size_band": profile.size_band,
            "prefecture": profile.prefecture,
        }
        parts = [name for name, value in wanted.items() if value and getattr(item, name) == value]
        if item.challenge_kind in challenges:
            parts.append("challenge_kind")
        if item.it_area in areas:
            parts.append("it_area")
        return parts

    def rank(self, profile: Profile, *, limit: int = 5, terms_for: int | None = None) -> list[Match]:
        """The best ``limit`` cases for the profile, best first (ties: more structured matches, then
        the newer case, i.e. the higher id), each with at least one reason; cases of the profile's own
        company are left out, and so is any case scoring below MIN_SCORE. Key terms are looked for in
        the first ``terms_for`` matches (default: all of them); the score is computed for every case
        at once (numpy), the reasons only for those returned."""
        import numpy

        if not self.items:
            return []
        score = self.similarities(profile.text)
        text_scores = score.copy()
        matched = numpy.zeros(len(self.items), dtype=numpy.int64)
        challenges, areas = pointed_kinds(profile.text)
        wanted = {
            "industry": [profile.industry] if profile.industry else [],
            "size_band": [profile.size_band] if profile.size_band else [],
            "prefecture": [profile.prefecture] if profile.prefecture else [],
            "challenge_kind": sorted(challenges),
            "it_area": sorted(areas),
        }
        for name, values in wanted.items():
            if values:
                hit = numpy.isin(self._facts[name], values)
                score += STRUCTURE_POINTS[name] * hit
                matched += hit
        if profile.company_id is not None:
            score[self._companies == profile.company_id] = -1.0
        eligible = numpy.flatnonzero(score >= MIN_SCORE)
        order = eligible[numpy.lexsort((-self._pks[eligible], -matched[eligible], -score[eligible]))][:limit]
        query_runs = _term_runs(profile.text)
        as_typed = _as_typed(profile.text)
        terms_for = limit if terms_for is None else terms_for
        matches = []
        for position, index in enumerate(order.tolist()):
            item = self.items[index]
            terms = (
                [as_typed(t) for t in self.shared_terms(query_runs, index)] if position < terms_for else []
            )
            reasons = _reasons(item, terms, self._parts(profile, challenges, areas, index))
            if not reasons:
                continue
            matches.append(
                Match(
                    item, round(float(score[index]), 4), round(float(text_scores[index]), 4), terms, reasons
                )
            )
        return matches


def _as_typed(text: str) -> Callable[[str], str]:
    """Shows a normalized term as the company typed it (FAX, not fax)."""
    folded, spans = normalize_with_map(text)

    def show(term: str) -> str:
        start = folded.find(term)
        if start < 0:
            return term
        return text[spans[start][0] : spans[start + len(term) - 1][1]]

    return show


def _reasons(item: CaseItem, terms: list[str], parts: list[str]) -> list[str]:
    """Why a case is recommended, in the language of the request."""
    reasons = []
    if terms:
        reasons.append(gettext("共通のキーワード：%(terms)s") % {"terms": "、".join(terms)})
    words = {
        "industry": lambda: gettext("同じ業種（%(label)s）") % {"label": item.industry_label},
        "size_band": lambda: gettext("同じ従業員規模（%(label)s）") % {"label": item.size_band_label},
        "prefecture": lambda: gettext("同じ地域（%(label)s）") % {"label": item.prefecture},
        "challenge_kind": lambda: (
            gettext("同じ課題の分類（%(label)s）") % {"label": item.challenge_kind_label}
        ),
        "it_area": lambda: gettext("同じITの分野（%(label)s）") % {"label": item.it_area_label},
    }
    reasons += [words[name]() for name in parts]
    return reasons
