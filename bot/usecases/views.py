"""The plain values use cases return: handlers and renderers never see ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.banks.schema import Level
from bot.domain.states import AttemptStatus, DeliveryKind, GroupPostKind, RoundStatus, SendStatus
from bot.storage.models import Attempt, Checkin, GroupPost, Round, RoundQuestion


@dataclass(frozen=True)
class AttemptView:
    id: int
    user_id: int
    chat_id: int
    question_id: str
    area: str
    quiz_area: str | None
    quiz_level: Level | None
    kind: DeliveryKind
    status: AttemptStatus
    message_id: int | None
    poll_id: str | None
    selection: frozenset[int]
    chosen: frozenset[int] | None
    correct: bool | None
    response: str | None
    rating: int | None
    asked_at: datetime
    answered_at: datetime | None
    review: bool = False  # asked by /review: the next one is a review too

    @classmethod
    def of(cls, row: Attempt) -> AttemptView:
        return cls(
            id=row.id,
            user_id=row.user_id,
            chat_id=row.chat_id,
            question_id=row.question_id,
            area=row.area,
            quiz_area=row.quiz_area,
            quiz_level=row.quiz_level,
            kind=row.kind,
            status=row.status,
            message_id=row.message_id,
            poll_id=row.poll_id,
            selection=row.selection or frozenset(),
            chosen=row.chosen,
            correct=None if row.correct is None else bool(row.correct),
            response=row.response,
            rating=row.rating,
            asked_at=row.asked_at,
            answered_at=row.answered_at,
            review=bool(row.review),
        )


@dataclass(frozen=True)
class CheckinView:
    id: int
    schedule_id: int
    user_id: int
    chat_id: int
    local_date: date
    due_at: datetime
    status: SendStatus
    tries: int
    message_id: int | None
    sent_at: datetime | None
    answered_at: datetime | None
    yesterday: str | None
    today: str | None
    blockers: str | None

    @classmethod
    def of(cls, row: Checkin) -> CheckinView:
        return cls(
            id=row.id,
            schedule_id=row.schedule_id,
            user_id=row.user_id,
            chat_id=row.chat_id,
            local_date=row.local_date,
            due_at=row.due_at,
            status=row.status,
            tries=row.tries,
            message_id=row.message_id,
            sent_at=row.sent_at,
            answered_at=row.answered_at,
            yesterday=row.yesterday,
            today=row.today,
            blockers=row.blockers,
        )


@dataclass(frozen=True)
class RoundView:
    id: int
    chat_id: int
    started_by: int
    area: str | None
    total: int
    seconds: int
    status: RoundStatus

    @classmethod
    def of(cls, row: Round) -> RoundView:
        return cls(
            id=row.id,
            chat_id=row.chat_id,
            started_by=row.started_by,
            area=row.area,
            total=row.total,
            seconds=row.seconds,
            status=row.status,
        )


@dataclass(frozen=True)
class RoundQuestionView:
    id: int
    round_id: int
    position: int
    question_id: str
    kind: DeliveryKind
    message_id: int | None
    poll_id: str | None
    closed: bool

    @classmethod
    def of(cls, row: RoundQuestion) -> RoundQuestionView:
        return cls(
            id=row.id,
            round_id=row.round_id,
            position=row.position,
            question_id=row.question_id,
            kind=row.kind,
            message_id=row.message_id,
            poll_id=row.poll_id,
            closed=row.closed_at is not None,
        )


@dataclass(frozen=True)
class GroupPostView:
    id: int
    schedule_id: int
    chat_id: int
    kind: GroupPostKind
    local_date: date
    tries: int
    message_id: int | None
    poll_id: str | None
    question_id: str | None
    closed: bool

    @classmethod
    def of(cls, row: GroupPost) -> GroupPostView:
        return cls(
            id=row.id,
            schedule_id=row.schedule_id,
            chat_id=row.chat_id,
            kind=row.kind,
            local_date=row.local_date,
            tries=row.tries,
            message_id=row.message_id,
            poll_id=row.poll_id,
            question_id=row.question_id,
            closed=row.closed_at is not None,
        )


@dataclass(frozen=True)
class Person:
    """Who sent an update, as far as the bot needs to know."""

    id: int
    first_name: str
    username: str | None = None
    display_name: str = ""
