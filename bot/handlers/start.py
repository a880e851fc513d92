"""/start, /help, and unknown commands in a private chat."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.commands import Scope
from bot.context import BotContext
from bot.handlers.common import ensure_user, refuse_arguments, reply
from bot.render import text


async def start(update: Update, context: BotContext) -> None:
    await ensure_user(context, update.effective_user)
    user = update.effective_user
    await reply(
        update, text.welcome(user.first_name if user else "there", context.services.catalog)
    )


async def help_command(update: Update, context: BotContext) -> None:
    if await refuse_arguments(update, context, "help"):
        return
    chat = update.effective_chat
    scope = Scope.PRIVATE if chat is None or chat.type == ChatType.PRIVATE else Scope.GROUP
    await reply(update, text.help_text(scope))


async def unknown_command(update: Update, _context: BotContext) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].split("@")[0]
    await reply(update, text.unknown_command(command))
