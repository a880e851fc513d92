"""One transaction per use case: `async with uow() as uow: ...; await uow.commit()`.

A unit of work opens one session; repositories share it and never commit themselves.
Leaving the block without `commit()` rolls everything back.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.attempts import AttemptRepository
from bot.storage.cards import CardRepository
from bot.storage.chats import ChatRepository
from bot.storage.checkins import CheckinRepository
from bot.storage.database import Database
from bot.storage.group_answers import GroupAnswerRepository
from bot.storage.group_posts import GroupPostRepository
from bot.storage.polls import PollRepository
from bot.storage.rounds import RoundRepository
from bot.storage.users import UserRepository


class UnitOfWork:
    users: UserRepository
    attempts: AttemptRepository
    cards: CardRepository
    checkins: CheckinRepository
    chats: ChatRepository
    rounds: RoundRepository
    group_posts: GroupPostRepository
    group_answers: GroupAnswerRepository
    polls: PollRepository

    def __init__(self, database: Database) -> None:
        self._database = database
        self._session: AsyncSession | None = None

    @property
    def dialect(self) -> str:
        return self._database.dialect

    async def __aenter__(self) -> UnitOfWork:
        session = self._database.session()
        await session.begin()
        self._session = session
        self.users = UserRepository(session)
        self.attempts = AttemptRepository(session)
        self.cards = CardRepository(session, self.dialect)
        self.checkins = CheckinRepository(session)
        self.chats = ChatRepository(session)
        self.rounds = RoundRepository(session)
        self.group_posts = GroupPostRepository(session)
        self.group_answers = GroupAnswerRepository(session)
        self.polls = PollRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self._require()
        try:
            # Rows read here stay readable as they were loaded: a rollback would expire them.
            session.expunge_all()
            if session.in_transaction():
                await session.rollback()
        finally:
            await session.close()
            self._session = None

    def _require(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside `async with`")
        return self._session

    async def commit(self) -> None:
        await self._require().commit()

    async def rollback(self) -> None:
        await self._require().rollback()


class UnitOfWorkFactory:
    """What use cases hold: calling it gives a fresh unit of work on the same database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.database)
