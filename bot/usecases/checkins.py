"""Daily check-ins: schedules, claiming due runs, the standup text's facts, answers, history."""

from __future__ import annotations

from collections.abc import Callable
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
from bot.domain.states import SendStatus
from bot.domain.stats import AreaScore, StatsSummary, current_streak
from bot.storage.models import CheckinSchedule
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.usecases.coach import study_plan
from bot.usecases.scheduled_runs import SendQueue, claim_due_runs
from bot.usecases.views import CheckinView

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
    reviews_due_today: int = 0
    days_to_goal: int | None = None  # None without an interview date (or once it passed)
    focus_area: str | None = None  # the area that most raises the readiness forecast


@dataclass(frozen=True)
class AnswerProgress:
    checkin: CheckinView
    filled: dict[str, str]
    complete: bool
    streak_days: int


@dataclass(frozen=True)
class ZoneSetting:
    zone: str
    is_default: bool  # the user never set one: DEFAULT_TIMEZONE applies


def _view(schedule: CheckinSchedule, now: datetime) -> ScheduleView:
    zone = ZoneInfo(schedule.timezone)
    paused = (
        schedule.paused_until.astimezone(zone)
        if schedule.paused_until and schedule.paused_until > now
        else None
    )
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
        uow: UnitOfWorkFactory,
        catalog: Catalog,
        clock: Clock,
        default_timezone: str,
        grace: timedelta,
    ) -> None:
        self._uow = uow
        self._catalog = catalog
        self._clock = clock
        self._default_timezone = default_timezone
        self.grace = grace
        self.outbox = SendQueue(
            uow, lambda work: work.checkins.outbox, CheckinView.of, clock, grace
        )

    async def _zone_in(self, uow: UnitOfWork, user_id: int) -> ZoneInfo:
        user = await uow.users.get(user_id)
        return ZoneInfo((user.timezone if user else None) or self._default_timezone)

    async def user_zone(self, user_id: int) -> ZoneInfo:
        async with self._uow() as uow:
            return await self._zone_in(uow, user_id)

    async def zone_setting(self, user_id: int) -> ZoneSetting:
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
        chosen = user.timezone if user else None
        return ZoneSetting(chosen or self._default_timezone, chosen is None)

    # -- schedules ---------------------------------------------------------------------
    async def set_schedule(
        self, user_id: int, chat_id: int, request: ScheduleRequest
    ) -> ScheduleView:
        async with self._uow() as uow:
            existing = await uow.checkins.schedule_of(user_id)
            zone = request.zone or await self._zone_in(uow, user_id)
            days = request.days or (Days(existing.days) if existing else Days(EVERY_DAY))
            if request.zone is not None:
                await uow.users.set_timezone(user_id, str(zone.key))
            now = self._clock.now()
            schedule = await uow.checkins.save_schedule(
                user_id=user_id,
                chat_id=chat_id,
                hour=request.at.hour,
                minute=request.at.minute,
                timezone=str(zone.key),
                days=days.mask,
                next_run_at=next_run_after(now, request.at, zone, days),
                now=now,
            )
            view = _view(schedule, now)
            await uow.commit()
        return view

    async def schedule(self, user_id: int) -> ScheduleView | None:
        async with self._uow() as uow:
            schedule = await uow.checkins.schedule_of(user_id)
            return _view(schedule, self._clock.now()) if schedule else None

    async def turn_off(self, user_id: int) -> bool:
        async with self._uow() as uow:
            schedule = await uow.checkins.schedule_of(user_id)
            if schedule is None or not schedule.enabled:
                return False
            await uow.checkins.update_schedule(schedule.id, enabled=False)
            await uow.commit()
        return True

    async def _reschedule(
        self, user_id: int, change: Callable[[CheckinSchedule], dict[str, object] | None]
    ) -> ScheduleView | None:
        """Applies the values `change` computes from the schedule (None: leave it) and returns
        the schedule as it is now."""
        async with self._uow() as uow:
            schedule = await uow.checkins.schedule_of(user_id)
            if schedule is None:
                return None
            values = change(schedule)
            if values is None:
                return None
            await uow.checkins.update_schedule(schedule.id, **values)
            await uow.commit()
        return await self.schedule(user_id)

    async def pause(self, user_id: int, duration: timedelta) -> ScheduleView | None:
        """Skips the check-ins of the coming `duration`: the pause ends with the first
        check-in after it, at the check-in's own local time."""
        until = self._clock.now() + duration

        def paused(schedule: CheckinSchedule) -> dict[str, object] | None:
            if not schedule.enabled:
                return None
            at, zone = time(schedule.hour, schedule.minute), ZoneInfo(schedule.timezone)
            next_run = next_run_after(until, at, zone, Days(schedule.days))
            return {"paused_until": next_run, "next_run_at": next_run}

        return await self._reschedule(user_id, paused)

    async def resume(self, user_id: int) -> tuple[ScheduleView | None, bool]:
        """Ends a pause (or turns a stopped check-in back on); the flag says whether there
        was anything to resume."""
        now = self._clock.now()

        def resumed(schedule: CheckinSchedule) -> dict[str, object] | None:
            paused = schedule.paused_until is not None and schedule.paused_until > now
            if schedule.enabled and not paused:
                return None
            at, zone = time(schedule.hour, schedule.minute), ZoneInfo(schedule.timezone)
            next_run = next_run_after(now, at, zone, Days(schedule.days))
            return {"enabled": True, "paused_until": None, "next_run_at": next_run}

        view = await self._reschedule(user_id, resumed)
        if view is not None:
            return view, True
        return await self.schedule(user_id), False

    async def set_timezone(self, user_id: int, name: str) -> ScheduleView | None:
        """Sets the user's zone; a check-in schedule keeps its local time in the new zone."""
        zone = parse_zone(name)
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.users.set_timezone(user_id, str(zone.key))
            schedule = await uow.checkins.schedule_of(user_id)
            if schedule is not None:
                at = time(schedule.hour, schedule.minute)
                pause_end = schedule.paused_until
                paused = pause_end is not None and pause_end > now
                # A pause keeps ending with a check-in: the first one from the pause's end on.
                start = pause_end - timedelta(seconds=1) if pause_end and paused else now
                next_run = next_run_after(start, at, zone, Days(schedule.days))
                await uow.checkins.update_schedule(
                    schedule.id,
                    timezone=str(zone.key),
                    next_run_at=next_run,
                    paused_until=next_run if paused else None,
                )
            await uow.commit()
        return await self.schedule(user_id)

    # -- the sweep -----------------------------------------------------------------------
    async def claim_due(self) -> int:
        """Claims every due run (see claim_due_runs); returns how many check-ins were created."""
        return await claim_due_runs(self._uow, lambda uow: uow.checkins, self._clock, self.grace)

    async def abandon_sending(self) -> int:
        """At start-up: a check-in that was being sent when the bot stopped may have arrived;
        it is not sent again (no duplicates), so it is marked failed."""
        async with self._uow() as uow:
            abandoned = await uow.checkins.outbox.abandon_sending()
            abandoned += await uow.group_posts.outbox.abandon_sending()
            await uow.commit()
        return abandoned

    async def mark_sent(self, checkin_id: int, message_id: int) -> None:
        async with self._uow() as uow:
            await uow.checkins.outbox.set(
                checkin_id,
                status=SendStatus.SENT,
                message_id=message_id,
                sent_at=self._clock.now(),
            )
            await uow.commit()

    async def take_reminders(self) -> list[CheckinView]:
        now = self._clock.now()
        async with self._uow() as uow:
            rows = await uow.checkins.take_reminders(now - REMIND_AFTER, now - ANSWER_WINDOW, now)
            views = [CheckinView.of(row) for row in rows]
            await uow.commit()
        return views

    async def facts(self, checkin: CheckinView) -> StandupFacts:
        """What the standup shows above its questions, for the learner's local yesterday."""
        async with self._uow() as uow:
            zone = await self._zone_in(uow, checkin.user_id)
            today = checkin.local_date
            start = datetime.combine(today - timedelta(days=1), time(0), tzinfo=zone)
            end = datetime.combine(today, time(0), tzinfo=zone)
            yesterday = await uow.attempts.area_scores(checkin.user_id, since=start, until=end)
            overall = await uow.attempts.area_scores(checkin.user_id)
            user = await uow.users.get(checkin.user_id)
            started = user.created_at.astimezone(zone).date() if user else today
            plan = await study_plan(
                uow, self._catalog, checkin.user_id, self._clock.now(), self._default_timezone
            )
        weakest = StatsSummary(overall, 0).weakest_area
        return StandupFacts(
            today,
            StatsSummary(yesterday, 0),
            weakest,
            month_on(started, today),
            reviews_due_today=plan.due_today,
            days_to_goal=plan.days_left,
            focus_area=plan.focus,
        )

    # -- answers -------------------------------------------------------------------------
    async def awaiting(self, user_id: int, chat_id: int) -> CheckinView | None:
        async with self._uow() as uow:
            row = await uow.checkins.awaiting_answer(
                user_id, chat_id, self._clock.now() - ANSWER_WINDOW
            )
            return CheckinView.of(row) if row else None

    async def record_answer(self, checkin: CheckinView, text: str) -> AnswerProgress | None:
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
        async with self._uow() as uow:
            if not await uow.checkins.save_answer(checkin.id, new, complete, self._clock.now()):
                return None
            await uow.commit()
        streak = await self.streak(checkin.user_id) if complete else 0
        return AnswerProgress(checkin, {**filled, **new}, complete, streak)

    async def streak(self, user_id: int) -> int:
        async with self._uow() as uow:
            zone = await self._zone_in(uow, user_id)
            dates = await uow.checkins.answered_dates(user_id)
        today = self._clock.now().astimezone(zone).date()
        return current_streak(dates, today)

    async def history(self, user_id: int, limit: int = 7) -> tuple[list[CheckinView], int]:
        async with self._uow() as uow:
            rows = [CheckinView.of(row) for row in await uow.checkins.recent(user_id, limit)]
        return rows, await self.streak(user_id)

    async def checkins_on(self, schedule_id: int, local_date: date) -> int:
        async with self._uow() as uow:
            return await uow.checkins.count_for(schedule_id, local_date)


def yesterday_scores(facts: StandupFacts) -> list[AreaScore]:
    return [score for score in facts.yesterday.areas if score.answered]
