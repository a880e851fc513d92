"""The send-once outbox shared by private check-ins and scheduled group posts.

A row is claimed from a schedule (`claim_run`), taken by a sender (`take_pending` marks it
`sending` atomically), then marked sent or failed. A row left `sending` by a crash is never
re-sent (`abandon_sending`): at most once beats twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import Database
from bot.storage.models import CheckinStatus

MAX_SEND_TRIES = 3
Row = TypeVar("Row")


async def claim_run(
    session: AsyncSession,
    schedule_model: Any,
    schedule: Any,
    new_next_run_at: datetime,
    row: Any | None,
) -> bool:
    """Moves `schedule` past the run it was due for (only if no one else did) and adds `row`
    for that run; a row that already exists for the same date is left alone."""
    moved = await session.execute(
        update(schedule_model)
        .where(schedule_model.id == schedule.id, schedule_model.next_run_at == schedule.next_run_at)
        .values(next_run_at=new_next_run_at)
    )
    if not moved.rowcount:  # type: ignore[attr-defined]
        return False
    if row is None:
        return True
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


class Outbox:
    def __init__(self, database: Database, model: Any) -> None:
        self._db = database
        self._model = model

    async def take_pending(self, oldest_due: datetime, limit: int) -> Sequence[Any]:
        """Marks up to `limit` pending rows as sending and returns them, oldest first."""
        model = self._model
        async with self._db.session.begin() as session:
            ids = (
                model.__table__.select()
                .with_only_columns(model.id)
                .where(model.status == CheckinStatus.PENDING.value, model.due_at >= oldest_due)
                .order_by(model.due_at, model.id)
                .limit(limit)
            )
            rows = await session.scalars(
                update(model)
                .where(
                    model.id.in_(ids.scalar_subquery()), model.status == CheckinStatus.PENDING.value
                )
                .values(status=CheckinStatus.SENDING.value, tries=model.tries + 1)
                .returning(model),
                execution_options={"synchronize_session": False},
            )
            return sorted(rows.all(), key=lambda row: (row.due_at, row.id))

    async def expire_pending(self, oldest_due: datetime) -> int:
        """Pending rows that fell out of the grace period are given up, not sent late."""
        return await self._update(
            (self._model.status == CheckinStatus.PENDING.value, self._model.due_at < oldest_due),
            status=CheckinStatus.FAILED.value,
        )

    async def abandon_sending(self) -> int:
        return await self._update(
            (self._model.status == CheckinStatus.SENDING.value,), status=CheckinStatus.FAILED.value
        )

    async def mark_failed(self, row_id: int) -> None:
        await self._update((self._model.id == row_id,), status=CheckinStatus.FAILED.value)

    async def release(self, row: Any) -> None:
        """After a transient error: try again in a later sweep, a few times at most."""
        status = CheckinStatus.PENDING if row.tries < MAX_SEND_TRIES else CheckinStatus.FAILED
        await self._update((self._model.id == row.id,), status=status.value)

    async def set(self, row_id: int, **values: object) -> None:
        await self._update((self._model.id == row_id,), **values)

    async def _update(self, conditions: tuple[Any, ...], **values: object) -> int:
        async with self._db.session.begin() as session:
            result = await session.execute(update(self._model).where(*conditions).values(**values))
            return int(result.rowcount)  # type: ignore[attr-defined]
