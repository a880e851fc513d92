"""Which quiz poll an answer belongs to: recorded when the poll was sent."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.states import PollOwner
from bot.storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class PollOwnership:
    owner: PollOwner
    owner_id: int
    chat_id: int


class PollService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def owner(self, poll_id: str) -> PollOwnership | None:
        async with self._uow() as uow:
            poll = await uow.polls.get(poll_id)
            return PollOwnership(poll.owner, poll.owner_id, poll.chat_id) if poll else None
