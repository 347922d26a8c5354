"""Applications (参加申込), inquiries (お問い合わせ), the contacts logged on them, and the companies and
contact persons they become."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.community.choices import (
    AWAITING_REPLY,
    ApplicationStatus,
    ContactChannel,
    Industry,
    InquiryStatus,
    ItStage,
    MembershipStatus,
)
from ouentai.community.rules import SmeCategory
from ouentai.core.calendar import local_today
from ouentai.core.jp import format_phone, format_postal_code
from ouentai.core.models import OrganizationOwnedModel


class Company(OrganizationOwnedModel):
    """An enterprise the organization works with. The legal form (株式会社 …) and whether it stands before
    or after the name are kept apart from the core name; ``name_key`` is the matching key (NFKC, legal
    form stripped, kana folded) used to find the same company typed another way."""

    name = models.CharField(_("会社名"), max_length=200)
    legal_form = models.CharField(_("法人格"), max_length=30, blank=True)
    legal_form_position = models.CharField(
        _("法人格の位置"),
        max_length=6,
        blank=True,
        choices=[("before", _("前株（名称の前）")), ("after", _("後株（名称の後）"))],
    )
    core_name = models.CharField(_("法人格を除いた名称"), max_length=200)
    name_kana = models.CharField(_("会社名フリガナ"), max_length=200, blank=True)
    name_key = models.CharField(_("照合キー"), max_length=200, db_index=True, editable=False)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=7, blank=True)
    prefecture = models.CharField(_("都道府県"), max_length=10, blank=True)
    city = models.CharField(_("市区町村"), max_length=50, blank=True)
    town = models.CharField(_("町域"), max_length=100, blank=True)
    address = models.CharField(_("番地・建物名"), max_length=200, blank=True)
    municipality_code = models.CharField(_("市区町村コード"), max_length=5, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    industry = models.CharField(_("業種"), max_length=1, choices=Industry.choices, blank=True)
    employees = models.PositiveIntegerField(_("従業員数"), null=True, blank=True)
    capital_yen = models.PositiveBigIntegerField(_("資本金（円）"), null=True, blank=True)
    sme_category = models.CharField(
        _("中小企業基本法の業種区分"),
        max_length=20,
        choices=SmeCategory.choices,
        blank=True,
        help_text=_("空欄なら業種から判定します。卸売業・小売業は選んでください。"),
    )
    # Computed by the services from category, capital and employees (community.rules); never typed.
    is_sme = models.BooleanField(_("中小企業"), null=True, editable=False)
    is_small = models.BooleanField(_("小規模企業者"), null=True, editable=False)
    it_stage = models.PositiveSmallIntegerField(
        _("IT経営力の段階"), choices=ItStage.choices, null=True, blank=True
    )
    # The designated city a ward belongs to, else the municipality itself (横浜市中区 14104 → 14100).
    city_code = models.CharField(_("市コード"), max_length=5, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("企業")
        verbose_name_plural = pgettext_lazy("plural", "企業")
        ordering = ["name_kana", "name"]
        indexes = [models.Index(fields=["organization", "phone"], name="company_org_phone")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "corporate_number"],
                condition=~Q(corporate_number=""),
                name="company_corporate_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def postal_code_display(self) -> str:
        return format_postal_code(self.postal_code)


class Contact(OrganizationOwnedModel):
    """A person at a company (担当者)."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("企業")
    )
    # Blank when only an e-mail address or a phone number is known (a list with info@…, an imported row
    # without a name): the address is kept on a contact whose name staff can add later.
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    name_kana = models.CharField(_("氏名フリガナ"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True, db_index=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    newsletter_consent = models.BooleanField(_("案内メールの受け取りに同意"), default=False)
    newsletter_consent_changed_at = models.DateTimeField(_("同意の変更日時"), null=True, blank=True)
    unsubscribe_token = models.UUIDField(
        _("配信停止用トークン"), default=uuid.uuid4, unique=True, editable=False
    )

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def display_name(self) -> str:
        """The name, or its reading, or 「（氏名未登録）」 for a contact known only by address."""
        return self.name or self.name_kana or str(_("（氏名未登録）"))

    class Meta:
        verbose_name = pgettext_lazy("company contact", "担当者")
        verbose_name_plural = pgettext_lazy("company contact, plural", "担当者")
        indexes = [models.Index(Lower("email"), "organization", name="contact_email_lower")]
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.display_name


class Membership(OrganizationOwnedModel):
    """A company's place in the community: its status with the date it took effect, the coordinator who
    looks after it, and its IT-investment cycle. SMEs invest in IT only every few years, so the date the
    next project is expected (last investment + cycle) is kept for the pipeline; it is derived by the
    services, never typed."""

    company = models.OneToOneField(
        Company, on_delete=models.PROTECT, related_name="membership", verbose_name=_("企業")
    )
    status = models.CharField(
        _("会員の状態"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.APPLIED
    )
    status_since = models.DateField(_("状態の開始日"))
    joined_on = models.DateField(_("入会日"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("担当ITコーディネータ"),
    )
    last_it_investment_on = models.DateField(_("前回のIT投資"), null=True, blank=True)
    last_it_investment_note = models.CharField(_("前回のIT投資の内容"), max_length=200, blank=True)
    it_cycle_years = models.PositiveSmallIntegerField(_("IT投資の周期（年）"), default=4)
    next_investment_due = models.DateField(_("次のIT投資の見込み"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("会員")
        verbose_name_plural = pgettext_lazy("plural", "会員")
        indexes = [
            models.Index(fields=["organization", "status", "next_investment_due"]),
            models.Index(fields=["organization", "coordinator"]),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"


class Segment(OrganizationOwnedModel):
    """A named company filter (セグメント) staff reuse for lists, exports and newsletters. Keeps the
    filter as the query string of the company list. Deleting one only sets ``deleted_at``: it leaves the
    lists, but the newsletters sent to it still say to whom they went, and it can be restored."""

    name = models.CharField(_("名前"), max_length=100)
    query = models.CharField(_("条件"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作成者")
    )
    deleted_at = models.DateTimeField(_("削除日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("セグメント")
        verbose_name_plural = pgettext_lazy("plural", "セグメント")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=Q(deleted_at__isnull=True),
                name="segment_live_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Newsletter(OrganizationOwnedModel):
    """A mail to the contacts of a segment (or of every member company) who agreed to receive it. Sent by
    the task worker in batches of ``per_minute``; each recipient's mail is an OutgoingMail related to the
    contact, so it appears on the company's timeline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SENDING = "sending", _("配信中")
        SENT = "sent", _("配信済み")

    subject = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"), help_text=_("{会社名} と {氏名} は宛先ごとに置き換わります。"))
    segment = models.ForeignKey(
        Segment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("宛先のセグメント"),
    )
    per_minute = models.PositiveIntegerField(_("1分あたりの配信数"), default=60)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    recipients = models.PositiveIntegerField(_("宛先の数"), default=0)
    queued = models.PositiveIntegerField(_("送信に回した数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作成者")
    )
    started_at = models.DateTimeField(_("配信開始"), null=True, blank=True)
    finished_at = models.DateTimeField(_("配信完了"), null=True, blank=True)

    class Meta:
        verbose_name = _("案内メール")
        verbose_name_plural = pgettext_lazy("plural", "案内メール")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class CompanyImport(OrganizationOwnedModel):
    """One upload of companies from a CSV or .xlsx file: the file (checked against the bounds of
    community.imports.files before it was stored), how its columns map to our fields, and the progress
    and outcome of its dry run or import.

    The worker runs it in chunks, one task each; each batch of rows is committed together with the
    position reached (``next_offset``, ``next_row``) and the counters, so a chunk cut short is redone
    from there and no row is written twice. A row that cannot be written is reported, never retried.
    A run that keeps failing without progress ends ``failed`` with ``last_error``; staff retry it (it
    resumes) or discard it."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("列の対応づけ待ち")
        QUEUED = "queued", _("順番待ち")
        RUNNING = "running", _("処理中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")
        DISCARDED = "discarded", _("取りやめ")

    file = models.FileField(_("ファイル"), upload_to="imports/%Y/%m/", blank=True)
    # An .xlsx file turned into UTF-8 CSV by the first chunk, read (and resumed) like a CSV file.
    work_file = models.FileField(_("作業用ファイル"), upload_to="imports/work/%Y/%m/", blank=True)
    original_name = models.CharField(_("ファイル名"), max_length=200)
    encoding = models.CharField(_("文字コード"), max_length=20, blank=True)
    headers: models.JSONField[Any, Any] = models.JSONField(_("見出し"), default=list)
    mapping: models.JSONField[Any, Any] = models.JSONField(_("列の対応"), default=dict)
    dry_run = models.BooleanField(_("試行のみ"), default=True)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("行数"), default=0)  # data rows, blank ones not counted
    processed_rows = models.PositiveIntegerField(_("処理済みの行"), default=0)
    created_count = models.PositiveIntegerField(_("登録した企業"), default=0)
    duplicate_count = models.PositiveIntegerField(_("重複の可能性"), default=0)
    error_count = models.PositiveIntegerField(_("エラーの行"), default=0)
    next_offset = models.PositiveBigIntegerField(_("次に読む位置（バイト）"), default=0)
    next_row = models.PositiveIntegerField(_("次に読む行"), default=1)
    attempts = models.PositiveSmallIntegerField(_("進まずに終わった実行の回数"), default=0)
    last_error = models.TextField(_("最後のエラー"), blank=True)
    heartbeat_at = models.DateTimeField(_("最後に進んだ日時"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("取り込んだ人")
    )
    finished_at = models.DateTimeField(_("完了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("企業の取り込み")
        verbose_name_plural = pgettext_lazy("plural", "企業の取り込み")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, int(100 * self.processed_rows / self.total_rows))

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class CompanyImportRow(OrganizationOwnedModel):
    """A row of an import that was not simply written: an error (with the messages and the row's cells,
    so staff can see and fix it) or a likely duplicate held back (with the checked data and the
    companies it resembles, so staff can add it to one of them or register it anyway: nothing of the
    row is lost)."""

    class Kind(models.TextChoices):
        ERROR = "error", _("エラー")
        DUPLICATE = "duplicate", _("重複の可能性")

    class Resolution(models.TextChoices):
        OPEN = "", _("未対応")
        MERGED = "merged", _("既存の企業に追加")
        CREATED = "created", _("別の企業として登録")
        SKIPPED = "skipped", _("登録しない")

    company_import = models.ForeignKey(
        CompanyImport, on_delete=models.CASCADE, related_name="rows", verbose_name=_("企業の取り込み")
    )
    number = models.PositiveIntegerField(_("行"))
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    messages: models.JSONField[Any, Any] = models.JSONField(_("内容"), default=list)
    cells: models.JSONField[Any, Any] = models.JSONField(_("行の内容"), default=list)
    # {"company": {CompanyData fields}, "contact": {ContactData fields} | None}, for duplicates.
    data: models.JSONField[Any, Any] = models.JSONField(_("点検した内容"), default=dict)
    candidates: models.JSONField[Any, Any] = models.JSONField(_("似ている企業"), default=list)
    resolution = models.CharField(
        _("対応"), max_length=10, choices=Resolution.choices, default=Resolution.OPEN, blank=True
    )
    resolved_company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("登録先")
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("対応した人"),
    )
    resolved_at = models.DateTimeField(_("対応日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("取り込みでお知らせした行")
        verbose_name_plural = pgettext_lazy("plural", "取り込みでお知らせした行")
        ordering = ["company_import", "number"]
        constraints = [
            models.UniqueConstraint(fields=["company_import", "number"], name="import_row_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.company_import} {self.number}"


class CompanyImportKey(models.Model):
    """The matching keys (name, 法人番号, phone, e-mail) of the rows a dry run found importable, so that a
    later chunk of the same dry run recognises a company that appeared earlier in the file. Removed when
    the run ends."""

    company_import = models.ForeignKey(CompanyImport, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=300)
    row = models.PositiveIntegerField(default=0)  # the row that brought the key

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company_import", "key"], name="import_key_unique")]

    def __str__(self) -> str:
        return self.key


class InboxItem(OrganizationOwnedModel):
    """What applications and inquiries share: a reference number given to the sender, the form token
    that makes a double submit create one record, the staff member in charge, the reply due date in
    business days, and the privacy-policy version the sender agreed to."""

    reference = models.CharField(_("受付番号"), max_length=20, unique=True)
    submission_token = models.UUIDField(_("送信トークン"), unique=True, default=uuid.uuid4, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("assignee", "担当者"),
    )
    received_at = models.DateTimeField(_("受付日時"))
    due_on = models.DateField(_("返信期限"))
    first_contacted_at = models.DateTimeField(_("初回連絡日時"), null=True, blank=True)
    privacy_policy = models.ForeignKey(
        "content.PrivacyPolicy",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("同意した方針"),
    )
    privacy_policy_version = models.CharField(_("同意した個人情報の取扱いの版"), max_length=20)
    consented_at = models.DateTimeField(_("同意日時"))
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)

    status: models.CharField[str, str]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference

    @property
    def is_overdue(self) -> bool:
        return self.status in AWAITING_REPLY and self.due_on < local_today()

    @property
    def reply_state(self) -> str:
        """Where the promised reply stands: "waiting" (due date ahead), "overdue", "met" (the first
        contact came by the due date), "late" (it came after) or "closed" (decided without one). The
        first contact is a reply sent from the console or a call or visit logged by staff
        (community.services.inbox)."""
        if self.first_contacted_at is None:
            if self.status not in AWAITING_REPLY:
                return "closed"  # decided without a contact (converted or declined at once)
            return "overdue" if self.is_overdue else "waiting"
        return "met" if timezone.localdate(self.first_contacted_at) <= self.due_on else "late"

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)


class Application(InboxItem):
    """A participation application from the public form. Lifecycle: received → assigned → contacted →
    converted (a company and contact exist) or declined. Never deleted by the application. Only the
    company, the contact person and the e-mail address are required; the rest is what the applicant
    chose to tell."""

    status = models.CharField(
        _("状態"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    company_name = models.CharField(_("会社名"), max_length=200)
    company_name_kana = models.CharField(_("会社名フリガナ"), max_length=200, blank=True)
    contact_name = models.CharField(_("担当者名"), max_length=100)
    contact_name_kana = models.CharField(_("担当者名フリガナ"), max_length=100, blank=True)
    # The address in the same parts as a company's (postal code → prefecture, city, town; then the
    # rest), so that nothing is typed twice when the application becomes a company.
    postal_code = models.CharField(_("郵便番号"), max_length=7, blank=True)
    prefecture = models.CharField(_("都道府県"), max_length=10, blank=True)
    city = models.CharField(_("市区町村"), max_length=50, blank=True)
    town = models.CharField(_("町域"), max_length=100, blank=True)
    address = models.CharField(_("番地・建物名"), max_length=200, blank=True)
    municipality_code = models.CharField(_("市区町村コード"), max_length=5, blank=True)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    industry = models.CharField(_("業種"), max_length=1, choices=Industry.choices, blank=True)
    employees = models.PositiveIntegerField(_("従業員数"), null=True, blank=True)
    message = models.TextField(_("ご相談内容"), blank=True)
    newsletter_opt_in = models.BooleanField(_("案内メールの受け取りを希望"), default=False)
    decline_reason = models.TextField(_("見送りの理由"), blank=True)
    company = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("企業"),
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("担当者"),
    )

    class Meta:
        verbose_name = _("参加申込")
        verbose_name_plural = pgettext_lazy("plural", "参加申込")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["organization", "status", "due_on"]),
            models.Index(fields=["organization", "-received_at"]),
        ]

    @property
    def postal_code_display(self) -> str:
        return format_postal_code(self.postal_code)

    @property
    def full_address(self) -> str:
        return f"{self.prefecture}{self.city}{self.town}{self.address}"


class Inquiry(InboxItem):
    """A question from anyone through the contact form: received → assigned → answered → closed.
    May become a Q&A entry."""

    status = models.CharField(
        _("状態"), max_length=12, choices=InquiryStatus.choices, default=InquiryStatus.RECEIVED
    )
    name = models.CharField(_("お名前"), max_length=100)
    name_kana = models.CharField(_("お名前フリガナ"), max_length=100, blank=True)
    company_name = models.CharField(_("会社名・団体名"), max_length=200, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=7, blank=True)
    subject = models.CharField(_("件名"), max_length=200)
    message = models.TextField(_("お問い合わせ内容"))

    class Meta:
        verbose_name = _("お問い合わせ")
        verbose_name_plural = pgettext_lazy("plural", "お問い合わせ")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["organization", "status", "due_on"]),
            models.Index(fields=["organization", "-received_at"]),
        ]


class ContactLog(OrganizationOwnedModel):
    """A contact made with the sender of an application or inquiry and what was said: a call or a visit
    logged by staff, or a reply sent from the console (channel メール, with the mail as sent)."""

    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="contact_logs"
    )
    inquiry = models.ForeignKey(
        Inquiry, null=True, blank=True, on_delete=models.CASCADE, related_name="contact_logs"
    )
    channel = models.CharField(_("連絡手段"), max_length=10, choices=ContactChannel.choices)
    note = models.TextField(_("内容"))
    occurred_at = models.DateTimeField(_("連絡日時"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録した人")
    )
    # A reply written and sent from the console: the mail as sent, with its delivery status.
    mail = models.OneToOneField(
        "core.OutgoingMail",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_log",
        verbose_name=_("送信した返信メール"),
    )

    class Meta:
        verbose_name = _("対応記録")
        verbose_name_plural = pgettext_lazy("plural", "対応記録")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(application__isnull=False) & Q(inquiry__isnull=True))
                | (Q(application__isnull=True) & Q(inquiry__isnull=False)),
                name="contact_log_one_parent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d}"


class ReplyTemplate(OrganizationOwnedModel):
    """A reply an organization's staff start from when they answer an application or an inquiry: a
    subject and a body with placeholders ({会社名}, {担当者名}, {受付番号}, …) that are filled from the
    record when the reply is previewed and sent (community.services.replies). Deactivated, never
    deleted: a sent reply names the template it came from."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("参加申込")
        INQUIRY = "inquiry", _("お問い合わせ")
        BOTH = "both", _("どちらにも")

    name = models.CharField(_("テンプレート名"), max_length=100)
    kind = models.CharField(_("使う場面"), max_length=12, choices=Kind.choices, default=Kind.BOTH)
    subject = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"))
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("返信テンプレート")
        verbose_name_plural = pgettext_lazy("plural", "返信テンプレート")
        ordering = ["-is_active", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="reply_template_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MemberAccount(OrganizationOwnedModel):
    """A signed-in person of a member company (role member): what they see in the member area is their
    own company's, nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="member_account",
        verbose_name=_("ユーザー"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="member_accounts", verbose_name=_("企業")
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_accounts",
        verbose_name=pgettext_lazy("company contact", "担当者"),
    )

    class Meta:
        verbose_name = _("会員アカウント")
        verbose_name_plural = pgettext_lazy("plural", "会員アカウント")

    def __str__(self) -> str:
        return f"{self.user} ({self.company})"


class MemberInvitation(OrganizationOwnedModel):
    """A one-time link mailed by staff to a contact person: opening it before it expires lets them set a
    password and become a member account of the company. Used once."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("企業"))
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("company contact", "担当者"),
    )
    name = models.CharField(_("氏名"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    expires_at = models.DateTimeField(_("有効期限"))
    accepted_at = models.DateTimeField(_("受諾日時"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("招待した人"),
    )

    class Meta:
        verbose_name = _("会員の招待")
        verbose_name_plural = pgettext_lazy("plural", "会員の招待")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email
