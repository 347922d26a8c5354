"""Japanese demo reply templates for `manage.py demo_data`: what an implementing organization's staff
send most often (thanks for an application with a request for a first meeting, a hand-over to the
organization of the applicant's area, an answer to an inquiry). Running it again adds nothing."""

from __future__ import annotations

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community import services
from ouentai.community.models import ReplyTemplate

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
