"""Groups the bot is in and the members it has seen there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Chat,
    ChatMember,
    GroupAnswer,
    GroupPost,
    GroupSchedule,
    Poll,
    Round,
)

# Everything stored under a group's id, moved when the group becomes a supergroup.
CHAT_TABLES = (ChatMember, GroupSchedule, GroupPost, Round, GroupAnswer, Poll)


class ChatRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, chat_id: int) -> Chat | None:
        return await self._session.get(Chat, chat_id)

    async def upsert(
        self, chat_id: int, kind: str, title: str, now: datetime, active: bool = True
    ) -> Chat:
        chat = await self._session.get(Chat, chat_id)
        if chat is None:
            chat = Chat(id=chat_id, type=kind, title=title[:256], active=active, created_at=now)
            self._session.add(chat)
        else:
            chat.type, chat.title, chat.active = kind, title[:256], active
        await self._session.flush()
        return chat

    async def set(self, chat_id: int, **values: object) -> None:
        await self._session.execute(update(Chat).where(Chat.id == chat_id).values(**values))

    async def touch_member(
        self, chat_id: int, user_id: int, name: str, now: datetime, is_member: bool = True
    ) -> None:
        member = await self._session.get(ChatMember, (chat_id, user_id))
        if member is None:
            try:
                async with self._session.begin_nested():
                    self._session.add(
                        ChatMember(
                            chat_id=chat_id,
                            user_id=user_id,
                            name=name[:128],
                            is_member=is_member,
                            last_seen_at=now,
                        )
                    )
                return
            except IntegrityError:
                # The same member's other update (a poll vote has no chat queue) got there first.
                member = await self._session.get(ChatMember, (chat_id, user_id))
                if member is None:
                    raise
        member.name, member.is_member, member.last_seen_at = name[:128], is_member, now

    async def member(self, chat_id: int, user_id: int) -> ChatMember | None:
        return await self._session.get(ChatMember, (chat_id, user_id))

    async def members(self, chat_id: int) -> Sequence[ChatMember]:
        rows = await self._session.scalars(
            select(ChatMember)
            .where(ChatMember.chat_id == chat_id, ChatMember.is_member.is_(True))
            .order_by(ChatMember.name)
        )
        return rows.all()

    async def migrate(self, old_id: int, new_id: int) -> bool:
        """A group that became a supergroup keeps everything under its new id."""
        session = self._session
        old = await session.get(Chat, old_id)
        if old is None:
            return False
        # The new id may already have been seen (a message in the new supergroup came
        # first); what was recorded under it is only a shell, and the old group's data wins.
        await session.execute(delete(ChatMember).where(ChatMember.chat_id == new_id))
        await session.execute(delete(Chat).where(Chat.id == new_id))
        for model in CHAT_TABLES:
            await session.execute(
                update(model).where(model.chat_id == old_id).values(chat_id=new_id)
            )
        await session.execute(
            update(Chat).where(Chat.id == old_id).values(id=new_id, type="supergroup")
        )
        session.expunge_all()
        return True
