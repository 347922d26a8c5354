"""Japanese demo outcome goals for `manage.py demo_data`: each organization's targets for this 年度 and
the last one (set by its office staff through the services, so they are audited), and one indicator
entered by hand, 支援機関との連携会議, with a result for each month so far. Running it again adds
nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from ouentai.accounts.choices import INBOX_MANAGER_ROLES, OrganizationKind, Role
from ouentai.accounts.models import Organization, User
from ouentai.core.calendar import fiscal_year, local_today
from ouentai.outcomes import services
from ouentai.outcomes.choices import MANUAL
from ouentai.outcomes.models import AnnualReport, Indicator, Target
from ouentai.outcomes.selectors import months_of
from ouentai.outcomes.services.facts import outcome_facts_refresh_all

# Yearly targets (and baselines) of an organization of Yokohama's size; Kawasaki's are about half.
TARGETS = {
    "cases_published": (6, 4),
    "engagements_started": (12, 9),
    "engagements_completed": (8, 6),
    "plans_written": (8, 5),
    "dispatches_completed": (20, 15),
    "seminar_attendees": (150, 120),
    "training_attendees": (40, 32),
    "diagnosis_takers": (30, 22),
    "stage_rose": (10, 6),
    "members_joined": (25, 18),
    "it_investments": (10, 7),
    "applications_on_time": (40, 30),
    "liaison_meetings": (12, 10),
}
SCALE = {"yokohama": Decimal(1), "kawasaki": Decimal("0.5")}


def _liaison_meetings() -> Indicator:
    indicator, _created = Indicator.objects.get_or_create(
        key="liaison_meetings",
        defaults={
            "name": "支援機関との連携会議",
            "unit": "回",
            "definition": "商工会議所・金融機関・自治体など地域の支援機関と開いた連携会議の回数。月ごとに事務局が入力します。",
            "rule": MANUAL,
            "position": 200,
        },
    )
    return indicator


OFFICE_EMAIL = "office@kanto.meti.example.jp"


def demo_program_office(password: str) -> User:
    """関東経済産業局 and its officer, who sees the comparison at /office/."""
    office, _created = Organization.objects.get_or_create(
        slug="kanto-meti",
        defaults={
            "name": "関東経済産業局 地域経済部",
            "short_name": "関東経産局",
            "kind": OrganizationKind.PROGRAM_OFFICE,
        },
    )
    return User.objects.filter(email=OFFICE_EMAIL).first() or User.objects.create_user(
        OFFICE_EMAIL,
        password,
        name="森 由紀",
        name_kana="モリ ユキ",
        organization=office,
        role=Role.PROGRAM_OFFICE,
    )


def demo_outcomes(orgs: dict[str, Organization], password: str) -> None:
    """Targets and manual results of the demo organizations, the program office and its officer, and
    the yearly facts the office reads (recounted on every run, as the hourly task would)."""
    demo_program_office(password)
    _demo_targets(orgs)
    current = fiscal_year(local_today())
    outcome_facts_refresh_all(years=[current - 1, current], organizations=list(orgs.values()))
    _demo_report(orgs)


def _demo_targets(orgs: dict[str, Organization]) -> None:
    current = fiscal_year(local_today())
    if Target.objects.filter(organization__in=orgs.values()).exists():
        return
    services.indicators_install()
    meetings = _liaison_meetings()
    today = local_today()
    indicators = {indicator.key: indicator for indicator in Indicator.objects.filter(active=True)}
    with transaction.atomic():
        for slug, organization in orgs.items():
            office = (
                User.objects.filter(organization=organization, role__in=INBOX_MANAGER_ROLES)
                .order_by("pk")
                .first()
            )
            if office is None:
                continue
            scale = SCALE.get(slug, Decimal("0.5"))
            for year in (current - 1, current):
                for key, (target, baseline) in TARGETS.items():
                    if key not in indicators:
                        continue
                    services.target_set(
                        organization=organization,
                        indicator=indicators[key],
                        year=year,
                        target=(target * scale).quantize(Decimal(1)) or Decimal(1),
                        baseline=(baseline * scale).quantize(Decimal(1)),
                        actor=office,
                    )
            for number, month in enumerate(months_of(current - 1) + months_of(current)):
                if month > today:
                    break
                services.manual_result_set(
                    organization=organization,
                    indicator=meetings,
                    month=month,
                    value=Decimal(1 + (number % 3 == 0)),
                    actor=office,
                )


def _demo_report(orgs: dict[str, Organization]) -> None:
    """Yokohama's annual report of the running 年度, version 1, requested by its office staff through
    the service; the command runs the queued build at its end. Once only."""
    organization = orgs.get("yokohama")
    if organization is None:
        return
    current = fiscal_year(local_today())
    if AnnualReport.objects.filter(organization=organization, fiscal_year=current).exists():
        return
    office = (
        User.objects.filter(organization=organization, role__in=INBOX_MANAGER_ROLES, is_active=True)
        .order_by("pk")
        .first()
    )
    if office is not None:
        services.annual_report_request(organization=organization, year=current, actor=office)
