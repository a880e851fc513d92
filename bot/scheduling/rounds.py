"""Group quiz rounds in motion: ask a question, close it at its deadline, ask the next,
post the ranking. Deadlines live in the database, so a restart loses nothing."""

from __future__ import annotations

import logging

from telegram import Message
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.domain.states import DeliveryKind
from bot.render import group_text, keyboards
from bot.render.polls import round_quiz_poll
from bot.services import BotApplication, services_of
from bot.telegram_out import send_quiz_poll
from bot.usecases.rounds import ClosedQuestion, Finished

log = logging.getLogger(__name__)

TICK_SECONDS = 2
JOB_NAME = "round-ticker"


async def ask(application: BotApplication, round_id: int, position: int) -> None:
    """Sends the round's question at `position` and starts its clock."""
    rounds = services_of(application).rounds
    to_ask = await rounds.to_ask(round_id, position)
    if to_ask is None:
        await finish(application, round_id)
        return
    quiz_round, round_question, question = to_ask.round, to_ask.round_question, to_ask.question
    number, total = position + 1, quiz_round.total
    message: Message
    if round_question.kind is DeliveryKind.POLL:
        poll = round_quiz_poll(question, number, total, quiz_round.seconds)
        message = await send_quiz_poll(application.bot, quiz_round.chat_id, poll)
    else:
        message = await application.bot.send_message(
            quiz_round.chat_id,
            group_text.round_question_message(
                question, to_ask.title, number, total, quiz_round.seconds
            ),
            reply_markup=keyboards.group_answer_keyboard(question, round_question.id),
        )
    await rounds.asked(to_ask, message.message_id, message.poll.id if message.poll else None)


async def _show_result(application: BotApplication, closed: ClosedQuestion) -> None:
    round_question, chat_id = closed.round_question, closed.round.chat_id
    assert round_question.message_id is not None
    try:
        if round_question.kind is DeliveryKind.POLL:
            await application.bot.stop_poll(chat_id, round_question.message_id)
            return
        header = f"<b>Question {round_question.position + 1}/{closed.round.total}</b>"
        await application.bot.edit_message_text(
            group_text.closed_question(
                closed.question, closed.title, closed.right, closed.answered, header
            ),
            chat_id=chat_id,
            message_id=round_question.message_id,
        )
    except BadRequest as error:
        # Telegram closed the poll itself (open_period), or the message was deleted.
        log.info("round question %s already closed on Telegram: %s", round_question.id, error)


async def close(application: BotApplication, round_question_id: int) -> None:
    """Closes one question (once, even if two ticks race) and moves the round on."""
    closing = await services_of(application).rounds.close_question(round_question_id)
    if closing is None:
        return
    if closing.closed is not None:
        await _show_result(application, closing.closed)
    if closing.next_position is not None and closing.closed is not None:
        await ask(application, closing.closed.round.id, closing.next_position)
    elif closing.finish and closing.closed is not None:
        await finish(application, closing.closed.round.id)


async def finish(application: BotApplication, round_id: int, stopped_by: str | None = None) -> None:
    finished: Finished | None = await services_of(application).rounds.finish(round_id, stopped_by)
    if finished is None:
        return
    if finished.last_open is not None:
        await _show_result(application, finished.last_open)
    await application.bot.send_message(
        finished.round.chat_id,
        group_text.round_over(finished.ranking, finished.round.total, stopped_by),
    )


async def tick(application: BotApplication) -> int:
    """Closes every question whose time is up; returns how many."""
    due = await services_of(application).rounds.due_questions()
    for round_question in due:
        try:
            await close(application, round_question.id)
        except TelegramError:
            log.exception("closing round question %s failed; the round goes on", round_question.id)
    return len(due)


async def tick_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await tick(context.application)


def schedule_ticker(application: BotApplication) -> None:
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        tick_job,
        interval=TICK_SECONDS,
        first=TICK_SECONDS,
        name=JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
