"""What every handler needs: who sent the update, replying, refusing arguments, admin checks."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeAlias

from telegram import CallbackQuery, ChatMember, Update, User
from telegram.error import BadRequest

from bot.commands import BY_NAME
from bot.context import BotContext
from bot.render import group_text, text
from bot.render.callbacks import Callback, decode
from bot.usecases.views import Person

log = logging.getLogger(__name__)

ADMIN_STATUSES = {ChatMember.ADMINISTRATOR, ChatMember.OWNER}
GONE_STATUSES = {ChatMember.LEFT, ChatMember.BANNED}
NO_LONGER_SUPPORTED = "This button is no longer supported. /help"


def display_name(user: User) -> str:
    return user.full_name or (f"@{user.username}" if user.username else str(user.id))


def person(user: User) -> Person:
    return Person(user.id, user.first_name, user.username, display_name(user))


async def ensure_user(context: BotContext, user: User | None) -> None:
    if user is not None:
        await context.services.users.touch(person(user))


async def reply(update: Update, message: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(message)


async def refuse_arguments(update: Update, context: BotContext, name: str) -> bool:
    """Replies with the command's form and returns True when it was given arguments."""
    if context.args:
        await reply(update, text.takes_no_arguments(BY_NAME[name]))
        return True
    return False


async def is_admin(update: Update, context: BotContext) -> bool:
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return False
    if (
        message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    ):
        return True  # an anonymous administrator posts as the group itself
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in ADMIN_STATUSES


async def still_member(context: BotContext, chat_id: int, user: User) -> bool:
    """Whether someone pressing a group button is (still) in the group: asked of Telegram
    unless the bot already knows them as a member."""
    chats = context.services.chats
    if await chats.is_member(chat_id, user.id):
        return True
    try:
        status = (await context.bot.get_chat_member(chat_id, user.id)).status
    except BadRequest as error:
        log.info("membership of %s in chat %s unknown: %s", user.id, chat_id, error)
        return False
    is_member = status not in GONE_STATUSES
    await chats.record_member(chat_id, person(user), is_member)
    return is_member


async def member_press(
    update: Update, context: BotContext
) -> tuple[CallbackQuery, Callback] | None:
    """A press on a group question's button by a member of the group; anyone else is told no."""
    pressed = await pressed_with_data(update)
    if pressed is None or pressed[0].message is None:
        return None
    query, callback = pressed
    assert query.message is not None
    if not await still_member(context, query.message.chat.id, query.from_user):
        await query.answer(group_text.NOT_A_MEMBER, show_alert=True)
        return None
    return query, callback


async def pressed_with_data(update: Update) -> tuple[CallbackQuery, Callback] | None:
    """The press and its decoded data; a press with data this bot did not make is answered."""
    query = update.callback_query
    if query is None:
        return None
    callback = decode(query.data)
    if callback is None:
        await query.answer(NO_LONGER_SUPPORTED)
        return None
    return query, callback


PressHandler: TypeAlias = Callable[[CallbackQuery, Callback, BotContext], Coroutine[Any, Any, None]]


def press(handle: PressHandler) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A callback-query handler for one action: gets the press with its data decoded."""

    @functools.wraps(handle)
    async def routed(update: Update, context: BotContext) -> None:
        pressed = await pressed_with_data(update)
        if pressed is not None:
            await handle(*pressed, context)

    return routed
