"""/topics, /quiz, /review, /cancel, and every press on a private question: one handler per
action."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest

from bot.banks.schema import Level
from bot.context import BotContext
from bot.domain.areas import AreaArgumentError, parse_area_request
from bot.domain.self_rating import SelfRating
from bot.domain.states import DeliveryKind
from bot.handlers.common import (
    NO_LONGER_SUPPORTED,
    answer_press,
    change_pressed_keyboard,
    ensure_user,
    is_expected_refusal,
    log_refusal,
    press,
    refuse_arguments,
    reply,
    show_on_pressed,
)
from bot.render import coach_text, keyboards, quiz_text, text
from bot.render.callbacks import ALL_AREAS, Action, Callback
from bot.render.polls import private_quiz_poll
from bot.render.quiz_text import refusal
from bot.telegram_out import send_quiz_poll
from bot.usecases.quiz import AnswerResult, NextQuestion, NothingDue, Settled
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
    """/quiz [area] [junior|middle|senior]: the area however it is typed, or a suggestion."""
    catalog = context.services.catalog
    try:
        request = parse_area_request(context.args or [])
    except AreaArgumentError as error:
        await reply(update, quiz_text.quiz_usage(str(error)))
        return
    area: str | None = None
    if request.area_text is not None:
        match = catalog.find_area(request.area_text)
        if match.area is None:
            if update.effective_message is not None:
                await update.effective_message.reply_text(
                    quiz_text.quiz_unknown_area(request.area_text, catalog, match),
                    reply_markup=keyboards.suggestions_keyboard(
                        match.suggestions, catalog, request.level
                    ),
                )
            return
        area = match.area
    await ensure_user(context, update.effective_user)
    if update.effective_chat is not None and update.effective_user is not None:
        await send_question(
            context, update.effective_chat.id, update.effective_user.id, area, request.level
        )


async def review(update: Update, context: BotContext) -> None:
    if await refuse_arguments(update, context, "review"):
        return
    await ensure_user(context, update.effective_user)
    if update.effective_chat is not None and update.effective_user is not None:
        await send_review(context, update.effective_chat.id, update.effective_user.id)


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
    title = upcoming.title
    if upcoming.reviews_left is not None:
        title = coach_text.review_title(title, upcoming.reviews_left)
    if upcoming.kind is DeliveryKind.POLL:
        return await send_quiz_poll(
            context.bot,
            chat_id,
            private_quiz_poll(question, title),
            keyboards.skip_keyboard(attempt.id),
        )
    if upcoming.kind is DeliveryKind.TYPED:
        return await context.bot.send_message(
            chat_id,
            quiz_text.typed_question_message(question, title, upcoming.tables),
            reply_markup=keyboards.typed_keyboard(question, attempt.id),
        )
    return await context.bot.send_message(
        chat_id,
        quiz_text.question_message(question, title),
        reply_markup=keyboards.question_keyboard(question, attempt.id),
    )


async def send_question(
    context: BotContext, chat_id: int, user_id: int, area: str | None, level: Level | None = None
) -> None:
    upcoming = await context.services.quiz.next_question(user_id, chat_id, area, level)
    if upcoming is None:
        title = context.services.catalog.title(area) if area else None
        await context.bot.send_message(chat_id, quiz_text.no_questions_at(title, level))
        return
    await _ask(context, chat_id, upcoming)


async def send_review(context: BotContext, chat_id: int, user_id: int) -> None:
    upcoming = await context.services.quiz.next_review(user_id, chat_id)
    if isinstance(upcoming, NothingDue):
        await context.bot.send_message(
            chat_id, coach_text.nothing_due(upcoming), reply_markup=keyboards.practice_keyboard()
        )
        return
    await _ask(context, chat_id, upcoming)


async def _ask(context: BotContext, chat_id: int, upcoming: NextQuestion) -> None:
    message = await _send(context, chat_id, upcoming)
    await context.services.quiz.sent(
        upcoming.attempt.id, chat_id, message.message_id, message.poll.id if message.poll else None
    )


async def close_question_message(context: BotContext, attempt: AttemptView) -> None:
    """Shows a skipped question as skipped: polls are stopped, other messages edited (an
    open question shows its model answer)."""
    if attempt.message_id is None:
        return
    catalog = context.services.catalog
    question = catalog.question(attempt.question_id)
    next_markup = keyboards.next_keyboard(attempt)
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
        if not is_expected_refusal(error):
            raise
        log_refusal(f"question message {attempt.message_id} not closed", error)


# -- presses --------------------------------------------------------------------------------
async def _show_answer(query: CallbackQuery, context: BotContext, result: AnswerResult) -> None:
    assert result.attempt is not None and result.question is not None
    next_markup = keyboards.next_keyboard(result.attempt)
    if result.rating is not None:
        await answer_press(query, f"Rated {result.rating.label}.")
        await show_on_pressed(
            query,
            context,
            quiz_text.rated(result.question, result.title, result.response, result.rating),
            next_markup,
        )
        return
    await answer_press(query, "Correct!" if result.correct else "Not quite.")
    await show_on_pressed(
        query,
        context,
        quiz_text.answered_message(result.question, result.title, result.chosen, result.correct),
        next_markup,
    )


async def _settled(query: CallbackQuery, context: BotContext, result: AnswerResult) -> None:
    if result.outcome is Settled.COUNTED:
        await _show_answer(query, context, result)
    else:
        await answer_press(query, refusal(result.outcome))


@press
async def on_answer(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    result = await context.services.quiz.answer(
        callback.int_arg(0), query.from_user.id, frozenset({callback.int_arg(1)})
    )
    await _settled(query, context, result)


@press
async def on_toggle(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    attempt_id = callback.int_arg(0)
    result = await context.services.quiz.toggle(attempt_id, query.from_user.id, callback.int_arg(1))
    if result.outcome is Settled.TOGGLED and result.question:
        await answer_press(query)
        await change_pressed_keyboard(
            query, keyboards.question_keyboard(result.question, attempt_id, result.chosen)
        )
        return
    await answer_press(query, refusal(result.outcome))


@press
async def on_submit(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    result = await context.services.quiz.submit(callback.int_arg(0), query.from_user.id)
    if result.outcome is Settled.INVALID:
        await answer_press(query, "Select at least one option, then Submit.")
        return
    await _settled(query, context, result)


@press
async def on_skip(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    result = await context.services.quiz.skip(callback.int_arg(0), query.from_user.id)
    if result.outcome is Settled.SKIPPED and result.message and result.attempt:
        await answer_press(query, "Skipped — not scored.")
        await close_question_message(context, result.attempt)
        return
    await answer_press(query, refusal(result.outcome))


@press
async def on_reveal(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    attempt_id = callback.int_arg(0)
    result = await context.services.quiz.reveal(attempt_id, query.from_user.id)
    if result.outcome is Settled.REVEALED and result.question:
        await answer_press(query)
        await show_on_pressed(
            query,
            context,
            quiz_text.model_answer(result.question, result.title, None),
            keyboards.rating_keyboard(attempt_id),
        )
        return
    await answer_press(query, refusal(result.outcome))


@press
async def on_rate(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    rating = SelfRating(callback.int_arg(1))
    result = await context.services.quiz.rate(callback.int_arg(0), query.from_user.id, rating)
    await _settled(query, context, result)


NEXT_ALREADY_SENT = "Already sent: your next question is below. Its own Next button asks another."


@press
async def on_next(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    """Next question ▶ (once per question it follows), an area from /topics or a "did you
    mean" button, or the check-in's question of the day."""
    area = callback.args[0]
    catalog = context.services.catalog
    if area != ALL_AREAS and catalog.bank(area) is None:
        await answer_press(query, "That area is no longer available. /topics")
        return
    if query.message is None:
        await answer_press(query, NO_LONGER_SUPPORTED)
        return
    chat_id, user_id = query.message.chat.id, query.from_user.id
    if callback.action is Action.NEXT:
        follows, level_value = callback.arg(1), callback.arg(2)
    else:
        follows, level_value = "", callback.arg(1)
    if follows and await context.services.quiz.asked_since(user_id, chat_id, int(follows)):
        await answer_press(query, NEXT_ALREADY_SENT)
        return
    level = Level(level_value) if level_value else None
    await answer_press(query)
    await ensure_user(context, query.from_user)
    await send_question(context, chat_id, user_id, None if area == ALL_AREAS else area, level)


@press
async def on_next_review(query: CallbackQuery, callback: Callback, context: BotContext) -> None:
    """Next review ▶ (once per question it follows)."""
    if query.message is None:
        await answer_press(query, NO_LONGER_SUPPORTED)
        return
    chat_id, user_id = query.message.chat.id, query.from_user.id
    follows = callback.arg(0)
    if follows and await context.services.quiz.asked_since(user_id, chat_id, int(follows)):
        await answer_press(query, NEXT_ALREADY_SENT)
        return
    await answer_press(query)
    await ensure_user(context, query.from_user)
    await send_review(context, chat_id, user_id)


async def on_unknown_press(update: Update, _context: BotContext) -> None:
    """A press whose data no handler claims: an old version's button, or a forged one."""
    if update.callback_query is not None:
        await answer_press(update.callback_query, NO_LONGER_SUPPORTED)
