"""The coach: FSRS cards reviewed by every answer, readiness, the interview date, the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.banks.catalog import Catalog
from bot.banks.schema import Question
from bot.domain.clock import Clock
from bot.domain.goal import days_until, parse_goal_date
from bot.domain.readiness import Readiness, StudiedCard, focus_area, readiness_at
from bot.domain.spaced_repetition import (
    DEFAULT_RETENTION,
    CardState,
    ReviewRating,
    ReviewSource,
    review,
)
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

# Without an interview date, today's focus is what raises recall a week from now.
FOCUS_HORIZON = timedelta(days=7)
# The forecast for the interview day is taken in the morning, the learner's local time.
INTERVIEW_TIME = time(9, 0)
_MILLISECOND = timedelta(milliseconds=1)


async def record_review(
    uow: UnitOfWork,
    *,
    user_id: int,
    question: Question,
    rating: ReviewRating,
    asked_at: datetime | None,
    answered_at: datetime,
    source: ReviewSource,
    desired_retention: float = DEFAULT_RETENTION,
) -> CardState:
    """Reviews the learner's card for `question` inside the caller's transaction (which
    records the answer too, so a review happens exactly when an answer is counted)."""
    card = await uow.cards.get_for_update(user_id, question.id) or CardState.new(answered_at)
    reviewed = review(card, rating, answered_at, desired_retention)
    await uow.cards.save(user_id, question.id, question.area, reviewed)
    duration = None if asked_at is None else max(0, int((answered_at - asked_at) / _MILLISECOND))
    await uow.cards.log(
        user_id=user_id,
        question_id=question.id,
        rating=rating,
        source=source,
        reviewed_at=answered_at,
        duration_ms=duration,
        due_after=reviewed.due,
    )
    return reviewed


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


def bank_sizes(catalog: Catalog) -> dict[str, int]:
    return {bank.area: len(bank.questions) for bank in catalog.banks}


async def study_plan(
    uow: UnitOfWork, catalog: Catalog, user_id: int, now: datetime, default_zone: str
) -> StudyPlan:
    user = await uow.users.get(user_id)
    zone = ZoneInfo((user.timezone if user else None) or default_zone)
    goal = user.goal_date if user else None
    cards = [
        StudiedCard(studied.question_id, question.area, studied.card)
        for studied in await uow.cards.of_user(user_id)
        if (question := catalog.question(studied.question_id)) is not None
    ]
    return plan_from_cards(cards, bank_sizes(catalog), now, zone, goal)


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


class CoachService:
    def __init__(
        self, uow: UnitOfWorkFactory, catalog: Catalog, clock: Clock, default_timezone: str
    ) -> None:
        self._uow = uow
        self._catalog = catalog
        self._clock = clock
        self._default_timezone = default_timezone

    async def plan(self, user_id: int) -> StudyPlan:
        async with self._uow() as uow:
            return await study_plan(
                uow, self._catalog, user_id, self._clock.now(), self._default_timezone
            )

    async def set_goal(self, user_id: int, text: str) -> StudyPlan:
        """Sets the interview date (GoalError when `text` is not a usable date)."""
        now = self._clock.now()
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            zone = ZoneInfo((user.timezone if user else None) or self._default_timezone)
            goal = parse_goal_date(text, now.astimezone(zone).date())
            await uow.users.set_goal(user_id, goal)
            plan = await study_plan(uow, self._catalog, user_id, now, self._default_timezone)
            await uow.commit()
        return plan

    async def clear_goal(self, user_id: int) -> bool:
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or user.goal_date is None:
                return False
            await uow.users.set_goal(user_id, None)
            await uow.commit()
        return True
