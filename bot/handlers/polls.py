"""A vote in a quiz poll, routed to whoever owns the poll (recorded when it was sent)."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.context import BotContext
from bot.domain.states import PollOwner
from bot.handlers.common import person
from bot.render import keyboards, quiz_text
from bot.usecases.polls import PollOwnership
from bot.usecases.quiz import Settled

# A fast voter can beat the bot's own write of the poll's owner (the vote is handled
# concurrently with the chat's updates), so an unknown poll is looked up a few times.
OWNER_LOOKUP_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8)


async def _owner(context: BotContext, poll_id: str) -> PollOwnership | None:
    polls = context.services.polls
    owner = await polls.owner(poll_id)
    for pause in OWNER_LOOKUP_PAUSES:
        if owner is not None:
            break
        await asyncio.sleep(pause)
        owner = await polls.owner(poll_id)
    return owner


async def on_poll_answer(update: Update, context: BotContext) -> None:
    answer = update.poll_answer
    if answer is None or answer.user is None or not answer.option_ids:
        return  # a retracted vote changes nothing: the first answer counts
    owner = await _owner(context, answer.poll_id)
    if owner is None:
        return
    chosen = frozenset(answer.option_ids)
    services = context.services
    if owner.owner is PollOwner.ROUND:
        await services.rounds.answer(owner.owner_id, person(answer.user), chosen)
        return
    if owner.owner is PollOwner.QOTD:
        await services.group_posts.answer_qotd(owner.owner_id, person(answer.user), chosen)
        return
    result = await services.quiz.answer(owner.owner_id, answer.user.id, chosen)
    if result.outcome is Settled.COUNTED and result.attempt and result.question:
        await context.bot.send_message(
            result.attempt.chat_id,
            quiz_text.poll_result(result.question, result.correct),
            reply_markup=keyboards.next_keyboard(result.attempt),
        )
    elif result.outcome is Settled.SKIPPED and result.attempt:
        await context.bot.send_message(result.attempt.chat_id, quiz_text.refusal(Settled.SKIPPED))
