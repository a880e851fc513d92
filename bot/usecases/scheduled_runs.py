"""Claiming due runs of any daily schedule: private check-ins and group posts alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.schedule import Days, local_date_of, plan_run
from bot.storage.outbox import Outbox
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

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


async def claim_due_runs(
    uow_factory: UnitOfWorkFactory,
    store_of: Callable[[UnitOfWork], ScheduleStore[S]],
    clock: Clock,
    grace: timedelta,
) -> int:
    """Claims every due run, a batch per transaction: within the grace period a run becomes a
    pending row to send; runs missed for longer are skipped. Returns how many rows were made.
    Claims are conditional updates, so two sweeps (or two replicas) never claim one run twice."""
    created = 0
    while True:
        now = clock.now()
        async with uow_factory() as uow:
            store = store_of(uow)
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
                elif await store.claim_occurrence(
                    schedule, following, local_date_of(run, zone), run
                ):
                    created += 1
            await uow.commit()


V = TypeVar("V")


class SendQueue(Generic[V]):
    """The sending side of one outbox (check-ins or group posts): take what is due as views,
    give up on a refused send, release one worth another try."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        outbox_of: Callable[[UnitOfWork], Outbox],
        view: Callable[[Any], V],
        clock: Clock,
        grace: timedelta,
    ) -> None:
        self._uow = uow
        self._outbox_of = outbox_of
        self._view = view
        self._clock = clock
        self._grace = grace

    async def take_pending(self, limit: int) -> list[V]:
        """Marks up to `limit` due rows as being sent; rows past the grace period are given up."""
        oldest_due = self._clock.now() - self._grace
        async with self._uow() as uow:
            outbox = self._outbox_of(uow)
            await outbox.expire_pending(oldest_due)
            views = [self._view(row) for row in await outbox.take_pending(oldest_due, limit)]
            await uow.commit()
        return views

    async def mark_failed(self, row_id: int) -> None:
        async with self._uow() as uow:
            await self._outbox_of(uow).mark_failed(row_id)
            await uow.commit()

    async def release(self, row_id: int, tries: int) -> None:
        async with self._uow() as uow:
            await self._outbox_of(uow).release(row_id, tries)
            await uow.commit()
