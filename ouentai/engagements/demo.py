"""Japanese demo engagements for `manage.py demo_data`: one engagement in IT戦略策定 with KPIs and two
plan versions, one entering midway at IT導入, a diagnosis before the engagement, and a member account
(member@yokohama.example.jp) for the company with the engagement. Running it again adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company, MemberAccount
from ouentai.engagements import services
from ouentai.engagements.checklists import checklist_items_for
from ouentai.engagements.choices import Phase
from ouentai.engagements.models import Engagement

MEMBER_EMAIL = "member@yokohama.example.jp"


def demo_engagements(orgs: dict[str, Organization], password: str) -> None:
    org = orgs["yokohama"]
    coordinator = User.objects.get(email="itc@yokohama.example.jp")
    staff = User.objects.get(email="staff@yokohama.example.jp")
    companies = list(Company.objects.filter(organization=org).order_by("pk")[:2])
    if len(companies) < 2 or Engagement.objects.filter(organization=org).exists():
        return
    first, second = companies
    today = timezone.localdate()
    with transaction.atomic():
        checklist_items_for(org)
        questionnaire = services.questionnaire_for(org)
        # A diagnosis the company took before the engagement: a low starting point (stage 1, score 1.6).
        answers = {}
        for dimension in questionnaire.dimensions.all():
            for question in dimension.questions.all():
                choices = list(question.choices.all())
                answers[str(question.pk)] = choices[1 if question.order else 0].pk
        services.diagnosis_submit(questionnaire=questionnaire, answers=answers, company=first)

        engagement = services.engagement_create(
            organization=org,
            company=first,
            data=services.EngagementData(
                title="受注から出荷までの情報を一つにつなぐ",
                lead_id=coordinator.pk,
                member_ids=(staff.pk,),
                started_on=today - dt.timedelta(days=90),
                target_on=today + dt.timedelta(days=180),
                challenges="受注票が紙で回っており、納期の問い合わせに答えるまで半日かかる。在庫の数字が月末まで分からない。",
                strategy="短納期・小ロットの注文に強い会社として、地域の製造業から選ばれる。",
            ),
            actor=coordinator,
        )
        services.engagement_set_phase(
            engagement=engagement, phase=Phase.IT_STRATEGY, actor=coordinator, note="経営課題の優先順位に合意"
        )
        services.note_add(
            engagement=engagement, body="社長と工場長に聞き取り。受注票の回覧に平均4時間。", actor=coordinator
        )
        lead_time = services.kpi_save(
            engagement=engagement,
            data=services.KpiData(
                name="受注処理時間",
                unit="時間",
                direction="decrease",
                baseline_value=Decimal("4.0"),
                baseline_on=today - dt.timedelta(days=80),
                target_value=Decimal("0.5"),
                target_on=today + dt.timedelta(days=180),
            ),
            actor=coordinator,
        )
        for days, value in ((60, "3.5"), (30, "2.8"), (5, "2.0")):
            services.kpi_measure(
                kpi=lead_time,
                measured_on=today - dt.timedelta(days=days),
                value=Decimal(value),
                actor=coordinator,
            )
        services.kpi_save(
            engagement=engagement,
            data=services.KpiData(
                name="売上高",
                unit="百万円",
                direction="increase",
                baseline_value=Decimal("320"),
                baseline_on=today - dt.timedelta(days=80),
                target_value=Decimal("360"),
                target_on=today + dt.timedelta(days=365),
                order=1,
            ),
            actor=coordinator,
        )
        sections = {
            "current_state": "受注は電話とファクスで受け、紙の受注票を回覧している。在庫は表計算で管理。",
            "challenges": "納期回答の遅さ。在庫の数字が月末まで分からない。",
            "strategy": "短納期・小ロットの注文に強い会社になる。",
            "it_strategy": "受注・在庫・出荷を一つの仕組みでつなぎ、誰でも最新の数字を見られるようにする。",
        }
        services.plan_save(engagement=engagement, title="IT活用計画書", sections=sections, actor=coordinator)
        sections["systems"] = "クラウド型の販売・在庫管理システム（3社から比較）"
        sections["schedule"] = "1月 提案依頼、2月 選定、4月 稼働"
        sections["budget"] = "初期費用 150万円、月額 3万円（IT導入補助金の活用を検討）"
        services.plan_save(
            engagement=engagement,
            title="IT活用計画書",
            sections=sections,
            change_note="調達するシステム、スケジュール、予算を追記",
            actor=coordinator,
        )
        services.engagement_create(
            organization=org,
            company=second,
            phase=Phase.IMPLEMENTATION,
            data=services.EngagementData(
                title="会計と給与のクラウド移行",
                lead_id=coordinator.pk,
                started_on=today - dt.timedelta(days=20),
                challenges="決算の準備に毎年2か月かかる。",
            ),
            actor=staff,
        )
        if not User.objects.filter(email=MEMBER_EMAIL).exists():
            contact = first.contacts.order_by("pk").first()
            user = User.objects.create_user(
                MEMBER_EMAIL,
                password,
                name=contact.name if contact else "会員 太郎",
                organization=org,
                role=Role.MEMBER,
            )
            MemberAccount.objects.create(organization=org, user=user, company=first, contact=contact)
