"""Builds the python-telegram-bot Application: handlers, commands, rate limiter, errors."""

from __future__ import annotations

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.commands import COMMANDS, Scope
from bot.handlers import checkin, common, conversation, membership, progress, quiz
from bot.render.callbacks import Action
from bot.services import SERVICES_KEY, Services

# Telegram tells us to wait on 429; the limiter retries that many times before giving up.
MAX_RETRIES = 3
MESSAGES_PER_SECOND = 30
GROUP_MESSAGES_PER_MINUTE = 20


def telegram_rate_limiter() -> AIORateLimiter:
    """Paces sends evenly: one every 1/30 s overall and one every 3 s per group.

    A bucket of one token never bursts, so a sliding one-second window (Telegram's view)
    never sees more than 30 messages; the default bucket of 30 bursts 30 at once on top of
    the steady rate and earns 429s that pause every send.
    """
    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / MESSAGES_PER_SECOND,
        group_max_rate=1,
        group_time_period=60 / GROUP_MESSAGES_PER_MINUTE,
        max_retries=MAX_RETRIES,
    )


async def register_commands(application: Application) -> None:  # type: ignore[type-arg]
    for scope, telegram_scope in (
        (Scope.PRIVATE, BotCommandScopeAllPrivateChats()),
        (Scope.GROUP, BotCommandScopeAllGroupChats()),
    ):
        commands = [
            BotCommand(command.name, command.description)
            for command in COMMANDS
            if scope in command.scopes
        ]
        await application.bot.set_my_commands(commands, scope=telegram_scope)


def build_application(
    services: Services,
    *,
    connect_timeout: float = 5.0,
    read_timeout: float = 10.0,
) -> Application:  # type: ignore[type-arg]
    settings = services.settings
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .rate_limiter(telegram_rate_limiter())
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout)
        .get_updates_read_timeout(read_timeout + 30)
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
    add_handlers(application)
    return application


def add_handlers(application: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    commands = {
        "start": common.start,
        "help": common.help_command,
        "topics": quiz.topics,
        "quiz": quiz.quiz,
        "cancel": quiz.cancel,
        "stats": progress.stats,
        "forget": progress.forget,
        "checkin": checkin.checkin,
        "timezone": checkin.timezone,
        "history": checkin.history,
    }
    for command in COMMANDS:
        chats = private if command.scopes == (Scope.PRIVATE,) else filters.ALL
        application.add_handler(CommandHandler(command.name, commands[command.name], filters=chats))
    application.add_handler(
        CallbackQueryHandler(progress.on_forget_choice, pattern=f"^{Action.FORGET.value}:")
    )
    application.add_handler(CallbackQueryHandler(quiz.on_callback))
    application.add_handler(PollAnswerHandler(quiz.on_poll_answer))
    application.add_handler(
        ChatMemberHandler(membership.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.COMMAND & private, common.unknown_command))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & private, conversation.on_text)
    )
    application.add_error_handler(common.on_error)
