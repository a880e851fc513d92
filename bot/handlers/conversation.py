"""Plain text in a private chat: a standup answer, a typed quiz answer, or a pointer to /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers import checkin, quiz
from bot.services import services


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    svc = services(context)
    open_checkin = await svc.checkins.awaiting(user.id, chat.id)
    if open_checkin is not None:
        typed = await svc.attempts.open_typed(user.id, chat.id)
        # Whichever the bot asked last is what the learner is answering.
        if typed is None or (open_checkin.sent_at or open_checkin.due_at) > typed.asked_at:
            await checkin.answer_standup(update, context, open_checkin)
            return
    await quiz.on_text(update, context)
