"""Plain text in a private chat: a standup answer, a typed quiz answer, or a pointer to /help."""

from __future__ import annotations

from telegram import Message, Update

from bot.banks.schema import QuestionType
from bot.context import BotContext
from bot.render import checkin_text, keyboards, quiz_text, text
from bot.render.quiz_text import refusal
from bot.usecases.quiz import AnswerResult, Settled


async def on_text(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    services = context.services
    target = await services.conversation.target_of_text(user.id, message.chat_id)
    if target.checkin is not None:
        progress = await services.checkins.record_answer(target.checkin, message.text)
        if progress is not None:
            await message.reply_text(checkin_text.answer_progress(progress))
        return
    result = await services.quiz.typed_answer(user.id, message.chat_id, message.text)
    if result is None:
        await message.reply_text(text.STRAY_TEXT)
        return
    await _reply_to_typed(message, result)


async def _reply_to_typed(message: Message, result: AnswerResult) -> None:
    question, attempt = result.question, result.attempt
    if question is None or attempt is None:
        await message.reply_text(refusal(Settled.GONE))
        return
    next_markup = keyboards.next_keyboard(attempt)
    if result.outcome is Settled.RETRY:
        await message.reply_text(quiz_text.sql_retry(result.message or ""))
    elif result.outcome is Settled.REVEALED:
        await message.reply_text(
            quiz_text.model_answer(question, result.title, result.response),
            reply_markup=keyboards.rating_keyboard(attempt.id),
        )
    elif result.outcome is Settled.AWAITING_RATING:
        await message.reply_text(quiz_text.AWAITING_RATING)
    elif result.outcome is not Settled.COUNTED:
        await message.reply_text(refusal(result.outcome))
    elif question.type is QuestionType.SQL and result.sql is not None:
        await message.reply_text(
            quiz_text.sql_verdict(question, result.sql), reply_markup=next_markup
        )
    else:
        await message.reply_text(
            quiz_text.text_verdict(question, result.response or "", result.correct),
            reply_markup=next_markup,
        )
