"""/start, /help, unknown commands, stray text and the one error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden
from telegram.ext import ContextTypes

from bot.commands import BY_NAME, Scope
from bot.render import text
from bot.services import services

log = logging.getLogger(__name__)


async def ensure_user(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    await svc.users.touch(user.id, user.first_name, user.username, svc.clock.now())


async def reply(update: Update, message: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(message)


async def refuse_arguments(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str) -> bool:
    """Replies with the command's form and returns True when it was given arguments."""
    if context.args:
        await reply(update, text.takes_no_arguments(BY_NAME[name]))
        return True
    return False


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await ensure_user(update, context)
    user = update.effective_user
    await reply(
        update, text.welcome(user.first_name if user else "there", services(context).catalog)
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await refuse_arguments(update, context, "help"):
        return
    chat = update.effective_chat
    scope = Scope.PRIVATE if chat is None or chat.type == ChatType.PRIVATE else Scope.GROUP
    await reply(update, text.help_text(scope))


async def unknown_command(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].split("@")[0]
    await reply(update, text.unknown_command(command))


async def stray_text(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, text.STRAY_TEXT)


async def _forbidden(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """403: a private user blocked the bot, or the bot can no longer post in a group."""
    svc = services(context)
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        log.info("the bot cannot post in chat %s; marking it inactive", chat.id)
        await svc.groups.store.set_chat(chat.id, active=False)
    elif update.effective_user is not None:
        log.info("user %s blocked the bot; marking inactive", update.effective_user.id)
        await svc.users.set_active(update.effective_user.id, False)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
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
