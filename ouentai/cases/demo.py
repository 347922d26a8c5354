"""Demo success cases for `manage.py demo_data`: the 36 companies of ``demo_texts`` each get what a real
case is made from (the company, its community membership, a diagnosis before and after, a completed
engagement whose KPIs were measured), then the case is written from that engagement and taken through
the workflow by the people who would take it: the coordinator writes, staff review and ask for consent,
a member of the company agrees in /my/ or staff attach the signed form, staff publish. Thirty cases end
published (named and anonymized); the others stay in each of the other states (a draft, one sent back,
one in review, one awaiting consent, one consented, one withdrawn by its company). Companies already
there are skipped, so running it again adds nothing.

Everything goes through the services, which stamp "now". The demo then moves the dates that readers
see (publication, approval, consent, the engagement's start and phase changes, the diagnoses) back to
when they would have happened, spread over the last 18 months; the audit log is left as it is, a true
record of the set-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.cases.choices import CONSENT_TEXT_VERSION
from ouentai.cases.demo_texts import CASES, DemoCase, DemoKpi
from ouentai.cases.models import Case, CaseConsent
from ouentai.cases.services.authoring import CaseData, case_create_from_engagement
from ouentai.cases.services.workflow import (
    case_consent,
    case_consent_attach,
    case_publish,
    case_request_consent,
    case_return,
    case_submit,
    case_withdraw,
)
from ouentai.community import services as community
from ouentai.community.choices import MembershipStatus
from ouentai.community.data import CompanyData
from ouentai.community.models import Company, MemberAccount, Membership
from ouentai.core.jp import postal_lookup
from ouentai.engagements import services as engagements
from ouentai.engagements.choices import EngagementStatus, Phase
from ouentai.engagements.models import DiagnosisResult, Engagement, PhaseChange, Questionnaire

# The member of the company whose case awaits consent: signing in as them shows the request in /my/.
CONSENT_MEMBER_EMAIL = "member-c33@cases.example.jp"

# Who does what in each organization (demo_data's users): the author writes the case and leads the
# engagement, the reviewer (never the author) approves, asks for consent and publishes.
PEOPLE = {
    "yokohama": ("itc@yokohama.example.jp", "staff@yokohama.example.jp"),
    "kawasaki": ("staff@kawasaki.example.jp", "admin@kawasaki.example.jp"),
}

# A tiny but real PDF standing for the scanned consent form the company signed.
SIGNED_FORM = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class _Dates:
    """When things happened for one case, counted back from today."""

    started: dt.date
    completed: dt.date
    published: dt.datetime  # or, for a case not published, when it was last handled

    @classmethod
    def of(cls, spec: DemoCase, now: dt.datetime) -> _Dates:
        # A different time of day per case, in office hours, so that no two cases share a moment.
        number = int(spec.key[1:])
        published = timezone.localtime(now - dt.timedelta(days=spec.days_ago)).replace(
            hour=9 + number % 8, minute=(number * 7) % 60, second=0, microsecond=0
        )
        completed = published.date() - dt.timedelta(days=21 + number % 5 * 7)
        started = completed - dt.timedelta(days=spec.months * 30)
        return cls(started, completed, published)


def _answers(questionnaire: Questionnaire, stage: int) -> dict[str, int]:
    """Answers of the self-diagnosis that place a company at ``stage`` (each answer scores its stage)."""
    answers = {}
    for dimension in questionnaire.dimensions.all():
        for question in dimension.questions.all():
            choices = list(question.choices.all())
            chosen = next((c for c in choices if c.score == stage), choices[min(stage, len(choices)) - 1])
            answers[str(question.pk)] = chosen.pk
    return answers


def _figures(kpi: DemoKpi) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Baseline, halfway measurement, final measurement and target, with the figures' own precision."""
    before, after, target = Decimal(kpi.before), Decimal(kpi.after), Decimal(kpi.target)
    places = max(-int(v.as_tuple().exponent) for v in (before, after))
    halfway = ((before + after) / 2).quantize(Decimal(1).scaleb(-places))
    return before, halfway, after, target


def _company(spec: DemoCase, org: Organization) -> Company:
    found = postal_lookup(spec.postal)
    assert found is not None, spec.postal
    return community.company_create(
        organization=org,
        data=CompanyData(
            name=spec.company,
            name_kana=spec.kana,
            postal_code=spec.postal,
            prefecture=found.prefecture,
            city=found.city,
            town=found.town,
            address=spec.address,
            municipality_code=found.municipality_code,
            industry=spec.industry,
            sme_category=spec.sme_category,
            capital_yen=spec.capital_man * 10_000 or None,
            employees=spec.employees,
        ),
        actor=None,
        source="demo",
    )


def _diagnose(questionnaire: Questionnaire, company: Company, stage: int, on: dt.date) -> None:
    result = engagements.diagnosis_submit(
        questionnaire=questionnaire, answers=_answers(questionnaire, stage), company=company
    )
    # Demo dates: the diagnosis was taken then, not now (the case reads the stage before from it).
    DiagnosisResult.objects.filter(pk=result.pk).update(created_at=_at(on, 10))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _engagement(spec: DemoCase, company: Company, lead: User, dates: _Dates) -> Engagement:
    engagement = engagements.engagement_create(
        organization=company.organization,
        company=company,
        phase=spec.enters_at,
        data=engagements.EngagementData(
            title=spec.engagement,
            lead_id=lead.pk,
            started_on=dates.started,
            target_on=dates.completed,
            challenges=spec.challenge,
            strategy=spec.strategy,
        ),
        actor=lead,
    )
    later = Phase.values[Phase.values.index(spec.enters_at) + 1 :]
    for phase in later:
        engagements.engagement_set_phase(engagement=engagement, phase=phase, actor=lead)
    baseline_on = dates.started + dt.timedelta(days=7)
    measured_on = dates.completed - dt.timedelta(days=5)
    for order, kpi in enumerate(spec.kpis):
        before, halfway, after, target = _figures(kpi)
        saved = engagements.kpi_save(
            engagement=engagement,
            data=engagements.KpiData(
                name=kpi.name,
                unit=kpi.unit,
                direction=kpi.direction,
                baseline_value=before,
                baseline_on=baseline_on,
                target_value=target,
                target_on=dates.completed,
                order=order,
            ),
            actor=lead,
        )
        engagements.kpi_measure(
            kpi=saved, measured_on=baseline_on + (measured_on - baseline_on) / 2, value=halfway, actor=lead
        )
        engagements.kpi_measure(kpi=saved, measured_on=measured_on, value=after, actor=lead)
    engagement = engagements.engagement_set_status(
        engagement=engagement, status=EngagementStatus.COMPLETED, actor=lead
    )
    # Demo dates: the engagement opened on its start day and went through its phases evenly until it
    # ended (the services stamped today).
    Engagement.objects.filter(pk=engagement.pk).update(
        created_at=_at(dates.started, 9), completed_on=dates.completed
    )
    engagement.completed_on = dates.completed
    changes = list(PhaseChange.objects.filter(engagement=engagement).order_by("pk"))
    step = (dates.completed - dates.started) / max(len(changes), 1)
    for index, change in enumerate(changes):
        change.changed_at = _at(dates.started + step * index, 11)
    PhaseChange.objects.bulk_update(changes, ["changed_at"])
    return engagement


def _member(spec: DemoCase, company: Company, password_hash: str) -> User:
    """The company's signed-in person (its owner) who consents in /my/ or withdraws the consent."""
    email = f"member-{spec.key}@cases.example.jp"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, None, name=spec.owner, organization=company.organization, role=Role.MEMBER
        )
        # One hash of the demo password for all of them (hashing 30 times would slow the set-up).
        user.password = password_hash
        user.save(update_fields=["password"])
        MemberAccount.objects.create(organization=company.organization, user=user, company=company)
    return user


def _case_data(spec: DemoCase) -> CaseData:
    # The challenge and the strategy are left empty: the case takes them from the engagement.
    return CaseData(
        title=spec.title,
        summary=spec.summary,
        challenge_kind=spec.challenge_kind,
        it_area=spec.it_area,
        challenge="",
        strategy="",
        solution=spec.solution,
        results=spec.results,
        background=spec.background,
        products=spec.products,
        owner_words=spec.owner_words,
        owner_title=spec.owner_title,
    )


def _walk(spec: DemoCase, case: Case, author: User, reviewer: User, member: User | None) -> Case:
    """Take the case as far as the demo leaves it, one step at a time."""
    if spec.state == "draft":
        return case
    case = case_submit(case=case, actor=author)
    if spec.state == "returned":
        return case_return(
            case=case,
            actor=reviewer,
            reason="成果の数字の根拠（いつ、何を測ったか）を本文にも一言添えてください。",
        )
    if spec.state == "review":
        return case
    case = case_request_consent(case=case, actor=reviewer, variant=spec.variant)
    if spec.state == "consent_requested":
        return case
    if spec.consent == "form":
        case_consent_attach(
            case=case,
            actor=reviewer,
            signed_form=SimpleUploadedFile(
                f"掲載同意書_{spec.key}.pdf", SIGNED_FORM, content_type="application/pdf"
            ),
            signer_name=spec.owner,
        )
    else:
        assert member is not None
        case_consent(case=case, actor=member, shown_version=CONSENT_TEXT_VERSION, shown_variant=spec.variant)
    if spec.state == "consented":
        return Case.objects.get(pk=case.pk)
    case = case_publish(case=case, actor=reviewer)
    if spec.state == "withdrawn":
        assert member is not None
        case = case_withdraw(
            case=case, actor=member, reason="事業の見直しにより、掲載を取りやめたいとの申し出があった。"
        )
    return case


def _backdate(case: Case, spec: DemoCase, dates: _Dates) -> None:
    """Demo dates: the case was written after the engagement ended, approved, consented to and published
    on the days the demo says (the services stamped now)."""
    written = _at(dates.completed + dt.timedelta(days=7), 15)
    approved = dates.published - dt.timedelta(days=12)
    consented = dates.published - dt.timedelta(days=4)
    fields: dict[str, object] = {"created_at": written, "updated_at": dates.published}
    if case.approved_at is not None:
        fields["approved_at"] = approved
    if case.published_at is not None:
        fields["published_at"] = dates.published
    if case.withdrawn_at is not None:
        # Withdrawn by the company some weeks after it was published.
        fields["withdrawn_at"] = dates.published + dt.timedelta(days=45)
        fields["updated_at"] = fields["withdrawn_at"]
    Case.objects.filter(pk=case.pk).update(**fields)
    CaseConsent.objects.filter(case=case).update(given_at=consented)
    CaseConsent.objects.filter(case=case, withdrawn_at__isnull=False).update(
        withdrawn_at=dates.published + dt.timedelta(days=45)
    )


def demo_cases(orgs: dict[str, Organization], password: str) -> None:
    existing = set(
        Company.objects.filter(name__in=[spec.company for spec in CASES]).values_list(
            "organization_id", "name"
        )
    )
    todo = [spec for spec in CASES if (orgs[spec.org].pk, spec.company) not in existing]
    if not todo:
        return
    people = {
        slug: (User.objects.get(email=author), User.objects.get(email=reviewer))
        for slug, (author, reviewer) in PEOPLE.items()
    }
    password_hash = make_password(password)
    now = timezone.now()
    with transaction.atomic():
        questionnaires = {slug: engagements.questionnaire_for(org) for slug, org in orgs.items()}
        for spec in todo:
            org = orgs[spec.org]
            author, reviewer = people[spec.org]
            dates = _Dates.of(spec, now)
            company = _company(spec, org)
            membership = community.membership_create(
                company=company, status=MembershipStatus.ACTIVE, actor=reviewer, source="demo"
            )
            _diagnose(questionnaires[spec.org], company, spec.stage_before, dates.started)
            engagement = _engagement(spec, company, author, dates)
            _diagnose(questionnaires[spec.org], company, spec.stage_after, dates.completed)
            community.membership_record_investment(
                membership=membership, on=dates.completed, note=spec.engagement, cycle_years=4, actor=author
            )
            # Demo dates: the company joined the community a couple of months before its engagement.
            joined = dates.started - dt.timedelta(days=60)
            Membership.objects.filter(pk=membership.pk).update(joined_on=joined, status_since=joined)
            needs_member = spec.consent == "online" or spec.state in ("withdrawn", "consent_requested")
            member = _member(spec, company, password_hash) if needs_member else None
            case = case_create_from_engagement(engagement=engagement, actor=author, data=_case_data(spec))
            case = _walk(spec, case, author, reviewer, member)
            _backdate(case, spec, dates)
