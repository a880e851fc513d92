"""The tables. Every change here comes with an Alembic migration in migrations/versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.banks.schema import Level
from bot.domain.spaced_repetition import ReviewSource
from bot.domain.states import (
    AttemptStatus,
    DeliveryKind,
    GroupPostKind,
    PollOwner,
    RoundStatus,
    SendStatus,
)
from bot.storage.types import EnumText, OptionSet, UTCDateTime

__all__ = ["Base", "UTCDateTime"]


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    timezone: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    goal_date: Mapped[date | None] = mapped_column(Date)  # the interview, set by /goal


class Attempt(Base):
    """One question sent to one user: open until answered once, or skipped."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    question_id: Mapped[str] = mapped_column(String(64))
    area: Mapped[str] = mapped_column(String(32))
    quiz_area: Mapped[str | None] = mapped_column(String(32))
    quiz_level: Mapped[Level | None] = mapped_column(EnumText(Level, length=8))
    kind: Mapped[DeliveryKind] = mapped_column(EnumText(DeliveryKind))
    status: Mapped[AttemptStatus] = mapped_column(
        EnumText(AttemptStatus), default=AttemptStatus.OPEN
    )
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    poll_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    selection: Mapped[frozenset[int]] = mapped_column(OptionSet(), default=frozenset())
    chosen: Mapped[frozenset[int] | None] = mapped_column(OptionSet())
    correct: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(Integer)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    __table_args__ = (
        Index("ix_attempts_user_status", "user_id", "status"),
        Index("ix_attempts_user_answered_at", "user_id", "answered_at"),
        Index("ix_attempts_user_question", "user_id", "question_id"),
    )


class CheckinSchedule(Base):
    """A daily check-in: when it runs (local time, zone, days) and its next run in UTC."""

    __tablename__ = "checkin_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    hour: Mapped[int] = mapped_column(Integer)
    minute: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    days: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(default=True)
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Checkin(Base):
    """One check-in sent (or to be sent) for one schedule on one local date: never two."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    schedule_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("checkin_schedules.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[SendStatus] = mapped_column(EnumText(SendStatus), default=SendStatus.PENDING)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    yesterday: Mapped[str | None] = mapped_column(Text)
    today: Mapped[str | None] = mapped_column(Text)
    blockers: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("schedule_id", "local_date", name="uq_checkins_schedule_date"),
        Index("ix_checkins_status_due", "status", "due_at"),
    )


class Chat(Base):
    """A group the bot is in (private chats need no row: their users are the chats)."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(256), default="")
    active: Mapped[bool] = mapped_column(default=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChatMember(Base):
    """Someone the bot has seen in a group: standups name who is missing from these."""

    __tablename__ = "chat_members"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(128), default="")
    is_member: Mapped[bool] = mapped_column(default=True)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupSchedule(Base):
    """A group's daily standup or question of the day."""

    __tablename__ = "group_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[GroupPostKind] = mapped_column(EnumText(GroupPostKind))
    hour: Mapped[int] = mapped_column(Integer)
    minute: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    days: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(default=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("chat_id", "kind", name="uq_group_schedules_chat_kind"),)


class GroupPost(Base):
    """One scheduled group post (a standup or a question of the day) for one local date."""

    __tablename__ = "group_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    schedule_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("group_schedules.id", ondelete="CASCADE")
    )
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[GroupPostKind] = mapped_column(EnumText(GroupPostKind))
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[SendStatus] = mapped_column(EnumText(SendStatus), default=SendStatus.PENDING)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    question_id: Mapped[str | None] = mapped_column(String(64))
    poll_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("schedule_id", "local_date", name="uq_group_posts_schedule_date"),
        Index("ix_group_posts_status_due", "status", "due_at"),
    )


class StandupAnswer(Base):
    __tablename__ = "standup_answers"

    post_id: Mapped[int] = mapped_column(
        Integer,
        ForeignKey("group_posts.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(128), default="")
    text: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Round(Base):
    """A group quiz round: its questions are asked one at a time until all are closed."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    started_by: Mapped[int] = mapped_column(BigInteger)
    area: Mapped[str | None] = mapped_column(String(32))
    total: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)
    status: Mapped[RoundStatus] = mapped_column(EnumText(RoundStatus), default=RoundStatus.RUNNING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index(
            "uq_rounds_one_running_per_chat",
            "chat_id",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )


class RoundQuestion(Base):
    __tablename__ = "round_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[DeliveryKind] = mapped_column(EnumText(DeliveryKind))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    poll_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class GroupAnswer(Base):
    """A member's first answer to a round question or a question of the day: scores come from here."""

    __tablename__ = "group_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(128), default="")
    round_question_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("round_questions.id", ondelete="CASCADE")
    )
    post_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("group_posts.id", ondelete="CASCADE")
    )
    chosen: Mapped[frozenset[int]] = mapped_column(OptionSet())
    correct: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint(
            "round_question_id", "user_id", name="uq_group_answers_round_question_user"
        ),
        UniqueConstraint("post_id", "user_id", name="uq_group_answers_post_user"),
        Index("ix_group_answers_chat_answered_at", "chat_id", "answered_at"),
    )


class Poll(Base):
    """Every quiz poll the bot sent and who owns it, so an answer is routed without guessing."""

    __tablename__ = "polls"

    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[PollOwner] = mapped_column(EnumText(PollOwner))
    owner_id: Mapped[int] = mapped_column(Integer)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Card(Base):
    """One learner's FSRS card for one question: every answer to it reviews the card once."""

    __tablename__ = "cards"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    area: Mapped[str] = mapped_column(String(32))
    phase: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        PrimaryKeyConstraint("user_id", "question_id", name="pk_cards"),
        Index("ix_cards_user_due", "user_id", "due"),
    )


class CardReview(Base):
    """The log of every review: which answer rated which card how, and what it scheduled."""

    __tablename__ = "card_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    rating: Mapped[int] = mapped_column(Integer)
    source: Mapped[ReviewSource] = mapped_column(EnumText(ReviewSource))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    due_after: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_card_reviews_user_reviewed_at", "user_id", "reviewed_at"),)
