"""Who owns each quiz poll: recorded with the send, read when an answer arrives."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import PollOwner
from bot.storage.models import Poll


class PollRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self, poll_id: str, owner: PollOwner, owner_id: int, chat_id: int, now: datetime
    ) -> None:
        await self._session.merge(
            Poll(poll_id=poll_id, owner=owner, owner_id=owner_id, chat_id=chat_id, created_at=now)
        )

    async def get(self, poll_id: str) -> Poll | None:
        return await self._session.get(Poll, poll_id)
