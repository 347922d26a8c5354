"""Events (セミナー・研修・事例発表会), their sessions, presenters and questions, the registrations people
make, their attendance per session and their survey answers."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.core.jp import format_phone, format_postal_code
from ouentai.core.models import OrganizationOwnedModel
from ouentai.events.choices import (
    ACTIVE,
    HOLDS_SEAT,
    EventKind,
    QuestionKind,
    QuestionPurpose,
    RegistrationSource,
    RegistrationStatus,
)


class Event(OrganizationOwnedModel):
    """One event with one or more sessions. ``capacity`` is a hard limit: the services never let more
    registrations hold a seat than there are seats. ``starts_at`` / ``ends_at`` mirror the first and last
    session (kept by the services) so that lists and reminders need no join."""

    kind = models.CharField(_("種類"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("タイトル"), max_length=200)
    summary = models.CharField(_("概要（一覧に表示）"), max_length=300, blank=True)
    description = models.TextField(_("内容"), blank=True)
    venue_name = models.CharField(_("会場名"), max_length=200, blank=True)
    venue_postal_code = models.CharField(_("会場の郵便番号"), max_length=7, blank=True)
    venue_address = models.CharField(_("会場の住所"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("定員"))
    registration_opens_at = models.DateTimeField(_("申込受付の開始"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("申込受付の締切"), null=True, blank=True, help_text=_("空欄なら最初の回の開始まで受け付けます。")
    )
    is_published = models.BooleanField(_("公開中"), default=False)
    required_sessions = models.PositiveSmallIntegerField(
        _("修了に必要な出席回数"), null=True, blank=True, help_text=_("空欄なら全回の出席が必要です。")
    )
    reminder_days = models.CharField(
        _("リマインドメール（何日前、カンマ区切り）"), max_length=50, blank=True, default="7,1"
    )
    offer_hours = models.PositiveSmallIntegerField(_("繰り上げ案内の回答期限（時間）"), default=48)
    co_hosts = models.ManyToManyField(
        "network.SupportOrganization", blank=True, related_name="events", verbose_name=_("共催の支援機関")
    )
    starts_at = models.DateTimeField(_("開始日時"), null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(_("終了日時"), null=True, blank=True, editable=False)
    survey_sent_at = models.DateTimeField(_("アンケート送信日時"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("イベント")
        verbose_name_plural = pgettext_lazy("plural", "イベント")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "starts_at"], name="event_org_starts"),
            models.Index(fields=["is_published", "starts_at"], name="event_published_starts"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def venue_postal_code_display(self) -> str:
        return format_postal_code(self.venue_postal_code)

    @property
    def reminder_day_list(self) -> list[int]:
        """The configured reminder offsets in days, largest first (bad entries are ignored)."""
        days = {
            int(part) for part in self.reminder_days.replace("、", ",").split(",") if part.strip().isdigit()
        }
        return sorted((d for d in days if 0 < d <= 60), reverse=True)

    @property
    def effective_closes_at(self) -> Any:
        return self.registration_closes_at or self.starts_at

    def registration_is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        if not self.is_published:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        closes = self.effective_closes_at
        return not (closes and now >= closes)

    @property
    def is_past(self) -> bool:
        end = self.ends_at or self.starts_at
        return bool(end and end < timezone.now())


class Session(models.Model):
    """One meeting of an event (回): its own time, and a venue or an online URL. The online URL is shown
    only to people whose registration is confirmed."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("イベント")
    )
    title = models.CharField(_("回の名称"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    venue_name = models.CharField(_("会場（イベントと異なる場合）"), max_length=200, blank=True)
    online_url = models.URLField(_("オンライン参加URL"), blank=True)

    class Meta:
        verbose_name = _("開催回")
        verbose_name_plural = pgettext_lazy("plural", "開催回")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title or f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Presenter(models.Model):
    """A speaker; for a case presentation, the company presenting its case."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="presenters", verbose_name=_("イベント")
    )
    name = models.CharField(_("登壇者名"), max_length=100)
    affiliation = models.CharField(_("所属・肩書"), max_length=200, blank=True)
    topic = models.CharField(_("演題"), max_length=200, blank=True)
    company = models.ForeignKey(
        "community.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presentations",
        verbose_name=_("発表企業"),
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("登壇者")
        verbose_name_plural = pgettext_lazy("plural", "登壇者")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question asked at registration or in the survey after the event. For choice kinds, ``choices``
    holds one option per line."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("イベント")
    )
    purpose = models.CharField(_("用途"), max_length=20, choices=QuestionPurpose.choices)
    label = models.CharField(_("質問"), max_length=300)
    kind = models.CharField(
        _("回答の形式"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(_("選択肢（1行に1つ）"), blank=True)
    required = models.BooleanField(_("回答必須"), default=False)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("質問")
        verbose_name_plural = pgettext_lazy("plural", "質問")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_checkin_code() -> str:
    """Eight characters that survive being read aloud or typed (no 0/O, 1/I)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


class Registration(OrganizationOwnedModel):
    """A person's place at an event: confirmed, on the waiting list, offered a freed seat, cancelled or
    expired. ``token`` is the secret in the person's own links (manage, cancel, survey); ``code`` is what
    the QR code carries and what the desk types at check-in. At most one active registration per e-mail
    address and event (a database constraint backs the service's check)."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("イベント")
    )
    status = models.CharField(_("状態"), max_length=20, choices=RegistrationStatus.choices)
    source = models.CharField(
        _("受付経路"), max_length=20, choices=RegistrationSource.choices, default=RegistrationSource.WEB
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名フリガナ"), max_length=100, blank=True)
    company_name = models.CharField(_("会社名"), max_length=200, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    email_key = models.CharField(max_length=254, blank=True, editable=False)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    company = models.ForeignKey(
        "community.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
        verbose_name=_("企業"),
    )
    contact = models.ForeignKey(
        "community.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
        verbose_name=pgettext_lazy("company contact", "担当者"),
    )
    answers: models.JSONField[Any, Any] = models.JSONField(_("申込時の回答"), default=dict, blank=True)
    privacy_policy_version = models.CharField(_("同意した個人情報の取扱いの版"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("同意日時"), null=True, blank=True)
    language = models.CharField(_("言語"), max_length=8, default="ja")
    token = models.UUIDField(_("本人用リンクのトークン"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("受付コード"), max_length=8, default=new_checkin_code, unique=True, editable=False
    )
    offer_expires_at = models.DateTimeField(_("繰り上げ案内の回答期限"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    # Reminder offsets (days before) already mailed, so that a task run twice mails once.
    reminders_sent: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True, editable=False)
    survey_sent_at = models.DateTimeField(_("アンケート送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("参加申込")
        verbose_name_plural = pgettext_lazy("plural", "参加申込")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="registration_event_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email_key"],
                condition=Q(status__in=ACTIVE) & ~Q(email_key=""),
                name="registration_one_active_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.event}）"

    @property
    def holds_seat(self) -> bool:
        return self.status in HOLDS_SEAT

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)


class Attendance(models.Model):
    """One person present at one session, recorded at the door (by code or by hand)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("参加申込")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("開催回")
    )
    checked_in_at = models.DateTimeField(_("受付日時"), default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("受付した人"),
    )

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = pgettext_lazy("plural", "出席")
        ordering = ["checked_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="attendance_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.registration.name} @ {self.session}"


class SurveyResponse(models.Model):
    """An attendee's answers to the event's survey (one per registration)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="survey_response", verbose_name=_("参加申込")
    )
    answers: models.JSONField[Any, Any] = models.JSONField(_("回答"), default=dict)
    submitted_at = models.DateTimeField(_("回答日時"), default=timezone.now)

    class Meta:
        verbose_name = _("アンケート回答")
        verbose_name_plural = pgettext_lazy("plural", "アンケート回答")

    def __str__(self) -> str:
        return str(self.registration)
