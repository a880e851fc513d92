"""Builds the python-telegram-bot Application: handlers, commands, rate limiter, errors."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeAlias

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
from bot.context import CONTEXT_TYPES, BotContext
from bot.handlers import (
    checkin,
    coach,
    conversation,
    errors,
    group_rounds,
    group_schedules,
    membership,
    polls,
    progress,
    quiz,
    start,
)
from bot.render.callbacks import Action, pattern
from bot.services import SERVICES_KEY, BotApplication, Services
from bot.update_order import PerChatUpdateProcessor

HandlerCallback: TypeAlias = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

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
    post_init: Callable[[BotApplication], Coroutine[Any, Any, None]] | None = None,
    post_shutdown: Callable[[BotApplication], Coroutine[Any, Any, None]] | None = None,
    connect_timeout: float = 5.0,
    read_timeout: float = 10.0,
    rate_limiter: AIORateLimiter | None = None,
) -> BotApplication:
    settings = services.settings
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .context_types(CONTEXT_TYPES)
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
    )
    if post_init is not None:
        builder = builder.post_init(post_init)
    if post_shutdown is not None:
        builder = builder.post_shutdown(post_shutdown)
    application: BotApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    add_handlers(application)
    return application


COMMAND_HANDLERS: dict[str, HandlerCallback] = {
    "start": start.start,
    "help": start.help_command,
    "topics": quiz.topics,
    "quiz": quiz.quiz,
    "review": quiz.review,
    "goal": coach.goal,
    "cancel": quiz.cancel,
    "stats": progress.stats,
    "forget": progress.forget,
    "checkin": checkin.checkin,
    "timezone": checkin.timezone,
    "history": checkin.history,
    "groupquiz": group_rounds.groupquiz,
    "stopquiz": group_rounds.stopquiz,
    "leaderboard": group_rounds.leaderboard,
    "standup": group_schedules.standup,
    "qotd": group_schedules.qotd,
}
CALLBACK_HANDLERS: dict[Action, HandlerCallback] = {
    Action.ANSWER: quiz.on_answer,
    Action.TOGGLE: quiz.on_toggle,
    Action.SUBMIT: quiz.on_submit,
    Action.SKIP: quiz.on_skip,
    Action.REVEAL: quiz.on_reveal,
    Action.RATE: quiz.on_rate,
    Action.NEXT: quiz.on_next,
    Action.REVIEW: quiz.on_next_review,
    Action.TOPIC: quiz.on_next,
    Action.FORGET: progress.on_forget_choice,
    Action.ROUND_ANSWER: group_rounds.on_round_answer,
    Action.QOTD_ANSWER: group_schedules.on_qotd_answer,
}


def add_handlers(application: BotApplication) -> None:
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    # Groups and their members are remembered before any handler runs.
    application.add_handler(TypeHandler(Update, membership.remember_chat), group=-1)
    for command in COMMANDS:
        callback = COMMAND_HANDLERS[command.name]
        if Scope.PRIVATE in command.scopes and Scope.GROUP in command.scopes:
            application.add_handler(CommandHandler(command.name, callback))
        elif Scope.PRIVATE in command.scopes:
            application.add_handler(CommandHandler(command.name, callback, filters=private))
        else:
            application.add_handler(CommandHandler(command.name, callback, filters=groups))
            application.add_handler(
                CommandHandler(command.name, membership.group_only, filters=private)
            )
    for action, on_press in CALLBACK_HANDLERS.items():
        application.add_handler(CallbackQueryHandler(on_press, pattern=pattern(action)))
    application.add_handler(CallbackQueryHandler(quiz.on_unknown_press))
    application.add_handler(PollAnswerHandler(polls.on_poll_answer))
    application.add_handler(
        ChatMemberHandler(membership.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, membership.migrated))
    application.add_handler(MessageHandler(filters.COMMAND & private, start.unknown_command))
    application.add_handler(MessageHandler(filters.COMMAND & groups, membership.private_only))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & private, conversation.on_text)
    )
    application.add_handler(
        MessageHandler(
            filters.TEXT & filters.REPLY & ~filters.COMMAND & groups,
            group_schedules.standup_reply,
        )
    )
    application.add_error_handler(errors.on_error)
