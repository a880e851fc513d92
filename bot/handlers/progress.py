"""/stats and /forget."""

from __future__ import annotations

from telegram import CallbackQuery, Update

from bot.context import BotContext
from bot.handlers.common import press, refuse_arguments, reply
from bot.render import keyboards, text
from bot.render.callbacks import Callback


async def stats(update: Update, context: BotContext) -> None:
    if await refuse_arguments(update, context, "stats") or update.effective_user is None:
        return
    services = context.services
    summary = await services.progress.summary(update.effective_user.id)
    await reply(update, text.stats(summary, services.catalog))


async def forget(update: Update, context: BotContext) -> None:
    if await refuse_arguments(update, context, "forget"):
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            text.FORGET_CONFIRM, reply_markup=keyboards.forget_keyboard()
        )


@press
async def on_forget_choice(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    if callback.args[0] not in ("yes", "no"):
        await query.answer()
        return
    if callback.args[0] == "no":
        await query.answer()
        await query.edit_message_text(text.FORGET_KEPT)
        return
    await context.services.users.forget(query.from_user.id)
    await query.answer("Deleted.")
    await query.edit_message_text(text.FORGET_DONE)
