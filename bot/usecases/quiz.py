"""The private quiz: pick the next question, open an attempt, settle answers exactly once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import Enum
from random import Random

from bot.adapters.sql_sandbox import SandboxError, SqlSandbox, SqlVerdict
from bot.banks.catalog import Catalog
from bot.banks.schema import OPTION_TYPES, Question, QuestionType
from bot.domain.clock import Clock
from bot.domain.grading import InvalidAnswer, grade_options
from bot.domain.selection import QuestionHistory, pick_question
from bot.domain.self_rating import SelfRating
from bot.domain.text_grading import grade_text
from bot.storage.models import Attempt, AttemptStatus, DeliveryKind
from bot.storage.repositories import AttemptRepository

REVEALED = "revealed"
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


@dataclass(frozen=True)
class NextQuestion:
    question: Question
    attempt: Attempt
    title: str
    stale: list[Attempt]

    @property
    def kind(self) -> DeliveryKind:
        return DeliveryKind(self.attempt.kind)


@dataclass(frozen=True)
class AnswerResult:
    outcome: Settled
    attempt: Attempt | None = None
    question: Question | None = None
    chosen: frozenset[int] = frozenset()
    correct: bool = False
    response: str | None = None
    sql: SqlVerdict | None = None
    message: str | None = None
    rating: SelfRating | None = None


def encode_options(options: frozenset[int]) -> str:
    return ",".join(str(index) for index in sorted(options))


def decode_options(text: str | None) -> frozenset[int]:
    if not text:
        return frozenset()
    return frozenset(int(part) for part in text.split(",") if part.isdigit())


def delivery_for(question: Question) -> DeliveryKind:
    if question.type not in OPTION_TYPES:
        return DeliveryKind.TYPED
    return DeliveryKind.POLL if question.fits_poll else DeliveryKind.BUTTONS


class QuizService:
    def __init__(
        self,
        catalog: Catalog,
        attempts: AttemptRepository,
        clock: Clock,
        rng: Random,
        sandbox: SqlSandbox | None = None,
    ) -> None:
        self.catalog = catalog
        self.sandbox = sandbox or SqlSandbox(dict(catalog.datasets))
        self._attempts = attempts
        self._clock = clock
        self._rng = rng

    def title(self, area: str) -> str:
        bank = self.catalog.bank(area)
        return bank.title if bank else area

    async def next_question(
        self, user_id: int, chat_id: int, area: str | None
    ) -> NextQuestion | None:
        candidates = [question.id for question in self.catalog.questions(area)]

        def choose(history: dict[str, QuestionHistory]) -> tuple[str, str, str] | None:
            question_id = pick_question(candidates, history, self._rng)
            question = self.catalog.question(question_id) if question_id else None
            return (question.id, question.area, delivery_for(question).value) if question else None

        opened = await self._attempts.open_next(
            user_id=user_id, chat_id=chat_id, quiz_area=area, choose=choose, now=self._clock.now()
        )
        if opened is None:
            return None
        attempt, stale = opened
        question = self.catalog.question(attempt.question_id)
        assert question is not None
        return NextQuestion(question, attempt, self.title(question.area), stale)

    async def sent(self, attempt_id: int, message_id: int, poll_id: str | None) -> None:
        await self._attempts.attach_message(attempt_id, message_id, poll_id)

    def _refusal(self, attempt: Attempt | None, user_id: int) -> AnswerResult | None:
        """An AnswerResult when the attempt cannot take an answer; None when it can."""
        if attempt is None:
            return AnswerResult(Settled.GONE)
        question = self.catalog.question(attempt.question_id)
        if question is None:
            return AnswerResult(Settled.GONE, attempt)
        if attempt.user_id != user_id:
            return AnswerResult(Settled.NOT_YOURS, attempt, question)
        if attempt.status == AttemptStatus.ANSWERED.value:
            return AnswerResult(
                Settled.ALREADY_ANSWERED,
                attempt,
                question,
                decode_options(attempt.chosen),
                bool(attempt.correct),
            )
        if attempt.status == AttemptStatus.SKIPPED.value:
            return AnswerResult(Settled.SKIPPED, attempt, question)
        return None

    async def _open(self, attempt_id: int, user_id: int) -> tuple[Attempt, Question] | AnswerResult:
        attempt = await self._attempts.get(attempt_id)
        refusal = self._refusal(attempt, user_id)
        if refusal is not None:
            return refusal
        assert attempt is not None
        question = self.catalog.question(attempt.question_id)
        assert question is not None
        return attempt, question

    async def answer(self, attempt_id: int, user_id: int, chosen: frozenset[int]) -> AnswerResult:
        """Grades an option answer and records it once, reading and writing in one transaction."""
        decided: list[AnswerResult] = []

        def decide(attempt: Attempt | None) -> dict[str, object] | None:
            refusal = self._refusal(attempt, user_id)
            if refusal is not None:
                decided.append(refusal)
                return None
            assert attempt is not None
            question = self.catalog.question(attempt.question_id)
            assert question is not None
            try:
                if question.type not in OPTION_TYPES:
                    raise InvalidAnswer("not an option question")
                correct = grade_options(question, chosen)
            except InvalidAnswer:
                decided.append(AnswerResult(Settled.INVALID, attempt, question))
                return None
            decided.append(
                AnswerResult(Settled.COUNTED, attempt, question, chosen=chosen, correct=correct)
            )
            return {
                "status": AttemptStatus.ANSWERED.value,
                "chosen": encode_options(chosen),
                "correct": int(correct),
                "answered_at": self._clock.now(),
            }

        attempt, changed = await self._attempts.settle(attempt_id, user_id, decide)
        result = decided[0] if decided else AnswerResult(Settled.GONE)
        if result.outcome is Settled.COUNTED and not changed:
            # Another press settled it between our read and our write.
            return self._refusal(await self._attempts.get(attempt_id), user_id) or AnswerResult(
                Settled.GONE, attempt
            )
        return result

    async def answer_poll(self, poll_id: str, user_id: int, chosen: frozenset[int]) -> AnswerResult:
        attempt = await self._attempts.by_poll_id(poll_id)
        return (
            await self.answer(attempt.id, user_id, chosen)
            if attempt
            else AnswerResult(Settled.GONE)
        )

    async def _answer_options(
        self, attempt: Attempt, question: Question, user_id: int, chosen: frozenset[int]
    ) -> AnswerResult:
        if question.type not in OPTION_TYPES:
            return AnswerResult(Settled.INVALID, attempt, question)
        try:
            correct = grade_options(question, chosen)
        except InvalidAnswer:
            return AnswerResult(Settled.INVALID, attempt, question)
        return await self._record(
            attempt, question, user_id, encode_options(chosen), correct, chosen=chosen
        )

    async def _record(
        self,
        attempt: Attempt,
        question: Question,
        user_id: int,
        stored_choice: str,
        correct: bool,
        *,
        chosen: frozenset[int] = frozenset(),
        response: str | None = None,
        sql: SqlVerdict | None = None,
        rating: SelfRating | None = None,
    ) -> AnswerResult:
        stored = await self._attempts.record_answer(
            attempt.id,
            user_id,
            stored_choice,
            correct,
            self._clock.now(),
            response=response,
            rating=int(rating) if rating is not None else None,
        )
        if not stored:
            # Another press settled it between our read and our write.
            latest = await self._attempts.get(attempt.id)
            return self._refusal(latest, user_id) or AnswerResult(Settled.GONE, attempt)
        return AnswerResult(
            Settled.COUNTED,
            attempt,
            question,
            chosen=chosen,
            correct=correct,
            response=response,
            sql=sql,
            rating=rating,
        )

    async def toggle(self, attempt_id: int, user_id: int, option: int) -> AnswerResult:
        opened = await self._open(attempt_id, user_id)
        if isinstance(opened, AnswerResult):
            return opened
        attempt, question = opened
        if question.type is not QuestionType.MULTI or not 0 <= option < len(question.options):
            return AnswerResult(Settled.INVALID, attempt, question)
        selection = decode_options(attempt.selection) ^ {option}
        if not await self._attempts.set_selection(attempt.id, user_id, encode_options(selection)):
            return await self.toggle(attempt_id, user_id, option)
        return AnswerResult(Settled.COUNTED, attempt, question, selection)

    async def submit(self, attempt_id: int, user_id: int) -> AnswerResult:
        opened = await self._open(attempt_id, user_id)
        if isinstance(opened, AnswerResult):
            return opened
        attempt, question = opened
        return await self._answer_options(
            attempt, question, user_id, decode_options(attempt.selection)
        )

    async def skip(self, attempt_id: int, user_id: int) -> AnswerResult:
        opened = await self._open(attempt_id, user_id)
        if isinstance(opened, AnswerResult):
            return opened
        attempt, question = opened
        if not await self._attempts.skip(attempt.id, user_id, self._clock.now()):
            return await self.skip(attempt_id, user_id)
        return AnswerResult(Settled.SKIPPED, attempt, question, message="skipped now")

    async def cancel(self, user_id: int, chat_id: int) -> list[Attempt]:
        return await self._attempts.skip_open(user_id, chat_id, self._clock.now())

    # -- typed answers: text, sql, open -------------------------------------------------------
    async def typed_answer(self, user_id: int, chat_id: int, text: str) -> AnswerResult | None:
        """Grades text typed in the chat against its open typed question; None when there is none."""
        attempt = await self._attempts.open_typed(user_id, chat_id)
        if attempt is None:
            return None
        question = self.catalog.question(attempt.question_id)
        if question is None:
            return AnswerResult(Settled.GONE, attempt)
        text = text.strip()[:MAX_RESPONSE_CHARS]
        if question.type is QuestionType.TEXT:
            correct = grade_text(question, text)
            return await self._record(attempt, question, user_id, "", correct, response=text)
        if question.type is QuestionType.SQL:
            return await self._answer_sql(attempt, question, user_id, text)
        if attempt.selection == REVEALED:
            return AnswerResult(Settled.AWAITING_RATING, attempt, question)
        if not await self._attempts.save_response(attempt.id, user_id, text, REVEALED):
            return self._refusal(await self._attempts.get(attempt.id), user_id)
        return AnswerResult(Settled.REVEALED, attempt, question, response=text)

    async def _answer_sql(
        self, attempt: Attempt, question: Question, user_id: int, query: str
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
        return await self._record(
            attempt, question, user_id, "", verdict.correct, response=query, sql=verdict
        )

    async def reveal(self, attempt_id: int, user_id: int) -> AnswerResult:
        opened = await self._open(attempt_id, user_id)
        if isinstance(opened, AnswerResult):
            return opened
        attempt, question = opened
        if question.type is not QuestionType.OPEN:
            return AnswerResult(Settled.INVALID, attempt, question)
        if attempt.selection == REVEALED:
            return AnswerResult(Settled.AWAITING_RATING, attempt, question)
        if not await self._attempts.set_selection(attempt.id, user_id, REVEALED):
            return await self.reveal(attempt_id, user_id)
        return AnswerResult(Settled.REVEALED, attempt, question)

    async def rate(self, attempt_id: int, user_id: int, rating: SelfRating) -> AnswerResult:
        opened = await self._open(attempt_id, user_id)
        if isinstance(opened, AnswerResult):
            return opened
        attempt, question = opened
        if question.type is not QuestionType.OPEN or attempt.selection != REVEALED:
            return AnswerResult(Settled.INVALID, attempt, question)
        return await self._record(
            attempt,
            question,
            user_id,
            rating.label.lower(),
            rating.counts_as_correct,
            rating=rating,
        )
