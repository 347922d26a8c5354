from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("受付")
    ASSIGNED = "assigned", _("担当者決定")
    CONTACTED = "contacted", _("連絡済み")
    CONVERTED = "converted", _("会員登録済み")
    DECLINED = "declined", _("見送り")


class InquiryStatus(models.TextChoices):
    RECEIVED = "received", _("受付")
    ASSIGNED = "assigned", _("担当者決定")
    ANSWERED = "answered", _("回答済み")
    CLOSED = "closed", _("完了")


# Statuses in which the promised reply is still owed (the due date applies).
AWAITING_REPLY = ("received", "assigned")
# Statuses that end the item.
APPLICATION_FINAL = (ApplicationStatus.CONVERTED, ApplicationStatus.DECLINED)
INQUIRY_FINAL = (InquiryStatus.CLOSED,)


AUDIT_ACTIONS = {
    "community.member.invited": pgettext_lazy("audit", "会員ページに招待"),
    "community.member.joined": pgettext_lazy("audit", "会員ページのアカウントを作成"),
    "community.application.received": pgettext_lazy("audit", "申込を受付"),
    "community.application.assigned": pgettext_lazy("audit", "担当者を割り当て"),
    "community.application.contact_logged": pgettext_lazy("audit", "対応を記録"),
    "community.application.converted": pgettext_lazy("audit", "会員企業として登録"),
    "community.application.declined": pgettext_lazy("audit", "見送り"),
    "community.inquiry.received": pgettext_lazy("audit", "お問い合わせを受付"),
    "community.inquiry.assigned": pgettext_lazy("audit", "担当者を割り当て"),
    "community.inquiry.contact_logged": pgettext_lazy("audit", "回答・対応を記録"),
    "community.application.replied": pgettext_lazy("audit", "返信メールを送信"),
    "community.inquiry.replied": pgettext_lazy("audit", "回答メールを送信"),
    "community.reply_template.saved": pgettext_lazy("audit", "返信テンプレートを保存"),
    "community.reply_template.deactivated": pgettext_lazy("audit", "返信テンプレートの使用を停止"),
    "community.reply_template.activated": pgettext_lazy("audit", "返信テンプレートの使用を再開"),
    "community.inquiry.closed": pgettext_lazy("audit", "完了"),
    "community.inquiry.faq_created": pgettext_lazy("audit", "Q&Aを作成"),
    "community.company.created": pgettext_lazy("audit", "企業を登録"),
    "community.contact.created": pgettext_lazy("audit", "担当者を登録"),
    "community.company.updated": pgettext_lazy("audit", "企業情報を変更"),
    "community.company.merged": pgettext_lazy("audit", "重複する企業を統合"),
    "community.company.it_stage_recorded": pgettext_lazy("audit", "IT経営力の段階を記録"),
    "community.segment.saved": pgettext_lazy("audit", "セグメントを保存"),
    "community.segment.deleted": pgettext_lazy("audit", "セグメントを削除"),
    "community.segment.restored": pgettext_lazy("audit", "削除したセグメントを元に戻す"),
    "community.companies.exported": pgettext_lazy("audit", "企業一覧を書き出し"),
    "community.import.uploaded": pgettext_lazy("audit", "取り込むファイルを受付"),
    "community.contact.consent_changed": pgettext_lazy("audit", "案内メールの同意を変更"),
    "community.newsletter.saved": pgettext_lazy("audit", "案内メールを保存"),
    "community.newsletter.started": pgettext_lazy("audit", "案内メールの配信を開始"),
    "community.import.started": pgettext_lazy("audit", "取り込みを開始"),
    "community.import.finished": pgettext_lazy("audit", "取り込みが完了"),
    "community.import.failed": pgettext_lazy("audit", "取り込みが失敗"),
    "community.import.retried": pgettext_lazy("audit", "取り込みを再開"),
    "community.import.discarded": pgettext_lazy("audit", "取り込みを取りやめ"),
    "community.import.row_merged": pgettext_lazy("audit", "保留した行を既存の企業に追加"),
    "community.import.row_created": pgettext_lazy("audit", "保留した行を別の企業として登録"),
    "community.import.row_skipped": pgettext_lazy("audit", "保留した行を登録しないことに"),
    "community.membership.created": pgettext_lazy("audit", "会員登録"),
    "community.membership.status_changed": pgettext_lazy("audit", "会員の状態を変更"),
    "community.membership.coordinator_assigned": pgettext_lazy("audit", "担当ITコーディネータを決定"),
    "community.membership.investment_recorded": pgettext_lazy("audit", "IT投資を記録"),
    "community.contact.updated": pgettext_lazy("audit", "担当者を変更"),
}


# How the details community's services write read on record pages (see ouentai.core.audit). None: not
# shown, another key of the same entry says it in words (assignee_id beside assignee).
AUDIT_DETAIL_KEYS = {
    "assignee_id": None,
    "previous_assignee_id": _("前の担当者"),
    "company_id": _("企業"),
    "contact_id": pgettext_lazy("company contact", "担当者"),
    "company_created": _("企業を新規に登録"),
    "contact_created": _("担当者を新規に登録"),
    "log_id": None,
    "mail_id": _("送信メール"),
    "template": _("使ったテンプレート"),
    "faq_id": _("Q&A"),
    "consent": _("案内メールの受け取り"),
    "merged_company_id": None,
    "merged_company_name": _("統合した企業"),
    "merged_company": _("統合した企業の内容"),
    "membership": _("会員"),
    "moved": _("移した記録"),
    "applications": _("参加申込"),
    "contacts": pgettext_lazy("company contact, plural", "担当者"),
    "audit_entries": _("変更履歴"),
    "contacts_folded": _("まとめた担当者の数"),
    "membership_moved": _("会員情報を移した"),
    "filled_fields": _("空欄を埋めた項目"),
    "mapping": _("列の対応"),
    "cycle_years": _("IT投資の周期（年）"),
    "next_due": _("次のIT投資の見込み"),
    "row": _("行"),
    "error": _("エラー"),
    "from_row": _("再開した行"),
    "last_error": _("最後のエラー"),
    "written_rows": _("登録済みの行"),
}


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("電話")
    EMAIL = "email", _("メール")
    VISIT = "visit", _("訪問")


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("申込中")
    ACTIVE = "active", _("会員")
    LAPSED = "lapsed", _("休眠")
    WITHDRAWN = "withdrawn", _("退会")


# Which status may follow which (a lapsed member can come back; a withdrawn one re-applies).
MEMBERSHIP_TRANSITIONS = {
    "applied": {"active", "withdrawn"},
    "active": {"lapsed", "withdrawn"},
    "lapsed": {"active", "withdrawn"},
    "withdrawn": {"applied", "active"},
}


class ItStage(models.IntegerChoices):
    """経済産業省 IT経営力指標: the four stages of how far IT serves the business."""

    STAGE1 = 1, _("第1段階 IT不良資産化")
    STAGE2 = 2, _("第2段階 部門内最適化")
    STAGE3 = 3, _("第3段階 組織全体最適化")
    STAGE4 = 4, _("第4段階 共同体最適化")


class Industry(models.TextChoices):
    """日本標準産業分類 (第14回改定) 大分類."""

    A = "A", _("A 農業，林業")
    B = "B", _("B 漁業")
    C = "C", _("C 鉱業，採石業，砂利採取業")
    D = "D", _("D 建設業")
    E = "E", _("E 製造業")
    F = "F", _("F 電気・ガス・熱供給・水道業")
    G = "G", _("G 情報通信業")
    H = "H", _("H 運輸業，郵便業")
    I = "I", _("I 卸売業，小売業")  # noqa: E741
    J = "J", _("J 金融業，保険業")
    K = "K", _("K 不動産業，物品賃貸業")
    L = "L", _("L 学術研究，専門・技術サービス業")
    M = "M", _("M 宿泊業，飲食サービス業")
    N = "N", _("N 生活関連サービス業，娯楽業")
    O = "O", _("O 教育，学習支援業")  # noqa: E741
    P = "P", _("P 医療，福祉")
    Q = "Q", _("Q 複合サービス事業")
    R = "R", _("R サービス業（他に分類されないもの）")
    S = "S", _("S 公務（他に分類されるものを除く）")
    T = "T", _("T 分類不能の産業")


def industry_name(code: str) -> str:
    """The JSIC division's name without its code letter (製造業 for "E"), for readers outside the console;
    "" for an unknown code."""
    return str(Industry(code).label).removeprefix(f"{code} ") if code in Industry.values else ""
