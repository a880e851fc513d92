"""Check-in schedules and check-ins: claims are conditional updates, so nothing runs twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import and_, delete, select, update

from bot.storage.database import Database
from bot.storage.models import Checkin, CheckinSchedule, CheckinStatus, User
from bot.storage.outbox import Outbox, claim_run


class CheckinRepository:
    def __init__(self, database: Database) -> None:
        self._db = database
        self.outbox = Outbox(database, Checkin)

    # -- schedules -----------------------------------------------------------------------
    async def schedule_of(self, user_id: int) -> CheckinSchedule | None:
        async with self._db.session() as session:
            return await session.scalar(
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
        async with self._db.session.begin() as session:
            schedule = await session.scalar(
                select(CheckinSchedule).where(CheckinSchedule.user_id == user_id)
            )
            if schedule is None:
                schedule = CheckinSchedule(user_id=user_id, created_at=now)
                session.add(schedule)
            schedule.chat_id = chat_id
            schedule.hour, schedule.minute = hour, minute
            schedule.timezone = timezone
            schedule.days = days
            schedule.enabled = True
            schedule.paused_until = None
            schedule.next_run_at = next_run_at
            await session.flush()
            return schedule

    async def update_schedule(self, schedule_id: int, **values: object) -> None:
        async with self._db.session.begin() as session:
            await session.execute(
                update(CheckinSchedule).where(CheckinSchedule.id == schedule_id).values(**values)
            )

    async def due_schedules(self, now: datetime, limit: int) -> Sequence[CheckinSchedule]:
        """Enabled schedules of active users whose next run has come."""
        async with self._db.session() as session:
            rows = await session.scalars(
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
                status=CheckinStatus.PENDING.value,
                tries=0,
            )
        async with self._db.session.begin() as session:
            return await claim_run(session, CheckinSchedule, schedule, new_next_run_at, row)

    # -- sending ---------------------------------------------------------------------------
    async def take_pending(self, oldest_due: datetime, limit: int) -> Sequence[Checkin]:
        return await self.outbox.take_pending(oldest_due, limit)

    async def expire_pending(self, oldest_due: datetime) -> int:
        return await self.outbox.expire_pending(oldest_due)

    async def abandon_sending(self) -> int:
        """At start-up: a check-in that was being sent when the bot stopped may have arrived;
        it is not sent again (no duplicates), so it is marked failed."""
        return await self.outbox.abandon_sending()

    async def mark_sent(self, checkin_id: int, message_id: int, now: datetime) -> None:
        await self.outbox.set(
            checkin_id, status=CheckinStatus.SENT.value, message_id=message_id, sent_at=now
        )

    async def mark_failed(self, checkin_id: int) -> None:
        await self.outbox.mark_failed(checkin_id)

    async def release(self, checkin: Checkin) -> None:
        await self.outbox.release(checkin)

    async def take_reminders(
        self, sent_before: datetime, due_after: datetime, now: datetime
    ) -> Sequence[Checkin]:
        """Claims the unanswered check-ins that need their one reminder."""
        async with self._db.session.begin() as session:
            rows = await session.scalars(
                update(Checkin)
                .where(
                    Checkin.status == CheckinStatus.SENT.value,
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
        async with self._db.session() as session:
            return await session.scalar(
                select(Checkin)
                .where(
                    Checkin.user_id == user_id,
                    Checkin.chat_id == chat_id,
                    Checkin.status == CheckinStatus.SENT.value,
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
            changes.update(status=CheckinStatus.ANSWERED.value, answered_at=now)
        async with self._db.session.begin() as session:
            result = await session.execute(
                update(Checkin)
                .where(Checkin.id == checkin_id, Checkin.status == CheckinStatus.SENT.value)
                .values(**changes)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def recent(self, user_id: int, limit: int) -> Sequence[Checkin]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(Checkin)
                .where(
                    Checkin.user_id == user_id,
                    Checkin.status.in_([CheckinStatus.SENT.value, CheckinStatus.ANSWERED.value]),
                )
                .order_by(Checkin.local_date.desc())
                .limit(limit)
            )
            return rows.all()

    async def answered_dates(self, user_id: int) -> list[date]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(Checkin.local_date).where(
                    and_(Checkin.user_id == user_id, Checkin.status == CheckinStatus.ANSWERED.value)
                )
            )
            return list(rows.all())

    async def count_for(self, schedule_id: int, local_date: date) -> int:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(Checkin.id).where(
                    Checkin.schedule_id == schedule_id, Checkin.local_date == local_date
                )
            )
            return len(rows.all())

    async def delete_for_user(self, user_id: int) -> None:
        async with self._db.session.begin() as session:
            await session.execute(delete(Checkin).where(Checkin.user_id == user_id))
            await session.execute(delete(CheckinSchedule).where(CheckinSchedule.user_id == user_id))
