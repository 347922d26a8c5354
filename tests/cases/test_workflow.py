"""The case workflow's rules: made from a completed engagement with figures from the records, reviewed
by someone other than its author, consented to by the company word for word, published only with that
consent, and gone from every public read the moment it is withdrawn."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouentai.accounts.choices import Role
from ouentai.cases.choices import CONSENT_TEXT_VERSION, CaseStatus, CaseVariant, ConsentMethod, SizeBand
from ouentai.cases.models import Case
from ouentai.cases.selectors.public import public_case_get, public_cases
from ouentai.cases.services import authoring, workflow
from ouentai.core.errors import DomainError
from ouentai.core.models import AuditEntry
from ouentai.engagements.choices import Phase
from tests.accounts.factories import make_user
from tests.cases.factories import (
    CaseFactory,
    case_data,
    completed_engagement,
    member_of,
    publish,
    reviewer_of,
)
from tests.engagements.factories import EngagementFactory

pytestmark = pytest.mark.django_db


def test_a_case_is_prefilled_from_the_records() -> None:
    case = CaseFactory.create()
    assert (case.industry, case.size_band, case.prefecture, case.city) == (
        "E",
        SizeBand.UP_TO_20,
        "神奈川県",
        "横浜市中区",
    )
    assert case.phases == [Phase.STRATEGY, Phase.IT_STRATEGY, Phase.IMPLEMENTATION]
    assert case.challenge.startswith("受注の電話とFAX")  # the engagement's words when none are written
    [kpi] = case.kpis.all()
    assert (kpi.name, kpi.before_value, kpi.before_on) == ("売上高", Decimal("1000"), dt.date(2026, 10, 1))
    assert (kpi.after_value, kpi.after_on) == (
        Decimal("1170"),
        dt.date(2027, 3, 15),
    )  # the latest measurement
    assert AuditEntry.objects.filter(action="cases.case.created", target_id=str(case.pk)).exists()


def test_only_a_completed_engagement_becomes_a_case() -> None:
    engagement = EngagementFactory.create()
    with pytest.raises(DomainError) as error:
        authoring.case_create_from_engagement(engagement=engagement, actor=engagement.lead, data=case_data())
    assert error.value.code == "case.engagement_not_completed"


def test_kpis_come_only_from_the_engagements_measured_kpis() -> None:
    case = CaseFactory.create()
    other = completed_engagement(organization=case.organization)
    foreign = other.kpis.get()
    with pytest.raises(DomainError) as error:
        authoring.case_update(case=case, actor=case.engagement.lead, data=case_data(kpi_ids=[foreign.pk]))
    assert error.value.code == "case.kpi"
    authoring.case_update(case=case, actor=case.engagement.lead, data=case_data(kpi_ids=[]))
    assert case.kpis.count() == 0


def test_the_author_never_approves_their_own_case() -> None:
    case = CaseFactory.create()
    author = case.engagement.lead
    admin = make_user(case.organization, Role.ORG_ADMIN)
    case = workflow.case_submit(case=case, actor=author)
    case.author = admin  # an admin who wrote the case is refused too
    case.save()
    with pytest.raises(DomainError):
        workflow.case_request_consent(case=case, actor=admin, variant=CaseVariant.NAMED)
    coordinator = make_user(case.organization, Role.COORDINATOR)
    with pytest.raises(DomainError):
        workflow.case_request_consent(case=case, actor=coordinator, variant=CaseVariant.NAMED)


def test_content_is_frozen_once_the_company_is_asked() -> None:
    case = CaseFactory.create()
    workflow.case_submit(case=case, actor=case.engagement.lead)
    with pytest.raises(DomainError) as error:
        authoring.case_update(case=case, actor=case.engagement.lead, data=case_data(title="別の表題"))
    assert error.value.code == "case.not_editable"


def test_publication_path_records_the_exact_consent_text() -> None:
    case = publish(CaseFactory.create(), variant=CaseVariant.NAMED)
    consent = case.consents.get()
    assert consent.method == ConsentMethod.ONLINE and consent.version == CONSENT_TEXT_VERSION
    assert "当社の名称を示して" in consent.text and consent.variant == CaseVariant.NAMED
    assert list(public_cases()) == [case]
    public = public_case_get(case.public_key)
    assert public is not None and public.company_name == case.company.name


def test_a_member_of_another_company_cannot_consent() -> None:
    case = CaseFactory.create()
    workflow.case_submit(case=case, actor=case.engagement.lead)
    workflow.case_request_consent(case=case, actor=reviewer_of(case), variant=CaseVariant.ANONYMOUS)
    stranger = member_of(CaseFactory.create(engagement=completed_engagement(organization=case.organization)))
    with pytest.raises(DomainError) as error:
        workflow.case_consent(
            case=case,
            actor=stranger.user,
            shown_version=CONSENT_TEXT_VERSION,
            shown_variant=CaseVariant.ANONYMOUS,
        )
    assert error.value.code == "case.forbidden"


def test_consent_to_words_not_shown_is_refused() -> None:
    case = CaseFactory.create()
    workflow.case_submit(case=case, actor=case.engagement.lead)
    workflow.case_request_consent(case=case, actor=reviewer_of(case), variant=CaseVariant.NAMED)
    member = member_of(case)
    for version, variant in (("2020-1", CaseVariant.NAMED), (CONSENT_TEXT_VERSION, CaseVariant.ANONYMOUS)):
        with pytest.raises(DomainError) as error:
            workflow.case_consent(case=case, actor=member.user, shown_version=version, shown_variant=variant)
        assert error.value.code == "case.consent_stale"


def test_staff_attach_a_signed_form() -> None:
    case = CaseFactory.create()
    reviewer = reviewer_of(case)
    workflow.case_submit(case=case, actor=case.engagement.lead)
    workflow.case_request_consent(case=case, actor=reviewer, variant=CaseVariant.ANONYMOUS)
    with pytest.raises(DomainError) as error:
        workflow.case_consent_attach(
            case=case, actor=reviewer, signed_form=SimpleUploadedFile("a.pdf", b""), signer_name="港 太郎"
        )
    assert error.value.field == "signed_form"
    consent = workflow.case_consent_attach(
        case=case,
        actor=reviewer,
        signed_form=SimpleUploadedFile("同意書.pdf", b"%PDF-1.4"),
        signer_name="港 太郎",
    )
    assert consent.method == ConsentMethod.SIGNED_FORM and str(consent.signed_form.name).endswith(".pdf")
    workflow.case_publish(case=case, actor=reviewer)
    assert public_cases().filter(pk=case.pk).exists()


def test_withdrawal_by_the_company_removes_the_case_at_once() -> None:
    case = publish(CaseFactory.create())
    member = case.company.member_accounts.get()
    workflow.case_withdraw(case=case, actor=member.user, reason="取引先の意向")
    assert not public_cases().exists() and public_case_get(case.public_key) is None
    assert case.consents.get().withdrawn_at is not None
    reviewer = make_user(case.organization, Role.STAFF)
    case.refresh_from_db()
    workflow.case_reopen(case=case, actor=case.engagement.lead)
    case = workflow.case_submit(case=case, actor=case.engagement.lead)
    case = workflow.case_request_consent(case=case, actor=reviewer, variant=CaseVariant.ANONYMOUS)
    with pytest.raises(DomainError):  # the old consent does not carry over
        workflow.case_publish(case=case, actor=reviewer)


def test_a_published_status_without_a_live_consent_is_not_public() -> None:
    """Belt and braces: even a row forced to "published" (by hand, a bad migration) stays private."""
    case = publish(CaseFactory.create())
    case.consents.update(withdrawn_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert not public_cases().exists()
    Case.objects.filter(pk=case.pk).update(variant=CaseVariant.NAMED)
    case.consents.update(withdrawn_at=None)
    assert not public_cases().exists()  # consented anonymized, marked named: not public


def test_anonymized_projection_carries_no_identity() -> None:
    case = publish(CaseFactory.create(), variant=CaseVariant.ANONYMOUS)
    public = public_case_get(case.public_key)
    assert public is not None
    assert public.company_name == "" and public.city == ""
    assert case.company.name not in str(public.__dict__)
    assert public.who == "神奈川県の製造業（6〜20人）"  # the JSIC name without its code letter


STEPS = [
    "submit",
    "return",
    "request_named",
    "request_anonymous",
    "consent",
    "attach",
    "publish",
    "withdraw",
    "reopen",
]
ACTORS = ["author", "reviewer", "member", "coordinator", "other_org_staff"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(STEPS), st.sampled_from(ACTORS)), max_size=14))
def test_nothing_is_public_without_a_live_consent_whatever_is_tried(steps: list[tuple[str, str]]) -> None:
    """Any sequence of steps by anyone: the case is public exactly when it is published with a live
    consent for its variant, and a refused step changes nothing."""
    case = CaseFactory.create()
    other_org = make_user(completed_engagement().organization, Role.STAFF)
    people = {
        "author": case.engagement.lead,
        "reviewer": make_user(case.organization, Role.STAFF),
        "member": member_of(case).user,
        "coordinator": make_user(case.organization, Role.COORDINATOR),
        "other_org_staff": other_org,
    }
    upload = b"%PDF-1.4 signed"
    for step, who in steps:
        actor = people[who]
        case.refresh_from_db()
        before = case.status
        try:
            if step == "submit":
                workflow.case_submit(case=case, actor=actor)
            elif step == "return":
                workflow.case_return(case=case, actor=actor, reason="数字の出典を書いてください")
            elif step.startswith("request_"):
                variant = CaseVariant.NAMED if step.endswith("named") else CaseVariant.ANONYMOUS
                workflow.case_request_consent(case=case, actor=actor, variant=variant)
            elif step == "consent":
                workflow.case_consent(
                    case=case, actor=actor, shown_version=CONSENT_TEXT_VERSION, shown_variant=case.variant
                )
            elif step == "attach":
                workflow.case_consent_attach(
                    case=case,
                    actor=actor,
                    signed_form=SimpleUploadedFile("f.pdf", upload),
                    signer_name="港 太郎",
                )
            elif step == "publish":
                workflow.case_publish(case=case, actor=actor)
            elif step == "withdraw":
                workflow.case_withdraw(case=case, actor=actor)
            elif step == "reopen":
                workflow.case_reopen(case=case, actor=actor)
        except DomainError:
            case.refresh_from_db()
            assert case.status == before
        case.refresh_from_db()
        live = case.consents.filter(withdrawn_at__isnull=True, variant=case.variant).exists()
        is_public = public_cases().filter(pk=case.pk).exists()
        assert is_public == (case.status == CaseStatus.PUBLISHED and live)
        if case.status == CaseStatus.PUBLISHED:
            assert live
        assert case.consents.filter(withdrawn_at__isnull=True).count() <= 1
