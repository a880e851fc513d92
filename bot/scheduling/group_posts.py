"""Scheduled group posts: the question of the day (revealing yesterday's first) and the
group standup with its reminder and summary. Sent by the same sweep as private check-ins."""

from __future__ import annotations

import logging
from datetime import timedelta
from html import escape

from telegram import InputPollOption, Message, Poll
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.banks.limits import POLL_QUESTION_MAX
from bot.domain.standup import REMINDER_AT, WINDOW, read_reply
from bot.render import group_text, keyboards
from bot.services import BotApplication, Services, services_of
from bot.storage.models import CheckinStatus, GroupPost, GroupPostKind

log = logging.getLogger(__name__)

QOTD_POLL_PREFIX = "Question of the day: "


async def _reveal_previous(application: BotApplication, svc: Services, post: GroupPost) -> None:
    previous = await svc.groups.store.open_qotd_before(post.schedule_id, post.local_date)
    if previous is None or not await svc.groups.store.close_post(previous.id, svc.clock.now()):
        return
    question = svc.catalog.question(previous.question_id or "")
    if question is None:
        return
    if previous.poll_id and previous.message_id:
        try:
            await application.bot.stop_poll(previous.chat_id, previous.message_id)
        except BadRequest as error:
            log.info("yesterday's question-of-the-day poll was already closed: %s", error)
    answers = await svc.groups.store.answers_to(post_id=previous.id)
    right = [answer.name for answer in answers if answer.correct]
    await application.bot.send_message(
        post.chat_id, group_text.qotd_reveal(question, right, len(answers))
    )


async def _send_qotd(application: BotApplication, svc: Services, post: GroupPost) -> None:
    await _reveal_previous(application, svc, post)
    question = svc.groups.pick_question_of_the_day()
    if question is None:
        await svc.groups.store.outbox.mark_failed(post.id)
        return
    message: Message
    poll_text = QOTD_POLL_PREFIX + question.question
    if question.fits_group_poll and len(poll_text) <= POLL_QUESTION_MAX:
        message = await application.bot.send_poll(
            post.chat_id,
            question=escape(poll_text),
            options=[InputPollOption(escape(option)) for option in question.options],
            type=Poll.QUIZ,
            is_anonymous=False,
            allows_multiple_answers=len(question.correct_options) > 1,
            correct_option_ids=[int(index) for index in sorted(question.correct_options)],
            explanation=escape(question.explanation),
        )
    else:
        bank = svc.catalog.bank(question.area)
        message = await application.bot.send_message(
            post.chat_id,
            group_text.qotd_message(
                question, bank.title if bank else question.area, post.local_date
            ),
            reply_markup=keyboards.qotd_keyboard(question, post.id),
        )
    await svc.groups.store.outbox.set(
        post.id,
        status=CheckinStatus.SENT.value,
        message_id=message.message_id,
        poll_id=message.poll.id if message.poll else None,
        question_id=question.id,
        sent_at=svc.clock.now(),
    )


async def _send_standup(application: BotApplication, svc: Services, post: GroupPost) -> None:
    message = await application.bot.send_message(
        post.chat_id, group_text.standup_prompt(post.local_date)
    )
    await svc.groups.store.outbox.set(
        post.id,
        status=CheckinStatus.SENT.value,
        message_id=message.message_id,
        sent_at=svc.clock.now(),
    )


async def send_group_post(application: BotApplication, post: GroupPost) -> bool:
    """Sends one claimed post; True when it went out."""
    svc = services_of(application)
    try:
        if post.kind == GroupPostKind.QOTD.value:
            await _send_qotd(application, svc, post)
        else:
            await _send_standup(application, svc, post)
    except Forbidden:
        await svc.groups.store.set_chat(post.chat_id, active=False)
        await svc.groups.store.outbox.mark_failed(post.id)
        return False
    except BadRequest as error:
        log.warning("group post %s refused: %s", post.id, error)
        await svc.groups.store.outbox.mark_failed(post.id)
        return False
    except (RetryAfter, TimedOut, NetworkError) as error:
        log.info("group post %s will be retried: %s", post.id, error)
        await svc.groups.store.outbox.release(post)
        return False
    return True


async def _missing(svc: Services, post: GroupPost) -> tuple[list[tuple[str, str]], list[str]]:
    answers = await svc.groups.store.standup_answers(post.id)
    answered = {answer.user_id for answer in answers}
    members = await svc.groups.store.members(post.chat_id)
    return [(answer.name, answer.text) for answer in answers], [
        m.name for m in members if m.user_id not in answered
    ]


async def standup_followups(application: BotApplication) -> int:
    """Sends each standup's one reminder (at 80 % of its window) and its summary (at the end)."""
    svc = services_of(application)
    now = svc.clock.now()
    sent = 0
    for post in await svc.groups.store.take_standups(
        "remind", now - timedelta(seconds=WINDOW.total_seconds() * REMINDER_AT), now
    ):
        _answers, missing = await _missing(svc, post)
        if missing:
            await application.bot.send_message(
                post.chat_id,
                group_text.standup_reminder(missing),
                reply_to_message_id=post.message_id,
            )
            sent += 1
    for post in await svc.groups.store.take_standups("close", now - WINDOW, now):
        answers, missing = await _missing(svc, post)
        replies = [(name, read_reply(text)) for name, text in answers]
        await application.bot.send_message(
            post.chat_id, group_text.standup_summary(post.local_date, replies, missing)
        )
        sent += 1
    return sent
