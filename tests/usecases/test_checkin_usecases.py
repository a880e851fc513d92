"""Check-in use cases with plain values: claiming once, answers, and what text answers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.domain.clock import FakeClock
from bot.domain.schedule import parse_schedule_args
from bot.domain.states import SendStatus
from bot.services import Services
from bot.usecases.views import Person

ALICE = 1


async def schedule_and_send(services: Services, clock: FakeClock) -> None:
    await services.users.touch(Person(ALICE, "Alice"))
    await services.checkins.set_schedule(ALICE, ALICE, parse_schedule_args(["10:00", "UTC"]))
    clock.set(datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC))
    assert sum(await asyncio.gather(*(services.checkins.claim_due() for _ in range(3)))) == 1
    [checkin] = await services.checkins.outbox.take_pending(10)
    assert checkin.status is SendStatus.SENDING
    await services.checkins.mark_sent(checkin.id, 77)


async def test_a_check_in_is_claimed_once_and_answered_line_by_line(
    services: Services, clock: FakeClock
) -> None:
    await schedule_and_send(services, clock)
    target = await services.conversation.target_of_text(ALICE, ALICE)
    assert target.checkin is not None and not target.question
    progress = await services.checkins.record_answer(target.checkin, "SQL joins")
    assert progress is not None and not progress.complete
    checkin = await services.checkins.awaiting(ALICE, ALICE)
    assert checkin is not None and checkin.yesterday == "SQL joins"
    second = await services.checkins.record_answer(checkin, "Docker\ncompose")
    assert second is not None and second.filled["today"] == "Docker compose"
    checkin = await services.checkins.awaiting(ALICE, ALICE)
    assert checkin is not None
    done = await services.checkins.record_answer(checkin, "nothing")
    assert done is not None and done.complete and done.streak_days == 1
    assert await services.checkins.record_answer(checkin, "again") is None, "answered already"
    [stored], streak = await services.checkins.history(ALICE)
    assert (stored.yesterday, stored.today, stored.blockers, streak) == (
        "SQL joins",
        "Docker compose",
        "nothing",
        1,
    )
    assert stored.status is SendStatus.ANSWERED


async def test_text_answers_whichever_was_asked_last(services: Services, clock: FakeClock) -> None:
    await schedule_and_send(services, clock)
    clock.advance(timedelta(minutes=5))
    upcoming = await services.quiz.next_question(ALICE, ALICE, "demotext")
    assert upcoming is not None
    target = await services.conversation.target_of_text(ALICE, ALICE)
    assert target.checkin is None and target.question, "the typed question came after"


async def test_pause_and_resume_move_the_next_run(services: Services, clock: FakeClock) -> None:
    await services.users.touch(Person(ALICE, "Alice"))
    await services.checkins.set_schedule(ALICE, ALICE, parse_schedule_args(["10:00", "UTC"]))
    paused = await services.checkins.pause(ALICE, timedelta(days=7))
    assert paused is not None and paused.next_local == datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    resumed, changed = await services.checkins.resume(ALICE)
    assert changed and resumed is not None
    assert resumed.next_local == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    again, changed = await services.checkins.resume(ALICE)
    assert not changed and again == resumed, "nothing paused: nothing to resume"
    assert await services.checkins.turn_off(ALICE)
    assert await services.checkins.pause(ALICE, timedelta(days=1)) is None, "off stays off"
