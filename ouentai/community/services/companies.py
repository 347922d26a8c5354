"""Writes for companies and their contact persons.

Every write derives what is never typed: the legal form and its position apart from the core name, the
matching key, the SME status under 中小企業基本法, the city code of a ward, and the search text (which
includes the contacts). Each writes an audit entry naming the fields that changed.
"""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import fields as dataclass_fields

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.community.choices import ItStage
from ouentai.community.data import CompanyData, ContactData
from ouentai.community.models import Company, Contact, Membership
from ouentai.community.rules import sme_category_for, sme_status
from ouentai.community.selectors import COMPANY_SEARCH_KIND, company_search_document
from ouentai.community.services.newsletters import contact_set_consent
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.jp import area_codes_for, match_key, split_legal_form
from ouentai.core.models import AuditEntry
from ouentai.core.search import index_document, index_remove


def _contact_fields(data: ContactData) -> dict[str, object]:
    """The plain fields; consent is recorded through contact_set_consent (with when and how)."""
    fields = asdict(data)
    fields.pop("newsletter_consent")
    return fields


def _index(company: Company, contacts: list[Contact]) -> None:
    """Write the company's entry in the search index (in the caller's transaction)."""
    index_document(kind=COMPANY_SEARCH_KIND, document=company_search_document(company, contacts))


def _derive(company: Company) -> None:
    parts = split_legal_form(company.name)
    company.legal_form, company.legal_form_position, company.core_name = (
        parts.legal_form,
        parts.position,
        parts.core,
    )
    company.name_key = match_key(company.name)
    status = sme_status(
        category=sme_category_for(company.industry, company.sme_category),
        capital_yen=company.capital_yen,
        employees=company.employees,
    )
    company.is_sme, company.is_small = status.is_sme, status.is_small
    codes = area_codes_for(company.municipality_code) if company.municipality_code else []
    company.city_code = codes[1] if len(codes) == 3 else (codes[0] if codes else "")


def _check_corporate_number(organization_id: int, number: str, exclude_pk: int | None = None) -> None:
    if not number:
        return
    clash = Company.objects.filter(organization_id=organization_id, corporate_number=number)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    existing = clash.first()
    if existing is not None:
        raise DomainError(
            _("この法人番号の企業はすでに登録されています：%(name)s") % {"name": existing.name},
            code="company.corporate_number_taken",
            field="corporate_number",
        )


def company_reindex(company: Company) -> None:
    """Rewrite the company's search entry after its contacts changed (one query for the contacts)."""
    _index(company, list(company.contacts.all()))


def company_create(
    *, organization: Organization, data: CompanyData, actor: User | None, source: str = ""
) -> Company:
    """Register a company in an organization. Refuses a 法人番号 the organization already has.
    ``source`` says where it came from for the audit entry (e.g. an application's reference)."""
    if not data.name:
        raise DomainError(_("会社名を入力してください。"), code="company.name_required", field="name")
    with transaction.atomic():
        _check_corporate_number(organization.pk, data.corporate_number)
        company = Company(organization=organization, **asdict(data))
        _derive(company)
        company.save()
        _index(company, [])
        audit_record(
            actor=actor,
            action="community.company.created",
            target=company,
            details={"source": source} if source else {},
        )
    return company


def company_update(*, company: Company, data: CompanyData, actor: User) -> Company:
    """Change a company's typed fields; the derived ones follow. The audit entry lists what changed."""
    if not data.name:
        raise DomainError(_("会社名を入力してください。"), code="company.name_required", field="name")
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        _check_corporate_number(company.organization_id, data.corporate_number, exclude_pk=company.pk)
        changed = {k: [getattr(company, k), v] for k, v in asdict(data).items() if getattr(company, k) != v}
        if not changed:
            return company
        for field, (_old, new) in changed.items():
            setattr(company, field, new)
        _derive(company)
        company.save()
        _index(company, list(company.contacts.all()))
        audit_record(
            actor=actor,
            action="community.company.updated",
            target=company,
            details={"changed": sorted(changed)},
        )
    return company


def company_record_it_stage(*, company: Company, stage: int, actor: User | None, source: str) -> Company:
    """Record the company's IT経営力の段階 (1–4) as an assessment found it, e.g. a diagnosis taken for
    the company (staff who assess it type it on the company form: company_update). The latest
    assessment is the company's stage: the company page, the list, its filter and the exports all read
    this one field. ``source`` says what assessed it (e.g. ``diagnosis:<result id>``) for the audit
    entry. Refuses a stage outside the scale."""
    if stage not in ItStage.values:
        raise DomainError(
            _("IT経営力の段階は1から4で記録してください。"), code="company.it_stage", field="it_stage"
        )
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        previous = company.it_stage
        if previous == stage:
            return company
        company.it_stage = stage
        company.save(update_fields=["it_stage", "updated_at"])
        audit_record(
            actor=actor,
            action="community.company.it_stage_recorded",
            target=company,
            details={"from": previous, "to": stage, "source": source},
        )
    return company


def _check_contact_known(data: ContactData) -> None:
    """A contact needs a name, or at least an e-mail address or a phone number to reach them by (a
    list may give only info@…; the name can be added later)."""
    if not (data.name or data.name_kana or data.email or data.phone):
        raise DomainError(
            _("氏名、メールアドレス、電話番号のどれかを入力してください。"),
            code="contact.name_required",
            field="name",
        )


def contact_create(*, company: Company, data: ContactData, actor: User | None, source: str = "") -> Contact:
    """Add a contact person to a company (same e-mail twice in one company is refused). The name may be
    blank when an e-mail address or a phone number is given."""
    _check_contact_known(data)
    with transaction.atomic():
        if data.email and company.contacts.filter(email__iexact=data.email).exists():
            raise DomainError(
                _("このメールアドレスの担当者はすでに登録されています。"),
                code="contact.email_taken",
                field="email",
            )
        contact = Contact.objects.create(
            organization_id=company.organization_id, company=company, **_contact_fields(data)
        )
        if data.newsletter_consent:
            contact_set_consent(contact=contact, consent=True, actor=actor, source=source or "console")
        company_reindex(company)
        audit_record(
            actor=actor,
            action="community.contact.created",
            target=contact,
            details={"company_id": company.pk, **({"source": source} if source else {})},
        )
    return contact


def contact_update(*, contact: Contact, data: ContactData, actor: User) -> Contact:
    """Change a contact's fields and consent (same rules as contact_create)."""
    _check_contact_known(data)
    with transaction.atomic():
        if (
            data.email
            and Contact.objects.filter(company_id=contact.company_id, email__iexact=data.email)
            .exclude(pk=contact.pk)
            .exists()
        ):
            raise DomainError(
                _("このメールアドレスの担当者はすでに登録されています。"),
                code="contact.email_taken",
                field="email",
            )
        fields = _contact_fields(data)
        changed = sorted(k for k, v in fields.items() if getattr(contact, k) != v)
        for key, value in fields.items():
            setattr(contact, key, value)
        contact.save()
        contact_set_consent(contact=contact, consent=data.newsletter_consent, actor=actor, source="console")
        company_reindex(contact.company)
        audit_record(
            actor=actor, action="community.contact.updated", target=contact, details={"changed": changed}
        )
    return contact


# Typed fields a merge copies from the removed company where the kept one has nothing.
_FILLABLE = [f.name for f in dataclass_fields(CompanyData)]


def company_merge(*, keep: Company, remove: Company, actor: User) -> Company:
    """名寄せ: fold ``remove`` into ``keep``. Every related row moves: applications, contacts (a contact
    whose e-mail the kept company already has is folded into that contact, its applications following),
    the membership when the kept company has none, and the removed company's audit history. Empty
    fields of the kept company are filled from the removed one. The removed company is deleted; a
    ``community.company.merged`` entry on the kept company holds a snapshot of it, so the merge can be
    traced. Both must belong to the same organization."""
    if keep.pk == remove.pk:
        raise DomainError(_("同じ企業どうしは統合できません。"), code="company.merge_same")
    if keep.organization_id != remove.organization_id:
        raise DomainError(_("別の組織の企業とは統合できません。"), code="company.merge_other_org")
    with transaction.atomic():
        keep = Company.objects.select_for_update().get(pk=keep.pk)
        remove = Company.objects.select_for_update().get(pk=remove.pk)
        snapshot = {name: getattr(remove, name) for name in _FILLABLE}
        moved: dict[str, int] = {}
        moved["applications"] = remove.applications.update(company=keep)
        kept_by_email = {c.email.casefold(): c for c in keep.contacts.exclude(email="")}
        folded = moved_contacts = 0
        for contact in list(remove.contacts.all()):
            twin = kept_by_email.get(contact.email.casefold()) if contact.email else None
            if twin is None:
                contact.company = keep
                contact.save(update_fields=["company", "updated_at"])
                moved_contacts += 1
            else:
                contact.applications.update(contact=twin)
                AuditEntry.objects.filter(
                    target_type=ContentType.objects.get_for_model(Contact), target_id=str(contact.pk)
                ).update(target_id=str(twin.pk))
                contact.delete()
                folded += 1
        moved["contacts"] = moved_contacts + folded
        membership_moved = False
        removed_membership = Membership.objects.filter(company=remove).first()
        if removed_membership is not None:
            if not Membership.objects.filter(company=keep).exists():
                removed_membership.company = keep
                removed_membership.save(update_fields=["company", "updated_at"])
                membership_moved = True
            else:
                snapshot["membership"] = {
                    "status": removed_membership.status,
                    "last_it_investment_on": str(removed_membership.last_it_investment_on or ""),
                }
                removed_membership.delete()
        moved["audit_entries"] = AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Company), target_id=str(remove.pk)
        ).update(target_id=str(keep.pk))
        # Whatever else points at the company (engagements, dispatch requests, member accounts and
        # invitations, event registrations and presentations, diagnosis results: other apps' records,
        # found through the model's relations so that community imports none of them) follows it.
        for relation in Company._meta.get_fields(include_hidden=True):
            if relation.auto_created and not relation.concrete and relation.one_to_many:
                related_field = relation.field.name  # type: ignore[union-attr]
                count = relation.related_model._default_manager.filter(**{related_field: remove}).update(  # type: ignore[union-attr]
                    **{related_field: keep}
                )
                if count:
                    moved[str(relation.related_model._meta.model_name)] = count  # type: ignore[union-attr]
        filled = []
        for name in _FILLABLE:
            if getattr(keep, name) in ("", None) and getattr(remove, name) not in ("", None):
                setattr(keep, name, getattr(remove, name))
                filled.append(name)
        removed_pk, removed_name = remove.pk, remove.name
        remove.delete()
        _derive(keep)
        keep.save()
        _index(keep, list(keep.contacts.all()))
        index_remove(kind=COMPANY_SEARCH_KIND, object_id=removed_pk)
        audit_record(
            actor=actor,
            action="community.company.merged",
            target=keep,
            details={
                "merged_company_id": removed_pk,
                "merged_company_name": removed_name,
                "merged_company": {
                    k: v if v is None or isinstance(v, dict | int) else str(v) for k, v in snapshot.items()
                },
                "moved": moved,
                "contacts_folded": folded,
                "membership_moved": membership_moved,
                "filled_fields": filled,
            },
        )
    return keep
