"""What /stats shows: scores per area and the day streak in the user's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.banks.catalog import Catalog
from bot.domain.clock import Clock
from bot.domain.readiness import StudyPlan
from bot.domain.stats import AreaDetail, AreaScore, StatsSummary, area_detail, current_streak
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.usecases.coach import study_plan


class ProgressService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        default_timezone: str,
        catalog: Catalog | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._default_timezone = default_timezone
        self._catalog = catalog or Catalog.empty()

    async def area(self, user_id: int, area: str) -> AreaDetail:
        """/stats AREA: the area's answers by level and tag, and the questions still missed."""
        async with self._uow() as uow:
            answers = await uow.attempts.answers_in_area(user_id, area)
        bank = {question.id: question for question in self._catalog.questions(area)}
        return area_detail(area, answers, bank)

    async def summary(self, user_id: int) -> StatsSummary:
        async with self._uow() as uow:
            return await self._summary(uow, user_id)

    async def summary_and_plan(self, user_id: int) -> tuple[StatsSummary, StudyPlan]:
        """What /stats shows: the scores and the study plan (readiness), in one transaction."""
        async with self._uow() as uow:
            summary = await self._summary(uow, user_id)
            plan = await study_plan(
                uow, self._catalog, user_id, self._clock.now(), self._default_timezone
            )
        return summary, plan

    async def _summary(self, uow: UnitOfWork, user_id: int) -> StatsSummary:
        user = await uow.users.get(user_id)
        zone = ZoneInfo((user.timezone if user else None) or self._default_timezone)
        scores = await uow.attempts.area_scores(user_id)
        times = await uow.attempts.answer_times(user_id)
        days = {moment.astimezone(zone).date() for moment in times}
        today = self._clock.now().astimezone(zone).date()
        return StatsSummary(areas=scores, streak_days=current_streak(days, today))

    async def area_scores(
        self, user_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[AreaScore]:
        async with self._uow() as uow:
            return await uow.attempts.area_scores(user_id, since, until)

    async def attempts_stored(self, user_id: int) -> int:
        async with self._uow() as uow:
            return await uow.attempts.count_for_user(user_id)
