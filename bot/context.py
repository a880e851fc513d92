"""The context every handler gets: python-telegram-bot's, with the bot's services typed on it."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.services import Services, services_of


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        return services_of(self.application)


CONTEXT_TYPES = ContextTypes(context=BotContext)
