"""/topics, /quiz, /cancel, and every press on a private question: one handler per action."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest

from bot.context import BotContext
from bot.domain.self_rating import SelfRating
from bot.domain.states import DeliveryKind
from bot.handlers.common import NO_LONGER_SUPPORTED, ensure_user, press, refuse_arguments, reply
from bot.render import keyboards, quiz_text, text
from bot.render.callbacks import ALL_AREAS, Callback
from bot.render.polls import private_quiz_poll
from bot.render.quiz_text import refusal
from bot.telegram_out import send_quiz_poll
from bot.usecases.quiz import AnswerResult, NextQuestion, Settled
from bot.usecases.views import AttemptView

log = logging.getLogger(__name__)


# -- commands -------------------------------------------------------------------------------
async def topics(update: Update, context: BotContext) -> None:
    if await refuse_arguments(update, context, "topics"):
        return
    catalog = context.services.catalog
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            text.topics(catalog), reply_markup=keyboards.topics_keyboard(catalog)
        )


async def quiz(update: Update, context: BotContext) -> None:
    args = context.args or []
    catalog = context.services.catalog
    if len(args) > 1:
        await reply(update, quiz_text.quiz_usage())
        return
    area = args[0].lower() if args else None
    if area is not None and catalog.bank(area) is None:
        await reply(update, quiz_text.quiz_unknown_area(args[0], catalog))
        return
    await ensure_user(context, update.effective_user)
    if update.effective_chat is not None and update.effective_user is not None:
        await send_question(context, update.effective_chat.id, update.effective_user.id, area)


async def cancel(update: Update, context: BotContext) -> None:
    if await refuse_arguments(update, context, "cancel"):
        return
    if update.effective_chat is None or update.effective_user is None:
        return
    skipped = await context.services.quiz.cancel(update.effective_user.id, update.effective_chat.id)
    if not skipped:
        await reply(update, text.NOTHING_TO_CANCEL)
        return
    for attempt in skipped:
        await close_question_message(context, attempt)
    await reply(update, text.CANCELLED)


# -- sending a question ---------------------------------------------------------------------
async def _send(context: BotContext, chat_id: int, upcoming: NextQuestion) -> Message:
    question, attempt = upcoming.question, upcoming.attempt
    if upcoming.kind is DeliveryKind.POLL:
        return await send_quiz_poll(
            context.bot,
            chat_id,
            private_quiz_poll(question, upcoming.title),
            keyboards.skip_keyboard(attempt.id),
        )
    if upcoming.kind is DeliveryKind.TYPED:
        return await context.bot.send_message(
            chat_id,
            quiz_text.typed_question_message(question, upcoming.title, upcoming.tables),
            reply_markup=keyboards.typed_keyboard(question, attempt.id),
        )
    return await context.bot.send_message(
        chat_id,
        quiz_text.question_message(question, upcoming.title),
        reply_markup=keyboards.question_keyboard(question, attempt.id),
    )


async def send_question(context: BotContext, chat_id: int, user_id: int, area: str | None) -> None:
    quiz_service = context.services.quiz
    upcoming = await quiz_service.next_question(user_id, chat_id, area)
    if upcoming is None:
        await context.bot.send_message(chat_id, text.NO_QUESTIONS)
        return
    message = await _send(context, chat_id, upcoming)
    await quiz_service.sent(
        upcoming.attempt.id, chat_id, message.message_id, message.poll.id if message.poll else None
    )


async def close_question_message(context: BotContext, attempt: AttemptView) -> None:
    """Shows a skipped question as skipped: polls are stopped, other messages edited."""
    if attempt.message_id is None:
        return
    catalog = context.services.catalog
    question = catalog.question(attempt.question_id)
    next_markup = keyboards.next_keyboard(attempt.quiz_area)
    try:
        if attempt.kind is DeliveryKind.POLL:
            await context.bot.stop_poll(
                attempt.chat_id, attempt.message_id, reply_markup=next_markup
            )
        elif question is not None:
            await context.bot.edit_message_text(
                quiz_text.skipped_message(question, catalog.title(question.area)),
                chat_id=attempt.chat_id,
                message_id=attempt.message_id,
                reply_markup=next_markup,
            )
    except BadRequest as error:
        # The message was deleted or is already closed: nothing left to show.
        log.info("could not close question message %s: %s", attempt.message_id, error)


# -- presses --------------------------------------------------------------------------------
async def _show_answer(query: CallbackQuery, result: AnswerResult) -> None:
    assert result.attempt is not None and result.question is not None
    next_markup = keyboards.next_keyboard(result.attempt.quiz_area)
    if result.rating is not None:
        await query.answer(f"Rated {result.rating.label}.")
        await query.edit_message_text(
            quiz_text.rated(result.question, result.title, result.response, result.rating),
            reply_markup=next_markup,
        )
        return
    await query.answer("Correct!" if result.correct else "Not quite.")
    await query.edit_message_text(
        quiz_text.answered_message(result.question, result.title, result.chosen, result.correct),
        reply_markup=next_markup,
    )


async def _settled(query: CallbackQuery, result: AnswerResult) -> None:
    if result.outcome is Settled.COUNTED:
        await _show_answer(query, result)
    else:
        await query.answer(refusal(result.outcome))


@press
async def on_answer(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    result = await context.services.quiz.answer(
        callback.int_arg(0), query.from_user.id, frozenset({callback.int_arg(1)})
    )
    await _settled(query, result)


@press
async def on_toggle(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    attempt_id = callback.int_arg(0)
    result = await context.services.quiz.toggle(attempt_id, query.from_user.id, callback.int_arg(1))
    if result.outcome is Settled.TOGGLED and result.question:
        await query.answer()
        await query.edit_message_reply_markup(
            keyboards.question_keyboard(result.question, attempt_id, result.chosen)
        )
        return
    await query.answer(refusal(result.outcome))


@press
async def on_submit(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    result = await context.services.quiz.submit(callback.int_arg(0), query.from_user.id)
    if result.outcome is Settled.INVALID:
        await query.answer("Select at least one option, then Submit.")
        return
    await _settled(query, result)


@press
async def on_skip(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    result = await context.services.quiz.skip(callback.int_arg(0), query.from_user.id)
    if result.outcome is Settled.SKIPPED and result.message and result.attempt:
        await query.answer("Skipped — not scored.")
        await close_question_message(context, result.attempt)
        return
    await query.answer(refusal(result.outcome))


@press
async def on_reveal(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    attempt_id = callback.int_arg(0)
    result = await context.services.quiz.reveal(attempt_id, query.from_user.id)
    if result.outcome is Settled.REVEALED and result.question:
        await query.answer()
        await query.edit_message_text(
            quiz_text.model_answer(result.question, result.title, None),
            reply_markup=keyboards.rating_keyboard(attempt_id),
        )
        return
    await query.answer(refusal(result.outcome))


@press
async def on_rate(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    try:
        rating = SelfRating(callback.int_arg(1))
    except ValueError:
        await query.answer(refusal(Settled.INVALID))
        return
    result = await context.services.quiz.rate(callback.int_arg(0), query.from_user.id, rating)
    await _settled(query, result)


@press
async def on_next(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    """Next question ▶, an area from /topics, or the check-in's question of the day."""
    area = callback.args[0]
    if area != ALL_AREAS and context.services.catalog.bank(area) is None:
        await query.answer("That area is no longer available. /topics")
        return
    await query.answer()
    if query.message is None:
        return
    await ensure_user(context, query.from_user)
    await send_question(
        context, query.message.chat.id, query.from_user.id, None if area == ALL_AREAS else area
    )


async def on_unknown_press(update: Update, _context: BotContext) -> None:
    """A press whose data no handler claims: an old version's button, or a forged one."""
    if update.callback_query is not None:
        await update.callback_query.answer(NO_LONGER_SUPPORTED)
