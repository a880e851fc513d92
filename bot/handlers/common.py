"""What every handler needs: who sent the update, replying, refusing arguments, admin checks."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeAlias

from telegram import CallbackQuery, ChatMember, InlineKeyboardMarkup, Message, Update, User
from telegram.error import BadRequest

from bot.commands import BY_NAME
from bot.context import BotContext
from bot.render import group_text, text
from bot.render.callbacks import Callback, decode
from bot.usecases.views import Person

log = logging.getLogger(__name__)

ADMIN_STATUSES = {ChatMember.ADMINISTRATOR, ChatMember.OWNER}
GONE_STATUSES = {ChatMember.LEFT, ChatMember.BANNED}
NO_LONGER_SUPPORTED = "This button is not valid any more. /help"
# Refusals Telegram gives in the normal course of things: the message is gone, unchanged,
# too old to edit, or not text; the press is too old to answer; the member is unknown.
# Telegram gives them no codes, only these descriptions.
EXPECTED_REFUSALS = (
    "message is not modified",
    "message to edit not found",
    "there is no text in the message to edit",
    "message can't be edited",
    "message to delete not found",
    "query is too old",
    "query id is invalid",
    "member not found",
    "participant_id_invalid",
    "user not found",
    "poll has already been closed",
    "message with poll to stop not found",
)


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


def is_expected_refusal(error: BadRequest) -> bool:
    description = error.message.lower()
    return any(refusal in description for refusal in EXPECTED_REFUSALS)


def log_refusal(what: str, error: BadRequest | TypeError) -> None:
    """One INFO line for a refusal that changes nothing for the learner."""
    log.info("%s: %s", what, error)


async def answer_press(query: CallbackQuery, text: str | None = None, alert: bool = False) -> None:
    """Answers a press; a press too old to answer is logged, not raised."""
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        if not is_expected_refusal(error):
            raise
        log_refusal(f"press {query.id} not answered", error)


async def show_on_pressed(
    query: CallbackQuery,
    context: BotContext,
    message_text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Edits the pressed message into `message_text`. When that message can no longer be
    edited (deleted, older than Telegram keeps, or a poll), the text comes as a new message;
    when it already shows that text, nothing happens."""
    pressed = query.message
    if isinstance(pressed, Message) and pressed.is_accessible:
        try:
            await query.edit_message_text(message_text, reply_markup=markup)
            return
        except BadRequest as error:
            if not is_expected_refusal(error):
                raise
            log_refusal(f"message {pressed.message_id} not edited", error)
            if "not modified" in error.message.lower():
                return
    elif pressed is not None:
        log.info("message %s is inaccessible; sending anew", pressed.message_id)
    chat_id = pressed.chat.id if pressed is not None else query.from_user.id
    await context.bot.send_message(chat_id, message_text, reply_markup=markup)


async def change_pressed_keyboard(query: CallbackQuery, markup: InlineKeyboardMarkup) -> None:
    """Replaces the pressed message's keyboard; a gone or unchanged message is logged only."""
    if not isinstance(query.message, Message) or not query.message.is_accessible:
        log.info("press %s on an inaccessible message: keyboard left as it is", query.id)
        return
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as error:
        if not is_expected_refusal(error):
            raise
        log_refusal(f"keyboard of message {query.message.message_id} not changed", error)


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
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except BadRequest as error:
        if not is_expected_refusal(error):
            raise
        log_refusal(f"admin status of {user.id} in chat {chat.id} unknown", error)
        return False
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
        # Whatever Telegram refuses here, membership is not proven: the press is declined.
        log_refusal(f"membership of {user.id} in chat {chat_id} unknown", error)
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
        await answer_press(query, group_text.NOT_A_MEMBER, alert=True)
        return None
    return query, callback


async def pressed_with_data(update: Update) -> tuple[CallbackQuery, Callback] | None:
    """The press and its decoded data; a press with data this bot did not make is answered."""
    query = update.callback_query
    if query is None:
        return None
    callback = decode(query.data)
    if callback is None:
        await answer_press(query, NO_LONGER_SUPPORTED)
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
