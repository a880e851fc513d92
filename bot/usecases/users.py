"""Learners: first contact, blocking and unblocking, and /forget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.storage.unit_of_work import UnitOfWorkFactory
from bot.usecases.views import Person

# A user seen this recently, unchanged and active, is not written again: every /quiz would
# otherwise cost a write transaction.
TOUCH_INTERVAL = timedelta(minutes=10)


@dataclass(frozen=True)
class UserView:
    id: int
    first_name: str
    username: str | None
    timezone: str | None
    active: bool
    created_at: datetime


class UserService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock
        self._touched: dict[int, tuple[datetime, str, str | None]] = {}

    async def touch(self, person: Person) -> None:
        """Creates the user on first contact; later contacts refresh the name and reactivate."""
        now = self._clock.now()
        first_name = person.first_name[:128]
        username = person.username[:64] if person.username else None
        seen = self._touched.get(person.id)
        if (
            seen is not None
            and seen[1:] == (first_name, username)
            and now - seen[0] < TOUCH_INTERVAL
        ):
            return
        async with self._uow() as uow:
            await uow.users.touch(person.id, first_name, username, now)
            await uow.commit()
        self._touched[person.id] = (now, first_name, username)

    async def set_active(self, user_id: int, active: bool) -> bool:
        self._touched.pop(user_id, None)
        async with self._uow() as uow:
            changed = await uow.users.set_active(user_id, active)
            await uow.commit()
        return changed

    async def get(self, user_id: int) -> UserView | None:
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None:
                return None
            return UserView(
                user.id,
                user.first_name,
                user.username,
                user.timezone,
                user.active,
                user.created_at,
            )

    async def forget(self, user_id: int) -> int | None:
        """Deletes the user and everything they did; returns how many answers went, or None
        when nothing was stored (already forgotten: a second press deletes nothing)."""
        self._touched.pop(user_id, None)
        async with self._uow() as uow:
            if await uow.users.get(user_id) is None and not await uow.attempts.count_for_user(
                user_id
            ):
                return None
            removed = await uow.users.delete_everything(user_id)
            await uow.commit()
        return removed

    async def knows(self, user_id: int) -> bool:
        """Whether anything is stored about the user."""
        async with self._uow() as uow:
            return await uow.users.get(user_id) is not None
