"""Users: created on first contact, refreshed later, deleted with everything on /forget."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Attempt, Card, CardReview, Checkin, CheckinSchedule, User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def touch(
        self, user_id: int, first_name: str, username: str | None, now: datetime
    ) -> None:
        """Creates the user on first contact; later contacts refresh the name and reactivate."""
        user = await self._session.get(User, user_id)
        if user is None:
            self._session.add(
                User(
                    id=user_id,
                    first_name=first_name,
                    username=username,
                    active=True,
                    created_at=now,
                    last_seen_at=now,
                )
            )
            await self._session.flush()
            return
        user.first_name, user.username = first_name, username
        user.active, user.last_seen_at = True, now

    async def set_timezone(self, user_id: int, timezone: str) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(timezone=timezone)
        )

    async def set_goal(self, user_id: int, goal: date | None) -> bool:
        result = await self._session.execute(
            update(User).where(User.id == user_id).values(goal_date=goal)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def set_active(self, user_id: int, active: bool) -> bool:
        result = await self._session.execute(
            update(User).where(User.id == user_id).values(active=active)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def delete_everything(self, user_id: int) -> int:
        """Deletes the user and all they did; returns how many attempts were removed."""
        session = self._session
        result = await session.execute(delete(Attempt).where(Attempt.user_id == user_id))
        await session.execute(delete(CardReview).where(CardReview.user_id == user_id))
        await session.execute(delete(Card).where(Card.user_id == user_id))
        await session.execute(delete(Checkin).where(Checkin.user_id == user_id))
        await session.execute(delete(CheckinSchedule).where(CheckinSchedule.user_id == user_id))
        await session.execute(delete(User).where(User.id == user_id))
        return int(result.rowcount)  # type: ignore[attr-defined]
