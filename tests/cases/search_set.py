"""The search test set: a small library of cases and the queries people type, each with the cases it
must find in the order it must rank them (title 4, challenge or summary 2, the rest 1; a query of
several words adds its words' scores; ties go to the newer case). Written to cover what Japanese users
type: 1- and 2-character words, 全角 and 半角 letters and digits, 半角 kana, hiragana for katakana, the
long-vowel mark typed as a dash, and the legal forms of company names (株式会社, ㈱, (株), 有限会社).

Every case is in 製造業 in 神奈川県, its IT area is 情報共有・テレワーク, its challenge kind 生産性の向上, and
its results read 効果が出た。:
those words are in every case's searchable text, so no query below uses them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Doc:
    key: str
    title: str
    summary: str
    challenge: str
    solution: str
    company: str = ""  # a named case: the company's name is public, so it is searchable


DOCS: list[Doc] = [
    Doc(
        "a",
        "在庫の数を毎日そろえる",
        "倉庫の数え方を変えた。",
        "棚卸しに二日かかる。",
        "バーコードで入出庫を記録。",
    ),
    Doc(
        "b",
        "受注の入力を一本化",
        "注文票を一か所に集めた。",
        "ＦＡＸの注文を手で写していた。",
        "クラウドの販売管理を使う。在庫も見られる。",
    ),
    Doc(
        "c",
        "会計ソフトを入れ替え月次決算を早める",
        "経理の手作業を減らした。",
        "請求書の作成に時間がかかる。",
        "銀行明細を自動で取り込む。",
    ),
    Doc(
        "d",
        "ネットショップ（EC）で全国に販売",
        "自社サイトで直販を始めた。",
        "売り先が地元に偏る。",
        "ＥＣモールにも出店。ｱｸｾｽ解析で改善。",
    ),
    Doc(
        "e",
        "AIで検品の見落としを減らす",
        "画像で傷を見つける。",
        "目視の検品に漏れがある。",
        "カメラとＡＩの判定を組み合わせた。",
    ),
    Doc(
        "f",
        "勤怠をクラウドで集計",
        "打刻を紙からスマホへ。",
        "月末の集計に三日かかる。",
        "給与計算ソフトと連携。",
    ),
    Doc(
        "g",
        "予約の電話を減らすウェブ予約",
        "美容室の予約をオンラインに。",
        "電話が施術中に鳴る。",
        "予約の確認メールを自動で送る。",
    ),
    Doc(
        "h",
        "コンピューターで工程を見える化",
        "計画を画面で示す。",
        "工程の遅れに気づけない。",
        "こんぴゅーたーが苦手な職人も使える大きな画面。",
    ),
    Doc(
        "i",
        "ｻｰﾊﾞｰを更新しセキュリティを強化",
        "古い機器を入れ替えた。",
        "ウイルス対策が不十分。",
        "バックアップを毎日取る。",
    ),
    Doc(
        "j",
        "顧客台帳をＣＲＭに移行",
        "名刺と台帳を一つに。",
        "担当者ごとに顧客の記録がばらばら。",
        "営業日報もＣＲＭで書く。",
    ),
    Doc(
        "k",
        "さくら製作所の受発注改革",
        "発注書を電子化。",
        "発注の確認に手間。",
        "取引先とデータで受け渡す。",
        company="株式会社さくら製作所",
    ),
    Doc(
        "l",
        "配車表をクラウドで全員に見せる",
        "運行の予定をそろえる。",
        "配車の変更が伝わらない。",
        "ドライバーはスマホで確認。",
        company="有限会社青葉運輸",
    ),
    Doc(
        "m",
        "賞味期限の管理を自動化",
        "ロットごとに期限を記録。",
        "期限切れの廃棄が多い。",
        "在庫アラートで先に出荷。",
        company="㈱ミナト食品",
    ),
    Doc(
        "n",
        "２０２４年の制度改正に対応",
        "インボイスに合わせて請求を見直した。",
        "制度の変更に帳票が追いつかない。",
        "請求書の様式を変えた。",
    ),
    Doc(
        "o",
        "ペーパーレスで会議資料を配る",
        "紙の配布をやめた。",
        "印刷代がかさむ。",
        "タブレットで資料を見る。会計の資料も同じ。",
    ),
    Doc(
        "p",
        "職人の技をビデオで伝える",
        "技能承継の動画を作った。",
        "ベテランの引退が近い。",
        "作業を撮影して手順書にした。",
    ),
    Doc(
        "q",
        "データで売れ筋を分析",
        "POSのデータを集計。",
        "仕入れが勘に頼る。",
        "ＰＯＳデータを表計算で分析。",
    ),
]

# (what is typed, the cases found in rank order, why)
QUERIES: list[tuple[str, list[str], str]] = [
    ("在庫", ["a", "m", "b"], "2 characters: title before body; body ties newest first"),
    ("ざいこ", [], "hiragana is not read as kanji"),
    ("受注", ["b"], "受注 is not a piece of 受発注"),
    ("発注", ["k"], "inside 受発注 in a title"),
    ("会計", ["c", "o"], "title before body"),
    ("EC", ["d"], "2 Latin letters"),
    ("ＥＣ", ["d"], "全角 letters"),
    ("ec", ["d"], "lower case"),
    ("ｅｃ", ["d"], "全角 lower case"),
    ("AI", ["e"], "2 Latin letters"),
    ("ａｉ", ["e"], "全角 lower case"),
    ("勤怠", ["f"], "2 characters"),
    ("予約", ["g"], "2 characters"),
    ("ウェブ予約", ["g"], "katakana and kanji"),
    ("うぇぶ", ["g"], "hiragana for katakana, small kana"),
    ("コンピューター", ["h"], "katakana with the long-vowel mark"),
    ("こんぴゅーたー", ["h"], "hiragana for katakana"),
    ("ｺﾝﾋﾟｭｰﾀｰ", ["h"], "半角 kana with voiced marks"),
    ("コンピュータ", ["h"], "without the last long vowel: a piece of the word"),
    ("サーバー", ["i"], "katakana finds 半角 kana typed in the title"),
    ("さーばー", ["i"], "hiragana finds 半角 kana"),
    ("サーバ－", ["i"], "the long vowel typed as a 全角 minus"),
    ("ＣＲＭ", ["j"], "全角 letters"),
    ("crm", ["j"], "lower case"),
    ("さくら製作所", ["k"], "a named case's company"),
    ("株式会社さくら製作所", ["k"], "legal form written out"),
    ("(株)さくら製作所", ["k"], "legal form abbreviated"),
    ("㈱さくら製作所", ["k"], "legal form as one character"),
    ("（株）さくら製作所", ["k"], "legal form in 全角 brackets"),
    ("青葉運輸", ["l"], "a company name found in the body only"),
    ("有限会社青葉運輸", ["l"], "有限会社"),
    ("(有)青葉運輸", ["l"], "(有)"),
    ("ミナト食品", ["m"], "written ㈱ミナト食品"),
    ("株式会社ミナト食品", ["m"], "㈱ found as 株式会社"),
    ("みなと食品", ["m"], "hiragana for katakana in a name"),
    ("2024", ["n"], "半角 digits find 全角 digits"),
    ("２０２４", ["n"], "全角 digits"),
    ("請求", ["n", "c"], "both in summary or challenge: the newer first"),
    ("請求書", ["c", "n"], "challenge before body"),
    ("インボイス", ["n"], "summary"),
    ("ﾃﾞｰﾀ", ["q", "k"], "半角 kana; title before body"),
    ("POS", ["q"], "summary and body"),
    ("ｐｏｓ", ["q"], "全角 lower case"),
    ("Ｐｏｓデータ", ["q"], "mixed widths, letters and katakana as one piece"),
    ("在庫 出荷", ["m"], "two words: both must be there"),
    ("受注 クラウド", ["b"], "two words: title and body"),
    ("在庫　受注", ["b"], "the ideographic space splits words"),
    ("クラウド", ["l", "f", "b"], "two titles (newer first), then a body"),
    ("くらうど", ["l", "f", "b"], "hiragana"),
    ("棚卸し", ["a"], "challenge"),
    ("タブレット", ["o"], "body"),
    ("電話", ["g"], "title and challenge: counted once, at the title"),
    ("スマホ", ["f", "l"], "summary before body"),
    ("紙", ["o", "f"], "1 character; summaries tie, the newer first"),
    ("技", ["p"], "1 character in a title"),
    ("ベテラン", ["p"], "challenge"),
    ("見落とし", ["e"], "title"),
    ("期限", ["m"], "title, summary and challenge"),
    ("動画", ["p"], "summary"),
    ("在庫 AI", [], "no case holds both"),
]
