"""A group's /standup and /qotd settings, standup replies, and question-of-the-day buttons."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.context import BotContext
from bot.domain.schedule import ScheduleError, parse_schedule_args
from bot.domain.states import GroupPostKind
from bot.handlers.common import answer_press, is_admin, member_press, person, reply
from bot.render import group_text

USAGE = {GroupPostKind.STANDUP: group_text.STANDUP_USAGE, GroupPostKind.QOTD: group_text.QOTD_USAGE}


async def _schedule_command(update: Update, context: BotContext, kind: GroupPostKind) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    posts = context.services.group_posts
    usage = USAGE[kind]
    args = context.args or []
    if not args:
        schedule = await posts.schedule(chat.id, kind)
        if schedule is None:
            await reply(update, f"Not set yet.\n{usage}")
            return
        await reply(
            update,
            group_text.schedule_line(
                kind,
                schedule.at.hour,
                schedule.at.minute,
                schedule.timezone,
                schedule.days,
                schedule.enabled,
            ),
        )
        return
    if not await is_admin(update, context):
        await reply(update, group_text.ADMINS_ONLY)
        return
    if args == ["off"]:
        turned_off = await posts.turn_off(chat.id, kind)
        await reply(update, "Turned off." if turned_off else f"It was not on.\n{usage}")
        return
    try:
        saved = await posts.set_schedule(chat.id, kind, parse_schedule_args(args))
    except ScheduleError as error:
        await reply(update, f"That did not work: {escape(str(error))}.\n{usage}")
        return
    line = group_text.schedule_line(
        kind, saved.at.hour, saved.at.minute, saved.timezone, saved.days, True
    )
    await reply(update, f"Saved. {line}")


async def standup(update: Update, context: BotContext) -> None:
    await _schedule_command(update, context, GroupPostKind.STANDUP)


async def qotd(update: Update, context: BotContext) -> None:
    await _schedule_command(update, context, GroupPostKind.QOTD)


async def standup_reply(update: Update, context: BotContext) -> None:
    """A reply to the bot's standup prompt is that member's standup answer."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if (
        message is None
        or user is None
        or chat is None
        or message.reply_to_message is None
        or not message.text
    ):
        return
    await context.services.group_posts.standup_reply(
        chat.id, message.reply_to_message.message_id, person(user), message.text
    )


async def on_qotd_answer(update: Update, context: BotContext) -> None:
    pressed = await member_press(update, context)
    if pressed is None:
        return
    query, callback = pressed
    result = await context.services.group_posts.answer_qotd(
        callback.int_arg(0), person(query.from_user), frozenset({callback.int_arg(1)})
    )
    await answer_press(query, group_text.answer_notice(result))
