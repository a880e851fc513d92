"""Readiness: how much of each area a learner would recall at a moment, and where to study next.

An area's readiness is the FSRS retrievability summed over the questions seen, divided by the
questions the area's bank holds: the recall over what was seen, weighted by the share covered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.goal import days_until
from bot.domain.spaced_repetition import CardState, recall, reviewed_now

# The questions one study session covers, when weighing which area gains most from it.
SESSION_QUESTIONS = 10
SAME_GAIN = 1e-9
# Without an interview date, today's focus is what raises recall a week from now.
FOCUS_HORIZON = timedelta(days=7)
# The forecast for the interview day is taken in the morning, the learner's local time.
INTERVIEW_TIME = time(9, 0)


@dataclass(frozen=True)
class StudiedCard:
    question_id: str
    area: str
    card: CardState


@dataclass(frozen=True)
class AreaReadiness:
    area: str
    questions: int  # in the area's bank
    seen: int
    recall_sum: float  # retrievability summed over the questions seen

    @property
    def recall(self) -> float:
        """The mean recall over the questions seen."""
        return self.recall_sum / self.seen if self.seen else 0.0

    @property
    def coverage(self) -> float:
        return min(1.0, self.seen / self.questions) if self.questions else 0.0

    @property
    def readiness(self) -> float:
        return min(1.0, self.recall_sum / self.questions) if self.questions else 0.0


@dataclass(frozen=True)
class Readiness:
    at: datetime
    areas: tuple[AreaReadiness, ...]  # every area of the catalog, in its order

    @property
    def overall(self) -> float:
        questions = sum(area.questions for area in self.areas)
        recalled = sum(area.recall_sum for area in self.areas)
        return min(1.0, recalled / questions) if questions else 0.0

    @property
    def practised(self) -> tuple[AreaReadiness, ...]:
        return tuple(area for area in self.areas if area.seen)

    @property
    def weakest(self) -> str | None:
        """The practised area with the lowest readiness (on a tie, the lower recall)."""
        practised = self.practised
        if not practised:
            return None
        return min(practised, key=lambda area: (area.readiness, area.recall, area.area)).area

    def area(self, name: str) -> AreaReadiness | None:
        return next((area for area in self.areas if area.area == name), None)


def _known(cards: Iterable[StudiedCard], bank_sizes: Mapping[str, int]) -> list[StudiedCard]:
    return [studied for studied in cards if studied.area in bank_sizes]


def readiness_at(
    cards: Iterable[StudiedCard], bank_sizes: Mapping[str, int], at: datetime
) -> Readiness:
    """Readiness at `at` if the learner studied nothing more until then (a forecast when
    `at` is in the future)."""
    seen: dict[str, int] = dict.fromkeys(bank_sizes, 0)
    recalled: dict[str, float] = dict.fromkeys(bank_sizes, 0.0)
    for studied in _known(cards, bank_sizes):
        seen[studied.area] += 1
        recalled[studied.area] += recall(studied.card, at)
    return Readiness(
        at,
        tuple(
            AreaReadiness(area, size, seen[area], recalled[area])
            for area, size in bank_sizes.items()
        ),
    )


def focus_area(
    cards: Iterable[StudiedCard],
    bank_sizes: Mapping[str, int],
    now: datetime,
    target: datetime,
    session: int = SESSION_QUESTIONS,
) -> str | None:
    """The area whose next study session raises the forecast at `target` most.

    A session answers `session` questions of one area right now (rated Good): each raises its
    question's recall at `target` from what it is (0 for an unseen one) to what a fresh review
    gives. The area with the largest sum of its best gains wins; on a tie the catalog's order
    (the roadmap) decides.
    """
    # The cards with the lowest recall at `target` have the most to gain: only the weakest
    # `session` of each area are reviewed in simulation (a learner may have a thousand cards).
    weakest: dict[str, list[tuple[float, CardState]]] = {area: [] for area in bank_sizes}
    seen: dict[str, int] = dict.fromkeys(bank_sizes, 0)
    for studied in _known(cards, bank_sizes):
        seen[studied.area] += 1
        weakest[studied.area].append((recall(studied.card, target), studied.card))
    gains: dict[str, list[float]] = {}
    for area, scored in weakest.items():
        scored.sort(key=lambda pair: pair[0])
        gains[area] = [
            recall(reviewed_now(card, now), target) - before for before, card in scored[:session]
        ]
    unseen_gain = recall(reviewed_now(None, now), target)
    best_area: str | None = None
    best = 0.0
    for area, size in bank_sizes.items():
        unseen = max(0, size - seen[area])
        candidates = sorted(gains[area], reverse=True)[:session]
        candidates += [unseen_gain] * min(unseen, session)
        gain = sum(sorted(candidates, reverse=True)[:session])
        if gain > best + SAME_GAIN:
            best_area, best = area, gain
    return best_area


@dataclass(frozen=True)
class StudyPlan:
    """Where a learner stands today and what to do next, in their time zone."""

    today: date
    zone: ZoneInfo
    readiness: Readiness
    due_now: int
    due_today: int
    next_due: datetime | None  # local time of the next card coming due, when none is due now
    goal: date | None
    days_left: int | None  # to the interview; None without a goal or once it has passed
    forecast: Readiness | None  # at the interview if the learner stopped now
    focus: str | None  # the area that most raises the forecast (or next week's recall)

    @property
    def studied(self) -> bool:
        return bool(self.readiness.practised)


def plan_from_cards(
    cards: list[StudiedCard],
    sizes: dict[str, int],
    now: datetime,
    zone: ZoneInfo,
    goal: date | None,
) -> StudyPlan:
    today = now.astimezone(zone).date()
    end_of_today = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone)
    due_now = sum(studied.card.is_due(now) for studied in cards)
    due_today = sum(studied.card.due < end_of_today for studied in cards)
    upcoming = [studied.card.due for studied in cards if not studied.card.is_due(now)]
    next_due = min(upcoming).astimezone(zone) if upcoming and not due_now else None
    days_left = days_until(goal, today) if goal is not None else None
    if days_left is not None and days_left < 0:
        days_left = None
    interview = (
        datetime.combine(goal, INTERVIEW_TIME, tzinfo=zone)
        if goal is not None and days_left is not None
        else None
    )
    forecast = readiness_at(cards, sizes, interview) if interview is not None else None
    target = interview if interview is not None and interview > now else now + FOCUS_HORIZON
    return StudyPlan(
        today=today,
        zone=zone,
        readiness=readiness_at(cards, sizes, now),
        due_now=due_now,
        due_today=due_today,
        next_due=next_due,
        goal=goal,
        days_left=days_left,
        forecast=forecast,
        focus=focus_area(cards, sizes, now, target),
    )
