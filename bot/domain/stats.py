"""Per-area accuracy and the day streak, computed from stored answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class AreaScore:
    area: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class StatsSummary:
    areas: Sequence[AreaScore]
    streak_days: int

    @property
    def answered(self) -> int:
        return sum(score.answered for score in self.areas)

    @property
    def correct(self) -> int:
        return sum(score.correct for score in self.areas)

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def weakest_area(self) -> str | None:
        scored = [score for score in self.areas if score.answered]
        if not scored:
            return None
        return min(scored, key=lambda score: (score.accuracy, -score.answered, score.area)).area


def current_streak(days_with_answers: Iterable[date], today: date) -> int:
    """Days in a row with at least one answer, ending today, or yesterday if today has none yet."""
    days = set(days_with_answers)
    cursor = today if today in days else today - timedelta(days=1)
    streak = 0
    while cursor in days:
        streak += 1
        cursor -= timedelta(days=1)
    return streak
