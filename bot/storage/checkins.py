"""Check-in schedules and check-ins: claims are conditional updates, so nothing runs twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import SendStatus
from bot.storage.models import Checkin, CheckinSchedule, User
from bot.storage.outbox import Outbox, claim_run


class CheckinRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.outbox = Outbox(session, Checkin)

    # -- schedules -----------------------------------------------------------------------
    async def schedule_of(self, user_id: int) -> CheckinSchedule | None:
        return await self._session.scalar(
            select(CheckinSchedule).where(CheckinSchedule.user_id == user_id)
        )

    async def save_schedule(
        self,
        *,
        user_id: int,
        chat_id: int,
        hour: int,
        minute: int,
        timezone: str,
        days: int,
        next_run_at: datetime,
        now: datetime,
    ) -> CheckinSchedule:
        """Creates or replaces the user's schedule; a new schedule is enabled and unpaused."""
        schedule = await self.schedule_of(user_id)
        if schedule is None:
            schedule = CheckinSchedule(user_id=user_id, created_at=now)
            self._session.add(schedule)
        schedule.chat_id = chat_id
        schedule.hour, schedule.minute = hour, minute
        schedule.timezone = timezone
        schedule.days = days
        schedule.enabled = True
        schedule.paused_until = None
        schedule.next_run_at = next_run_at
        await self._session.flush()
        return schedule

    async def update_schedule(self, schedule_id: int, **values: object) -> None:
        await self._session.execute(
            update(CheckinSchedule).where(CheckinSchedule.id == schedule_id).values(**values)
        )

    async def due_schedules(self, now: datetime, limit: int) -> Sequence[CheckinSchedule]:
        """Enabled schedules of active users whose next run has come."""
        rows = await self._session.scalars(
            select(CheckinSchedule)
            .join(User, User.id == CheckinSchedule.user_id)
            .where(
                CheckinSchedule.enabled.is_(True),
                CheckinSchedule.next_run_at <= now,
                User.active.is_(True),
            )
            .order_by(CheckinSchedule.next_run_at)
            .limit(limit)
        )
        return rows.all()

    async def claim_occurrence(
        self,
        schedule: CheckinSchedule,
        new_next_run_at: datetime,
        local_date: date | None,
        due_at: datetime | None,
    ) -> bool:
        """Moves the schedule on from the run it was due for and, given a run (local date and
        due time), records a pending check-in for it. False when another sweep claimed first."""
        row = None
        if local_date is not None and due_at is not None:
            row = Checkin(
                schedule_id=schedule.id,
                user_id=schedule.user_id,
                chat_id=schedule.chat_id,
                local_date=local_date,
                due_at=due_at,
                status=SendStatus.PENDING,
                tries=0,
            )
        return await claim_run(
            self._session,
            CheckinSchedule,
            schedule.id,
            schedule.next_run_at,
            new_next_run_at,
            row,
        )

    # -- sending ---------------------------------------------------------------------------
    async def take_reminders(
        self, sent_before: datetime, due_after: datetime, now: datetime
    ) -> Sequence[Checkin]:
        """Claims the unanswered check-ins that need their one reminder."""
        rows = await self._session.scalars(
            update(Checkin)
            .where(
                Checkin.status == SendStatus.SENT,
                Checkin.reminded_at.is_(None),
                Checkin.sent_at <= sent_before,
                Checkin.due_at >= due_after,
            )
            .values(reminded_at=now)
            .returning(Checkin),
            execution_options={"synchronize_session": False},
        )
        return rows.all()

    # -- answers ---------------------------------------------------------------------------
    async def awaiting_answer(
        self, user_id: int, chat_id: int, sent_after: datetime
    ) -> Checkin | None:
        return await self._session.scalar(
            select(Checkin)
            .where(
                Checkin.user_id == user_id,
                Checkin.chat_id == chat_id,
                Checkin.status == SendStatus.SENT,
                Checkin.sent_at >= sent_after,
            )
            .order_by(Checkin.sent_at.desc())
            .limit(1)
        )

    async def save_answer(
        self, checkin_id: int, values: dict[str, str], complete: bool, now: datetime
    ) -> bool:
        changes: dict[str, object] = dict(values)
        if complete:
            changes.update(status=SendStatus.ANSWERED, answered_at=now)
        result = await self._session.execute(
            update(Checkin)
            .where(Checkin.id == checkin_id, Checkin.status == SendStatus.SENT)
            .values(**changes)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def recent(self, user_id: int, limit: int) -> Sequence[Checkin]:
        rows = await self._session.scalars(
            select(Checkin)
            .where(
                Checkin.user_id == user_id,
                Checkin.status.in_([SendStatus.SENT, SendStatus.ANSWERED]),
            )
            .order_by(Checkin.local_date.desc())
            .limit(limit)
        )
        return rows.all()

    async def answered_dates(self, user_id: int) -> list[date]:
        rows = await self._session.scalars(
            select(Checkin.local_date).where(
                Checkin.user_id == user_id, Checkin.status == SendStatus.ANSWERED
            )
        )
        return list(rows.all())

    async def count_for(self, schedule_id: int, local_date: date) -> int:
        rows = await self._session.scalars(
            select(Checkin.id).where(
                Checkin.schedule_id == schedule_id, Checkin.local_date == local_date
            )
        )
        return len(rows.all())
