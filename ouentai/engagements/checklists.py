"""The checklist each phase starts with, copied into an organization on first use; org admins then
change the items as data (admin: チェック項目)."""

from __future__ import annotations

from django.db import transaction

from ouentai.accounts.models import Organization
from ouentai.engagements.choices import Phase
from ouentai.engagements.models import ChecklistItem

DEFAULT_ITEMS: dict[str, list[str]] = {
    Phase.STRATEGY: [
        "経営者と面談し、経営理念と目指す姿を聞き取った",
        "強み・弱み・機会・脅威を整理した",
        "経営課題に優先順位を付け、企業と合意した",
    ],
    Phase.IT_STRATEGY: [
        "現状の業務の流れと情報の流れを図にした",
        "目指す業務プロセスとITの役割を描いた",
        "KPIと目標値を企業と決めた",
        "計画書を作成し、経営者の承認を得た",
    ],
    Phase.PROCUREMENT: [
        "提案依頼書（RFP）を作成した",
        "複数の提案を比較・評価した",
        "補助金・支援制度の活用を検討した",
        "契約内容（範囲・費用・納期・保守）を確認した",
    ],
    Phase.IMPLEMENTATION: [
        "導入の体制と日程を決めた",
        "データの移行と動作確認を終えた",
        "利用者への説明・研修を行った",
    ],
    Phase.OPERATION: [
        "KPIの実績を測定し、目標と比べた",
        "利用状況を確かめ、改善点をまとめた",
        "次のIT投資の時期を見込んだ",
    ],
}


def checklist_items_for(organization: Organization) -> list[ChecklistItem]:
    """The organization's active checklist items of every phase (the defaults on first use)."""
    items = list(ChecklistItem.objects.filter(organization=organization, is_active=True))
    if items or ChecklistItem.objects.filter(organization=organization).exists():
        return items
    with transaction.atomic():
        # Two first visits at once must not both copy the defaults: the organization row serializes them.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if ChecklistItem.objects.filter(organization=organization).exists():
            return list(ChecklistItem.objects.filter(organization=organization, is_active=True))
        ChecklistItem.objects.bulk_create(
            ChecklistItem(organization=organization, phase=phase, label=label, order=order)
            for phase, labels in DEFAULT_ITEMS.items()
            for order, label in enumerate(labels)
        )
    return list(ChecklistItem.objects.filter(organization=organization, is_active=True))
