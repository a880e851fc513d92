"""/stats and /forget."""

from __future__ import annotations

from telegram import CallbackQuery, Update

from bot.context import BotContext
from bot.handlers.common import answer_press, press, refuse_arguments, reply, show_on_pressed
from bot.render import keyboards, text
from bot.render.callbacks import Callback


async def stats(update: Update, context: BotContext) -> None:
    """/stats, or /stats AREA for one area's detail."""
    if update.effective_user is None:
        return
    services = context.services
    if context.args:
        typed = " ".join(context.args)
        match = services.catalog.find_area(typed)
        if match.area is None:
            await reply(update, text.stats_unknown_area(typed, services.catalog, match))
            return
        detail = await services.progress.area(update.effective_user.id, match.area)
        await reply(update, text.area_stats(detail, services.catalog))
        return
    summary, plan = await services.progress.summary_and_plan(update.effective_user.id)
    await reply(update, text.stats(summary, services.catalog, plan))


async def forget(update: Update, context: BotContext) -> None:
    if await refuse_arguments(update, context, "forget"):
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            text.FORGET_CONFIRM, reply_markup=keyboards.forget_keyboard()
        )


@press
async def on_forget_choice(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    """Both buttons may be pressed twice, or one after the other: each press says what
    is true by then."""
    users = context.services.users
    if callback.args[0] == "no":
        kept = await users.knows(query.from_user.id)
        await answer_press(query)
        await show_on_pressed(query, context, text.FORGET_KEPT if kept else text.NOTHING_STORED)
        return
    removed = await users.forget(query.from_user.id)
    if removed is None:
        await answer_press(query, text.ALREADY_FORGOTTEN)
        await show_on_pressed(query, context, text.FORGET_DONE)
        return
    await answer_press(query, "Deleted.")
    await show_on_pressed(query, context, text.FORGET_DONE)
