"""The private quiz: pick the next question, open an attempt, settle answers exactly once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import Enum
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from bot.adapters.sql_sandbox import SqlSandbox
from bot.banks.catalog import Catalog
from bot.banks.schema import OPTION_TYPES, Level, Question, QuestionType
from bot.domain.clock import Clock
from bot.domain.grading import InvalidAnswer, grade_options
from bot.domain.practice import choose_practice_question, most_at_risk
from bot.domain.self_rating import SelfRating
from bot.domain.spaced_repetition import (
    DEFAULT_RETENTION,
    ReviewSource,
    rating_for_answer,
)
from bot.domain.sql_results import SandboxError, SqlVerdict
from bot.domain.states import AttemptStatus, DeliveryKind, PollOwner
from bot.domain.text_grading import grade_text
from bot.storage.cards import DUE_WINDOW
from bot.storage.models import Attempt
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.usecases.coach import record_review
from bot.usecases.views import AttemptView

MAX_RESPONSE_CHARS = 4000


class Settled(Enum):
    COUNTED = "counted"
    ALREADY_ANSWERED = "already answered"
    SKIPPED = "skipped"
    NOT_YOURS = "not yours"
    GONE = "gone"
    INVALID = "invalid"
    RETRY = "retry"  # a query that could not run: not scored, the learner tries again
    REVEALED = "revealed"  # an open question's model answer is shown, waiting for a rating
    AWAITING_RATING = "awaiting rating"
    TOGGLED = "toggled"  # a multi-select option was ticked or unticked


@dataclass(frozen=True)
class NextQuestion:
    question: Question
    attempt: AttemptView
    title: str
    stale: list[AttemptView]
    tables: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    reviews_left: int | None = None  # a /review question: how many more are due today

    @property
    def kind(self) -> DeliveryKind:
        return self.attempt.kind


@dataclass(frozen=True)
class AnswerResult:
    outcome: Settled
    attempt: AttemptView | None = None
    question: Question | None = None
    chosen: frozenset[int] = frozenset()
    correct: bool = False
    response: str | None = None
    sql: SqlVerdict | None = None
    message: str | None = None
    rating: SelfRating | None = None
    title: str = ""


@dataclass(frozen=True)
class NothingDue:
    """/review with no card due: when the next one is, in the learner's time."""

    next_due: datetime | None


def delivery_for(question: Question) -> DeliveryKind:
    if question.type not in OPTION_TYPES:
        return DeliveryKind.TYPED
    return DeliveryKind.POLL if question.fits_poll else DeliveryKind.BUTTONS


class QuizService:
    def __init__(
        self,
        catalog: Catalog,
        uow: UnitOfWorkFactory,
        clock: Clock,
        rng: Random,
        sandbox: SqlSandbox | None = None,
        *,
        desired_retention: float = DEFAULT_RETENTION,
        default_timezone: str = "UTC",
    ) -> None:
        self.catalog = catalog
        self.sandbox = sandbox or SqlSandbox(dict(catalog.datasets))
        self._uow = uow
        self._clock = clock
        self._rng = rng
        self._retention = desired_retention
        self._default_timezone = default_timezone

    # -- asking ------------------------------------------------------------------------------
    async def next_question(
        self, user_id: int, chat_id: int, area: str | None, level: Level | None = None
    ) -> NextQuestion | None:
        """Picks by the adaptive rule (bot/domain/practice.py) among the questions of `area` and
        `level` (when given: a named level also overrides the adaptive one) and opens the
        attempt, skipping the chat's open ones, in one transaction."""
        now = self._clock.now()
        async with self._uow() as uow:
            cards = {
                studied.question_id: studied.card for studied in await uow.cards.of_user(user_id)
            }
            previous = await uow.attempts.last_question(user_id)
            pick = choose_practice_question(
                self.catalog.questions(area, level),
                cards,
                now,
                self._rng,
                previous=previous,
                level=level,
            )
            question = self.catalog.question(pick.question_id) if pick else None
            if question is None:
                return None
            attempt, stale = await self._open(uow, user_id, chat_id, question, now, area, level)
        return self._next(question, attempt, stale)

    async def next_review(self, user_id: int, chat_id: int) -> NextQuestion | NothingDue:
        """The due card most at risk of being forgotten, asked as a review, with how many more
        are due by the end of the learner's day."""
        now = self._clock.now()
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            zone = ZoneInfo((user.timezone if user else None) or self._default_timezone)
            local_today = now.astimezone(zone).date()
            end_of_today = datetime.combine(local_today + timedelta(days=1), time(0), tzinfo=zone)
            today = {
                question_id: card
                for question_id, card in (await uow.cards.due(user_id, end_of_today)).items()
                if self.catalog.question(question_id) is not None
            }
            due_now = {question_id: card for question_id, card in today.items() if card.is_due(now)}
            if not due_now:
                later_today = [card.due for card in today.values()]
                next_due = min(later_today) if later_today else await uow.cards.next_due(user_id)
                return NothingDue(next_due.astimezone(zone) if next_due else None)
            previous = await uow.attempts.last_question(user_id)
            question_id = most_at_risk(due_now, now, previous)
            question = self.catalog.question(question_id) if question_id else None
            assert question is not None
            left = len(today) - 1
            if len(today) >= DUE_WINDOW:
                left = await uow.cards.count_due(user_id, end_of_today) - 1
            attempt, stale = await self._open(uow, user_id, chat_id, question, now, review=True)
        return self._next(question, attempt, stale, reviews_left=left)

    async def _open(
        self,
        uow: UnitOfWork,
        user_id: int,
        chat_id: int,
        question: Question,
        now: datetime,
        area: str | None = None,
        level: Level | None = None,
        *,
        review: bool = False,
    ) -> tuple[AttemptView, list[AttemptView]]:
        """Opens the attempt (skipping the chat's open ones) and commits."""
        stale = await uow.attempts.skip_open(user_id, chat_id, now)
        stale_views = [AttemptView.of(row) for row in stale]
        attempt = await uow.attempts.add(
            Attempt(
                user_id=user_id,
                chat_id=chat_id,
                question_id=question.id,
                area=question.area,
                quiz_area=area,
                quiz_level=level,
                kind=delivery_for(question),
                status=AttemptStatus.OPEN,
                selection=frozenset(),
                asked_at=now,
                review=review,
            )
        )
        view = AttemptView.of(attempt)
        await uow.commit()
        return view, stale_views

    def _next(
        self,
        question: Question,
        attempt: AttemptView,
        stale: list[AttemptView],
        reviews_left: int | None = None,
    ) -> NextQuestion:
        tables = self.sandbox.describe(question.dataset) if question.dataset else []
        title = self.catalog.title(question.area)
        return NextQuestion(question, attempt, title, stale, tables, reviews_left)

    async def asked_since(self, user_id: int, chat_id: int, attempt_id: int) -> bool:
        """Whether a question came to the chat after this attempt: an old Next button pressed
        again must not ask another one."""
        async with self._uow() as uow:
            return await uow.attempts.newer_in_chat(user_id, chat_id, attempt_id)

    async def sent(
        self, attempt_id: int, chat_id: int, message_id: int, poll_id: str | None
    ) -> None:
        async with self._uow() as uow:
            await uow.attempts.attach_message(attempt_id, message_id, poll_id)
            if poll_id is not None:
                await uow.polls.record(
                    poll_id, PollOwner.PRIVATE_QUIZ, attempt_id, chat_id, self._clock.now()
                )
            await uow.commit()

    # -- reading an attempt ------------------------------------------------------------------
    async def attempt(self, attempt_id: int) -> AttemptView | None:
        async with self._uow() as uow:
            row = await uow.attempts.get(attempt_id)
            return AttemptView.of(row) if row else None

    def _refusal(self, attempt: Attempt | None, user_id: int) -> AnswerResult | None:
        """An AnswerResult when the attempt cannot take an answer; None when it can."""
        if attempt is None:
            return AnswerResult(Settled.GONE)
        view = AttemptView.of(attempt)
        question = self.catalog.question(attempt.question_id)
        if question is None:
            return AnswerResult(Settled.GONE, view)
        title = self.catalog.title(question.area)
        if attempt.user_id != user_id:
            return AnswerResult(Settled.NOT_YOURS, view, question, title=title)
        if attempt.status is AttemptStatus.ANSWERED:
            return AnswerResult(
                Settled.ALREADY_ANSWERED,
                view,
                question,
                attempt.chosen or frozenset(),
                bool(attempt.correct),
                title=title,
            )
        if attempt.status is AttemptStatus.SKIPPED:
            return AnswerResult(Settled.SKIPPED, view, question, title=title)
        return None

    async def _answerable(
        self, uow: UnitOfWork, attempt_id: int, user_id: int
    ) -> tuple[Attempt, Question] | AnswerResult:
        """The learner's attempt and its question, or why it takes no answer."""
        attempt = await uow.attempts.get(attempt_id)
        refusal = self._refusal(attempt, user_id)
        if refusal is not None:
            return refusal
        assert attempt is not None
        question = self.catalog.question(attempt.question_id)
        assert question is not None
        return attempt, question

    async def _settle_options(
        self,
        uow: UnitOfWork,
        attempt: Attempt,
        question: Question,
        user_id: int,
        chosen: frozenset[int],
    ) -> AnswerResult:
        try:
            if question.type not in OPTION_TYPES:
                raise InvalidAnswer("not an option question")
            correct = grade_options(question, chosen)
        except InvalidAnswer:
            return AnswerResult(Settled.INVALID, AttemptView.of(attempt), question)
        return await self._settle(uow, attempt, question, user_id, correct, chosen=chosen)

    async def _settle(
        self,
        uow: UnitOfWork,
        attempt: Attempt,
        question: Question,
        user_id: int,
        correct: bool,
        *,
        chosen: frozenset[int] | None = None,
        response: str | None = None,
        sql: SqlVerdict | None = None,
        rating: SelfRating | None = None,
    ) -> AnswerResult:
        """Records the answer if the attempt still takes one, reviews its FSRS card in the same
        transaction, and commits."""
        now = self._clock.now()
        values: dict[str, Any] = {
            "status": AttemptStatus.ANSWERED,
            "chosen": chosen,
            "correct": int(correct),
            "answered_at": now,
        }
        if response is not None:
            values["response"] = response
        if rating is not None:
            values["rating"] = int(rating)
        attempt_id = attempt.id  # the rollback below expires the row
        if not await uow.attempts.change_if(attempt_id, user_id, **values):
            # Another press settled it between our read and our write.
            await uow.rollback()
            async with self._uow() as fresh:
                latest = await fresh.attempts.get(attempt_id)
                return self._refusal(latest, user_id) or AnswerResult(Settled.GONE)
        await record_review(
            uow,
            user_id=user_id,
            question=question,
            rating=rating_for_answer(question.type, correct, now - attempt.asked_at, rating),
            asked_at=attempt.asked_at,
            answered_at=now,
            source=ReviewSource.REVIEW if attempt.review else ReviewSource.QUIZ,
            desired_retention=self._retention,
        )
        await uow.commit()
        return AnswerResult(
            Settled.COUNTED,
            AttemptView.of(attempt),
            question,
            chosen=chosen or frozenset(),
            correct=correct,
            response=response if response is not None else attempt.response,
            sql=sql,
            rating=rating,
            title=self.catalog.title(question.area),
        )

    # -- option answers ----------------------------------------------------------------------
    async def answer(self, attempt_id: int, user_id: int, chosen: frozenset[int]) -> AnswerResult:
        """Grades an option answer and records it once, reading and writing in one transaction."""
        async with self._uow() as uow:
            loaded = await self._answerable(uow, attempt_id, user_id)
            if isinstance(loaded, AnswerResult):
                return loaded
            attempt, question = loaded
            return await self._settle_options(uow, attempt, question, user_id, chosen)

    async def toggle(self, attempt_id: int, user_id: int, option: int) -> AnswerResult:
        async with self._uow() as uow:
            loaded = await self._answerable(uow, attempt_id, user_id)
            if isinstance(loaded, AnswerResult):
                return loaded
            attempt, question = loaded
            if question.type is not QuestionType.MULTI or not 0 <= option < len(question.options):
                return AnswerResult(Settled.INVALID, AttemptView.of(attempt), question)
            selection = (attempt.selection or frozenset()) ^ {option}
            # Presses of one chat are handled one at a time (PerChatUpdateProcessor), so the
            # selection read here is the latest.
            if not await uow.attempts.change_if(attempt.id, user_id, selection=selection):
                return AnswerResult(Settled.GONE)
            await uow.commit()
        return AnswerResult(Settled.TOGGLED, AttemptView.of(attempt), question, selection)

    async def submit(self, attempt_id: int, user_id: int) -> AnswerResult:
        async with self._uow() as uow:
            loaded = await self._answerable(uow, attempt_id, user_id)
            if isinstance(loaded, AnswerResult):
                return loaded
            attempt, question = loaded
            chosen = attempt.selection or frozenset()
            return await self._settle_options(uow, attempt, question, user_id, chosen)

    # -- skipping ----------------------------------------------------------------------------
    async def skip(self, attempt_id: int, user_id: int) -> AnswerResult:
        async with self._uow() as uow:
            loaded = await self._answerable(uow, attempt_id, user_id)
            if isinstance(loaded, AnswerResult):
                return loaded
            attempt, question = loaded
            skipped = await uow.attempts.change_if(
                attempt.id, user_id, status=AttemptStatus.SKIPPED, answered_at=self._clock.now()
            )
            if not skipped:
                return AnswerResult(Settled.GONE)
            await uow.commit()
        title = self.catalog.title(question.area)
        return AnswerResult(
            Settled.SKIPPED, AttemptView.of(attempt), question, message="skipped now", title=title
        )

    async def cancel(self, user_id: int, chat_id: int) -> list[AttemptView]:
        async with self._uow() as uow:
            skipped = await uow.attempts.skip_open(user_id, chat_id, self._clock.now())
            views = [AttemptView.of(row) for row in skipped]
            await uow.commit()
        return views

    # -- typed answers: text, sql, open ------------------------------------------------------
    async def open_typed(self, user_id: int, chat_id: int) -> AttemptView | None:
        async with self._uow() as uow:
            attempt = await uow.attempts.open_typed(user_id, chat_id)
            return AttemptView.of(attempt) if attempt else None

    async def typed_answer(self, user_id: int, chat_id: int, text: str) -> AnswerResult | None:
        """Grades text typed in the chat against its open typed question; None when there is none."""
        text = text.strip()[:MAX_RESPONSE_CHARS]
        async with self._uow() as uow:
            attempt = await uow.attempts.open_typed(user_id, chat_id)
            if attempt is None:
                return None
            question = self.catalog.question(attempt.question_id)
            if question is None:
                return AnswerResult(Settled.GONE, AttemptView.of(attempt))
            if question.type is QuestionType.TEXT:
                correct = grade_text(question, text)
                return await self._settle(uow, attempt, question, user_id, correct, response=text)
            if question.type is QuestionType.OPEN:
                view = AttemptView.of(attempt)
                title = self.catalog.title(question.area)
                if attempt.status is AttemptStatus.REVEALED:
                    return AnswerResult(Settled.AWAITING_RATING, view, question, title=title)
                revealed = await uow.attempts.change_if(
                    attempt.id,
                    user_id,
                    states=(AttemptStatus.OPEN,),
                    response=text,
                    status=AttemptStatus.REVEALED,
                )
                if not revealed:
                    return AnswerResult(Settled.AWAITING_RATING, view, question, title=title)
                await uow.commit()
                return AnswerResult(Settled.REVEALED, view, question, response=text, title=title)
        # SQL runs outside the transaction: a slow query must not hold the database.
        return await self._answer_sql(AttemptView.of(attempt), question, user_id, text)

    async def _answer_sql(
        self, attempt: AttemptView, question: Question, user_id: int, query: str
    ) -> AnswerResult:
        assert question.dataset is not None and question.solution is not None
        try:
            verdict = await asyncio.to_thread(
                self.sandbox.grade, question.dataset, question.solution, query, question.ordered
            )
        except SandboxError as error:
            return AnswerResult(
                Settled.RETRY, attempt, question, response=query, message=str(error)
            )
        async with self._uow() as uow:
            row = await uow.attempts.get(attempt.id)
            refusal = self._refusal(row, user_id)
            if refusal is not None:
                return refusal
            assert row is not None
            return await self._settle(
                uow, row, question, user_id, verdict.correct, response=query, sql=verdict
            )

    async def reveal(self, attempt_id: int, user_id: int) -> AnswerResult:
        async with self._uow() as uow:
            loaded = await self._answerable(uow, attempt_id, user_id)
            if isinstance(loaded, AnswerResult):
                return loaded
            attempt, question = loaded
            view = AttemptView.of(attempt)
            title = self.catalog.title(question.area)
            if question.type is not QuestionType.OPEN:
                return AnswerResult(Settled.INVALID, view, question)
            revealed = await uow.attempts.change_if(
                attempt.id, user_id, states=(AttemptStatus.OPEN,), status=AttemptStatus.REVEALED
            )
            if not revealed:
                return AnswerResult(Settled.AWAITING_RATING, view, question, title=title)
            await uow.commit()
        return AnswerResult(Settled.REVEALED, view, question, title=title)

    async def rate(self, attempt_id: int, user_id: int, rating: SelfRating) -> AnswerResult:
        async with self._uow() as uow:
            loaded = await self._answerable(uow, attempt_id, user_id)
            if isinstance(loaded, AnswerResult):
                return loaded
            attempt, question = loaded
            if (
                question.type is not QuestionType.OPEN
                or attempt.status is not AttemptStatus.REVEALED
            ):
                return AnswerResult(Settled.INVALID, AttemptView.of(attempt), question)
            return await self._settle(
                uow, attempt, question, user_id, rating.counts_as_correct, rating=rating
            )
