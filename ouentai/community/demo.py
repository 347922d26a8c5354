"""The community app's part of `manage.py demo_data`: reply templates that staff send most often
(thanks for an application with a request for a first meeting, a hand-over to the organization of the
applicant's area, an answer to an inquiry); contact persons for the demo companies, most of whom
agreed to receive newsletters (recorded as staff record it in the console, with the date and the audit
entry); two segments and a draft newsletter, so that the newsletter pages can be tried at once.
Running it again adds nothing."""

from __future__ import annotations

from django.db import transaction

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community import services
from ouentai.community.models import Company, Newsletter, ReplyTemplate, Segment

SIGNATURE = """――――――――――――――――
{事務局名}
{送信者名}
{事務局連絡先}"""

REPLY_TEMPLATES = [
    (
        "受付のお礼と初回面談のご相談",
        "application",
        "【{事務局名}】参加のお申し込みありがとうございます（受付番号 {受付番号}）",
        """{会社名}
{担当者名} 様

このたびはIT経営支援プログラムにお申し込みいただき、ありがとうございます。
{事務局名}の{送信者名}と申します。

まずは30分ほど、いまのお困りごとや社内でのITの使い方をお聞かせください。
ご都合のよい日時の候補を2つか3つ、このメールへの返信でお知らせいただけますでしょうか。
貴社への訪問とオンラインのどちらでも伺います。

お問い合わせの際は、受付番号 {受付番号} をお伝えください。

"""
        + SIGNATURE,
    ),
    (
        "地域の実施機関へのおつなぎ",
        "application",
        "【{事務局名}】お申し込みの担当窓口についてのご連絡（受付番号 {受付番号}）",
        """{会社名}
{担当者名} 様

お申し込みいただき、ありがとうございます。{事務局名}の{送信者名}です。

貴社の所在地は、近隣の実施機関が担当している地域にあたります。
より身近な窓口でご相談いただけるよう、お申し込みの内容を先方にお伝えし、担当者から改めてご連絡いたします。
ご連絡まで数日いただく場合がありますので、ご了承ください。

ご不明な点があれば、このメールにそのままご返信ください。

"""
        + SIGNATURE,
    ),
    (
        "お問い合わせへの回答",
        "inquiry",
        "Re: {お問い合わせ件名}（受付番号 {受付番号}）",
        """{担当者名} 様

{事務局名}の{送信者名}です。お問い合わせいただき、ありがとうございます。
ご質問について、次のとおりお答えします。

（ここに回答を書きます）

ほかにもご不明な点があれば、このメールにそのままご返信ください。

"""
        + SIGNATURE,
    ),
]


def demo_reply_templates(orgs: dict[str, Organization]) -> None:
    for organization in orgs.values():
        admin = User.objects.filter(organization=organization, role=Role.ORG_ADMIN).earliest("id")
        for name, kind, subject, body in REPLY_TEMPLATES:
            if ReplyTemplate.objects.filter(organization=organization, name=name).exists():
                continue
            services.reply_template_save(
                organization=organization,
                template=None,
                data=services.ReplyTemplateData(name=name, kind=kind, subject=subject, body=body),
                actor=admin,
            )


# company → [(name, kana, e-mail, phone, agreed to newsletters)]
CONTACTS: dict[str, list[tuple[str, str, str, str, bool]]] = {
    "株式会社港北ロジテック": [
        ("渡辺 健太", "ワタナベ ケンタ", "watanabe@kohoku-logitech.example.jp", "+81454710001", True),
        ("中川 さおり", "ナカガワ サオリ", "nakagawa@kohoku-logitech.example.jp", "", False),
    ],
    "有限会社あおば会計事務所": [("青木 洋子", "アオキ ヨウコ", "aoki@aoba-kaikei.example.jp", "", True)],
    "さくら商店株式会社": [("桜井 大輔", "サクライ ダイスケ", "sakurai@sakura-shoten.example.jp", "", True)],
    "株式会社ベイ物産": [("村上 亮", "ムラカミ リョウ", "murakami@bay-bussan.example.jp", "", False)],
    "株式会社かわさきテクノ": [("森田 拓也", "モリタ タクヤ", "morita@kawasaki-techno.example.jp", "", True)],
    "溝の口フーズ合同会社": [("石井 恵", "イシイ メグミ", "ishii@mizonokuchi-foods.example.jp", "", True)],
}

# organization → [(segment name, company-list query)]
SEGMENTS = {
    "yokohama": [("活動中の会員", "membership=active"), ("製造業", "industry=E")],
    "kawasaki": [("活動中の会員", "membership=active")],
}

NEWSLETTER_SUBJECT = "経営者研修（全4回）受講者募集のご案内"
NEWSLETTER_BODY = """{会社名}
{氏名} 様

いつもお世話になっております。
自社の経営課題からIT活用の方針を描く経営者研修（全4回）の受講者を募集しています。
日程と会場は、会員ページのイベント一覧でご確認ください。

ご不明な点は、このメールへの返信でお問い合わせください。"""


def demo_community(orgs: dict[str, Organization]) -> None:
    for slug, org in orgs.items():
        staff = User.objects.filter(organization=org, role="staff").order_by("id").first()
        if staff is None:
            continue
        with transaction.atomic():
            for company in Company.objects.filter(organization=org, name__in=CONTACTS):
                if company.contacts.exists():
                    continue
                for name, kana, email, phone, consent in CONTACTS[company.name]:
                    services.contact_create(
                        company=company,
                        data=services.ContactData(
                            name=name, name_kana=kana, email=email, phone=phone, newsletter_consent=consent
                        ),
                        actor=staff,
                        source="console",
                    )
            for name, query in SEGMENTS.get(slug, []):
                if not Segment.objects.filter(organization=org, name=name).exists():
                    services.segment_save(organization=org, name=name, query=query, actor=staff)
            if slug == "yokohama" and not Newsletter.objects.filter(organization=org).exists():
                services.newsletter_save(
                    organization=org,
                    newsletter=None,
                    subject=NEWSLETTER_SUBJECT,
                    body=NEWSLETTER_BODY,
                    segment=Segment.objects.get(
                        organization=org, name="活動中の会員", deleted_at__isnull=True
                    ),
                    per_minute=60,
                    actor=staff,
                )
