import pytest

from ouentai.core.jp import (
    JapaneseDataError,
    area_codes_for,
    format_phone,
    match_key,
    normalize_address,
    normalize_email,
    normalize_furigana,
    normalize_phone,
    normalize_postal_code,
    normalize_text,
    postal_lookup,
    split_legal_form,
    validate_corporate_number,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ｶﾌﾞｼｷｶﾞｲｼｬ ﾐﾅﾄ", "カブシキガイシャ ミナト"),
        ("ＡＢＣ商事１２３", "ABC商事123"),
        ("髙橋﨑山㈱", "髙橋﨑山㈱"),  # kanji variants and ㈱ stay exactly as typed
        ("  前後の空白  ", "前後の空白"),
        ("一つ目（改）！", "一つ目（改）！"),  # Japanese punctuation stays
    ],
)
def test_normalize_text_is_light(typed, stored):
    assert normalize_text(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ﾐﾅﾄｾｲｷ", "ミナトセイキ"),
        ("みなとせいき", "ミナトセイキ"),
        ("たなか　まこと", "タナカ マコト"),
        ("ヴァイオリン・ー", "ヴァイオリン・ー"),
    ],
)
def test_furigana_becomes_full_width_katakana(typed, stored):
    assert normalize_furigana(typed) == stored


def test_furigana_refuses_kanji():
    with pytest.raises(JapaneseDataError):
        normalize_furigana("田中")


@pytest.mark.parametrize(
    "typed", ["231-0023", "〒２３１－００２３", "２３１００２３", "231ー0023", " 231 0023 "]
)
def test_postal_code_accepts_what_people_type(typed):
    assert normalize_postal_code(typed) == "2310023"


@pytest.mark.parametrize("typed", ["231-002", "12345678", "abc"])
def test_postal_code_refuses_wrong_length(typed):
    with pytest.raises(JapaneseDataError):
        normalize_postal_code(typed)


@pytest.mark.parametrize(
    "number", ["7000012050002", "4000012090001", "1180301018771", "７０００－０１２０５－０００２"]
)
def test_corporate_number_check_digit_valid(number):
    assert validate_corporate_number(number) == number.translate(
        str.maketrans("０１２５７－", "01257-")
    ).replace("-", "")


@pytest.mark.parametrize("number", ["7000012050003", "700001205000", "70000120500021", "8000012050002"])
def test_corporate_number_check_digit_invalid(number):
    with pytest.raises(JapaneseDataError):
        validate_corporate_number(number)


@pytest.mark.parametrize(
    ("typed", "e164", "shown"),
    [
        ("045-123-4567", "+81451234567", "045-123-4567"),
        ("09012345678", "+819012345678", "090-1234-5678"),
        ("+81 45 123 4567", "+81451234567", "045-123-4567"),
        ("０４５－２０１－１２３４", "+81452011234", "045-201-1234"),
        ("03(1234)5678", "+81312345678", "03-1234-5678"),
    ],
)
def test_phone_stored_e164_shown_national(typed, e164, shown):
    assert normalize_phone(typed) == e164
    assert format_phone(e164) == shown


@pytest.mark.parametrize("typed", ["12345", "045-123-456", "電話"])
def test_phone_refuses_invalid(typed):
    with pytest.raises(JapaneseDataError):
        normalize_phone(typed)


def test_address_dashes_but_not_long_vowels():
    assert normalize_address("１－２－３ ｾﾝﾀｰﾋﾞﾙ") == "1-2-3 センタービル"


def test_email_full_width_input():
    assert normalize_email("ｔａｎａｋａ＠Example.JP") == "tanaka@example.jp"


@pytest.mark.parametrize(
    ("name", "form", "position", "core"),
    [
        ("株式会社みなと精機", "株式会社", "before", "みなと精機"),
        ("みなと精機株式会社", "株式会社", "after", "みなと精機"),
        ("㈱みなと精機", "株式会社", "before", "みなと精機"),
        ("（株）みなと精機", "株式会社", "before", "みなと精機"),
        ("みなと精機(有)", "有限会社", "after", "みなと精機"),
        ("NPO法人ITサポート", "特定非営利活動法人", "before", "ITサポート"),
        ("みなと精機", "", "", "みなと精機"),
    ],
)
def test_split_legal_form(name, form, position, core):
    parts = split_legal_form(name)
    assert (parts.legal_form, parts.position, parts.core) == (form, position, core)


def test_match_key_ignores_width_legal_form_and_kana_script():
    keys = {match_key(n) for n in ["株式会社ＡＢＣ商事", "㈱ABC商事", "ABC商事 株式会社", "（株）ａｂｃ商事"]}
    assert len(keys) == 1
    assert match_key("みなと") == match_key("ミナト") == match_key("ﾐﾅﾄ")


@pytest.mark.parametrize(
    ("code", "covering"),
    [
        ("14104", ["14104", "14100", "14"]),  # 横浜市中区 → 横浜市 → 神奈川県
        ("14131", ["14131", "14130", "14"]),  # 川崎市川崎区 → 川崎市
        ("14201", ["14201", "14"]),  # 横須賀市: not a ward
        ("13101", ["13101", "13"]),  # 千代田区: a special ward, not in a designated city
    ],
)
def test_area_codes_for(code, covering):
    assert area_codes_for(code) == covering


def test_postal_lookup_offline():
    found = postal_lookup("231-0023")
    assert found is not None
    assert (found.prefecture, found.city, found.town, found.municipality_code) == (
        "神奈川県",
        "横浜市中区",
        "山下町",
        "14104",
    )
    assert postal_lookup("9999999") is None
