"""What /stats shows: scores per area and the day streak in the user's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.stats import StatsSummary, current_streak
from bot.storage.repositories import AttemptRepository, UserRepository


class ProgressService:
    def __init__(
        self,
        attempts: AttemptRepository,
        users: UserRepository,
        clock: Clock,
        default_timezone: str,
    ) -> None:
        self._attempts = attempts
        self._users = users
        self._clock = clock
        self._default_timezone = default_timezone

    async def timezone(self, user_id: int) -> ZoneInfo:
        user = await self._users.get(user_id)
        return ZoneInfo((user.timezone if user else None) or self._default_timezone)

    async def summary(self, user_id: int) -> StatsSummary:
        zone = await self.timezone(user_id)
        scores = await self._attempts.area_scores(user_id)
        days = {
            moment.astimezone(zone).date() for moment in await self._attempts.answer_times(user_id)
        }
        today = self._clock.now().astimezone(zone).date()
        return StatsSummary(areas=scores, streak_days=current_streak(days, today))
