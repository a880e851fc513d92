"""/topics, /quiz, /cancel, typed answers, and every press or poll answer on a question."""

from __future__ import annotations

import logging
from html import escape

from telegram import CallbackQuery, InputPollOption, Message, Poll, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.banks.schema import QuestionType
from bot.domain.self_rating import SelfRating
from bot.handlers import group
from bot.handlers.common import ensure_user, refuse_arguments, reply
from bot.render import keyboards, text
from bot.render.callbacks import ALL_AREAS, Action, Callback, decode
from bot.services import services
from bot.storage.models import Attempt, DeliveryKind
from bot.usecases.quiz import AnswerResult, NextQuestion, Settled

log = logging.getLogger(__name__)

REFUSALS = {
    Settled.ALREADY_ANSWERED: "Already answered — it was counted once.",
    Settled.SKIPPED: "This question was skipped; it isn't scored. /quiz for a new one.",
    Settled.NOT_YOURS: "This question belongs to someone else.",
    Settled.GONE: "This question is no longer available. /quiz for a new one.",
    Settled.INVALID: "That does not fit this question.",
    Settled.AWAITING_RATING: "The model answer is shown; rate yourself below it.",
}


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await refuse_arguments(update, context, "topics"):
        return
    catalog = services(context).catalog
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            text.topics(catalog), reply_markup=keyboards.topics_keyboard(catalog)
        )


async def quiz(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    args = context.args or []
    catalog = services(context).catalog
    if len(args) > 1:
        await reply(update, text.quiz_usage())
        return
    area = args[0].lower() if args else None
    if area is not None and catalog.bank(area) is None:
        await reply(update, text.unknown_area(args[0], catalog))
        return
    await ensure_user(update, context)
    if update.effective_chat is not None and update.effective_user is not None:
        await send_question(context, update.effective_chat.id, update.effective_user.id, area)


async def _send(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, upcoming: NextQuestion
) -> Message:
    question, attempt = upcoming.question, upcoming.attempt
    if upcoming.kind is DeliveryKind.POLL:
        return await context.bot.send_poll(
            chat_id,
            question=escape(text.poll_question(question, upcoming.title)),
            options=[InputPollOption(escape(option)) for option in question.options],
            type=Poll.QUIZ,
            is_anonymous=False,
            correct_option_ids=[int(index) for index in sorted(question.correct_options)],  # type: ignore[misc]
            explanation=escape(question.explanation),
            reply_markup=keyboards.skip_keyboard(attempt.id),
        )
    if upcoming.kind is DeliveryKind.TYPED:
        sandbox = services(context).quiz.sandbox
        tables = sandbox.describe(question.dataset) if question.dataset else []
        return await context.bot.send_message(
            chat_id,
            text.typed_question_message(question, upcoming.title, tables),
            reply_markup=keyboards.typed_keyboard(question, attempt.id),
        )
    return await context.bot.send_message(
        chat_id,
        text.question_message(question, upcoming.title),
        reply_markup=keyboards.question_keyboard(question, attempt.id),
    )


async def send_question(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int, area: str | None
) -> None:
    svc = services(context)
    upcoming = await svc.quiz.next_question(user_id, chat_id, area)
    if upcoming is None:
        await context.bot.send_message(chat_id, text.NO_QUESTIONS)
        return
    message = await _send(context, chat_id, upcoming)
    await svc.quiz.sent(
        upcoming.attempt.id, message.message_id, message.poll.id if message.poll else None
    )


async def _close_question_message(context: ContextTypes.DEFAULT_TYPE, attempt: Attempt) -> None:
    """Shows a skipped question as skipped: polls are stopped, other messages edited."""
    if attempt.message_id is None:
        return
    svc = services(context)
    question = svc.catalog.question(attempt.question_id)
    next_markup = keyboards.next_keyboard(attempt.quiz_area)
    try:
        if attempt.kind == DeliveryKind.POLL.value:
            await context.bot.stop_poll(
                attempt.chat_id, attempt.message_id, reply_markup=next_markup
            )
        elif question is not None:
            await context.bot.edit_message_text(
                text.skipped_message(question, svc.quiz.title(question.area)),
                chat_id=attempt.chat_id,
                message_id=attempt.message_id,
                reply_markup=next_markup,
            )
    except BadRequest as error:
        # The message was deleted or is already closed: nothing left to show.
        log.info("could not close question message %s: %s", attempt.message_id, error)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await refuse_arguments(update, context, "cancel"):
        return
    if update.effective_chat is None or update.effective_user is None:
        return
    skipped = await services(context).quiz.cancel(
        update.effective_user.id, update.effective_chat.id
    )
    if not skipped:
        await reply(update, text.NOTHING_TO_CANCEL)
        return
    for attempt in skipped:
        await _close_question_message(context, attempt)
    await reply(update, text.CANCELLED)


async def on_poll_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    answer = update.poll_answer
    if answer is None or answer.user is None or not answer.option_ids:
        return
    svc = services(context)
    result = await svc.quiz.answer_poll(
        answer.poll_id, answer.user.id, frozenset(answer.option_ids)
    )
    if result.outcome is Settled.GONE:
        # Not a private quiz poll: a group round's or a question of the day's.
        await group.on_group_poll_answer(update, context)
    elif result.outcome is Settled.COUNTED and result.attempt and result.question:
        await context.bot.send_message(
            result.attempt.chat_id,
            text.poll_result(result.question, result.correct),
            reply_markup=keyboards.next_keyboard(result.attempt.quiz_area),
        )
    elif result.outcome is Settled.SKIPPED and result.attempt:
        await context.bot.send_message(result.attempt.chat_id, REFUSALS[Settled.SKIPPED])


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text answers the chat's open text, sql or open question; otherwise a pointer to /help."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    svc = services(context)
    result = await svc.quiz.typed_answer(user.id, message.chat_id, message.text)
    if result is None:
        await message.reply_text(text.STRAY_TEXT)
        return
    question, attempt = result.question, result.attempt
    if question is None or attempt is None:
        await message.reply_text(REFUSALS[Settled.GONE])
        return
    next_markup = keyboards.next_keyboard(attempt.quiz_area)
    if result.outcome is Settled.RETRY:
        await message.reply_text(text.sql_retry(result.message or ""))
    elif result.outcome is Settled.REVEALED:
        await message.reply_text(
            text.model_answer(question, svc.quiz.title(question.area), result.response),
            reply_markup=keyboards.rating_keyboard(attempt.id),
        )
    elif result.outcome is Settled.AWAITING_RATING:
        await message.reply_text(text.AWAITING_RATING)
    elif result.outcome is not Settled.COUNTED:
        await message.reply_text(REFUSALS.get(result.outcome, REFUSALS[Settled.GONE]))
    elif question.type is QuestionType.SQL and result.sql is not None:
        await message.reply_text(text.sql_verdict(question, result.sql), reply_markup=next_markup)
    else:
        await message.reply_text(
            text.text_verdict(question, result.response or "", result.correct),
            reply_markup=next_markup,
        )


async def _show_answer(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, result: AnswerResult
) -> None:
    assert result.attempt is not None and result.question is not None
    title = services(context).quiz.title(result.question.area)
    next_markup = keyboards.next_keyboard(result.attempt.quiz_area)
    if result.rating is not None:
        await query.answer(f"Rated {result.rating.label}.")
        await query.edit_message_text(
            text.rated(result.question, title, result.attempt.response, result.rating),
            reply_markup=next_markup,
        )
        return
    await query.answer("Correct!" if result.correct else "Not quite.")
    await query.edit_message_text(
        text.answered_message(result.question, title, result.chosen, result.correct),
        reply_markup=next_markup,
    )


async def _settle_press(
    callback: Callback, query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE
) -> None:
    svc = services(context)
    user_id = query.from_user.id
    attempt_id = callback.int_arg(0)
    action = callback.action
    if action is Action.ANSWER:
        result = await svc.quiz.answer(attempt_id, user_id, frozenset({callback.int_arg(1)}))
    elif action is Action.TOGGLE:
        result = await svc.quiz.toggle(attempt_id, user_id, callback.int_arg(1))
        if result.outcome is Settled.COUNTED and result.question:
            await query.answer()
            await query.edit_message_reply_markup(
                keyboards.question_keyboard(result.question, attempt_id, result.chosen)
            )
            return
    elif action is Action.SUBMIT:
        result = await svc.quiz.submit(attempt_id, user_id)
        if result.outcome is Settled.INVALID:
            await query.answer("Select at least one option, then Submit.")
            return
    elif action is Action.SKIP:
        result = await svc.quiz.skip(attempt_id, user_id)
        if result.outcome is Settled.SKIPPED and result.message and result.attempt:
            await query.answer("Skipped — not scored.")
            await _close_question_message(context, result.attempt)
            return
    elif action is Action.REVEAL:
        result = await svc.quiz.reveal(attempt_id, user_id)
        if result.outcome is Settled.REVEALED and result.question:
            await query.answer()
            await query.edit_message_text(
                text.model_answer(result.question, svc.quiz.title(result.question.area), None),
                reply_markup=keyboards.rating_keyboard(attempt_id),
            )
            return
    elif action is Action.RATE:
        try:
            rating = SelfRating(callback.int_arg(1))
        except ValueError:
            await query.answer(REFUSALS[Settled.INVALID])
            return
        result = await svc.quiz.rate(attempt_id, user_id, rating)
    else:
        await query.answer()
        return
    if result.outcome is Settled.COUNTED:
        await _show_answer(query, context, result)
    else:
        await query.answer(REFUSALS.get(result.outcome, REFUSALS[Settled.GONE]))


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    callback = decode(query.data)
    if callback is None:
        await query.answer("This button is no longer supported. /help")
        return
    if callback.action in (Action.NEXT, Action.TOPIC):
        await _next_from_button(query, context, callback)
        return
    await _settle_press(callback, query, context)


async def _next_from_button(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, callback: Callback
) -> None:
    area = callback.args[0]
    catalog = services(context).catalog
    if area != ALL_AREAS and catalog.bank(area) is None:
        await query.answer("That area is no longer available. /topics")
        return
    await query.answer()
    if query.message is None:
        return
    await ensure_user(Update(0, callback_query=query), context)
    await send_question(
        context, query.message.chat.id, query.from_user.id, None if area == ALL_AREAS else area
    )
