"""Daily check-ins: schedules, claiming due runs, the standup text's facts, answers, history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.banks.catalog import Catalog
from bot.domain.clock import Clock
from bot.domain.roadmap import RoadmapMonth, month_on
from bot.domain.schedule import (
    EVERY_DAY,
    Days,
    ScheduleRequest,
    next_run_after,
    parse_zone,
)
from bot.domain.stats import AreaScore, StatsSummary, current_streak
from bot.storage.checkins import CheckinRepository
from bot.storage.models import Checkin, CheckinSchedule
from bot.storage.repositories import AttemptRepository, UserRepository
from bot.usecases.scheduled_runs import claim_due_runs

CLAIM_BATCH = 500
REMIND_AFTER = timedelta(hours=3)
ANSWER_WINDOW = timedelta(hours=20)
STANDUP_FIELDS = ("yesterday", "today", "blockers")
MAX_FIELD_CHARS = 1000


@dataclass(frozen=True)
class ScheduleView:
    at: time
    zone: str
    days: Days
    next_local: datetime | None
    paused_until_local: datetime | None
    enabled: bool


@dataclass(frozen=True)
class StandupFacts:
    local_date: date
    yesterday: StatsSummary
    weakest_area: str | None
    month: RoadmapMonth


@dataclass(frozen=True)
class AnswerProgress:
    checkin: Checkin
    filled: dict[str, str]
    complete: bool
    streak_days: int


def _view(schedule: CheckinSchedule) -> ScheduleView:
    zone = ZoneInfo(schedule.timezone)
    paused = schedule.paused_until.astimezone(zone) if schedule.paused_until else None
    return ScheduleView(
        at=time(schedule.hour, schedule.minute),
        zone=schedule.timezone,
        days=Days(schedule.days),
        next_local=schedule.next_run_at.astimezone(zone) if schedule.enabled else None,
        paused_until_local=paused,
        enabled=schedule.enabled,
    )


class CheckinService:
    def __init__(
        self,
        checkins: CheckinRepository,
        users: UserRepository,
        attempts: AttemptRepository,
        catalog: Catalog,
        clock: Clock,
        default_timezone: str,
        grace: timedelta,
    ) -> None:
        self._checkins = checkins
        self._users = users
        self._attempts = attempts
        self._catalog = catalog
        self._clock = clock
        self._default_timezone = default_timezone
        self.grace = grace

    async def user_zone(self, user_id: int) -> ZoneInfo:
        user = await self._users.get(user_id)
        return ZoneInfo((user.timezone if user else None) or self._default_timezone)

    # -- schedules ---------------------------------------------------------------------
    async def set_schedule(
        self, user_id: int, chat_id: int, request: ScheduleRequest
    ) -> ScheduleView:
        existing = await self._checkins.schedule_of(user_id)
        zone = request.zone or await self.user_zone(user_id)
        days = request.days or (Days(existing.days) if existing else Days(EVERY_DAY))
        if request.zone is not None:
            await self._users.set_timezone(user_id, str(zone.key))
        now = self._clock.now()
        schedule = await self._checkins.save_schedule(
            user_id=user_id,
            chat_id=chat_id,
            hour=request.at.hour,
            minute=request.at.minute,
            timezone=str(zone.key),
            days=days.mask,
            next_run_at=next_run_after(now, request.at, zone, days),
            now=now,
        )
        return _view(schedule)

    async def schedule(self, user_id: int) -> ScheduleView | None:
        schedule = await self._checkins.schedule_of(user_id)
        return _view(schedule) if schedule else None

    async def turn_off(self, user_id: int) -> bool:
        schedule = await self._checkins.schedule_of(user_id)
        if schedule is None or not schedule.enabled:
            return False
        await self._checkins.update_schedule(schedule.id, enabled=False)
        return True

    async def pause(self, user_id: int, duration: timedelta) -> ScheduleView | None:
        schedule = await self._checkins.schedule_of(user_id)
        if schedule is None or not schedule.enabled:
            return None
        until = self._clock.now() + duration
        zone = ZoneInfo(schedule.timezone)
        next_run = next_run_after(
            until, time(schedule.hour, schedule.minute), zone, Days(schedule.days)
        )
        await self._checkins.update_schedule(schedule.id, paused_until=until, next_run_at=next_run)
        return await self.schedule(user_id)

    async def resume(self, user_id: int) -> ScheduleView | None:
        schedule = await self._checkins.schedule_of(user_id)
        if schedule is None:
            return None
        zone = ZoneInfo(schedule.timezone)
        at = time(schedule.hour, schedule.minute)
        next_run = next_run_after(self._clock.now(), at, zone, Days(schedule.days))
        await self._checkins.update_schedule(
            schedule.id, enabled=True, paused_until=None, next_run_at=next_run
        )
        return await self.schedule(user_id)

    async def set_timezone(self, user_id: int, name: str) -> ScheduleView | None:
        """Sets the user's zone; a check-in schedule keeps its local time in the new zone."""
        zone = parse_zone(name)
        await self._users.set_timezone(user_id, str(zone.key))
        schedule = await self._checkins.schedule_of(user_id)
        if schedule is None:
            return None
        at = time(schedule.hour, schedule.minute)
        start = max(self._clock.now(), schedule.paused_until or self._clock.now())
        await self._checkins.update_schedule(
            schedule.id,
            timezone=str(zone.key),
            next_run_at=next_run_after(start, at, zone, Days(schedule.days)),
        )
        return await self.schedule(user_id)

    # -- the sweep -----------------------------------------------------------------------
    async def claim_due(self) -> int:
        """Claims every due run (see claim_due_runs); returns how many check-ins were created."""
        return await claim_due_runs(self._checkins, self._clock, self.grace)

    async def take_pending(self, limit: int) -> list[Checkin]:
        oldest_due = self._clock.now() - self.grace
        await self._checkins.expire_pending(oldest_due)
        return list(await self._checkins.take_pending(oldest_due, limit))

    async def take_reminders(self) -> list[Checkin]:
        now = self._clock.now()
        return list(
            await self._checkins.take_reminders(now - REMIND_AFTER, now - ANSWER_WINDOW, now)
        )

    async def facts(self, checkin: Checkin) -> StandupFacts:
        """What the standup shows above its questions, for the learner's local yesterday."""
        zone = await self.user_zone(checkin.user_id)
        today = checkin.local_date
        start = datetime.combine(today - timedelta(days=1), time(0), tzinfo=zone)
        end = datetime.combine(today, time(0), tzinfo=zone)
        yesterday = await self._attempts.area_scores(checkin.user_id, since=start, until=end)
        overall = await self._attempts.area_scores(checkin.user_id)
        user = await self._users.get(checkin.user_id)
        started = user.created_at.astimezone(zone).date() if user else today
        weakest = StatsSummary(overall, 0).weakest_area
        return StandupFacts(today, StatsSummary(yesterday, 0), weakest, month_on(started, today))

    # -- answers -------------------------------------------------------------------------
    async def awaiting(self, user_id: int, chat_id: int) -> Checkin | None:
        return await self._checkins.awaiting_answer(
            user_id, chat_id, self._clock.now() - ANSWER_WINDOW
        )

    async def record_answer(self, checkin: Checkin, text: str) -> AnswerProgress | None:
        """One message with three lines answers all three questions; otherwise each message
        answers the next unanswered one."""
        filled = {name: value for name in STANDUP_FIELDS if (value := getattr(checkin, name))}
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if not filled and len(lines) >= len(STANDUP_FIELDS):
            last = len(STANDUP_FIELDS) - 1
            values = [*lines[:last], " ".join(lines[last:])]
            new = dict(zip(STANDUP_FIELDS, values, strict=True))
        else:
            field = next(name for name in STANDUP_FIELDS if name not in filled)
            new = {field: " ".join(lines) or text.strip()}
        new = {name: value[:MAX_FIELD_CHARS] for name, value in new.items()}
        complete = len(filled) + len(new) == len(STANDUP_FIELDS)
        if not await self._checkins.save_answer(checkin.id, new, complete, self._clock.now()):
            return None
        streak = await self.streak(checkin.user_id) if complete else 0
        return AnswerProgress(checkin, {**filled, **new}, complete, streak)

    async def streak(self, user_id: int) -> int:
        zone = await self.user_zone(user_id)
        today = self._clock.now().astimezone(zone).date()
        return current_streak(await self._checkins.answered_dates(user_id), today)

    async def history(self, user_id: int, limit: int = 7) -> tuple[list[Checkin], int]:
        return list(await self._checkins.recent(user_id, limit)), await self.streak(user_id)


def yesterday_scores(facts: StandupFacts) -> list[AreaScore]:
    return [score for score in facts.yesterday.areas if score.answered]
