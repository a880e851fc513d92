"""The private quiz: pick the next question, open an attempt, settle answers exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from random import Random

from bot.banks.catalog import Catalog
from bot.banks.schema import Question
from bot.domain.clock import Clock
from bot.domain.grading import InvalidAnswer, grade_options
from bot.domain.selection import pick_question
from bot.storage.models import Attempt, AttemptStatus, DeliveryKind
from bot.storage.repositories import AttemptRepository


class Settled(Enum):
    COUNTED = "counted"
    ALREADY_ANSWERED = "already answered"
    SKIPPED = "skipped"
    NOT_YOURS = "not yours"
    GONE = "gone"
    INVALID = "invalid"


@dataclass(frozen=True)
class NextQuestion:
    question: Question
    attempt: Attempt
    title: str
    stale: list[Attempt]

    @property
    def as_poll(self) -> bool:
        return self.attempt.kind == DeliveryKind.POLL.value


@dataclass(frozen=True)
class AnswerResult:
    outcome: Settled
    attempt: Attempt | None = None
    question: Question | None = None
    chosen: frozenset[int] = frozenset()
    correct: bool = False


def encode_options(options: frozenset[int]) -> str:
    return ",".join(str(index) for index in sorted(options))


def decode_options(text: str | None) -> frozenset[int]:
    if not text:
        return frozenset()
    return frozenset(int(part) for part in text.split(",") if part.isdigit())


class QuizService:
    def __init__(
        self, catalog: Catalog, attempts: AttemptRepository, clock: Clock, rng: Random
    ) -> None:
        self.catalog = catalog
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
        history = await self._attempts.history(user_id)
        question_id = pick_question(candidates, history, self._rng)
        if question_id is None:
            return None
        question = self.catalog.question(question_id)
        assert question is not None
        kind = DeliveryKind.POLL if question.fits_poll else DeliveryKind.BUTTONS
        attempt, stale = await self._attempts.open_new(
            user_id=user_id,
            chat_id=chat_id,
            question_id=question.id,
            area=question.area,
            quiz_area=area,
            kind=kind.value,
            now=self._clock.now(),
        )
        return NextQuestion(question, attempt, self.title(question.area), stale)

    async def sent(self, attempt_id: int, message_id: int, poll_id: str | None) -> None:
        await self._attempts.attach_message(attempt_id, message_id, poll_id)

    async def _settle(self, attempt: Attempt | None, user_id: int) -> AnswerResult | None:
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

    async def answer(self, attempt_id: int, user_id: int, chosen: frozenset[int]) -> AnswerResult:
        attempt = await self._attempts.get(attempt_id)
        return await self._answer(attempt, user_id, chosen)

    async def answer_poll(self, poll_id: str, user_id: int, chosen: frozenset[int]) -> AnswerResult:
        attempt = await self._attempts.by_poll_id(poll_id)
        return await self._answer(attempt, user_id, chosen)

    async def _answer(
        self, attempt: Attempt | None, user_id: int, chosen: frozenset[int]
    ) -> AnswerResult:
        refusal = await self._settle(attempt, user_id)
        if refusal is not None:
            return refusal
        assert attempt is not None
        question = self.catalog.question(attempt.question_id)
        assert question is not None
        try:
            correct = grade_options(question, chosen)
        except InvalidAnswer:
            return AnswerResult(Settled.INVALID, attempt, question)
        stored = await self._attempts.record_answer(
            attempt.id, user_id, encode_options(chosen), correct, self._clock.now()
        )
        if not stored:
            # Another press settled it between our read and our write.
            return await self.answer(attempt.id, user_id, chosen)
        return AnswerResult(Settled.COUNTED, attempt, question, chosen, correct)

    async def toggle(self, attempt_id: int, user_id: int, option: int) -> AnswerResult:
        attempt = await self._attempts.get(attempt_id)
        refusal = await self._settle(attempt, user_id)
        if refusal is not None:
            return refusal
        assert attempt is not None
        question = self.catalog.question(attempt.question_id)
        assert question is not None
        if not 0 <= option < len(question.options):
            return AnswerResult(Settled.INVALID, attempt, question)
        selection = decode_options(attempt.selection) ^ {option}
        if not await self._attempts.set_selection(attempt.id, user_id, encode_options(selection)):
            return await self.toggle(attempt_id, user_id, option)
        return AnswerResult(Settled.COUNTED, attempt, question, selection)

    async def submit(self, attempt_id: int, user_id: int) -> AnswerResult:
        attempt = await self._attempts.get(attempt_id)
        refusal = await self._settle(attempt, user_id)
        if refusal is not None:
            return refusal
        assert attempt is not None
        return await self._answer(attempt, user_id, decode_options(attempt.selection))

    async def skip(self, attempt_id: int, user_id: int) -> AnswerResult:
        attempt = await self._attempts.get(attempt_id)
        refusal = await self._settle(attempt, user_id)
        if refusal is not None:
            return refusal
        assert attempt is not None
        if not await self._attempts.skip(attempt.id, user_id, self._clock.now()):
            return await self.skip(attempt_id, user_id)
        return AnswerResult(Settled.SKIPPED, attempt, self.catalog.question(attempt.question_id))

    async def cancel(self, user_id: int, chat_id: int) -> list[Attempt]:
        return await self._attempts.skip_open(user_id, chat_id, self._clock.now())
