"""Group quiz rounds in motion: ask a question, close it at its deadline, ask the next,
post the ranking. Deadlines live in the database, so a restart loses nothing."""

from __future__ import annotations

import logging
from datetime import timedelta
from html import escape

from telegram import InputPollOption, Message, Poll
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.render import group_text, keyboards
from bot.services import BotApplication, Services, services_of
from bot.storage.models import Round, RoundQuestion, RoundStatus

log = logging.getLogger(__name__)

TICK_SECONDS = 2
JOB_NAME = "round-ticker"


def _title(svc: Services, area: str) -> str:
    bank = svc.catalog.bank(area)
    return bank.title if bank else area


async def ask(application: BotApplication, quiz_round: Round, position: int) -> None:
    """Sends the round's question at `position` and starts its clock."""
    svc = services_of(application)
    round_question = await svc.groups.store.round_question_at(quiz_round.id, position)
    question = svc.catalog.question(round_question.question_id) if round_question else None
    if round_question is None or question is None:
        await finish(application, quiz_round)
        return
    bot = application.bot
    number, total = position + 1, quiz_round.total
    message: Message
    if round_question.kind == "poll":
        message = await bot.send_poll(
            quiz_round.chat_id,
            question=escape(group_text.round_poll_question(question, number, total)),
            options=[InputPollOption(escape(option)) for option in question.options],
            type=Poll.QUIZ,
            is_anonymous=False,
            allows_multiple_answers=len(question.correct_options) > 1,
            correct_option_ids=[int(index) for index in sorted(question.correct_options)],
            explanation=escape(question.explanation),
            open_period=quiz_round.seconds,
        )
    else:
        message = await bot.send_message(
            quiz_round.chat_id,
            group_text.round_question_message(
                question, _title(svc, question.area), number, total, quiz_round.seconds
            ),
            reply_markup=keyboards.group_answer_keyboard(question, round_question.id),
        )
    now = svc.clock.now()
    await svc.groups.store.open_round_question(
        round_question.id,
        message.message_id,
        message.poll.id if message.poll else None,
        now,
        now + timedelta(seconds=quiz_round.seconds),
    )


async def _show_result(
    application: BotApplication, quiz_round: Round, round_question: RoundQuestion
) -> None:
    svc = services_of(application)
    question = svc.catalog.question(round_question.question_id)
    if question is None or round_question.message_id is None:
        return
    try:
        if round_question.kind == "poll":
            await application.bot.stop_poll(quiz_round.chat_id, round_question.message_id)
            return
        answers = await svc.groups.store.answers_to(round_question_id=round_question.id)
        right = [answer.name for answer in answers if answer.correct]
        header = f"<b>Question {round_question.position + 1}/{quiz_round.total}</b>"
        await application.bot.edit_message_text(
            group_text.closed_question(
                question, _title(svc, question.area), right, len(answers), header
            ),
            chat_id=quiz_round.chat_id,
            message_id=round_question.message_id,
        )
    except BadRequest as error:
        # Telegram closed the poll itself (open_period), or the message was deleted.
        log.info("round question %s already closed on Telegram: %s", round_question.id, error)


async def close(application: BotApplication, round_question: RoundQuestion) -> None:
    """Closes one question (once, even if two ticks race) and moves the round on."""
    svc = services_of(application)
    if not await svc.groups.store.close_round_question(round_question.id, svc.clock.now()):
        return
    quiz_round = await svc.groups.store.get_round(round_question.round_id)
    if quiz_round is None:
        return
    await _show_result(application, quiz_round, round_question)
    if quiz_round.status != RoundStatus.RUNNING.value:
        return
    if round_question.position + 1 < quiz_round.total:
        await ask(application, quiz_round, round_question.position + 1)
    else:
        await finish(application, quiz_round)


async def finish(
    application: BotApplication, quiz_round: Round, stopped_by: str | None = None
) -> None:
    svc = services_of(application)
    status = RoundStatus.STOPPED if stopped_by else RoundStatus.FINISHED
    open_question = None
    if stopped_by:
        for position in range(quiz_round.total):
            candidate = await svc.groups.store.round_question_at(quiz_round.id, position)
            if candidate and candidate.message_id and candidate.closed_at is None:
                open_question = candidate
    if not await svc.groups.store.finish_round(quiz_round.id, status, svc.clock.now()):
        return
    if open_question is not None:
        await _show_result(application, quiz_round, open_question)
    placed = await svc.groups.round_ranking(quiz_round.id)
    await application.bot.send_message(
        quiz_round.chat_id, group_text.round_over(placed, quiz_round.total, stopped_by)
    )


async def tick(application: BotApplication) -> int:
    """Closes every question whose time is up; returns how many."""
    svc = services_of(application)
    due = await svc.groups.store.due_round_questions(svc.clock.now())
    for round_question in due:
        try:
            await close(application, round_question)
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
