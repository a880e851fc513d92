"""The one error handler: a blocked bot is recorded, anything else is logged and apologised for."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden

from bot.context import BotContext
from bot.render import text

log = logging.getLogger(__name__)


async def _forbidden(update: Update, context: BotContext) -> None:
    """403: a private user blocked the bot, or the bot can no longer post in a group."""
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        log.info("the bot cannot post in chat %s; marking it inactive", chat.id)
        await context.services.chats.deactivate(chat.id)
    elif update.effective_user is not None:
        log.info("user %s blocked the bot; marking inactive", update.effective_user.id)
        await context.services.users.set_active(update.effective_user.id, False)


async def on_error(update: object, context: BotContext) -> None:
    """Logs the failure with its update, tells the user without details, keeps serving."""
    error = context.error
    if isinstance(error, Forbidden) and isinstance(update, Update):
        await _forbidden(update, context)
        return
    payload = update.to_dict() if isinstance(update, Update) else repr(update)
    log.error("error while handling update %s", payload, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, text.SOMETHING_WENT_WRONG)
        except Exception:
            log.warning(
                "could not tell chat %s about the error", update.effective_chat.id, exc_info=True
            )
