"""Japanese demo events for `manage.py demo_data`: upcoming kickoff seminars in 横浜 and 川崎, a
three-session executive course under way, and a past case presentation with attendance and survey
answers. Dates are relative to today; running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.events import services
from ouentai.events.models import Event, Registration
from ouentai.network.models import SupportOrganization

SUPPORT_ORGANIZATIONS = {
    "yokohama": [
        ("横浜市 経済局", "municipality", "横浜市"),
        ("独立行政法人中小企業基盤整備機構 関東本部", "national", "関東"),
        ("横浜商工会議所", "chamber", "横浜市"),
    ],
    "kawasaki": [
        ("川崎市 経済労働局", "municipality", "川崎市"),
        ("神奈川県 産業労働局", "prefecture", "神奈川県"),
    ],
}

PEOPLE = [
    ("佐藤 健一", "サトウ ケンイチ", "株式会社みなと精機"),
    ("鈴木 美穂", "スズキ ミホ", "有限会社山手ベーカリー"),
    ("高橋 誠", "タカハシ マコト", "株式会社青葉物流"),
    ("田中 由紀", "タナカ ユキ", "合同会社こうほく設計"),
    ("伊藤 大輔", "イトウ ダイスケ", "株式会社つるみ金属"),
    ("渡辺 さくら", "ワタナベ サクラ", "株式会社いそご印刷"),
]


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _event(
    organization: Organization,
    actor: User,
    *,
    data: services.EventData,
    sessions: list[services.SessionData],
    presenters: list[services.PresenterData] = (),  # type: ignore[assignment]
) -> Event | None:
    if Event.objects.filter(organization=organization, title=data.title).exists():
        return None
    event = services.event_create(organization=organization, data=data, actor=actor)
    # Some demo events took place already: recorded on purpose, so their warnings are confirmed.
    services.event_sessions_set(event=event, sessions=sessions, actor=actor, confirmed=services.CONFIRM_ALL)
    if presenters:
        services.event_presenters_set(event=event, presenters=list(presenters), actor=actor)
    services.event_set_published(event=event, published=True, actor=actor)
    return event


def demo_events(orgs: dict[str, Organization]) -> None:
    for slug, rows in SUPPORT_ORGANIZATIONS.items():
        for name, kind, region in rows:
            SupportOrganization.objects.get_or_create(
                organization=orgs[slug], name=name, defaults={"kind": kind, "region": region}
            )
    with transaction.atomic():
        _yokohama(orgs["yokohama"])
        _kawasaki(orgs["kawasaki"])


def _yokohama(org: Organization) -> None:
    staff = User.objects.get(email="staff@yokohama.example.jp")
    city = SupportOrganization.objects.get(organization=org, name="横浜市 経済局")
    smrj = SupportOrganization.objects.get(organization=org, name__startswith="独立行政法人")
    kickoff = _event(
        org,
        staff,
        data=services.EventData(
            kind="kickoff",
            title="IT経営応援隊 横浜キックオフセミナー",
            summary="経営の課題からITの使い道を考える、事業の始まりの説明会です。",
            description="今年度の支援の内容と参加の方法をご説明します。\n後半は、ITで受発注を見直した地元企業の経営者にお話しいただきます。",
            capacity=60,
            venue_name="横浜市産業振興センター 大会議室",
            venue_postal_code="2310023",
            venue_address="神奈川県横浜市中区山下町2",
            co_host_ids=(city.pk, smrj.pk),
        ),
        sessions=[services.SessionData(starts_at=_at(18, 14), ends_at=_at(18, 16, 30))],
        presenters=[
            services.PresenterData(
                name="中村 昭彦", affiliation="ITコーディネータ横浜 理事", topic="事業の説明"
            ),
        ],
    )
    if kickoff is not None:
        for name, kana, company in PEOPLE[:4]:
            services.registration_create(
                event=kickoff,
                data=services.RegistrationData(
                    name=name,
                    name_kana=kana,
                    company_name=company,
                    email=f"{kana.split()[0].lower()}@example.jp",
                ),
                check_window=False,
            )
    course = _event(
        org,
        staff,
        data=services.EventData(
            kind="training",
            title="経営者研修「戦略に基づくIT活用」（全3回）",
            summary="3回で自社の経営課題を整理し、IT活用の計画の骨子を作ります。",
            description="各回とも演習があります。修了には3回のうち2回以上の出席が必要です。",
            capacity=3,
            venue_name="横浜市産業振興センター 第1研修室",
            venue_address="神奈川県横浜市中区山下町2",
            required_sessions=2,
        ),
        sessions=[
            services.SessionData(
                title=f"第{i + 1}回", starts_at=_at(-7 + 7 * i, 18, 30), ends_at=_at(-7 + 7 * i, 20, 30)
            )
            for i in range(3)
        ],
    )
    if course is not None:
        registrations = [
            services.registration_create(
                event=course,
                data=services.RegistrationData(
                    name=name, name_kana=kana, company_name=company, email=f"course-{i}@example.jp"
                ),
                check_window=False,
            )
            for i, (name, kana, company) in enumerate(PEOPLE[:5])
        ]
        first = course.sessions.first()
        assert first is not None
        # The first session was a week ago: its attendance is entered afterwards, from the paper list.
        for registration in registrations[:2]:
            services.attendance_set(registration=registration, session=first, present=True, actor=staff)
    presenting = Company.objects.filter(organization=org).order_by("pk").first()
    cases = _event(
        org,
        staff,
        data=services.EventData(
            kind="cases",
            title="IT経営 事例発表会 2026秋",
            summary="支援を受けた会員企業が、取り組みと成果を発表しました。",
            capacity=40,
            venue_name="関内ホール 小ホール",
            venue_address="神奈川県横浜市中区住吉町4-42-1",
        ),
        sessions=[services.SessionData(starts_at=_at(-20, 15), ends_at=_at(-20, 17))],
        presenters=[
            services.PresenterData(
                name="佐藤 健一",
                affiliation="代表取締役",
                topic="紙の受注票をやめて、納期回答が半日から10分に",
                company_id=presenting.pk if presenting else None,
            )
        ],
    )
    if cases is not None:
        services.event_questions_set(
            event=cases,
            purpose="survey",
            questions=[
                services.QuestionData(label="満足度", kind="rating", required=True, order=1),
                services.QuestionData(
                    label="特に参考になった点",
                    kind="multiple",
                    choices="発表の内容\n質疑応答\n交流の時間",
                    order=2,
                ),
                services.QuestionData(label="ご意見・ご要望", kind="text", order=3),
            ],
            actor=staff,
        )
        session = cases.sessions.first()
        assert session is not None
        for i, (name, kana, company) in enumerate(PEOPLE):
            registration = services.registration_create(
                event=cases,
                data=services.RegistrationData(
                    name=name, name_kana=kana, company_name=company, email=f"cases-{i}@example.jp"
                ),
                check_window=False,
            )
            if i < 4:
                services.attendance_set(registration=registration, session=session, present=True, actor=staff)
        questions = {q.label: str(q.pk) for q in cases.questions.all()}
        answers = [
            {
                "満足度": 5,
                "特に参考になった点": ["発表の内容", "質疑応答"],
                "ご意見・ご要望": "次回は製造業の事例も聞きたいです。",
            },
            {"満足度": 4, "特に参考になった点": ["交流の時間"], "ご意見・ご要望": ""},
            {
                "満足度": 4,
                "特に参考になった点": ["発表の内容"],
                "ご意見・ご要望": "資料を事前にいただけると助かります。",
            },
        ]
        attendees = Registration.objects.filter(event=cases, attendances__isnull=False).order_by("pk")
        for registration, answer in zip(attendees, answers, strict=False):
            services.survey_submit(
                registration=registration,
                answers={
                    questions[label]: str(value) if label == "満足度" else value
                    for label, value in answer.items()
                },
            )


def _kawasaki(org: Organization) -> None:
    staff = User.objects.filter(organization=org).order_by("pk").first()
    if staff is None:
        return
    city = SupportOrganization.objects.get(organization=org, name="川崎市 経済労働局")
    _event(
        org,
        staff,
        data=services.EventData(
            kind="kickoff",
            title="IT経営応援隊 川崎キックオフセミナー（オンライン同時配信）",
            summary="会場とオンラインの両方で参加できます。",
            capacity=40,
            venue_name="川崎市産業振興会館 1階ホール",
            venue_postal_code="2120013",
            venue_address="神奈川県川崎市幸区堀川町66-20",
            co_host_ids=(city.pk,),
        ),
        sessions=[
            services.SessionData(
                starts_at=_at(25, 13, 30),
                ends_at=_at(25, 16),
                online_url="https://meet.example.jp/kawasaki-kickoff",
            )
        ],
    )
