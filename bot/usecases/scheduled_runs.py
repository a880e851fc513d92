"""Claiming due runs of any daily schedule: private check-ins and group posts alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.schedule import Days, local_date_of, plan_run

CLAIM_BATCH = 500


class Scheduled(Protocol):
    @property
    def hour(self) -> int: ...
    @property
    def minute(self) -> int: ...
    @property
    def timezone(self) -> str: ...
    @property
    def days(self) -> int: ...
    @property
    def next_run_at(self) -> datetime: ...


S = TypeVar("S", bound=Scheduled)


class ScheduleStore(Protocol[S]):
    async def due_schedules(self, now: datetime, limit: int) -> Sequence[S]: ...

    async def claim_occurrence(
        self,
        schedule: S,
        new_next_run_at: datetime,
        local_date: date | None,
        due_at: datetime | None,
    ) -> bool: ...


async def claim_due_runs(store: ScheduleStore[S], clock: Clock, grace: timedelta) -> int:
    """Claims every due run: within the grace period it becomes a pending row to send; runs
    missed for longer are skipped. Returns how many rows were created."""
    created = 0
    while True:
        now = clock.now()
        due = await store.due_schedules(now, CLAIM_BATCH)
        if not due:
            return created
        for schedule in due:
            zone = ZoneInfo(schedule.timezone)
            run, following = plan_run(
                schedule.next_run_at,
                now,
                grace,
                time(schedule.hour, schedule.minute),
                zone,
                Days(schedule.days),
            )
            if run is None:
                await store.claim_occurrence(schedule, following, None, None)
            elif await store.claim_occurrence(schedule, following, local_date_of(run, zone), run):
                created += 1
