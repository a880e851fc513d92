"""FSRS as plain values: a card's state and a rating in, the next state out (py-fsrs inside).

The rest of the bot sees `CardState` and `ReviewRating`; fsrs objects never leave this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum, StrEnum
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS as _DEFAULT_PARAMETERS

from bot.banks.schema import QuestionType
from bot.domain.self_rating import SelfRating

DEFAULT_RETENTION = 0.9
# One short step: a wrong answer comes back after 10 minutes, a right one graduates to days.
LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)

# How long a learner typically needs per kind of question; "fast" is under a third of it.
TYPICAL_ANSWER_TIME: Mapping[QuestionType, timedelta] = {
    QuestionType.CHOICE: timedelta(seconds=30),
    QuestionType.MULTI: timedelta(seconds=45),
    QuestionType.TEXT: timedelta(seconds=45),
    QuestionType.SQL: timedelta(minutes=3),
    QuestionType.OPEN: timedelta(minutes=2),
}
FAST_SHARE = 1 / 3


class ReviewRating(IntEnum):
    """FSRS's four grades (the same values as fsrs.Rating and SelfRating)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class CardPhase(IntEnum):
    """Where a card is in FSRS (the same values as fsrs.State)."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class ReviewSource(StrEnum):
    """Where the answer behind a review came from."""

    QUIZ = "quiz"
    REVIEW = "review"
    ROUND = "round"
    QOTD = "qotd"


@dataclass(frozen=True)
class CardState:
    """One learner's FSRS card for one question, as stored."""

    phase: CardPhase
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0  # answers rated Again

    @classmethod
    def new(cls, now: datetime) -> CardState:
        return cls(CardPhase.LEARNING, 0, None, None, _utc(now), None)

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


def fast_answer_limit(kind: QuestionType) -> timedelta:
    return TYPICAL_ANSWER_TIME[kind] * FAST_SHARE


def rating_for_answer(
    kind: QuestionType,
    correct: bool,
    duration: timedelta | None,
    self_rating: SelfRating | None = None,
) -> ReviewRating:
    """Wrong is Again; right is Good, or Easy when well under the kind's typical time; an open
    question keeps the learner's own rating. No duration (a group answer) is never fast."""
    if self_rating is not None:
        return ReviewRating(int(self_rating))
    if not correct:
        return ReviewRating.AGAIN
    if duration is not None and timedelta(0) <= duration < fast_answer_limit(kind):
        return ReviewRating.EASY
    return ReviewRating.GOOD


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass the injected clock's time")
    return moment.astimezone(UTC)


_CURVE_DECAY = -_DEFAULT_PARAMETERS[20]
_CURVE_FACTOR = 0.9 ** (1 / _CURVE_DECAY) - 1


@lru_cache(maxsize=8)
def _scheduler(desired_retention: float) -> Scheduler:
    # No fuzz: the same history and clock always give the same schedule.
    return Scheduler(
        desired_retention=desired_retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        enable_fuzzing=False,
    )


def _to_fsrs(card: CardState) -> Card:
    return Card(
        card_id=0,
        state=State(int(card.phase)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_utc(card.last_review) if card.last_review else None,
    )


def review(
    card: CardState,
    rating: ReviewRating,
    at: datetime,
    desired_retention: float = DEFAULT_RETENTION,
) -> CardState:
    """The card after one review at `at`; the input is left as it was."""
    reviewed, _log = _scheduler(desired_retention).review_card(
        _to_fsrs(card), Rating(int(rating)), _utc(at)
    )
    return CardState(
        phase=CardPhase(int(reviewed.state)),
        step=reviewed.step,
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
        due=reviewed.due,
        last_review=reviewed.last_review,
        reps=card.reps + 1,
        lapses=card.lapses + (rating is ReviewRating.AGAIN),
    )


def retrievability(card: CardState, at: datetime) -> float:
    """The probability FSRS gives of recalling the card at `at` (0 for a card never reviewed).

    Scheduler.get_card_retrievability's forgetting curve, without building an fsrs Card: it is
    evaluated for every card of a learner on every /stats, and depends on the card's memory
    only, never on the desired retention."""
    if card.last_review is None or card.stability is None:
        return 0.0
    elapsed_days = max(0, (_utc(at) - card.last_review).days)
    return float((1 + _CURVE_FACTOR * elapsed_days / card.stability) ** _CURVE_DECAY)


def recall(card: CardState, at: datetime) -> float:
    """What readiness counts: FSRS's recall for a graduated card, and 0 for one still in its
    learning or relearning steps (last answered wrong, or Hard when new): it has not been
    recalled after a delay yet, whatever the short-term curve says."""
    return retrievability(card, at) if card.phase is CardPhase.REVIEW else 0.0


def reviewed_now(card: CardState | None, at: datetime) -> CardState:
    """The card as it would be after a right answer (Good) at `at`: what one more study gives."""
    return review(card or CardState.new(at), ReviewRating.GOOD, at)
