"""Japanese demo data of the support network for `manage.py demo_data`: contacts and key persons of
the support organizations, a 中小企業119-like scheme and a city scheme, three experts (one who signs
in), a partner user of 中小機構, and dispatches in several states. Running it again adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company, MemberAccount
from ouentai.network import services
from ouentai.network.models import (
    DispatchScheme,
    Expert,
    KeyPerson,
    PartnerAccount,
    Qualification,
    Skill,
    SupportContact,
    SupportOrganization,
)

PARTNER_EMAIL = "partner@smrj.example.jp"
EXPERT_EMAIL = "expert@yokohama.example.jp"


def demo_network(orgs: dict[str, Organization], password: str) -> None:
    org = orgs["yokohama"]
    if DispatchScheme.objects.filter(organization=org).exists():
        return
    staff = User.objects.get(email="staff@yokohama.example.jp")
    smrj = SupportOrganization.objects.get(organization=org, name__startswith="独立行政法人")
    city = SupportOrganization.objects.get(organization=org, name="横浜市 経済局")
    today = timezone.localdate()
    with transaction.atomic():
        SupportContact.objects.create(
            support_organization=smrj,
            name="木村 直子",
            title="経営支援部 専門家派遣担当",
            email="kimura@smrj.example.jp",
        )
        SupportContact.objects.create(
            support_organization=city, name="森 和也", title="中小企業振興課", phone="+81456710000"
        )
        KeyPerson.objects.create(
            organization=org,
            name="石川 浩二",
            affiliation="横浜信用金庫 地域創生部",
            support_organization=None,
            region="横浜市南部",
            commitment="取引先の中小企業にIT経営応援隊を紹介し、年4社の参加につなげる。",
            committed_on=today - dt.timedelta(days=120),
        )
        scheme = DispatchScheme.objects.create(
            organization=org,
            support_organization=smrj,
            name="専門家派遣（中小企業119型）",
            description="経営課題の解決に専門家を派遣します。IT活用のテーマは年度5回まで。",
            sme_only=True,
            area_codes="14",
            visits_per_year=3,
            visits_per_theme={"it": 5},
            hours_per_visit=Decimal("2"),
            fee_per_hour=10000,
            fee_share_percent=100,
            report_fields=["summary", "advice", "next_steps"],
        )
        DispatchScheme.objects.create(
            organization=org,
            support_organization=city,
            name="横浜市 IT活用アドバイザー派遣",
            sme_only=True,
            area_codes="14100",
            visits_per_year=2,
            hours_per_visit=Decimal("3"),
            fee_per_hour=8000,
            fee_share_percent=50,
            opens_on=dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1),
            report_fields=["summary", "outcomes"],
        )
        skills = {s.name: s for s in Skill.objects.all()}
        expert_user = User.objects.filter(email=EXPERT_EMAIL).first() or User.objects.create_user(
            EXPERT_EMAIL, password, name="青木 恵", organization=org, role=Role.EXPERT
        )
        aoki = Expert.objects.create(
            organization=org,
            user=expert_user,
            name="青木 恵",
            name_kana="アオキ メグミ",
            email=EXPERT_EMAIL,
            profile="製造業の販売・在庫管理システムの導入支援を15年。",
            area_codes="14",
            max_active=4,
        )
        aoki.skills.set(
            [skills["販売・在庫管理システム"], skills["IT戦略・IT投資計画"], skills["情報セキュリティ対策"]]
        )
        Qualification.objects.create(
            expert=aoki, kind="itc", number="ITC-2014-0123", expires_on=dt.date(today.year + 1, 3, 31)
        )
        ota = Expert.objects.create(
            organization=org, name="太田 誠", name_kana="オオタ マコト", area_codes="14100,14130"
        )
        ota.skills.set([skills["資金繰り・財務改善"], skills["補助金・制度活用"]])
        Qualification.objects.create(expert=ota, kind="shindanshi", number="診断士 第0456号")
        kudo = Expert.objects.create(
            organization=org, name="工藤 亮", name_kana="クドウ リョウ", area_codes="13", is_available=False
        )
        kudo.skills.set([skills["EC・ウェブ販売"], skills["販路開拓・マーケティング"]])
        partner = User.objects.filter(email=PARTNER_EMAIL).first() or User.objects.create_user(
            PARTNER_EMAIL, password, name="木村 直子", organization=org, role=Role.PARTNER
        )
        PartnerAccount.objects.get_or_create(
            organization=org, user=partner, defaults={"support_organization": smrj}
        )

        member_company = (
            MemberAccount.objects.filter(organization=org).values_list("company_id", flat=True).first()
        )
        companies = list(Company.objects.filter(organization=org, is_sme=True).order_by("pk")[:3])
        if member_company:
            companies.sort(key=lambda c: c.pk != member_company)
        if not companies:
            return
        first = companies[0]
        engagement = first.engagements.first()
        # The demo is made in one sitting, through the services: the request is approved today, and a
        # visit may only be logged from the day of approval to today, so both visits are today's.
        first_visit = second_visit = today
        done = services.dispatch_create(
            organization=org,
            company=first,
            data=services.DispatchData(
                scheme_id=scheme.pk,
                theme="it",
                requested_visits=2,
                preferred_dates="平日の午後",
                first_preferred_on=first_visit,
                purpose="販売・在庫管理システムの候補を比べる観点を知りたい。",
                engagement_id=engagement.pk if engagement else None,
            ),
            actor=staff,
        )
        services.dispatch_assign_expert(request=done, expert=aoki, actor=staff)
        services.dispatch_submit(request=done, actor=staff)
        services.dispatch_approve(request=done, actor=partner, note="IT活用のテーマとして承認します。")
        for day, start, summary in (
            (first_visit, dt.time(10), "受注から出荷までの流れを現場で確認。紙の受注票の回覧に平均4時間。"),
            (second_visit, dt.time(14), "候補の3製品を、在庫の引当と納期回答の観点で比較。"),
        ):
            services.visit_log(
                request=done,
                actor=expert_user,
                visited_on=day,
                starts_at=start,
                ends_at=dt.time(start.hour + 2),
                summary=summary,
                next_steps="見積の取得",
            )
        services.report_submit(
            request=done,
            actor=expert_user,
            fields={
                "summary": "受注・在庫管理の仕組みづくりについて2回助言した。",
                "advice": "在庫引当を受注入力と同時に行える製品を優先するよう助言。",
                "next_steps": "2社から見積を取り、計画書の予算に反映する。",
            },
        )
        if len(companies) > 1:
            waiting = services.dispatch_create(
                organization=org,
                company=companies[1],
                data=services.DispatchData(
                    scheme_id=scheme.pk,
                    theme="finance",
                    requested_visits=1,
                    first_preferred_on=today + dt.timedelta(days=14),
                    purpose="設備投資の資金計画を相談したい。",
                ),
                actor=staff,
            )
            services.dispatch_submit(request=waiting, actor=staff)
