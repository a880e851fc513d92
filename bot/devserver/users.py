"""Simulated Telegram users: they send messages, press buttons and vote, and read replies."""

from __future__ import annotations

import itertools
import time
from typing import Any

from bot.devserver.server import BOT_USER, BotApiServer, Call

# Telegram's "GroupAnonymousBot": the sender of an anonymous administrator's messages.
ANONYMOUS_ADMIN: dict[str, Any] = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
REPLY_METHODS = {"sendMessage", "sendPoll", "editMessageText", "editMessageReplyMarkup", "stopPoll"}
_callback_ids = itertools.count(1)


class ChatReader:
    """Reads what the bot did in one chat: replies in order, keyboards, polls."""

    server: BotApiServer
    id: int
    cursor: int

    def _mine(self, call: Call) -> bool:
        return call.ok and call.method in REPLY_METHODS and call.chat_id == self.id

    async def reply(self, timeout: float = 5.0) -> Call:
        """The next successful message, poll or edit the bot made in this chat."""
        call = await self.server.wait_for(self._mine, start=self.cursor, timeout=timeout)
        self.cursor = call.index + 1
        return call

    async def answer_to(self, query_id: str, timeout: float = 5.0) -> Call:
        return await self.server.wait_for(
            lambda call: (
                call.method == "answerCallbackQuery"
                and str(call.params.get("callback_query_id")) == query_id
            ),
            timeout=timeout,
        )

    async def no_reply(self, within: float = 0.5) -> bool:
        try:
            call = await self.server.wait_for(self._mine, start=self.cursor, timeout=within)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected {call.method}: {call.text[:200]!r}")

    def last_message_with_buttons(self) -> dict[str, Any] | None:
        for call in reversed(self.server.calls):
            if call.chat_id == self.id and call.ok and call.method in REPLY_METHODS:
                message_id = call.params.get("message_id") or (call.result or {}).get("message_id")
                message = self.server.message(self.id, int(message_id)) if message_id else None
                if message and message.get("reply_markup", {}).get("inline_keyboard"):
                    return message
        return None

    def last_poll_id(self) -> str:
        for call in reversed(self.server.calls):
            if call.method == "sendPoll" and call.ok and call.chat_id == self.id:
                return str(call.result["poll"]["id"])
        raise LookupError("no poll in this chat")


class SimUser(ChatReader):
    """One person in a private chat with the bot (their chat id equals their user id)."""

    def __init__(
        self, server: BotApiServer, user_id: int, first_name: str, username: str | None = None
    ) -> None:
        self.server = server
        self.id = user_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            self.user["username"] = username
        self.chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        server.add_chat(self.chat)
        self.cursor = len(server.calls)

    # -- acting ----------------------------------------------------------------------------
    def send(self, text: str) -> int:
        message: dict[str, Any] = {
            "message_id": self.server.next_message_id(self.id),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return self.server.inject({"message": message})

    def press(self, label: str, message_id: int | None = None) -> str:
        """Presses the button whose text contains `label`, by default on the newest keyboard."""
        message = (
            self.server.message(self.id, message_id)
            if message_id
            else self.last_message_with_buttons()
        )
        if message is None:
            raise LookupError("no message with buttons in this chat")
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if label == button["text"] or label in button["text"]:
                    return self.press_data(button["callback_data"], message)
        raise LookupError(f"no button {label!r} on message {message['message_id']}")

    def press_data(self, data: str, message: dict[str, Any]) -> str:
        query_id = str(next(_callback_ids))
        self.server.inject(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user,
                    "chat_instance": str(self.id),
                    "data": data,
                    "message": message,
                }
            }
        )
        return query_id

    def vote(self, option_ids: list[int], poll_id: str | None = None) -> int:
        poll = poll_id or self.last_poll_id()
        return self.server.inject(
            {
                "poll_answer": {
                    "poll_id": poll,
                    "user": self.user,
                    "option_ids": option_ids,
                    "option_persistent_ids": [str(option) for option in option_ids],
                }
            }
        )

    def block_bot(self, blocked: bool = True) -> int:
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        return self.server.inject(
            {
                "my_chat_member": {
                    "chat": self.chat,
                    "from": self.user,
                    "date": int(time.time()),
                    "old_chat_member": {
                        "status": old,
                        "user": BOT_USER,
                        **({"until_date": 0} if old == "kicked" else {}),
                    },
                    "new_chat_member": {
                        "status": new,
                        "user": BOT_USER,
                        **({"until_date": 0} if new == "kicked" else {}),
                    },
                }
            }
        )

    # -- reading ---------------------------------------------------------------------------


class SimGroup(ChatReader):
    """A Telegram group with the bot in it; members are SimUsers who post here."""

    def __init__(self, server: BotApiServer, chat_id: int, title: str, kind: str = "group") -> None:
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        self.server = server
        self.id = chat_id
        self.chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
        server.add_chat(self.chat)
        self.cursor = len(server.calls)

    def set_status(self, user: SimUser, status: str) -> None:
        """`creator`, `administrator`, `member`, `left` or `kicked`, as getChatMember reports it."""
        member: dict[str, Any] = {"status": status, "user": user.user}
        if status == "administrator":
            member.update(
                can_be_edited=False, is_anonymous=False, can_manage_chat=True, can_delete_messages=True,
                can_manage_video_chats=True, can_restrict_members=True, can_promote_members=False,
                can_change_info=True, can_invite_users=True, can_post_stories=False,
                can_edit_stories=False, can_delete_stories=False,
            )  # fmt: skip
        if status == "creator":
            member["is_anonymous"] = False
        if status == "kicked":
            member["until_date"] = 0
        self.server.chat_members[(self.id, user.id)] = member

    def add_bot(self, by: SimUser) -> int:
        return self._bot_status(by, "left", "member")

    def remove_bot(self, by: SimUser) -> int:
        return self._bot_status(by, "member", "left")

    def _bot_status(self, by: SimUser, old: str, new: str) -> int:
        return self.server.inject(
            {
                "my_chat_member": {
                    "chat": self.chat,
                    "from": by.user,
                    "date": int(time.time()),
                    "old_chat_member": {"status": old, "user": BOT_USER},
                    "new_chat_member": {"status": new, "user": BOT_USER},
                }
            }
        )

    def post(
        self, user: SimUser | None, text: str, reply_to: int | None = None, as_group: bool = False
    ) -> int:
        """A message in the group; `as_group` posts as an anonymous administrator."""
        message: dict[str, Any] = {
            "message_id": self.server.next_message_id(self.id),
            "date": int(time.time()),
            "chat": self.chat,
            "text": text,
        }
        if as_group or user is None:
            message["from"] = ANONYMOUS_ADMIN
            message["sender_chat"] = self.chat
        else:
            message["from"] = user.user
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        if reply_to is not None:
            replied = self.server.message(self.id, reply_to)
            if replied is not None:
                message["reply_to_message"] = replied
        return self.server.inject({"message": message})

    def press(self, user: SimUser, label: str, message_id: int | None = None) -> str:
        message = (
            self.server.message(self.id, message_id)
            if message_id
            else self.last_message_with_buttons()
        )
        if message is None:
            raise LookupError("no message with buttons in this group")
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if label == button["text"]:
                    return user.press_data(button["callback_data"], message)
        raise LookupError(f"no button {label!r}")

    def migrate_to_supergroup(self, new_id: int) -> None:
        old_chat = dict(self.chat)
        self.server.inject(
            {
                "message": {
                    "message_id": self.server.next_message_id(self.id),
                    "date": int(time.time()),
                    "chat": old_chat,
                    "from": ANONYMOUS_ADMIN,
                    "migrate_to_chat_id": new_id,
                }
            }
        )
        self.id = new_id
        self.chat = {"id": new_id, "type": "supergroup", "title": old_chat["title"]}
        self.server.add_chat(self.chat)
        for (chat_id, user_id), member in list(self.server.chat_members.items()):
            if chat_id == old_chat["id"]:
                self.server.chat_members[(new_id, user_id)] = member
        self.server.inject(
            {
                "message": {
                    "message_id": self.server.next_message_id(new_id),
                    "date": int(time.time()),
                    "chat": self.chat,
                    "from": ANONYMOUS_ADMIN,
                    "migrate_from_chat_id": old_chat["id"],
                }
            }
        )
