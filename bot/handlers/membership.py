"""Who the bot talks to: groups and members remembered before any handler runs, the bot
blocked, unblocked, added or removed (`my_chat_member`), supergroup migration, and commands
typed in the wrong kind of chat."""

from __future__ import annotations

from html import escape

from telegram import ChatMember, Update
from telegram.constants import ChatType

from bot.commands import BY_NAME, Scope
from bot.context import BotContext
from bot.handlers.common import GONE_STATUSES, person, reply
from bot.render import group_text

GROUP_TYPES = {ChatType.GROUP, ChatType.SUPERGROUP}
USER_GONE = {ChatMember.BANNED, ChatMember.LEFT}


async def remember_chat(update: Update, context: BotContext) -> None:
    """Runs before the group handlers: the group and whoever wrote are remembered."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or chat.type not in GROUP_TYPES or message is None:
        return
    if message.migrate_from_chat_id or message.migrate_to_chat_id:
        return  # the migration handler moves the group under its new id
    # A press on a button proves nothing about membership: the answer handler asks Telegram.
    speaker = (
        person(user)
        if update.callback_query is None
        and user is not None
        and not user.is_bot
        and message.sender_chat is None
        else None
    )
    await context.services.chats.remember(chat.id, chat.type, chat.title or "", speaker)


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    if change is None:
        return
    services = context.services
    if change.chat.type == ChatType.PRIVATE:
        if change.new_chat_member.status in USER_GONE:
            await services.users.set_active(change.from_user.id, False)
        else:
            await services.users.touch(person(change.from_user))
        return
    if change.chat.type not in GROUP_TYPES:
        return
    chat = change.chat
    joined = change.new_chat_member.status not in GONE_STATUSES
    was_in = change.old_chat_member.status not in GONE_STATUSES
    await services.chats.bot_membership_changed(chat.id, chat.type, chat.title or "", joined)
    if joined and not was_in:
        await context.bot.send_message(chat.id, group_text.WELCOME)


async def migrated(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    chats = context.services.chats
    if message.migrate_to_chat_id:
        await chats.migrate(message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await chats.migrate(message.migrate_from_chat_id, message.chat_id)


async def group_only(update: Update, _context: BotContext) -> None:
    await reply(update, group_text.GROUP_ONLY)


async def private_only(update: Update, context: BotContext) -> None:
    """A private command (or an unknown one) typed in a group, addressed to this bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command, _, target = message.text.split()[0].lstrip("/").partition("@")
    if target and target.lower() != (context.bot.username or "").lower():
        return  # meant for another bot in the group
    known = BY_NAME.get(command.lower())
    if known is not None and Scope.PRIVATE in known.scopes:
        await reply(
            update,
            f"/{known.name} works in a private chat with me. Here: /groupquiz, /leaderboard, /help.",
        )
    else:
        shown = escape(command if len(command) <= 40 else command[:39] + "…")
        await reply(update, f"I don't know /{shown}. /help lists what I can do here.")
