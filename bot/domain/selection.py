"""Which question to ask next: unseen first, then the ones answered wrong, then the oldest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random


@dataclass(frozen=True)
class QuestionHistory:
    times_answered: int
    last_correct: bool
    last_answered_at: datetime


def pick_question(
    candidates: Sequence[str],
    history: Mapping[str, QuestionHistory],
    rng: Random,
    exclude: frozenset[str] = frozenset(),
) -> str | None:
    """Picks one question id from `candidates`.

    Unseen questions come first, in random order. When every question has been answered,
    the ones whose last answer was wrong come next, oldest first, then the rest, least
    recently answered first. `exclude` (typically the question just asked) is avoided
    unless it is the only candidate.
    """
    pool = [question_id for question_id in candidates if question_id not in exclude] or list(
        candidates
    )
    if not pool:
        return None
    unseen = [question_id for question_id in pool if question_id not in history]
    if unseen:
        return rng.choice(unseen)
    return min(
        pool,
        key=lambda question_id: (
            history[question_id].last_correct,
            history[question_id].last_answered_at,
            question_id,
        ),
    )
