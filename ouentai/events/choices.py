"""Fixed vocabularies of the events app, and the labels of its audit actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    KICKOFF = "kickoff", _("キックオフセミナー")
    TRAINING = "training", _("経営者研修")
    CASES = "cases", _("事例発表会")
    OTHER = "other", _("その他のイベント")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("参加確定")
    WAITLISTED = "waitlisted", _("キャンセル待ち")
    OFFERED = "offered", _("繰り上げ案内中")
    CANCELLED = "cancelled", pgettext_lazy("registration", "取消")
    EXPIRED = "expired", _("案内期限切れ")


# Statuses that hold one of the event's seats (an offered seat is kept for its person until the deadline).
HOLDS_SEAT = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
# Statuses in which a person counts as registered (one such registration per e-mail address and event).
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED)


class RegistrationSource(models.TextChoices):
    WEB = "web", _("ウェブ申込")
    STAFF = "staff", _("事務局が登録")
    WALK_IN = "walk_in", _("当日受付")


class AttendanceVia(models.TextChoices):
    """How an attendance was recorded (in its audit entry)."""

    DESK = "desk", _("受付（受付コード・QRコード）")
    WALK_IN = "walk_in", _("当日受付")
    TABLE = "table", _("出席表・申込ページでの修正")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("自由記述")
    CHOICE = "choice", _("選択（一つ）")
    MULTIPLE = "multiple", _("選択（複数可）")
    RATING = "rating", _("5段階評価")


class QuestionPurpose(models.TextChoices):
    REGISTRATION = "registration", _("申込時の質問")
    SURVEY = "survey", _("アンケート")


class MailAudience(models.TextChoices):
    ATTENDEES = "attendees", _("出席した人")
    NO_SHOWS = "no_shows", _("欠席した人（参加確定で出席記録なし）")
    CONFIRMED = "confirmed", _("参加確定の全員")
    WAITLISTED = "waitlisted", _("キャンセル待ちの人")


AUDIT_ACTIONS = {
    "events.event.created": _("イベントを作成"),
    "events.event.updated": _("イベントを更新"),
    "events.event.published": _("イベントを公開"),
    "events.event.unpublished": _("イベントを非公開に変更"),
    "events.registration.confirmed": _("参加を確定"),
    "events.registration.waitlisted": _("キャンセル待ちに登録"),
    "events.registration.offered": _("空席を案内"),
    "events.registration.offer_expired": _("空席案内の期限切れ"),
    "events.registration.cancelled": _("参加を取消"),
    "events.registration.linked": _("企業・担当者に紐付け"),
    "events.attendance.checked_in": _("出席を記録"),
    "events.attendance.corrected": _("出席を後から記録（修正）"),
    "events.attendance.removed": _("出席記録を削除"),
    "events.survey.sent": _("アンケートを送信"),
    "events.survey.answered": _("アンケートに回答"),
    "events.mail.sent": _("参加者へメールを送信"),
    "events.registrations.exported": _("参加者一覧を書き出し"),
}
