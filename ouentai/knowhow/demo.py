"""Japanese demo know-how for `manage.py demo_data`: twelve items of 横浜 and 川崎 (templates and lessons
learned), private, shared with every organization and public, some with two versions of their file
(small real files: xlsx checklists made with openpyxl, Markdown texts). Written through the services,
so they are indexed and audited like any other. Running it again adds nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from openpyxl import Workbook

from ouentai.accounts.models import Organization, User
from ouentai.engagements.models import Engagement
from ouentai.knowhow import services
from ouentai.knowhow.choices import ItemKind, Visibility
from ouentai.knowhow.models import Item

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class DemoFile:
    name: str
    rows: tuple[tuple[str, ...], ...] = ()  # an xlsx sheet when given
    text: str = ""  # else a Markdown text
    note: str = ""

    def upload(self) -> SimpleUploadedFile:
        if self.rows:
            book = Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.title = "チェックリスト"
            for row in self.rows:
                sheet.append(list(row))
            buffer = io.BytesIO()
            book.save(buffer)
            return SimpleUploadedFile(self.name, buffer.getvalue(), content_type=XLSX)
        return SimpleUploadedFile(self.name, self.text.encode("utf-8"), content_type="text/markdown")


@dataclass(frozen=True)
class DemoItem:
    org: str
    author: str
    kind: str
    visibility: str
    title: str
    summary: str
    body: str
    tags: tuple[str, ...]
    files: tuple[DemoFile, ...] = ()
    used_in_engagement: bool = False


CHECK_HEAD = ("No.", "確認すること", "確認日", "担当", "メモ")

ITEMS = [
    DemoItem(
        "yokohama",
        "itc@yokohama.example.jp",
        ItemKind.PLAN_TEMPLATE,
        Visibility.PUBLIC,
        "IT経営計画書のひな形（小規模製造業向け）",
        "経営課題からIT投資、KPIまでを一枚ずつ書き進められる計画書のひな形です。初めて計画書を作る会社向けに記入例を付けています。",
        "## 使い方\n1. 経営者と一緒に「3年後の会社の姿」を書く\n2. 業務の流れ図を描き、手間と手戻りに印を付ける\n"
        "3. 在庫・受発注・原価のうち、効果の大きいものから一つ選ぶ\n4. KPIは基準値と測り方を必ず書く\n\n"
        "記入例は部品加工業（従業員25名）を想定しています。",
        ("計画書", "製造業", "KPI"),
        (
            DemoFile(
                "IT経営計画書_ひな形.md",
                text="# IT経営計画書\n\n## 1. 経営ビジョン\n\n## 2. 現状の課題\n\n## 3. IT戦略\n\n## 4. KPI\n",
                note="初版",
            ),
            DemoFile(
                "IT経営計画書_ひな形.md",
                text="# IT経営計画書（2026年度版）\n\n## 1. 経営ビジョン\n\n## 2. 現状の課題と業務の流れ\n\n## 3. IT戦略\n\n## 4. 投資計画\n\n## 5. KPI（基準値・目標値・測り方）\n",
                note="投資計画の章を追加し、KPIの書き方を詳しくしました",
            ),
        ),
        True,
    ),
    DemoItem(
        "yokohama",
        "staff@yokohama.example.jp",
        ItemKind.CHECKLIST,
        Visibility.PLATFORM,
        "在庫管理システム導入前のチェックリスト",
        "在庫管理の仕組みを入れる前に、現場で確かめておきたい30項目を一覧にしました。棚卸しの頻度、品番の付け方、置き場の決め方など。",
        "導入してから「品番が統一されていなかった」と分かると、マスタ整備だけで数か月かかります。"
        "キックオフ前に経営者と現場責任者に記入してもらい、二人の答えが違う項目を最初の打ち合わせで話し合います。",
        ("在庫", "チェックリスト", "導入準備"),
        (
            DemoFile(
                "在庫管理_導入前チェックリスト.xlsx",
                rows=(
                    CHECK_HEAD,
                    ("1", "品番の付け方が決まっている", "", "", ""),
                    ("2", "棚卸しを年に何回するか決まっている", "", "", ""),
                ),
                note="初版",
            ),
            DemoFile(
                "在庫管理_導入前チェックリスト.xlsx",
                rows=(
                    CHECK_HEAD,
                    ("1", "品番の付け方が決まっている", "", "", ""),
                    ("2", "棚卸しを年に何回するか決まっている", "", "", ""),
                    ("3", "置き場（ロケーション）に番号がある", "", "", ""),
                    ("4", "不良品・返品の置き場が分かれている", "", "", ""),
                ),
                note="ロケーションと返品の項目を追加",
            ),
        ),
        True,
    ),
    DemoItem(
        "yokohama",
        "itc@yokohama.example.jp",
        ItemKind.RFP,
        Visibility.PUBLIC,
        "販売管理システムのRFPひな形",
        "ベンダーに見積もりを依頼するときの提案依頼書（RFP）のひな形です。機能の一覧よりも、業務の困りごとを伝えることを重視しています。",
        "RFPでは「必須」「あるとよい」「不要」を分けて書くと、見積もりの比較がしやすくなります。"
        "保守費用と、データを取り出す方法（解約時を含む）を必ず質問してください。",
        ("RFP", "販売管理", "受発注"),
        (
            DemoFile(
                "販売管理RFP_ひな形.md",
                text="# 提案依頼書（RFP）\n\n## 1. 会社と業務の概要\n\n## 2. いま困っていること\n\n## 3. 求める機能（必須／あるとよい）\n\n## 4. 保守とデータの取り出し\n\n## 5. 提案の提出方法と期限\n",
                note="初版",
            ),
        ),
    ),
    DemoItem(
        "yokohama",
        "staff@yokohama.example.jp",
        ItemKind.SEMINAR,
        Visibility.PUBLIC,
        "キックオフセミナー「経営に効くIT」資料",
        "横浜で開いたキックオフセミナーの説明資料です。IT経営の考え方と、地域の支援制度の使い方を60分で紹介しています。",
        "前半はIT経営力の4つの段階、後半は専門家派遣などの支援制度の申込方法です。質疑で多かった質問を最後にまとめました。",
        ("セミナー", "IT経営"),
        (
            DemoFile(
                "キックオフセミナー資料.md",
                text="# 経営に効くIT\n\n- IT経営力の4つの段階\n- 計画書づくりの進め方\n- 専門家派遣の使い方\n",
                note="当日配布版",
            ),
        ),
    ),
    DemoItem(
        "yokohama",
        "itc@yokohama.example.jp",
        ItemKind.LESSON,
        Visibility.ORGANIZATION,
        "教訓：受発注のEDI化は取引先の準備から",
        "自社の準備が整っても、主要取引先が対応できずに半年止まった例です。取引先への説明を計画の最初に入れます。",
        "何が起きたか：受発注をEDIに切り替える計画で、社内の準備は3か月で終わった。しかし取引先上位5社のうち2社が"
        "FAXのままを希望し、並行運用が続いた。\n\n次にどうするか：計画書の段階で取引先の対応状況を聞き取り、"
        "移行の順番と並行運用の期間を決めておく。",
        ("受発注", "EDI", "教訓"),
        used_in_engagement=True,
    ),
    DemoItem(
        "yokohama",
        "staff@yokohama.example.jp",
        ItemKind.CHECKLIST,
        Visibility.ORGANIZATION,
        "専門家派遣の申請前チェックリスト（事務局用）",
        "派遣申請を出す前に事務局が確認する項目です。年度の派遣回数、テーマ、企業の同意を確かめます。",
        "申請の差し戻しで多いのは、年度の回数の数え違いと、IT関連テーマの上限の取り違えです。",
        ("専門家派遣", "事務局"),
        (
            DemoFile(
                "派遣申請_確認表.xlsx",
                rows=(
                    CHECK_HEAD,
                    ("1", "今年度の派遣回数を確認した", "", "", ""),
                    ("2", "企業の同意を得た", "", "", ""),
                ),
                note="初版",
            ),
        ),
    ),
    DemoItem(
        "kawasaki",
        "staff@kawasaki.example.jp",
        ItemKind.LESSON,
        Visibility.PLATFORM,
        "教訓：クラウド会計の導入は決算の直後に",
        "期の途中で会計ソフトを切り替えて、二重入力が4か月続いた例です。切り替えは決算の直後が安全です。",
        "何が起きたか：年度の途中で会計をクラウドに移したため、前半の仕訳を移し替える作業が発生した。\n\n"
        "次にどうするか：税理士と相談し、決算が終わった月から新しい会計で始める。銀行明細の連携は初月に設定する。",
        ("会計", "クラウド", "教訓"),
    ),
    DemoItem(
        "kawasaki",
        "staff@kawasaki.example.jp",
        ItemKind.PLAN_TEMPLATE,
        Visibility.ORGANIZATION,
        "生産管理の改善計画書（川崎版）",
        "川崎の事務局で使っている生産管理の改善計画書です。工程ごとの待ち時間を測るところから始めます。",
        "工程表と日報の様式を付けています。測定期間は最低2週間を目安にしてください。",
        ("生産管理", "計画書", "製造業"),
        (
            DemoFile(
                "生産管理_改善計画書.md",
                text="# 生産管理の改善計画書\n\n## 工程と待ち時間\n\n## 改善の目標\n",
                note="初版",
            ),
        ),
    ),
    DemoItem(
        "kawasaki",
        "staff@kawasaki.example.jp",
        ItemKind.SEMINAR,
        Visibility.PUBLIC,
        "経営者研修「データで見る自社の強み」教材",
        "経営者研修の第2回で使った教材です。売上データを取引先別・品目別に並べ替えて、強みを見つけるワークがあります。",
        "表計算ソフトがあれば誰でも取り組めます。サンプルデータは架空の卸売業のものです。",
        ("経営者研修", "データ活用", "セミナー"),
        (
            DemoFile(
                "経営者研修_第2回.md",
                text="# データで見る自社の強み\n\n1. 取引先別の売上\n2. 品目別の粗利\n",
                note="初版",
            ),
            DemoFile(
                "経営者研修_第2回.md",
                text="# データで見る自社の強み\n\n1. 取引先別の売上\n2. 品目別の粗利\n3. ワーク：上位2割の取引先に共通すること\n",
                note="ワークの設問を追加",
            ),
        ),
    ),
    DemoItem(
        "kawasaki",
        "admin@kawasaki.example.jp",
        ItemKind.RFP,
        Visibility.PLATFORM,
        "ECサイト構築のRFPと評価表",
        "小売業のECサイト構築で使ったRFPと、提案を比べるための評価表です。",
        "評価表は「業務との合い方」「費用」「運用のしやすさ」「支援体制」の4つの観点で点数を付けます。",
        ("EC", "RFP", "小売業"),
        (
            DemoFile(
                "EC_RFP_評価表.xlsx",
                rows=(
                    ("観点", "配点", "A社", "B社"),
                    ("業務との合い方", "40", "", ""),
                    ("費用", "30", "", ""),
                ),
                note="初版",
            ),
        ),
    ),
    DemoItem(
        "yokohama",
        "staff2@yokohama.example.jp",
        ItemKind.LESSON,
        Visibility.PUBLIC,
        "教訓：AIの試行は小さな業務一つから",
        "問い合わせ対応にAIを試した会社で、対象を広げすぎて評価できなかった例です。まず一つの業務で効果を測ります。",
        "何が起きたか：見積もり、問い合わせ、社内文書の三つを同時に試し、どれが効いたのか分からなくなった。\n\n"
        "次にどうするか：回答時間など測れる指標がある業務を一つ選び、1か月試してから広げる。",
        ("AI", "教訓", "DX"),
    ),
    DemoItem(
        "yokohama",
        "staff@yokohama.example.jp",
        ItemKind.CHECKLIST,
        Visibility.PLATFORM,
        "情報セキュリティ 最初の10項目",
        "小さな会社がまず取り組むセキュリティ対策を10項目にまとめました。パスワード、更新、バックアップなど。",
        "IT導入の支援を始める前に、この10項目だけは確認します。できていない項目は計画書の最初の段階に入れます。",
        ("セキュリティ", "チェックリスト"),
        (
            DemoFile(
                "セキュリティ10項目.xlsx",
                rows=(
                    CHECK_HEAD,
                    ("1", "パスワードを使い回していない", "", "", ""),
                    ("2", "バックアップを社外にも取っている", "", "", ""),
                ),
                note="初版",
            ),
        ),
    ),
]


def demo_knowhow(orgs: dict[str, Organization]) -> None:
    if Item.objects.filter(organization__in=orgs.values()).exists():
        return
    with transaction.atomic():
        for spec in ITEMS:
            organization = orgs[spec.org]
            author = User.objects.get(email=spec.author)
            first, *later = spec.files or (None,)
            item = services.item_create(
                organization=organization,
                data=services.ItemData(
                    kind=spec.kind,
                    title=spec.title,
                    summary=spec.summary,
                    body=spec.body,
                    tags=spec.tags,
                    visibility=spec.visibility,
                ),
                actor=author,
                upload=first.upload() if first else None,
                note=first.note if first else "",
            )
            for version in later:
                services.item_file_add(item=item, upload=version.upload(), note=version.note, actor=author)
            if spec.used_in_engagement:
                engagement = Engagement.objects.filter(organization=organization).order_by("pk").first()
                if engagement is not None:
                    services.item_set_engagements(item=item, engagement_ids=[engagement.pk], actor=author)
