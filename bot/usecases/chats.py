"""Groups the bot is in: remembering them and their members, removal, supergroup migration."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.states import RoundStatus
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.usecases.views import Person


async def chat_zone(uow: UnitOfWork, chat_id: int, default_timezone: str) -> ZoneInfo:
    chat = await uow.chats.get(chat_id)
    return ZoneInfo((chat.timezone if chat else None) or default_timezone)


class ChatService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock
        self._titles: dict[int, str] = {}

    async def remember(self, chat_id: int, kind: str, title: str, speaker: Person | None) -> None:
        """The group (and whoever wrote in it) is remembered before any group handler runs."""
        if speaker is None and self._titles.get(chat_id) == title:
            return
        now = self._clock.now()
        async with self._uow() as uow:
            existing = await uow.chats.get(chat_id)
            if existing is None or existing.title != title:
                await uow.chats.upsert(chat_id, kind, title, now, active=True)
            if speaker is not None:
                await uow.chats.touch_member(chat_id, speaker.id, speaker.display_name, now)
            await uow.commit()
        self._titles[chat_id] = title

    async def is_member(self, chat_id: int, user_id: int) -> bool | None:
        """True when the bot knows the user as a member; None when it must ask Telegram."""
        async with self._uow() as uow:
            member = await uow.chats.member(chat_id, user_id)
        return True if member is not None and member.is_member else None

    async def record_member(self, chat_id: int, person: Person, is_member: bool = True) -> None:
        async with self._uow() as uow:
            await uow.chats.touch_member(
                chat_id, person.id, person.display_name, self._clock.now(), is_member
            )
            await uow.commit()

    async def bot_membership_changed(
        self, chat_id: int, kind: str, title: str, joined: bool
    ) -> None:
        """Records whether the bot is in the group; a removed bot's running round is stopped,
        since nobody can see it and a later /groupquiz must not find it running."""
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.chats.upsert(chat_id, kind, title, now, active=joined)
            running = await uow.rounds.running(chat_id)
            if not joined and running is not None:
                await uow.rounds.finish(running.id, RoundStatus.STOPPED, now)
            await uow.commit()
        self._titles.pop(chat_id, None)

    async def deactivate(self, chat_id: int) -> None:
        """403 in a group: the bot can no longer post there."""
        async with self._uow() as uow:
            await uow.chats.set(chat_id, active=False)
            await uow.commit()
        self._titles.pop(chat_id, None)

    async def migrate(self, old_id: int, new_id: int) -> bool:
        async with self._uow() as uow:
            moved = await uow.chats.migrate(old_id, new_id)
            await uow.commit()
        self._titles.pop(old_id, None)
        self._titles.pop(new_id, None)
        return moved

    async def active(self, chat_id: int) -> bool | None:
        async with self._uow() as uow:
            chat = await uow.chats.get(chat_id)
            return chat.active if chat else None

    async def exists(self, chat_id: int) -> bool:
        async with self._uow() as uow:
            return await uow.chats.get(chat_id) is not None
