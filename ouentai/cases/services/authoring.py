"""Writing a case: made from a completed engagement with the company facts, phases, KPIs and support
taken from the records; edited while a draft; photos and files kept with their alternative text."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import User
from ouentai.cases.choices import Challenge, ItArea, MediaKind
from ouentai.cases.models import Case, CaseKpi, CaseMedia
from ouentai.cases.rules import size_band_for
from ouentai.cases.selectors.sources import case_sources, kpi_figures
from ouentai.cases.services.workflow import case_can_edit
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.engagements.choices import EngagementStatus
from ouentai.engagements.models import Engagement

MAX_MEDIA_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


@dataclass(frozen=True)
class CaseData:
    """What people write in a case. Company facts, KPI figures and support used are not here: they come
    from the records."""

    title: str
    summary: str
    challenge_kind: str
    it_area: str
    challenge: str
    solution: str
    results: str
    background: str = ""
    strategy: str = ""
    products: str = ""
    owner_words: str = ""
    owner_title: str = ""
    presented_at_id: int | None = None
    kpi_ids: list[int] = field(default_factory=list)


def _check(data: CaseData) -> None:
    if data.challenge_kind not in Challenge.values:
        raise DomainError(
            _("課題の分類を選んでください。"), code="case.challenge_kind", field="challenge_kind"
        )
    if data.it_area not in ItArea.values:
        raise DomainError(_("ITの分野を選んでください。"), code="case.it_area", field="it_area")
    if not data.title.strip():
        raise DomainError(_("事例の表題を入力してください。"), code="case.title", field="title")


def case_may_create(user: User, engagement: Engagement) -> bool:
    """Coordinators and staff of the engagement's organization turn a completed engagement into a case."""
    return (
        user.can_use_console
        and user.organization_id == engagement.organization_id
        and engagement.status == EngagementStatus.COMPLETED
    )


def _set_kpis(case: Case, engagement: Engagement, kpi_ids: list[int] | None) -> list[str]:
    """Copy the chosen KPIs' before and after figures from the records (all measured ones when None)."""
    figures = kpi_figures(engagement)
    if kpi_ids is not None:
        unknown = set(kpi_ids) - {f.kpi.pk for f in figures}
        if unknown:
            raise DomainError(
                _("この案件の測定済みのKPIから選んでください。"), code="case.kpi", field="kpi_ids"
            )
        figures = [f for f in figures if f.kpi.pk in set(kpi_ids)]
    case.kpis.all().delete()
    CaseKpi.objects.bulk_create(
        CaseKpi(
            case=case,
            kpi=f.kpi,
            name=f.kpi.name,
            unit=f.kpi.unit,
            direction=f.kpi.direction,
            before_value=f.before_value,
            before_on=f.before_on,
            after_value=f.after_value,
            after_on=f.after_on,
            order=order,
        )
        for order, f in enumerate(figures)
    )
    return [f.kpi.name for f in figures]


def case_create_from_engagement(*, engagement: Engagement, actor: User, data: CaseData) -> Case:
    """A draft case about a completed engagement, prefilled from the records: the company's industry,
    size band and region, the phases done, the measured KPIs (before = baseline, after = latest
    measurement), the schemes and experts of its reported dispatches, the events its company attended,
    and the IT-management stage before and now."""
    if not case_may_create(actor, engagement):
        raise DomainError(_("完了した支援案件からだけ事例を作れます。"), code="case.engagement_not_completed")
    _check(data)
    sources = case_sources(engagement)
    company = engagement.company
    with transaction.atomic():
        case = Case.objects.create(
            organization_id=engagement.organization_id,
            engagement=engagement,
            company=company,
            title=data.title.strip(),
            summary=data.summary.strip(),
            industry=company.industry,
            size_band=size_band_for(company.employees),
            prefecture=company.prefecture,
            city=company.city,
            it_stage_before=sources.it_stage_before,
            it_stage_after=company.it_stage,
            challenge_kind=data.challenge_kind,
            it_area=data.it_area,
            background=data.background.strip(),
            challenge=data.challenge.strip() or engagement.challenges,
            strategy=data.strategy.strip() or engagement.strategy,
            solution=data.solution.strip(),
            products=data.products.strip(),
            results=data.results.strip(),
            owner_words=data.owner_words.strip(),
            owner_title=data.owner_title.strip(),
            phases=sources.phases,
            started_on=engagement.started_on,
            completed_on=engagement.completed_on or engagement.target_on,
            presented_at_id=data.presented_at_id,
            author=actor,
        )
        case.schemes.set(sources.schemes)
        case.experts.set(sources.experts)
        case.trainings.set(sources.trainings)
        kpis = _set_kpis(case, engagement, data.kpi_ids or None)
        audit_record(actor=actor, action="cases.case.created", target=case, details={"kpis": kpis})
    return case


def case_update(*, case: Case, actor: User, data: CaseData) -> Case:
    """Change what people wrote (while a draft) and which of the engagement's KPIs are shown."""
    _check(data)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("engagement").get(pk=case.pk)
        if not case_can_edit(actor, case):
            raise DomainError(_("下書きの事例だけを編集できます。"), code="case.not_editable")
        changed = []
        for name in (
            "title", "summary", "challenge_kind", "it_area", "challenge", "solution", "results",
            "background", "strategy", "products", "owner_words", "owner_title",
        ):  # fmt: skip
            value = getattr(data, name).strip()
            if getattr(case, name) != value:
                setattr(case, name, value)
                changed.append(name)
        if case.presented_at_id != data.presented_at_id:
            case.presented_at_id = data.presented_at_id
            changed.append("presented_at")
        case.save()
        kpis = _set_kpis(case, case.engagement, data.kpi_ids)
        audit_record(
            actor=actor, action="cases.case.updated", target=case, details={"changed": changed, "kpis": kpis}
        )
    return case


def case_kpis_refresh(*, case: Case, actor: User) -> Case:
    """Copy the KPI figures again from the engagement's records (new measurements since)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("engagement").get(pk=case.pk)
        if not case_can_edit(actor, case):
            raise DomainError(_("下書きの事例だけを編集できます。"), code="case.not_editable")
        ids = [k for k in case.kpis.values_list("kpi_id", flat=True) if k is not None]
        kpis = _set_kpis(case, case.engagement, ids)
        audit_record(actor=actor, action="cases.case.kpis_refreshed", target=case, details={"kpis": kpis})
    return case


def case_media_add(
    *, case: Case, actor: User, upload: UploadedFile, kind: str, alt_text: str, caption: str = ""
) -> CaseMedia:
    """Keep a photo (JPEG, PNG or WebP, with its alternative text) or a document with a draft case."""
    if not case_can_edit(actor, case):
        raise DomainError(_("下書きの事例だけを編集できます。"), code="case.not_editable")
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("ファイルを選んでください。"), code="case.media_empty", field="file")
    if size > MAX_MEDIA_BYTES:
        raise DomainError(_("写真・資料は10MBまでです。"), code="case.media_too_large", field="file")
    if kind not in MediaKind.values:
        raise DomainError(_("種類を選んでください。"), code="case.media_kind", field="kind")
    if kind == MediaKind.PHOTO:
        if (upload.content_type or "") not in PHOTO_TYPES:
            raise DomainError(
                _("写真はJPEG・PNG・WebPの画像にしてください。"), code="case.media_type", field="file"
            )
        if not alt_text.strip():
            raise DomainError(
                _("写真に写っているものを代替テキストに書いてください（画面読み上げで使います）。"),
                code="case.alt_missing",
                field="alt_text",
            )
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        media = CaseMedia(
            case=case,
            kind=kind,
            name=name,
            alt_text=alt_text.strip()[:200],
            caption=caption.strip()[:200],
            order=case.media.count(),
            uploaded_by=actor,
        )
        media.file.save(name, upload, save=False)
        media.save()
        audit_record(actor=actor, action="cases.media.added", target=case, details={"name": name})
    return media


def case_media_remove(*, media: CaseMedia, actor: User) -> None:
    """Remove a photo or document of a draft case (the file too)."""
    case = media.case
    if not case_can_edit(actor, case):
        raise DomainError(_("下書きの事例だけを編集できます。"), code="case.not_editable")
    with transaction.atomic():
        name = media.name
        media.file.delete(save=False)
        media.delete()
        audit_record(actor=actor, action="cases.media.removed", target=case, details={"name": name})
