"""One repeating job claims due check-ins and sends them; no job per user, nothing pickled."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import Bot, Message
from telegram.ext import ContextTypes

from bot.render import checkin_text, keyboards
from bot.scheduling.group_posts import send_group_post, standup_followups
from bot.services import BotApplication, Services, services_of
from bot.telegram_out import Sent, deliver
from bot.usecases.views import CheckinView

log = logging.getLogger(__name__)

SWEEP_INTERVAL_SECONDS = 20
SEND_BATCH = 200
IN_FLIGHT = 60
JOB_NAME = "checkin-sweep"


@dataclass
class SweepReport:
    created: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    blocked: int = 0
    reminded: int = 0
    group_posts: int = 0
    group_followups: int = 0


async def _send_checkin(bot: Bot, svc: Services, checkin: CheckinView, report: SweepReport) -> None:
    async def send() -> Message:
        facts = await svc.checkins.facts(checkin)
        return await bot.send_message(
            checkin.chat_id,
            checkin_text.standup(facts, svc.catalog),
            reply_markup=keyboards.question_of_the_day_keyboard(facts.weakest_area),
        )

    delivery = await deliver(send())
    if delivery.outcome is Sent.BLOCKED:
        report.blocked += 1
        await svc.users.set_active(checkin.user_id, False)
        await svc.checkins.outbox.mark_failed(checkin.id)
    elif delivery.outcome is Sent.REFUSED:
        log.warning(
            "check-in %s to chat %s refused: %s", checkin.id, checkin.chat_id, delivery.error
        )
        report.failed += 1
        await svc.checkins.outbox.mark_failed(checkin.id)
    elif delivery.outcome is Sent.RETRY:
        log.info("check-in %s will be retried: %s", checkin.id, delivery.error)
        report.retried += 1
        await svc.checkins.outbox.release(checkin.id, checkin.tries)
    else:
        assert delivery.message is not None
        report.sent += 1
        await svc.checkins.mark_sent(checkin.id, delivery.message.message_id)


async def _remind(bot: Bot, svc: Services, checkin: CheckinView, report: SweepReport) -> None:
    delivery = await deliver(
        bot.send_message(
            checkin.chat_id, checkin_text.REMINDER, reply_to_message_id=checkin.message_id
        )
    )
    if delivery.outcome is Sent.OK:
        report.reminded += 1
    elif delivery.outcome is Sent.BLOCKED:
        await svc.users.set_active(checkin.user_id, False)
    else:
        log.info("reminder for check-in %s not sent: %s", checkin.id, delivery.error)


async def sweep(application: BotApplication) -> SweepReport:
    """Claims what is due, sends it within Telegram's limits, then sends due reminders."""
    svc = services_of(application)
    report = SweepReport()
    # Sends stream through a bounded number of tasks, so the rate limiter always has the next
    # message ready instead of idling while a whole batch is composed.
    in_flight = asyncio.Semaphore(IN_FLIGHT)
    tasks: set[asyncio.Task[None]] = set()

    async def send(checkin: CheckinView) -> None:
        try:
            await _send_checkin(application.bot, svc, checkin, report)
        finally:
            in_flight.release()

    while True:
        report.created += await svc.checkins.claim_due()
        batch = await svc.checkins.outbox.take_pending(SEND_BATCH)
        if not batch:
            break
        for checkin in batch:
            await in_flight.acquire()
            task = asyncio.create_task(send(checkin))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if report.retried and not report.sent:
            break  # Telegram is failing; the next sweep tries again.
    await asyncio.gather(*tasks)
    for checkin in await svc.checkins.take_reminders():
        await _remind(application.bot, svc, checkin, report)
    report.group_posts = await _send_group_posts(application)
    report.group_followups = await standup_followups(application)
    return report


async def _send_group_posts(application: BotApplication) -> int:
    svc = services_of(application)
    sent = 0
    while True:
        await svc.group_posts.claim_due()
        batch = await svc.group_posts.outbox.take_pending(SEND_BATCH)
        if not batch:
            return sent
        for post in batch:
            sent += int(await send_group_post(application, post))


async def sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    report = await sweep(context.application)
    if report.created or report.sent or report.failed or report.reminded:
        log.info("check-in sweep: %s", report)


def schedule_sweep(application: BotApplication) -> None:
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        sweep_job,
        interval=SWEEP_INTERVAL_SECONDS,
        first=1,
        name=JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
