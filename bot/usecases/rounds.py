"""Group quiz rounds: start, ask, take answers, close at the deadline, rank, stop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from random import Random

from bot.banks.catalog import Catalog
from bot.banks.schema import Question
from bot.domain.clock import Clock
from bot.domain.ranking import Placed, rank, week_start
from bot.domain.spaced_repetition import DEFAULT_RETENTION
from bot.domain.states import DeliveryKind, PollOwner, RoundStatus
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.usecases.chats import chat_zone
from bot.usecases.group_answers import GroupAnswerResult, record_group_answer
from bot.usecases.views import Person, RoundQuestionView, RoundView

DEFAULT_ROUND_SIZE = 5
MAX_ROUND_SIZE = 20
SECONDS_PER_QUESTION = 30


class RoundError(Enum):
    ALREADY_RUNNING = "already running"
    NO_QUESTIONS = "no questions"


@dataclass(frozen=True)
class ToAsk:
    """The next question of a running round, ready to be sent."""

    round: RoundView
    round_question: RoundQuestionView
    question: Question
    title: str


@dataclass(frozen=True)
class ClosedQuestion:
    round: RoundView
    round_question: RoundQuestionView
    question: Question
    title: str
    right: list[str]
    answered: int


@dataclass(frozen=True)
class Closing:
    """A question just closed: what to show, and what comes next."""

    closed: ClosedQuestion | None
    next_position: int | None  # ask this one next
    finish: bool  # or post the ranking


@dataclass(frozen=True)
class Finished:
    round: RoundView
    ranking: list[Placed]
    last_open: ClosedQuestion | None
    stopped_by: str | None


@dataclass(frozen=True)
class Leaderboard:
    week: list[Placed]
    all_time: list[Placed]


class RoundService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        catalog: Catalog,
        clock: Clock,
        rng: Random,
        zone: str,
        desired_retention: float = DEFAULT_RETENTION,
    ) -> None:
        self._uow = uow
        self._catalog = catalog
        self._clock = clock
        self._rng = rng
        self._default_timezone = zone
        self._retention = desired_retention

    def pick_round_questions(self, area: str | None, count: int) -> list[Question]:
        eligible = [
            question for question in self._catalog.questions(area) if question.fits_group_round
        ]
        return self._rng.sample(eligible, min(count, len(eligible)))

    async def start_round(
        self, chat_id: int, user_id: int, area: str | None, count: int
    ) -> RoundView | RoundError:
        questions = self.pick_round_questions(area, count)
        if not questions:
            return RoundError.NO_QUESTIONS
        async with self._uow() as uow:
            started = await uow.rounds.start(
                chat_id=chat_id,
                started_by=user_id,
                area=area,
                questions=[
                    (
                        question.id,
                        DeliveryKind.POLL if question.fits_group_poll else DeliveryKind.BUTTONS,
                    )
                    for question in questions
                ],
                seconds=SECONDS_PER_QUESTION,
                now=self._clock.now(),
            )
            if started is None:
                return RoundError.ALREADY_RUNNING
            view = RoundView.of(started)
            await uow.commit()
        return view

    async def running(self, chat_id: int) -> RoundView | None:
        async with self._uow() as uow:
            running = await uow.rounds.running(chat_id)
            return RoundView.of(running) if running else None

    async def to_ask(self, round_id: int, position: int) -> ToAsk | None:
        async with self._uow() as uow:
            quiz_round = await uow.rounds.get(round_id)
            round_question = await uow.rounds.question_at(round_id, position)
            if quiz_round is None or round_question is None:
                return None
            question = self._catalog.question(round_question.question_id)
            if question is None:
                return None
            return ToAsk(
                RoundView.of(quiz_round),
                RoundQuestionView.of(round_question),
                question,
                self._catalog.title(question.area),
            )

    async def asked(self, asked: ToAsk, message_id: int, poll_id: str | None) -> None:
        """The question is out: its clock starts now, and its poll (if any) is owned."""
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.rounds.open_question(
                asked.round_question.id,
                message_id,
                poll_id,
                now,
                now + timedelta(seconds=asked.round.seconds),
            )
            if poll_id is not None:
                await uow.polls.record(
                    poll_id, PollOwner.ROUND, asked.round_question.id, asked.round.chat_id, now
                )
            await uow.commit()

    async def answer(
        self, round_question_id: int, person: Person, chosen: frozenset[int]
    ) -> GroupAnswerResult:
        async with self._uow() as uow:
            round_question = await uow.rounds.question(round_question_id)
            quiz_round = await uow.rounds.get(round_question.round_id) if round_question else None
            result = await record_group_answer(
                uow,
                self._catalog,
                chat_id=quiz_round.chat_id if quiz_round else 0,
                person=person,
                chosen=chosen,
                question_id=round_question.question_id if round_question and quiz_round else None,
                closed=round_question is not None and round_question.closed_at is not None,
                now=self._clock.now(),
                round_question_id=round_question_id,
                asked_at=round_question.opened_at if round_question else None,
                desired_retention=self._retention,
            )
            await uow.commit()
        return result

    async def chat_of_question(self, round_question_id: int) -> int | None:
        async with self._uow() as uow:
            round_question = await uow.rounds.question(round_question_id)
            quiz_round = await uow.rounds.get(round_question.round_id) if round_question else None
            return quiz_round.chat_id if quiz_round else None

    async def due_questions(self) -> list[RoundQuestionView]:
        async with self._uow() as uow:
            rows = await uow.rounds.due_questions(self._clock.now())
            return [RoundQuestionView.of(row) for row in rows]

    async def _closed_view(
        self, uow: UnitOfWork, round_view: RoundView, round_question: RoundQuestionView
    ) -> ClosedQuestion | None:
        question = self._catalog.question(round_question.question_id)
        if question is None or round_question.message_id is None:
            return None
        answers = await uow.group_answers.answers_to(round_question_id=round_question.id)
        return ClosedQuestion(
            round_view,
            round_question,
            question,
            self._catalog.title(question.area),
            [answer.name for answer in answers if answer.correct],
            len(answers),
        )

    async def close_question(self, round_question_id: int) -> Closing | None:
        """Closes one question (once, even if two ticks or two replicas race)."""
        async with self._uow() as uow:
            if not await uow.rounds.close_question(round_question_id, self._clock.now()):
                return None
            round_question = await uow.rounds.question(round_question_id)
            quiz_round = await uow.rounds.get(round_question.round_id) if round_question else None
            await uow.commit()
            if round_question is None or quiz_round is None:
                return None
            round_view = RoundView.of(quiz_round)
            question_view = RoundQuestionView.of(round_question)
            closed = await self._closed_view(uow, round_view, question_view)
        if round_view.status is not RoundStatus.RUNNING:
            return Closing(closed, None, False)
        following = question_view.position + 1
        if following < round_view.total:
            return Closing(closed, following, False)
        return Closing(closed, None, True)

    async def finish(self, round_id: int, stopped_by: str | None = None) -> Finished | None:
        """Ends the round once; a stopped round shows its open question's result first."""
        status = RoundStatus.STOPPED if stopped_by else RoundStatus.FINISHED
        async with self._uow() as uow:
            quiz_round = await uow.rounds.get(round_id)
            if quiz_round is None:
                return None
            open_question = None
            if stopped_by:
                for row in await uow.rounds.questions_of(round_id):
                    if row.message_id and row.closed_at is None:
                        open_question = RoundQuestionView.of(row)
            if not await uow.rounds.finish(round_id, status, self._clock.now()):
                return None
            await uow.commit()
            round_view = RoundView.of(quiz_round)
            last_open = (
                await self._closed_view(uow, round_view, open_question) if open_question else None
            )
            ranking = rank(await uow.group_answers.scores(quiz_round.chat_id, round_id=round_id))
        return Finished(round_view, ranking, last_open, stopped_by)

    async def leaderboard(self, chat_id: int) -> Leaderboard:
        async with self._uow() as uow:
            zone = await chat_zone(uow, chat_id, self._default_timezone)
            since = week_start(self._clock.now(), zone)
            return Leaderboard(
                week=rank(await uow.group_answers.scores(chat_id, since=since)),
                all_time=rank(await uow.group_answers.scores(chat_id)),
            )
