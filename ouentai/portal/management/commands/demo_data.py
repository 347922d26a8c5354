"""Japanese demo data: two implementing organizations (横浜, 川崎), their staff, Q&A, news, privacy policy,
and a few applications and inquiries in different states. Safe to run again: existing rows are kept,
nothing is duplicated."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import io
import sys
import uuid
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, OrganizationArea, User
from ouentai.cases.demo import CONSENT_MEMBER_EMAIL, demo_cases
from ouentai.community import services
from ouentai.community.demo import REPLY_TEMPLATES, demo_community, demo_reply_templates
from ouentai.community.models import Application, Company, Inquiry, ReplyTemplate
from ouentai.community.services import ApplicationData, CompanyData, InquiryData
from ouentai.content.models import FaqEntry, NewsItem, PrivacyPolicy
from ouentai.core.calendar import add_business_days
from ouentai.core.fields import YenField
from ouentai.core.jp import normalize_phone, postal_lookup
from ouentai.core.models import OutgoingMail
from ouentai.engagements.demo import MEMBER_EMAIL, demo_engagements
from ouentai.events.demo import demo_events
from ouentai.knowhow.demo import demo_knowhow
from ouentai.network.demo import EXPERT_EMAIL, PARTNER_EMAIL, demo_network
from ouentai.outcomes.demo import demo_outcomes

DEMO_PASSWORD = "ouentai-demo-2026"  # noqa: S105 - printed on purpose for the demo

ORGANIZATIONS = [
    {
        "slug": "yokohama",
        "name": "ITコーディネータ横浜",
        "short_name": "ITC横浜",
        "is_default": True,
        "contact_email": "office@itc-yokohama.example.jp",
        "contact_phone": "045-000-0000",
        "address": "神奈川県横浜市中区",
        "areas": [("14100", "横浜市")],
    },
    {
        "slug": "kawasaki",
        "name": "ITコーディネータ川崎",
        "short_name": "ITC川崎",
        "is_default": False,
        "contact_email": "office@itc-kawasaki.example.jp",
        "contact_phone": "044-000-0000",
        "address": "神奈川県川崎市川崎区",
        "areas": [("14130", "川崎市")],
    },
]

USERS = [
    ("admin@yokohama.example.jp", "横浜 管理者", "ヨコハマ カンリシャ", "yokohama", Role.ORG_ADMIN),
    ("staff@yokohama.example.jp", "山田 花子", "ヤマダ ハナコ", "yokohama", Role.STAFF),
    ("staff2@yokohama.example.jp", "佐藤 健一", "サトウ ケンイチ", "yokohama", Role.STAFF),
    ("itc@yokohama.example.jp", "鈴木 一郎", "スズキ イチロウ", "yokohama", Role.COORDINATOR),
    ("admin@kawasaki.example.jp", "川崎 管理者", "カワサキ カンリシャ", "kawasaki", Role.ORG_ADMIN),
    ("staff@kawasaki.example.jp", "高橋 美咲", "タカハシ ミサキ", "kawasaki", Role.STAFF),
]

POLICY = """応援隊の実施機関（以下「当会」）は、お預かりする個人情報を次のとおり取り扱います。

1. 取得する情報：会社名、ご担当者のお名前とフリガナ、メールアドレス、電話番号、所在地、ご相談内容など、フォームにご記入いただいた情報です。
2. 利用目的：お申し込みやお問い合わせへの回答、プログラム（セミナー、研修、専門家派遣など）のご案内、事業の成果報告のための集計に限って利用します。集計結果には個人を特定できる情報を含めません。
3. 第三者への提供：ご本人の同意がある場合と法令に基づく場合を除き、第三者には提供しません。専門家派遣などで支援機関に情報を伝える必要があるときは、事前にご説明し同意をいただきます。
4. 安全管理：アクセスできる者を役割ごとに限定し、すべての変更を記録します。
5. 開示・訂正・利用停止：ご本人からのご請求には、ご本人であることを確認したうえで速やかに対応します。お問い合わせフォームからご連絡ください。
"""

# The program's general Q&A: kept by the organization that speaks for the program (横浜, the default) and
# marked program-wide, so that it is the Q&A of the program-wide pages at /faq/ as well as 横浜's own.
FAQ = [
    (
        "このプログラムはどのような取り組みですか。",
        "中小企業が経営戦略にもとづいてITを活用できるよう、ITコーディネータと地域の支援機関が一緒に支援する取り組みです。"
        "セミナーや経営者研修、計画書づくりの支援、専門家の派遣、成功事例の発表などを行っています。",
    ),
    (
        "以前の国の支援事業とは何が違うのですか。",
        "あらかじめ決まったメニューから選ぶのではなく、地域の特性に合わせたモデルプロジェクトとして進めます。"
        "実施機関だけでなく、県や市、中小企業支援機関などと連携することを重視しています。",
    ),
    (
        "どのような会社が参加できますか。",
        "地域の中小企業であれば業種を問わず参加できます。IT活用がこれからという会社も、すでに取り組んでいる会社も歓迎します。",
    ),
    (
        "参加するには費用がかかりますか。",
        "コミュニティへの参加は無料です。専門家派遣など一部の支援は、各支援機関の制度にもとづき費用の一部をご負担いただく場合があります。",
    ),
    (
        "参加するにはどうすればよいですか。",
        "参加申込フォームに会社名、ご担当者、連絡先をご記入ください。受付番号をお知らせするメールが届き、担当者からご連絡します。",
    ),
    (
        "どの地域で活動していますか。",
        "横浜市はITコーディネータ横浜、川崎市はITコーディネータ川崎が担当しています。"
        "ほかの地域の方もお申し込みいただければ、近くで支援できる機関をご紹介します。",
    ),
    ("専門家派遣はどの制度を使いますか。", ""),  # draft: no answer yet, never shown publicly
]

# Each organization's own questions (its pages only): (question, answer).
LOCAL_FAQ = {
    "yokohama": [
        (
            "横浜のセミナーはどこで開かれますか。",
            "主に横浜市中区の会場で開催し、オンラインで参加できる回もあります。日程はイベントのページでご確認ください。",
        ),
        (
            "横浜市の専門家派遣制度も使えますか。",
            "使えます。制度の条件に合うかどうかを担当のITコーディネータが確認し、申請の手順をご案内します。",
        ),
    ],
    "kawasaki": [
        (
            "ITコーディネータ川崎はどの地域を担当していますか。",
            "川崎市内（川崎区・幸区・中原区・高津区・宮前区・多摩区・麻生区）の中小企業を担当しています。",
        ),
        (
            "参加するには費用がかかりますか。",
            "コミュニティへの参加と個別相談は無料です。専門家派遣は、川崎市などの制度にもとづき費用の一部をご負担いただく場合があります。",
        ),
        (
            "川崎市の支援制度と組み合わせられますか。",
            "川崎市や市の産業支援機関の制度と組み合わせてご利用いただけます。どの制度が合うか、担当者がご案内します。",
        ),
        (
            "相談はどこで受けられますか。",
            "川崎区の事務所のほか、ご希望があれば会社に伺います。オンラインでのご相談もできます。",
        ),
    ],
}

# (organization, date, title, body, also on the program-wide pages)
NEWS = [
    (
        "yokohama",
        dt.date(2026, 9, 1),
        "プログラムの紹介ページを公開しました",
        "横浜市と川崎市の実施機関が、それぞれの地域で中小企業のIT経営を支援します。"
        "トップページの「担当の実施機関を探す」で、会社の郵便番号から担当の実施機関がわかります。",
        True,
    ),
    (
        "yokohama",
        dt.date(2026, 10, 1),
        "キックオフセミナー（横浜会場）を開催します",
        "IT経営の考え方と、このプログラムで受けられる支援をご紹介します。詳細は追ってお知らせします。",
        False,
    ),
    (
        "yokohama",
        dt.date(2026, 11, 4),
        "経営者研修の受講者を募集しています",
        "自社の経営課題からIT活用の方針を描く、全4回の研修です。参加申込フォームからお申し込みください。",
        True,
    ),
    (
        "yokohama",
        dt.date(2026, 11, 20),
        "年末年始の休業について",
        "12月29日から1月3日までは休業いたします。期間中のお申し込みには1月5日以降に順次ご連絡します。",
        False,
    ),
    (
        "kawasaki",
        dt.date(2026, 10, 15),
        "キックオフセミナー（川崎会場）を開催します",
        "川崎市内の中小企業の経営者向けに、IT経営の進め方と、このプログラムで受けられる支援をご紹介します。",
        False,
    ),
    (
        "kawasaki",
        dt.date(2026, 11, 10),
        "川崎市内の企業向け 個別相談会のお知らせ",
        "毎月第2水曜日に、ITコーディネータが個別にご相談をうかがいます。参加申込フォームからお申し込みください。",
        False,
    ),
]

APPLICATIONS: list[tuple[Any, ...]] = [
    # (key, company, kana, contact, contact kana, email, phone, postal, address, industry, employees, message,
    # days ago); everything after the e-mail is optional on the form.
    (
        "demo-app-1",
        "株式会社みなと精機",
        "ミナトセイキ",
        "田中 誠",
        "タナカ マコト",
        "tanaka@minato-seiki.example.jp",
        "045-201-1234",
        "2310023",
        "1-2-3 みなとビル4階",
        "E",
        45,
        "受注から出荷までの管理を見直したい。",
        6,
    ),
    (
        "demo-app-2",
        "有限会社かわさき食品",
        "カワサキショクヒン",
        "伊藤 由美",
        "イトウ ユミ",
        "ito@kawasaki-foods.example.jp",
        "044-211-5678",
        "2100007",
        "2-4-6",
        "I",
        18,
        "在庫管理を紙から移行したい。",
        1,
    ),
    (
        "demo-app-3",
        "ベイサイド設計合同会社",
        "ベイサイドセッケイ",
        "小林 翔",
        "コバヤシ ショウ",
        "kobayashi@bayside.example.jp",
        "045-662-0001",
        "2310062",
        "5-5",
        "L",
        9,
        "",
        0,
    ),
    (
        # Only what the form requires: company, contact person, e-mail.
        "demo-app-4",
        "つづき工房",
        "",
        "森田 葵",
        "",
        "morita@tsuzuki-kobo.example.jp",
        "",
        "",
        "",
        "",
        None,
        "",
        2,
    ),
    (
        "demo-app-5",
        "株式会社鶴見ものづくり工房",
        "ツルミモノヅクリコウボウ",
        "森 健太",
        "モリ ケンタ",
        "mori@tsurumi-monozukuri.example.jp",
        "045-500-0101",
        "2300051",
        "3-1-1",
        "E",
        23,
        "川崎の取引先に紹介されました。生産計画の見直しを相談したい。",
        2,
    ),
]

# Applications sent from an organization's own pages (to it, with its policy) rather than from the
# program-wide form that routes by area: demo-app-5 has a 横浜 address but applied on 川崎's pages, so
# 川崎's console shows that the address is in 横浜's area.
SENT_FROM_ORGANIZATION_PAGES = {"demo-app-5": "kawasaki"}


# Applicants who ticked 「案内メールを受け取る」 on the form (their contact agrees once converted).
NEWSLETTER_OPT_IN = {"demo-app-1", "demo-app-3"}

COMPANIES = [
    # (organization, name, kana, postal code, address, phone, industry, category, capital, employees, IT stage)
    (
        "yokohama",
        "株式会社港北ロジテック",
        "コウホクロジテック",
        "2220033",
        "2-1-5",
        "045-471-0001",
        "H",
        "",
        "3000万",
        62,
        2,
    ),
    (
        "yokohama",
        "有限会社あおば会計事務所",
        "アオバカイケイジムショ",
        "2250002",
        "1-1-1 青葉ビル2F",
        "045-901-0002",
        "L",
        "",
        "300万",
        8,
        1,
    ),
    (
        "yokohama",
        "さくら商店株式会社",
        "サクラショウテン",
        "2310045",
        "3-3",
        "045-222-0003",
        "I",
        "retail",
        "1000万",
        4,
        1,
    ),
    (
        "yokohama",
        "株式会社ベイ物産",
        "ベイブッサン",
        "2310002",
        "4-4",
        "045-201-0004",
        "I",
        "wholesale",
        "2億",
        130,
        3,
    ),
    (
        "kawasaki",
        "株式会社かわさきテクノ",
        "カワサキテクノ",
        "2100005",
        "5-5",
        "044-200-0005",
        "E",
        "",
        "5000万",
        140,
        2,
    ),
    (
        "kawasaki",
        "溝の口フーズ合同会社",
        "ミゾノクチフーズ",
        "2130001",
        "6-6",
        "044-800-0006",
        "M",
        "retail",
        "",
        15,
        None,
    ),
]


# Members and their IT-investment cycle: (company name, status, last investment, what, cycle in years)
MEMBERS = [
    ("株式会社港北ロジテック", "active", dt.date(2022, 12, 15), "配車管理システムの導入", 4),
    ("有限会社あおば会計事務所", "active", dt.date(2021, 6, 1), "クラウド会計への移行", 5),
    ("さくら商店株式会社", "applied", None, "", 4),
    ("株式会社ベイ物産", "lapsed", dt.date(2022, 3, 1), "受発注EDIの更新", 4),
    ("株式会社かわさきテクノ", "active", dt.date(2023, 4, 1), "生産管理システムの刷新", 4),
]


class Command(BaseCommand):
    help = "日本語のデモデータを作成します（何度実行しても重複しません）。"

    def handle(self, *args: Any, **options: Any) -> None:
        first_task = (OrmQ.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        with transaction.atomic():
            orgs = self._organizations()
            self._users(orgs)
            for org in orgs.values():
                self._content(org)
        demo_reply_templates(orgs)
        self._inbox(orgs)
        self._companies(orgs)
        demo_community(orgs)
        demo_events(orgs)
        demo_engagements(orgs, DEMO_PASSWORD)
        demo_network(orgs, DEMO_PASSWORD)
        demo_cases(orgs, DEMO_PASSWORD)
        demo_knowhow(orgs)
        demo_outcomes(orgs, DEMO_PASSWORD)
        self._run_demo_tasks(first_task, verbose=options.get("verbosity", 1) > 1)
        self.stdout.write(
            self.style.SUCCESS(f"デモデータを用意しました。ログイン（パスワードは全員 {DEMO_PASSWORD}）:")
        )
        for email, name, _kana, slug, role in USERS:
            self.stdout.write(f"  {email:32} {name}（{orgs[slug].short_name}・{Role(role).label}）")
        self.stdout.write(f"  {MEMBER_EMAIL:32} 会員企業の利用者（/my/ 会員ページ）")
        self.stdout.write(f"  {PARTNER_EMAIL:32} 支援機関の担当者（/network/partner/）")
        self.stdout.write(f"  {EXPERT_EMAIL:32} 専門家（/network/expert/）")
        self.stdout.write(f"  {CONSENT_MEMBER_EMAIL:32} 事例の掲載の同意を求められている会員（/my/）")

    def _run_demo_tasks(self, first_task: int, *, verbose: bool) -> None:
        """Run here, with this command's settings, the tasks the demo queued (mails, registration
        follow-ups, and the tasks those queue in turn), instead of leaving them to a worker: their tasks
        are signed with this SECRET_KEY, and a worker started later with other settings would drop them,
        leaving mail pending for ever. A task that fails (a mail server that refuses) stays queued for the
        worker. With the console backend of `make run` the mails are printed only with -v 2 (their
        addresses are fictitious)."""
        failed: set[int] = set()
        ran = 0
        with contextlib.redirect_stdout(sys.stdout if verbose else io.StringIO()):
            for _round in range(10):  # tasks may queue tasks; ten rounds is far more than the demo needs
                rows = list(OrmQ.objects.filter(pk__gte=first_task).exclude(pk__in=failed).order_by("pk"))
                if not rows:
                    break
                for row in rows:
                    task = SignedPackage.loads(row.payload)
                    func = task["func"]
                    if isinstance(func, str):
                        module, _sep, name = func.rpartition(".")
                        func = getattr(importlib.import_module(module), name)
                    try:
                        func(*task.get("args", ()), **task.get("kwargs", {}))
                    except Exception as exc:
                        failed.add(row.pk)
                        self.stderr.write(
                            f"デモのタスクを実行できませんでした（ワーカーが再試行します）：{exc}"
                        )
                        continue
                    row.delete()
                    ran += 1
        if ran:
            sent = OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count()
            self.stdout.write(
                f"デモのタスク {ran} 件を実行しました（送信済みのメール {sent} 通。宛先は架空です）。"
            )

    def _organizations(self) -> dict[str, Organization]:
        result = {}
        for spec in ORGANIZATIONS:
            areas = spec["areas"]
            fields = {k: v for k, v in spec.items() if k not in ("slug", "areas")}
            org, _created = Organization.objects.get_or_create(slug=spec["slug"], defaults=fields)
            for code, name in areas:  # type: ignore[attr-defined]
                OrganizationArea.objects.get_or_create(
                    code=code, defaults={"organization": org, "name": name}
                )
            result[org.slug] = org
        return result

    def _users(self, orgs: dict[str, Organization]) -> None:
        for email, name, kana, slug, role in USERS:
            if not User.objects.filter(email=email).exists():
                User.objects.create_user(
                    email,
                    DEMO_PASSWORD,
                    name=name,
                    name_kana=kana,
                    organization=orgs[slug],
                    role=role,
                    is_staff=role == Role.ORG_ADMIN,
                )

    def _content(self, org: Organization) -> None:
        """Each organization's own Q&A and news; the program's general Q&A with the default organization
        (it speaks for the program on the program-wide pages)."""
        PrivacyPolicy.objects.get_or_create(
            organization=org,
            version="1.0",
            defaults={"effective_on": dt.date(2026, 4, 1), "body": POLICY, "is_current": True},
        )
        if not FaqEntry.objects.filter(organization=org).exists():
            entries = [(q, a, bool(a)) for q, a in FAQ] if org.is_default else []
            entries += [(q, a, False) for q, a in LOCAL_FAQ.get(org.slug, [])]
            for position, (question, answer, program_wide) in enumerate(entries, start=1):
                FaqEntry.objects.create(
                    organization=org,
                    question=question,
                    answer=answer,
                    position=position * 10,
                    is_program_wide=program_wide,
                )
        for slug, published_on, title, body, program_wide in NEWS:
            if slug == org.slug:
                NewsItem.objects.get_or_create(
                    organization=org,
                    title=title,
                    defaults={"published_on": published_on, "body": body, "is_program_wide": program_wide},
                )

    def _companies(self, orgs: dict[str, Organization]) -> None:
        staff = User.objects.get(email="staff@yokohama.example.jp")
        first = Application.objects.filter(
            submission_token=uuid.uuid5(uuid.NAMESPACE_URL, "ouentai-demo/demo-app-1")
        ).first()
        if first is not None and first.status != "converted":
            services.inbox_assign(item=first, assignee=staff, actor=staff)
            thanks = ReplyTemplate.objects.get(organization=first.organization, name=REPLY_TEMPLATES[0][0])
            services.inbox_reply_send(
                item=first, subject=thanks.subject, body=thanks.body, actor=staff, template=thanks
            )
            services.inbox_log_contact(
                item=first, channel="phone", note="訪問日を12月3日に決定。受注管理の現状を聞く。", actor=staff
            )
            services.application_convert(application=first, actor=staff)
        for (
            slug,
            name,
            kana,
            postal,
            address,
            phone,
            industry,
            category,
            capital,
            employees,
            stage,
        ) in COMPANIES:
            org = orgs[slug]
            if Company.objects.filter(organization=org, name=name).exists():
                continue
            found = postal_lookup(postal)
            assert found is not None
            services.company_create(
                organization=org,
                data=CompanyData(
                    name=name,
                    name_kana=kana,
                    postal_code=postal,
                    prefecture=found.prefecture,
                    city=found.city,
                    town=found.town,
                    address=address,
                    municipality_code=found.municipality_code,
                    phone=normalize_phone(phone),
                    industry=industry,
                    sme_category=category,
                    capital_yen=YenField(required=False).clean(capital),
                    employees=employees,
                    it_stage=stage,
                ),
                actor=None,
                source="demo",
            )
        coordinator = User.objects.get(email="itc@yokohama.example.jp")
        for name, status, invested, what, cycle in MEMBERS:
            company = Company.objects.get(name=name)
            if hasattr(company, "membership"):
                continue
            admin = User.objects.filter(
                organization_id=company.organization_id, role=Role.ORG_ADMIN
            ).earliest("id")
            membership = services.membership_create(company=company, actor=admin, source="demo")
            if status in ("active", "lapsed"):
                membership = services.membership_set_status(
                    membership=membership, status="active", actor=admin
                )
            if status == "lapsed":
                membership = services.membership_set_status(
                    membership=membership, status="lapsed", actor=admin
                )
            if company.organization_id == coordinator.organization_id:
                services.membership_assign_coordinator(
                    membership=membership, coordinator=coordinator, actor=admin
                )
            if invested:
                services.membership_record_investment(
                    membership=membership,
                    on=invested,
                    note=what,
                    cycle_years=cycle,
                    actor=admin,
                )

    def _inbox(self, orgs: dict[str, Organization]) -> None:
        program_policy = PrivacyPolicy.objects.get(organization=orgs["yokohama"], is_current=True)
        for (
            key,
            company,
            kana,
            contact,
            ckana,
            email,
            phone,
            postal,
            address,
            industry,
            employees,
            message,
            ago,
        ) in APPLICATIONS:
            token = uuid.uuid5(uuid.NAMESPACE_URL, f"ouentai-demo/{key}")
            if Application.objects.filter(submission_token=token).exists():
                continue
            found = postal_lookup(postal) if postal else None
            assert found is not None or not postal
            chosen = orgs.get(SENT_FROM_ORGANIZATION_PAGES.get(key, ""))
            policy = (
                PrivacyPolicy.objects.get(organization=chosen, is_current=True) if chosen else program_policy
            )
            app, _ = services.application_submit(
                data=ApplicationData(
                    company_name=company,
                    company_name_kana=kana,
                    contact_name=contact,
                    contact_name_kana=ckana,
                    email=email,
                    phone=normalize_phone(phone) if phone else "",
                    postal_code=postal,
                    prefecture=found.prefecture if found else "",
                    city=found.city if found else "",
                    town=found.town if found else "",
                    address=address,
                    municipality_code=found.municipality_code if found else "",
                    industry=industry,
                    employees=employees,
                    message=message,
                    newsletter_opt_in=key in NEWSLETTER_OPT_IN,
                ),
                token=token,
                consent=True,
                policy=policy,
                policy_version=policy.version,
                organization=chosen,
            )
            if ago:
                # Back-date the demo so that the inbox shows overdue and recent items.
                received = timezone.now() - dt.timedelta(days=ago)
                Application.objects.filter(pk=app.pk).update(
                    received_at=received,
                    due_on=add_business_days(
                        timezone.localtime(received).date(), app.organization.reply_due_business_days
                    ),
                )
        token = uuid.uuid5(uuid.NAMESPACE_URL, "ouentai-demo/inquiry-1")
        if not Inquiry.objects.filter(submission_token=token).exists():
            services.inquiry_submit(
                data=InquiryData(
                    name="中村 直樹",
                    name_kana="ナカムラ ナオキ",
                    company_name="中村工務店",
                    email="nakamura@example.jp",
                    phone="",
                    postal_code="2200012",
                    municipality_code="14103",
                    subject="専門家派遣の費用について",
                    message="専門家に来てもらう場合、費用はどのくらいかかりますか。",
                ),
                token=token,
                consent=True,
                policy=program_policy,
                policy_version=program_policy.version,
            )
