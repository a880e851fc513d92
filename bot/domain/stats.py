"""Per-area accuracy, one area's detail, and the day streak, computed from stored answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.banks.schema import Level, Question


class _Accuracy:
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class AreaScore(_Accuracy):
    area: str
    answered: int
    correct: int


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


@dataclass(frozen=True)
class Tally(_Accuracy):
    name: str
    answered: int
    correct: int


@dataclass(frozen=True)
class AreaDetail:
    """One area of /stats AREA: by level, by tag, and what the learner still gets wrong."""

    area: str
    total: Tally
    by_level: tuple[Tally, ...]
    by_tag: tuple[Tally, ...]
    missed: tuple[str, ...]  # question ids whose latest answer was wrong, latest first
    seen: int  # distinct questions answered
    bank_size: int


def area_detail(
    area: str, answers: Sequence[tuple[str, bool]], questions: Mapping[str, Question]
) -> AreaDetail:
    """`answers` are (question id, right) in the order given; `questions` is the area's bank.
    Answers to questions no longer in the bank count in the total only."""
    levels: dict[str, list[int]] = {}
    tags: dict[str, list[int]] = {}
    latest: dict[str, bool] = {}
    for question_id, right in answers:
        latest.pop(question_id, None)
        latest[question_id] = right
        question = questions.get(question_id)
        if question is None:
            continue
        for bucket, name in (
            (levels, question.level.value),
            *((tags, tag) for tag in question.tags),
        ):
            counts = bucket.setdefault(name, [0, 0])
            counts[0] += 1
            counts[1] += int(right)
    order = {level.value: index for index, level in enumerate(Level)}
    by_level = tuple(
        Tally(name, *levels[name]) for name in sorted(levels, key=lambda name: order[name])
    )
    by_tag = tuple(
        Tally(name, *counts)
        for name, counts in sorted(tags.items(), key=lambda item: (-item[1][0], item[0]))
    )
    missed = tuple(
        question_id
        for question_id, right in reversed(latest.items())
        if not right and question_id in questions
    )
    total = Tally(area, len(answers), sum(int(right) for _, right in answers))
    return AreaDetail(area, total, by_level, by_tag, missed, len(latest), len(questions))
