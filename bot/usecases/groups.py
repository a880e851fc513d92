"""Group study: rounds and their answers, leaderboards, and the group's scheduled posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from random import Random
from zoneinfo import ZoneInfo

from bot.banks.catalog import Catalog
from bot.banks.schema import Question
from bot.domain.clock import Clock
from bot.domain.grading import InvalidAnswer, grade_options
from bot.domain.ranking import Placed, rank, week_start
from bot.domain.schedule import EVERY_DAY, Days, ScheduleRequest, next_run_after
from bot.storage.groups import GroupRepository
from bot.storage.models import GroupPost, GroupSchedule, Round, RoundQuestion, RoundStatus
from bot.usecases.quiz import encode_options
from bot.usecases.scheduled_runs import claim_due_runs

DEFAULT_ROUND_SIZE = 5
MAX_ROUND_SIZE = 20
SECONDS_PER_QUESTION = 30


class RoundError(Enum):
    ALREADY_RUNNING = "already running"
    NO_QUESTIONS = "no questions"


class GroupAnswerOutcome(Enum):
    COUNTED = "counted"
    ALREADY_ANSWERED = "already answered"
    CLOSED = "closed"
    UNKNOWN = "unknown"
    INVALID = "invalid"


@dataclass(frozen=True)
class GroupAnswerResult:
    outcome: GroupAnswerOutcome
    correct: bool = False
    question: Question | None = None


@dataclass(frozen=True)
class Leaderboard:
    week: list[Placed]
    all_time: list[Placed]


class GroupService:
    def __init__(
        self,
        groups: GroupRepository,
        catalog: Catalog,
        clock: Clock,
        rng: Random,
        default_timezone: str,
        grace: timedelta,
    ) -> None:
        self.store = groups
        self._catalog = catalog
        self._clock = clock
        self._rng = rng
        self._default_timezone = default_timezone
        self.grace = grace

    async def zone(self, chat_id: int) -> ZoneInfo:
        chat = await self.store.chat(chat_id)
        return ZoneInfo((chat.timezone if chat else None) or self._default_timezone)

    def question(self, question_id: str) -> Question | None:
        return self._catalog.question(question_id)

    # -- rounds --------------------------------------------------------------------------
    def pick_round_questions(self, area: str | None, count: int) -> list[Question]:
        eligible = [
            question for question in self._catalog.questions(area) if question.fits_group_round
        ]
        return self._rng.sample(eligible, min(count, len(eligible)))

    async def start_round(
        self, chat_id: int, user_id: int, area: str | None, count: int
    ) -> Round | RoundError:
        questions = self.pick_round_questions(area, count)
        if not questions:
            return RoundError.NO_QUESTIONS
        started = await self.store.start_round(
            chat_id=chat_id,
            started_by=user_id,
            area=area,
            questions=[
                (question.id, "poll" if question.fits_group_poll else "buttons")
                for question in questions
            ],
            seconds=SECONDS_PER_QUESTION,
            now=self._clock.now(),
        )
        return started or RoundError.ALREADY_RUNNING

    async def answer(
        self,
        chat_id: int,
        user_id: int,
        name: str,
        chosen: frozenset[int],
        *,
        round_question: RoundQuestion | None = None,
        post: GroupPost | None = None,
    ) -> GroupAnswerResult:
        """A member's first answer to an open round question or question of the day."""
        if round_question is not None:
            question_id, closed = round_question.question_id, round_question.closed_at is not None
        elif post is not None and post.question_id:
            question_id, closed = post.question_id, post.closed_at is not None
        else:
            return GroupAnswerResult(GroupAnswerOutcome.UNKNOWN)
        question = self._catalog.question(question_id)
        if question is None:
            return GroupAnswerResult(GroupAnswerOutcome.UNKNOWN)
        if closed:
            return GroupAnswerResult(GroupAnswerOutcome.CLOSED, question=question)
        try:
            correct = grade_options(question, chosen)
        except InvalidAnswer:
            return GroupAnswerResult(GroupAnswerOutcome.INVALID, question=question)
        stored = await self.store.record_answer(
            chat_id=chat_id,
            user_id=user_id,
            name=name,
            chosen=encode_options(chosen),
            correct=correct,
            now=self._clock.now(),
            round_question_id=round_question.id if round_question else None,
            post_id=post.id if post else None,
        )
        outcome = GroupAnswerOutcome.COUNTED if stored else GroupAnswerOutcome.ALREADY_ANSWERED
        return GroupAnswerResult(outcome, correct, question)

    async def round_ranking(self, round_id: int) -> list[Placed]:
        quiz_round = await self.store.get_round(round_id)
        if quiz_round is None:
            return []
        return rank(await self.store.scores(quiz_round.chat_id, round_id=round_id))

    async def leaderboard(self, chat_id: int) -> Leaderboard:
        since = week_start(self._clock.now(), await self.zone(chat_id))
        return Leaderboard(
            week=rank(await self.store.scores(chat_id, since=since)),
            all_time=rank(await self.store.scores(chat_id)),
        )

    async def stop_round(self, quiz_round: Round) -> bool:
        return await self.store.finish_round(quiz_round.id, RoundStatus.STOPPED, self._clock.now())

    # -- scheduled posts ------------------------------------------------------------------------
    async def set_schedule(
        self, chat_id: int, kind: str, request: ScheduleRequest
    ) -> GroupSchedule:
        if request.zone is not None:
            await self.store.set_chat(chat_id, timezone=str(request.zone.key))
        zone = request.zone or await self.zone(chat_id)
        existing = await self.store.schedule_of(chat_id, kind)
        days = request.days or (Days(existing.days) if existing else Days(EVERY_DAY))
        now = self._clock.now()
        return await self.store.save_schedule(
            chat_id=chat_id,
            kind=kind,
            hour=request.at.hour,
            minute=request.at.minute,
            timezone=str(zone.key),
            days=days.mask,
            next_run_at=next_run_after(now, request.at, zone, days),
            now=now,
        )

    async def turn_off(self, chat_id: int, kind: str) -> bool:
        schedule = await self.store.schedule_of(chat_id, kind)
        if schedule is None or not schedule.enabled:
            return False
        await self.store.set_schedule(schedule.id, enabled=False)
        return True

    async def claim_due(self) -> int:
        """The same claim as private check-ins (see claim_due_runs)."""
        return await claim_due_runs(self.store, self._clock, self.grace)

    async def take_pending(self, limit: int) -> list[GroupPost]:
        oldest_due = self._clock.now() - self.grace
        await self.store.outbox.expire_pending(oldest_due)
        return list(await self.store.outbox.take_pending(oldest_due, limit))

    def pick_question_of_the_day(self) -> Question | None:
        eligible = [question for question in self._catalog.questions() if question.fits_group_round]
        return self._rng.choice(eligible) if eligible else None
