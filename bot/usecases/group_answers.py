"""A member's first answer to a group question (a round's or the question of the day's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.banks.catalog import Catalog
from bot.banks.schema import Question
from bot.domain.grading import InvalidAnswer, grade_options
from bot.domain.spaced_repetition import DEFAULT_RETENTION, ReviewSource, rating_for_answer
from bot.storage.unit_of_work import UnitOfWork
from bot.usecases.coach import record_review
from bot.usecases.views import Person


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


async def record_group_answer(
    uow: UnitOfWork,
    catalog: Catalog,
    *,
    chat_id: int,
    person: Person,
    chosen: frozenset[int],
    question_id: str | None,
    closed: bool,
    now: datetime,
    round_question_id: int | None = None,
    post_id: int | None = None,
    asked_at: datetime | None = None,
    desired_retention: float = DEFAULT_RETENTION,
) -> GroupAnswerResult:
    """Grades and stores the answer inside the caller's unit of work (which commits).

    A member who also studies in a private chat gets their card for the question reviewed
    in the same transaction: right is Good, wrong is Again (a group's pace is not theirs, so
    never Easy)."""
    question = catalog.question(question_id) if question_id else None
    if question is None:
        return GroupAnswerResult(GroupAnswerOutcome.UNKNOWN)
    if closed:
        return GroupAnswerResult(GroupAnswerOutcome.CLOSED, question=question)
    try:
        correct = grade_options(question, chosen)
    except InvalidAnswer:
        return GroupAnswerResult(GroupAnswerOutcome.INVALID, question=question)
    await uow.chats.touch_member(chat_id, person.id, person.display_name, now)
    stored = await uow.group_answers.record(
        chat_id=chat_id,
        user_id=person.id,
        name=person.display_name,
        chosen=chosen,
        correct=correct,
        now=now,
        round_question_id=round_question_id,
        post_id=post_id,
    )
    if stored and await uow.users.get(person.id) is not None:
        await record_review(
            uow,
            user_id=person.id,
            question=question,
            rating=rating_for_answer(question.type, correct, None),
            asked_at=asked_at,
            answered_at=now,
            source=ReviewSource.ROUND if round_question_id is not None else ReviewSource.QOTD,
            desired_retention=desired_retention,
        )
    outcome = GroupAnswerOutcome.COUNTED if stored else GroupAnswerOutcome.ALREADY_ANSWERED
    return GroupAnswerResult(outcome, correct, question)
