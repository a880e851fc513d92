"""Group chats: quiz rounds, leaderboards, standup and question-of-the-day settings, answers."""

from __future__ import annotations

import asyncio
from html import escape

from telegram import CallbackQuery, ChatMember, Update, User
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.commands import BY_NAME, Scope
from bot.domain.ranking import top_with_caller
from bot.domain.schedule import Days, ScheduleError, parse_schedule_args
from bot.handlers.common import refuse_arguments, reply
from bot.render import group_text
from bot.render.callbacks import Action, decode
from bot.scheduling import rounds
from bot.services import services
from bot.usecases.groups import DEFAULT_ROUND_SIZE, MAX_ROUND_SIZE, GroupAnswerOutcome, RoundError

GROUP_TYPES = {ChatType.GROUP, ChatType.SUPERGROUP}
POLL_LOOKUP_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8, 0.0)
ADMIN_STATUSES = {ChatMember.ADMINISTRATOR, ChatMember.OWNER}
GONE_STATUSES = {ChatMember.LEFT, ChatMember.BANNED}
ANSWER_REPLIES = {
    GroupAnswerOutcome.ALREADY_ANSWERED: group_text.ALREADY_ANSWERED,
    GroupAnswerOutcome.CLOSED: group_text.CLOSED,
    GroupAnswerOutcome.UNKNOWN: group_text.CLOSED,
    GroupAnswerOutcome.INVALID: "That option does not exist.",
}


def display_name(user: User) -> str:
    return user.full_name or (f"@{user.username}" if user.username else str(user.id))


async def remember_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before the group handlers: the group and whoever wrote are remembered."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or chat.type not in GROUP_TYPES or message is None:
        return
    if message.migrate_from_chat_id or message.migrate_to_chat_id:
        return  # the migration handler moves the group under its new id
    svc = services(context)
    now = svc.clock.now()
    existing = await svc.groups.store.chat(chat.id)
    if existing is None or existing.title != (chat.title or ""):
        await svc.groups.store.upsert_chat(chat.id, chat.type, chat.title or "", now, active=True)
    # A press on a button proves nothing about membership: the answer handler asks Telegram.
    if (
        update.callback_query is None
        and user is not None
        and not user.is_bot
        and message.sender_chat is None
    ):
        await svc.groups.store.touch_member(chat.id, user.id, display_name(user), now)


async def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
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


# -- rounds ------------------------------------------------------------------------------
async def groupquiz(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    svc = services(context)
    area: str | None = None
    count = DEFAULT_ROUND_SIZE
    for arg in context.args or []:
        if arg.isdigit() and count == DEFAULT_ROUND_SIZE:
            count = int(arg)
        elif area is None and not arg.isdigit():
            area = arg.lower()
        else:
            await reply(
                update,
                group_text.groupquiz_usage(
                    "Too many arguments.", MAX_ROUND_SIZE, DEFAULT_ROUND_SIZE
                ),
            )
            return
    if not 1 <= count <= MAX_ROUND_SIZE:
        problem = f"A round has 1 to {MAX_ROUND_SIZE} questions."
        await reply(update, group_text.groupquiz_usage(problem, MAX_ROUND_SIZE, DEFAULT_ROUND_SIZE))
        return
    if area is not None and svc.catalog.bank(area) is None:
        await reply(update, group_text.unknown_area(area, svc.catalog))
        return
    started = await svc.groups.start_round(chat.id, user.id, area, count)
    if started is RoundError.ALREADY_RUNNING:
        await reply(update, group_text.ROUND_RUNNING)
        return
    if started is RoundError.NO_QUESTIONS:
        await reply(update, "There are no questions for a round here. /help")
        return
    assert not isinstance(started, RoundError)
    bank = svc.catalog.bank(area) if area else None
    await reply(
        update,
        group_text.round_started(
            display_name(user), started.total, bank.title if bank else None, started.seconds
        ),
    )
    await rounds.ask(context.application, started, 0)


async def stopquiz(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or await refuse_arguments(update, context, "stopquiz"):
        return
    svc = services(context)
    running = await svc.groups.store.running_round(chat.id)
    if running is None:
        await reply(update, group_text.NO_ROUND)
        return
    if running.started_by != user.id and not await is_admin(update, context):
        await reply(update, group_text.STOP_REFUSED)
        return
    await rounds.finish(context.application, running, stopped_by=display_name(user))


async def leaderboard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or await refuse_arguments(update, context, "leaderboard"):
        return
    board = await services(context).groups.leaderboard(chat.id)
    caller = user.id if user else None
    week, week_caller = top_with_caller(board.week, caller)
    all_time, all_caller = top_with_caller(board.all_time, caller)
    await reply(update, group_text.leaderboard(week, week_caller, all_time, all_caller))


# -- scheduled posts -----------------------------------------------------------------------
async def _schedule_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str, usage: str
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    svc = services(context).groups
    args = context.args or []
    if not args:
        schedule = await svc.store.schedule_of(chat.id, kind)
        if schedule is None:
            await reply(update, f"Not set yet.\n{usage}")
            return
        line = group_text.schedule_line(
            kind,
            schedule.hour,
            schedule.minute,
            schedule.timezone,
            Days(schedule.days),
            schedule.enabled,
        )
        await reply(update, line)
        return
    if not await is_admin(update, context):
        await reply(update, group_text.ADMINS_ONLY)
        return
    if args == ["off"]:
        turned_off = await svc.turn_off(chat.id, kind)
        await reply(update, "Turned off." if turned_off else f"It was not on.\n{usage}")
        return
    try:
        schedule = await svc.set_schedule(chat.id, kind, parse_schedule_args(args))
    except ScheduleError as error:
        await reply(update, f"That did not work: {escape(str(error))}.\n{usage}")
        return
    line = group_text.schedule_line(
        kind, schedule.hour, schedule.minute, schedule.timezone, Days(schedule.days), True
    )
    await reply(update, f"Saved. {line}")


async def standup(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _schedule_command(update, context, "standup", group_text.STANDUP_USAGE)


async def qotd(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _schedule_command(update, context, "qotd", group_text.QOTD_USAGE)


async def standup_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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
    svc = services(context)
    post = await svc.groups.store.post_by_message(chat.id, message.reply_to_message.message_id)
    if post is None or post.kind != "standup" or post.closed_at is not None:
        return
    await svc.groups.store.save_standup_answer(
        post.id, user.id, display_name(user), message.text[:2000], svc.clock.now()
    )


# -- answers -------------------------------------------------------------------------------
async def _still_member(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, chat_id: int
) -> bool:
    svc = services(context)
    user = query.from_user
    known = await svc.groups.store.member(chat_id, user.id)
    if known is not None and known.is_member:
        return True
    status = (await context.bot.get_chat_member(chat_id, user.id)).status
    is_member = status not in GONE_STATUSES
    await svc.groups.store.touch_member(
        chat_id, user.id, display_name(user), svc.clock.now(), is_member
    )
    return is_member


async def on_group_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    callback = decode(query.data)
    if callback is None:
        await query.answer()
        return
    chat_id = query.message.chat.id
    if not await _still_member(query, context, chat_id):
        await query.answer(group_text.NOT_A_MEMBER, show_alert=True)
        return
    svc = services(context)
    target, option = callback.int_arg(0), callback.int_arg(1)
    name = display_name(query.from_user)
    if callback.action is Action.ROUND_ANSWER:
        round_question = await svc.groups.store.round_question(target)
        result = await svc.groups.answer(
            chat_id, query.from_user.id, name, frozenset({option}), round_question=round_question
        )
    else:
        post = await svc.groups.store.post(target)
        result = await svc.groups.answer(
            chat_id, query.from_user.id, name, frozenset({option}), post=post
        )
    if result.outcome is GroupAnswerOutcome.COUNTED:
        await query.answer(
            "✅ Right!"
            if result.correct
            else "❌ Not right. The answer shows when the question closes."
        )
    else:
        await query.answer(ANSWER_REPLIES[result.outcome])


async def on_group_poll_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Counts a vote in a round's or a question of the day's poll; False if the poll is not one."""
    answer = update.poll_answer
    if answer is None or answer.user is None or not answer.option_ids:
        return False
    svc = services(context)
    store = svc.groups.store
    round_question, post = None, None
    # A fast voter can beat the bot's own write of the poll id (the vote is handled
    # concurrently with the group's updates), so an unknown poll is looked up a few times.
    for pause in POLL_LOOKUP_PAUSES:
        round_question = await store.round_question_by_poll(answer.poll_id)
        post = None if round_question else await store.post_by_poll(answer.poll_id)
        if round_question is not None or post is not None:
            break
        await asyncio.sleep(pause)
    if round_question is None and post is None:
        return False
    if round_question is not None:
        quiz_round = await store.get_round(round_question.round_id)
        chat_id = quiz_round.chat_id if quiz_round else 0
    else:
        assert post is not None
        chat_id = post.chat_id
    name = display_name(answer.user)
    await store.touch_member(chat_id, answer.user.id, name, svc.clock.now())
    await svc.groups.answer(
        chat_id,
        answer.user.id,
        name,
        frozenset(answer.option_ids),
        round_question=round_question,
        post=post,
    )
    return True


# -- membership and commands out of place ----------------------------------------------------
async def bot_membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type not in GROUP_TYPES:
        return
    svc = services(context)
    chat = change.chat
    joined = change.new_chat_member.status not in GONE_STATUSES
    was_in = change.old_chat_member.status not in GONE_STATUSES
    await svc.groups.store.upsert_chat(
        chat.id, chat.type, chat.title or "", svc.clock.now(), active=joined
    )
    running = await svc.groups.store.running_round(chat.id)
    if not joined and running is not None:
        # Nobody can see the round any more; a later /groupquiz must not find it running.
        await svc.groups.stop_round(running)
    if joined and not was_in:
        await context.bot.send_message(chat.id, group_text.WELCOME)


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    store = services(context).groups.store
    if message.migrate_to_chat_id:
        await store.migrate_chat(message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await store.migrate_chat(message.migrate_from_chat_id, message.chat_id)


async def group_only(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, group_text.GROUP_ONLY)


async def private_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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
        await reply(update, f"I don't know /{escape(command)}. /help lists what I can do here.")
