"""Group quiz rounds: /groupquiz, /stopquiz, /leaderboard, and the letter buttons of a round."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.domain.ranking import top_with_caller
from bot.handlers.common import (
    answer_press,
    display_name,
    is_admin,
    member_press,
    person,
    refuse_arguments,
    reply,
)
from bot.render import group_text
from bot.scheduling import rounds
from bot.usecases.rounds import DEFAULT_ROUND_SIZE, MAX_ROUND_SIZE, RoundError


def _usage(problem: str) -> str:
    return group_text.groupquiz_usage(problem, MAX_ROUND_SIZE, DEFAULT_ROUND_SIZE)


async def groupquiz(update: Update, context: BotContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    services = context.services
    words: list[str] = []
    count: int | None = None
    for arg in context.args or []:
        if not (arg.isascii() and arg.isdigit()):
            words.append(arg)
        elif count is not None:
            await reply(update, _usage("Too many arguments: give the count once."))
            return
        else:
            # Digits beyond three are no round size: no need to turn them into a number.
            count = int(arg) if len(arg) <= 3 else MAX_ROUND_SIZE + 1
    count = DEFAULT_ROUND_SIZE if count is None else count
    if not 1 <= count <= MAX_ROUND_SIZE:
        await reply(update, _usage(f"A round has 1 to {MAX_ROUND_SIZE} questions."))
        return
    area: str | None = None
    if words:
        typed = " ".join(words)
        match = services.catalog.find_area(typed)
        if match.area is None:
            await reply(
                update,
                group_text.groupquiz_unknown_area(typed, services.catalog, match.suggestions),
            )
            return
        area = match.area
    started = await services.rounds.start_round(chat.id, user.id, area, count)
    if started is RoundError.ALREADY_RUNNING:
        await reply(update, group_text.ROUND_RUNNING)
        return
    if started is RoundError.NO_QUESTIONS:
        await reply(update, "There are no questions for a round here. /help")
        return
    assert not isinstance(started, RoundError)
    title = services.catalog.title(area) if area else None
    await reply(
        update, group_text.round_started(display_name(user), started.total, title, started.seconds)
    )
    await rounds.ask(context.application, started.id, 0)


async def stopquiz(update: Update, context: BotContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or await refuse_arguments(update, context, "stopquiz"):
        return
    running = await context.services.rounds.running(chat.id)
    if running is None:
        await reply(update, group_text.NO_ROUND)
        return
    if running.started_by != user.id and not await is_admin(update, context):
        await reply(update, group_text.STOP_REFUSED)
        return
    await rounds.finish(context.application, running.id, stopped_by=display_name(user))


async def leaderboard(update: Update, context: BotContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or await refuse_arguments(update, context, "leaderboard"):
        return
    board = await context.services.rounds.leaderboard(chat.id)
    caller = user.id if user else None
    week, week_caller = top_with_caller(board.week, caller)
    all_time, all_caller = top_with_caller(board.all_time, caller)
    await reply(update, group_text.leaderboard(week, week_caller, all_time, all_caller))


async def on_round_answer(update: Update, context: BotContext) -> None:
    pressed = await member_press(update, context)
    if pressed is None:
        return
    query, callback = pressed
    result = await context.services.rounds.answer(
        callback.int_arg(0), person(query.from_user), frozenset({callback.int_arg(1)})
    )
    await answer_press(query, group_text.answer_notice(result))
