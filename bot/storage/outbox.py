"""The send-once outbox shared by private check-ins and scheduled group posts.

A row is claimed from a schedule (`claim_run`), taken by a sender (`take_pending` marks it
`sending` atomically), then marked sent or failed. A row left `sending` by a crash is never
re-sent (`abandon_sending`): at most once beats twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import SendStatus

MAX_SEND_TRIES = 3


async def claim_run(
    session: AsyncSession,
    schedule_model: Any,
    schedule_id: int,
    seen_next_run_at: datetime,
    new_next_run_at: datetime,
    row: Any | None,
) -> bool:
    """Moves the schedule past the run it was due for (only if no one else did) and adds
    `row` for that run; a row that already exists for the same date is left alone."""
    moved = await session.execute(
        update(schedule_model)
        .where(schedule_model.id == schedule_id, schedule_model.next_run_at == seen_next_run_at)
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
    """The sending side of one outbox table (check-ins or group posts)."""

    def __init__(self, session: AsyncSession, model: Any) -> None:
        self._session = session
        self._model = model

    async def take_pending(self, oldest_due: datetime, limit: int) -> Sequence[Any]:
        """Marks up to `limit` pending rows as sending and returns them, oldest first."""
        model = self._model
        ids = (
            select(model.id)
            .where(model.status == SendStatus.PENDING, model.due_at >= oldest_due)
            .order_by(model.due_at, model.id)
            .limit(limit)
        )
        rows = await self._session.scalars(
            update(model)
            .where(model.id.in_(ids.scalar_subquery()), model.status == SendStatus.PENDING)
            .values(status=SendStatus.SENDING, tries=model.tries + 1)
            .returning(model),
            execution_options={"synchronize_session": False},
        )
        return sorted(rows.all(), key=lambda row: (row.due_at, row.id))

    async def expire_pending(self, oldest_due: datetime) -> int:
        """Pending rows that fell out of the grace period are given up, not sent late."""
        return await self._update(
            (self._model.status == SendStatus.PENDING, self._model.due_at < oldest_due),
            status=SendStatus.FAILED,
        )

    async def abandon_sending(self) -> int:
        return await self._update(
            (self._model.status == SendStatus.SENDING,), status=SendStatus.FAILED
        )

    async def mark_failed(self, row_id: int) -> None:
        await self._update((self._model.id == row_id,), status=SendStatus.FAILED)

    async def release(self, row_id: int, tries: int) -> None:
        """After a transient error: try again in a later sweep, a few times at most."""
        status = SendStatus.PENDING if tries < MAX_SEND_TRIES else SendStatus.FAILED
        await self._update((self._model.id == row_id,), status=status)

    async def set(self, row_id: int, **values: object) -> None:
        await self._update((self._model.id == row_id,), **values)

    async def _update(self, conditions: tuple[Any, ...], **values: object) -> int:
        result = await self._session.execute(
            update(self._model).where(*conditions).values(**values)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
