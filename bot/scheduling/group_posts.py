"""Scheduled group posts: the question of the day (revealing yesterday's first) and the
group standup with its reminder and summary. Sent by the same sweep as private check-ins."""

from __future__ import annotations

import logging

from telegram import Message
from telegram.error import BadRequest

from bot.domain.standup import read_reply
from bot.domain.states import GroupPostKind
from bot.render import group_text, keyboards
from bot.render.polls import qotd_poll
from bot.services import BotApplication, Services, services_of
from bot.telegram_out import Sent, deliver, send_quiz_poll
from bot.usecases.views import GroupPostView

log = logging.getLogger(__name__)


async def _reveal_previous(application: BotApplication, svc: Services, post: GroupPostView) -> None:
    reveal = await svc.group_posts.reveal_previous(post)
    if reveal is None:
        return
    previous = reveal.previous
    if previous.poll_id and previous.message_id:
        try:
            await application.bot.stop_poll(previous.chat_id, previous.message_id)
        except BadRequest as error:
            log.info("yesterday's question-of-the-day poll was already closed: %s", error)
    await application.bot.send_message(
        post.chat_id, group_text.qotd_reveal(reveal.question, reveal.right, reveal.answered)
    )


async def _send_qotd(application: BotApplication, svc: Services, post: GroupPostView) -> None:
    await _reveal_previous(application, svc, post)
    question = svc.group_posts.pick_question_of_the_day()
    if question is None:
        await svc.group_posts.outbox.mark_failed(post.id)
        return
    message: Message
    poll = qotd_poll(question)
    if poll is not None:
        message = await send_quiz_poll(application.bot, post.chat_id, poll)
    else:
        message = await application.bot.send_message(
            post.chat_id,
            group_text.qotd_message(question, svc.catalog.title(question.area), post.local_date),
            reply_markup=keyboards.qotd_keyboard(question, post.id),
        )
    await svc.group_posts.sent(
        post, message.message_id, message.poll.id if message.poll else None, question.id
    )


async def _send_standup(application: BotApplication, svc: Services, post: GroupPostView) -> None:
    message = await application.bot.send_message(
        post.chat_id, group_text.standup_prompt(post.local_date)
    )
    await svc.group_posts.sent(post, message.message_id)


async def send_group_post(application: BotApplication, post: GroupPostView) -> bool:
    """Sends one claimed post; True when it went out."""
    svc = services_of(application)
    send = _send_qotd if post.kind is GroupPostKind.QOTD else _send_standup
    delivery = await deliver(send(application, svc, post))
    if delivery.outcome is Sent.BLOCKED:
        await svc.chats.deactivate(post.chat_id)
        await svc.group_posts.outbox.mark_failed(post.id)
    elif delivery.outcome is Sent.REFUSED:
        log.warning("group post %s refused: %s", post.id, delivery.error)
        await svc.group_posts.outbox.mark_failed(post.id)
    elif delivery.outcome is Sent.RETRY:
        log.info("group post %s will be retried: %s", post.id, delivery.error)
        await svc.group_posts.outbox.release(post.id, post.tries)
    return delivery.outcome is Sent.OK


async def standup_followups(application: BotApplication) -> int:
    """Sends each standup's one reminder (at 80 % of its window) and its summary (at the end)."""
    svc = services_of(application)
    sent = 0
    for standup in await svc.group_posts.take_reminders():
        if standup.missing:
            await application.bot.send_message(
                standup.post.chat_id,
                group_text.standup_reminder(standup.missing),
                reply_to_message_id=standup.post.message_id,
            )
            sent += 1
    for standup in await svc.group_posts.take_summaries():
        replies = [(name, read_reply(text)) for name, text in standup.answers]
        await application.bot.send_message(
            standup.post.chat_id,
            group_text.standup_summary(standup.post.local_date, replies, standup.missing),
        )
        sent += 1
    return sent
