"""The coach: FSRS cards reviewed by every answer, readiness, the interview date, the plan."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.banks.catalog import Catalog
from bot.banks.schema import Question
from bot.domain.clock import Clock
from bot.domain.goal import parse_goal_date
from bot.domain.readiness import StudiedCard, StudyPlan, plan_from_cards
from bot.domain.spaced_repetition import (
    DEFAULT_RETENTION,
    CardState,
    ReviewRating,
    ReviewSource,
    review,
)
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

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
