"""Builds the python-telegram-bot Application: handlers, commands, rate limiter, errors."""

from __future__ import annotations

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    PollAnswerHandler,
    TypeHandler,
    filters,
)

from bot.commands import COMMANDS, Scope
from bot.handlers import checkin, common, conversation, group, membership, progress, quiz
from bot.render.callbacks import Action
from bot.services import SERVICES_KEY, BotApplication, Services
from bot.update_order import PerChatUpdateProcessor

# Telegram tells us to wait on 429; the limiter retries that many times before giving up.
MAX_RETRIES = 3
MESSAGES_PER_SECOND = 30
GROUP_MESSAGES_PER_MINUTE = 20


def telegram_rate_limiter(
    messages_per_second: float = MESSAGES_PER_SECOND,
    group_messages_per_minute: float = GROUP_MESSAGES_PER_MINUTE,
) -> AIORateLimiter:
    """Paces sends evenly: one every 1/30 s overall and one every 3 s per group.

    A bucket of one token never bursts, so a sliding one-second window (Telegram's view)
    never sees more than 30 messages; the default bucket of 30 bursts 30 at once on top of
    the steady rate and earns 429s that pause every send.
    """
    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / messages_per_second,
        group_max_rate=1,
        group_time_period=60 / group_messages_per_minute,
        max_retries=MAX_RETRIES,
    )


async def register_commands(application: BotApplication) -> None:
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
    rate_limiter: AIORateLimiter | None = None,
) -> BotApplication:
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
        .rate_limiter(rate_limiter or telegram_rate_limiter())
        .concurrent_updates(PerChatUpdateProcessor())
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout)
        .get_updates_read_timeout(read_timeout + 30)
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
    add_handlers(application)
    return application


def add_handlers(application: BotApplication) -> None:
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
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
        "groupquiz": group.groupquiz,
        "stopquiz": group.stopquiz,
        "leaderboard": group.leaderboard,
        "standup": group.standup,
        "qotd": group.qotd,
    }
    # Groups and their members are remembered before any handler runs.
    application.add_handler(TypeHandler(Update, group.remember_chat), group=-1)
    for command in COMMANDS:
        if Scope.PRIVATE in command.scopes and Scope.GROUP in command.scopes:
            application.add_handler(CommandHandler(command.name, commands[command.name]))
        elif Scope.PRIVATE in command.scopes:
            application.add_handler(
                CommandHandler(command.name, commands[command.name], filters=private)
            )
        else:
            application.add_handler(
                CommandHandler(command.name, commands[command.name], filters=groups)
            )
            application.add_handler(CommandHandler(command.name, group.group_only, filters=private))
    answers = f"^({Action.ROUND_ANSWER.value}|{Action.QOTD_ANSWER.value}):"
    application.add_handler(CallbackQueryHandler(group.on_group_answer, pattern=answers))
    application.add_handler(
        CallbackQueryHandler(progress.on_forget_choice, pattern=f"^{Action.FORGET.value}:")
    )
    application.add_handler(CallbackQueryHandler(quiz.on_callback))
    application.add_handler(PollAnswerHandler(quiz.on_poll_answer))
    application.add_handler(
        ChatMemberHandler(membership.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group.migrated))
    application.add_handler(MessageHandler(filters.COMMAND & private, common.unknown_command))
    application.add_handler(MessageHandler(filters.COMMAND & groups, group.private_only))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & private, conversation.on_text)
    )
    application.add_handler(
        MessageHandler(
            filters.TEXT & filters.REPLY & ~filters.COMMAND & groups, group.standup_reply
        )
    )
    application.add_error_handler(common.on_error)
