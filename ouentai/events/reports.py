"""Reads for the pages after an event: survey results, the follow-up list, the registrant export and
the data of the PDFs (name list, certificate). Each reads a fixed number of queries whatever the number
of registrations or answers."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ouentai.community.choices import MembershipStatus
from ouentai.community.models import Membership
from ouentai.core.jp import format_phone
from ouentai.core.pdf import render_pdf
from ouentai.core.rating import RATING_VALUES, rating_label, rating_value
from ouentai.events.choices import (
    QuestionKind,
    QuestionPurpose,
    RegistrationSource,
    RegistrationStatus,
)
from ouentai.events.models import Attendance, Event, Question, Registration, Session, SurveyResponse
from ouentai.events.selectors import certificate_status

# --- Survey results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionCount:
    """One bar of a chart: an option (or a rating value), how many chose it and the share of those who
    answered the question (for multiple answers the shares add up to more than 100%)."""

    label: str
    count: int
    percent: float
    offered: bool = True  # False for an answer to an option since removed from the question


@dataclass(frozen=True)
class QuestionResult:
    """The answers to one survey question, aggregated for its kind: ``options`` for choice, multiple
    and rating questions, ``average`` for ratings, ``texts`` (newest first) for free text."""

    question: Question
    answered: int
    options: list[OptionCount] = field(default_factory=list)
    average: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def has_chart(self) -> bool:
        return self.question.kind != QuestionKind.TEXT


@dataclass(frozen=True)
class SurveyOverview:
    responses: int
    attendees: int
    asked: int

    @property
    def rate(self) -> float | None:
        """Responses per attendee, in percent (None before anyone attended)."""
        return round(100 * self.responses / self.attendees, 1) if self.attendees else None


def survey_questions(event: Event) -> QuerySet[Question]:
    return event.questions.filter(purpose=QuestionPurpose.SURVEY).order_by("order", "pk")


def survey_overview(event: Event) -> SurveyOverview:
    """How many attended, were sent the survey and answered it (one query)."""
    attended = Exists(Attendance.objects.filter(registration=OuterRef("pk")))
    counts = event.registrations.aggregate(
        attendees=Count("pk", filter=Q(attended)),
        asked=Count("pk", filter=Q(attended, survey_sent_at__isnull=False)),
        responses=Count("survey_response"),
    )
    return SurveyOverview(responses=counts["responses"], attendees=counts["attendees"], asked=counts["asked"])


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _is_blank(value: Any) -> bool:
    return value in (None, "", [])


def survey_results(event: Event) -> list[QuestionResult]:
    """Every survey question of the event with its answers counted (two queries: the questions and the
    answers). Options are listed in the question's order; answers to options that were removed since
    come last, marked as not offered."""
    questions = list(survey_questions(event))
    rows = list(
        SurveyResponse.objects.filter(registration__event=event)
        .order_by("-submitted_at", "-pk")
        .values_list("answers", flat=True)
    )
    results: list[QuestionResult] = []
    for question in questions:
        key = str(question.pk)
        values = [row[key] for row in rows if isinstance(row, dict) and not _is_blank(row.get(key))]
        answered = len(values)
        if question.kind == QuestionKind.TEXT:
            results.append(
                QuestionResult(question=question, answered=answered, texts=[str(v) for v in values])
            )
            continue
        if question.kind == QuestionKind.RATING:
            ratings = [r for r in (rating_value(v) for v in values) if r is not None]
            scores = Counter(ratings)
            # In the scale's order, each value with its words, as the survey form showed them.
            options = [
                OptionCount(
                    label=rating_label(score),
                    count=scores[score],
                    percent=_percent(scores[score], len(ratings)),
                )
                for score in RATING_VALUES
            ]
            average = round(sum(ratings) / len(ratings), 2) if ratings else None
            results.append(
                QuestionResult(question=question, answered=len(ratings), options=options, average=average)
            )
            continue
        tally: Counter[str] = Counter()
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                tally[str(item)] += 1
        offered = question.choice_list
        options = [
            OptionCount(label=label, count=tally[label], percent=_percent(tally[label], answered))
            for label in offered
        ]
        options += [
            OptionCount(label=label, count=count, percent=_percent(count, answered), offered=False)
            for label, count in sorted(tally.items(), key=lambda item: -item[1])
            if label not in offered
        ]
        results.append(QuestionResult(question=question, answered=answered, options=options))
    return results


# --- Follow-up ------------------------------------------------------------------------------------


def followup_candidates(event: Event) -> QuerySet[Registration]:
    """Attendees (at least one session) whose company is not an active member: not linked to a company,
    or linked to one without an active membership. With the linked company and its membership, and the
    number of sessions attended (one query)."""
    active_member = Membership.objects.filter(company=OuterRef("company_id"), status=MembershipStatus.ACTIVE)
    return (
        event.registrations.annotate(attended_count=Count("attendances", distinct=True))
        .filter(attended_count__gte=1)
        .exclude(Exists(active_member))
        .select_related("company", "company__membership")
        .order_by("name_kana", "name", "pk")
    )


# --- Registrant export ----------------------------------------------------------------------------


def _attendance_by_registration(event: Event) -> dict[int, set[int]]:
    attended: dict[int, set[int]] = defaultdict(set)
    for registration_id, session_id in Attendance.objects.filter(registration__event=event).values_list(
        "registration_id", "session_id"
    ):
        attended[registration_id].add(session_id)
    return attended


def session_label(session: Session, number: int) -> str:
    when = timezone.localtime(session.starts_at)
    return session.title or _("第%(n)s回（%(month)s/%(day)s）") % {
        "n": number,
        "month": when.month,
        "day": when.day,
    }


def _answer_text(value: Any) -> str:
    if _is_blank(value):
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    return str(value)


def registration_rows(event: Event) -> Iterator[list[Any]]:
    """The header, then one row per registration (in the order they came): status, source, person,
    each registration question's answer, ○ for each session attended, the count attended and whether
    the certificate is due. Four queries whatever the number of rows."""
    questions = list(event.questions.filter(purpose=QuestionPurpose.REGISTRATION).order_by("order", "pk"))
    sessions = list(event.sessions.order_by("starts_at", "pk"))
    attended = _attendance_by_registration(event)
    statuses = dict(RegistrationStatus.choices)
    sources = dict(RegistrationSource.choices)
    yield [
        _("状態"), _("受付経路"), _("氏名"), _("氏名フリガナ"), _("会社名"), _("メールアドレス"), _("電話番号"),
        _("申込日時"), _("受付コード"),
        *[question.label for question in questions],
        *[session_label(session, i) for i, session in enumerate(sessions, start=1)],
        _("出席回数"), _("修了証の対象"),
    ]  # fmt: skip
    registrations = event.registrations.order_by("created_at", "pk")
    now = timezone.now()
    for registration in registrations.iterator(chunk_size=2000):
        registration.event = event
        present = attended.get(registration.pk, set())
        count = len(present)
        eligible = certificate_status(registration, sessions=sessions, attended_ids=present, now=now).eligible
        answers = registration.answers if isinstance(registration.answers, dict) else {}
        yield [
            str(statuses.get(registration.status, registration.status)),
            str(sources.get(registration.source, registration.source)),
            registration.name,
            registration.name_kana,
            registration.company_name,
            registration.email,
            format_phone(registration.phone),
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            registration.code,
            *[_answer_text(answers.get(str(question.pk))) for question in questions],
            *["○" if session.pk in present else "" for session in sessions],
            count,
            "○" if eligible else "",
        ]


# --- PDFs -----------------------------------------------------------------------------------------


def namelist_registrations(event: Event) -> list[Registration]:
    """The confirmed registrations, by フリガナ then name, for the reception desk's list (one query)."""
    return list(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED).order_by("name_kana", "name", "pk")
    )


@dataclass(frozen=True)
class CertificateData:
    registration: Registration
    event: Event
    sessions_attended: list[Session]
    session_count: int
    required: int
    eligible: bool
    waiting_for_end: bool = False

    @property
    def attended(self) -> int:
        return len(self.sessions_attended)

    @property
    def number(self) -> str:
        return f"{self.event.pk}-{self.registration.code}"


def certificate_data(registration: Registration) -> CertificateData:
    """What the certificate says and whether it may be issued now (selectors.certificate_status: the
    rule met by sessions that are over). The person's PDF and the staff's PDF both come through here."""
    event = registration.event
    sessions = list(event.sessions.order_by("starts_at", "pk"))
    present = set(registration.attendances.values_list("session_id", flat=True))
    attended = [session for session in sessions if session.pk in present]
    status = certificate_status(registration, sessions=sessions, attended_ids=present, now=timezone.now())
    return CertificateData(
        registration=registration,
        event=event,
        sessions_attended=attended,
        session_count=status.session_count,
        required=status.required,
        eligible=status.eligible,
        waiting_for_end=status.waiting_for_end,
    )


def namelist_pdf(event: Event) -> bytes:
    """The reception desk's name list (A4, page numbers, a box per session to tick)."""
    sessions = list(event.sessions.order_by("starts_at", "pk"))
    return render_pdf(
        "events/pdf/namelist.html",
        {
            "event": event,
            "organization": event.organization,
            "sessions": [(s, session_label(s, i)) for i, s in enumerate(sessions, start=1)],
            "first_session": sessions[0] if sessions else None,
            "last_session": sessions[-1] if sessions else None,
            "registrations": namelist_registrations(event),
            "printed_at": timezone.localtime(),
        },
    )


def certificate_pdf(data: CertificateData) -> bytes:
    """The certificate of completion; callers check ``data.eligible`` first."""
    return render_pdf(
        "events/pdf/certificate.html",
        {
            "certificate": data,
            "registration": data.registration,
            "event": data.event,
            "organization": data.event.organization,
            "issued_on": timezone.localdate(),
        },
    )
