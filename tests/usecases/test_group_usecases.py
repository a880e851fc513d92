"""Group use cases with plain values: rounds, first answers, closing once, posts, members."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.domain.clock import FakeClock
from bot.domain.schedule import parse_schedule_args
from bot.domain.states import GroupPostKind, PollOwner, RoundStatus
from bot.services import Services
from bot.usecases.group_answers import GroupAnswerOutcome
from bot.usecases.rounds import RoundError, ToAsk
from bot.usecases.views import Person

GROUP = -100
ANN, BO = Person(1, "Ann", None, "Ann"), Person(2, "Bo", None, "Bo")


async def start_and_ask(services: Services, area: str | None = "demo", count: int = 2) -> ToAsk:
    await services.chats.remember(GROUP, "group", "Study", ANN)
    started = await services.rounds.start_round(GROUP, ANN.id, area, count)
    assert not isinstance(started, RoundError)
    to_ask = await services.rounds.to_ask(started.id, 0)
    assert to_ask is not None
    await services.rounds.asked(to_ask, 500, "round-poll-1")
    return to_ask


async def test_one_round_at_a_time_and_questions_must_exist(services: Services) -> None:
    await start_and_ask(services)
    assert await services.rounds.start_round(GROUP, BO.id, None, 3) is RoundError.ALREADY_RUNNING
    assert await services.rounds.start_round(-200, BO.id, "nope", 3) is RoundError.NO_QUESTIONS


async def test_first_answer_counts_and_the_poll_is_owned(services: Services) -> None:
    to_ask = await start_and_ask(services)
    owner = await services.polls.owner("round-poll-1")
    assert owner is not None and (owner.owner, owner.owner_id) == (
        PollOwner.ROUND,
        to_ask.round_question.id,
    )
    results = await asyncio.gather(
        *(services.rounds.answer(to_ask.round_question.id, BO, frozenset({0})) for _ in range(4))
    )
    outcomes = [result.outcome for result in results]
    assert outcomes.count(GroupAnswerOutcome.COUNTED) == 1
    assert outcomes.count(GroupAnswerOutcome.ALREADY_ANSWERED) == 3
    invalid = await services.rounds.answer(to_ask.round_question.id, ANN, frozenset({7}))
    assert invalid.outcome is GroupAnswerOutcome.INVALID


async def test_a_question_closes_once_at_its_deadline_and_the_round_moves_on(
    services: Services, clock: FakeClock
) -> None:
    to_ask = await start_and_ask(services, area=None)
    right = to_ask.question.correct_options
    await services.rounds.answer(to_ask.round_question.id, BO, right)
    assert await services.rounds.due_questions() == []
    clock.advance(timedelta(seconds=31))
    [due] = await services.rounds.due_questions()
    closings = await asyncio.gather(*(services.rounds.close_question(due.id) for _ in range(3)))
    [closing] = [closing for closing in closings if closing is not None]
    assert closing.next_position == 1 and not closing.finish
    assert closing.closed is not None and closing.closed.right == ["Bo"]
    late = await services.rounds.answer(to_ask.round_question.id, ANN, right)
    assert late.outcome is GroupAnswerOutcome.CLOSED


async def test_a_stopped_round_ranks_and_stops_once(services: Services) -> None:
    to_ask = await start_and_ask(services)
    await services.rounds.answer(to_ask.round_question.id, BO, frozenset({0}))
    finished = await services.rounds.finish(to_ask.round.id, stopped_by="Ann")
    assert finished is not None and finished.round.status is RoundStatus.STOPPED
    assert [(placed.place, placed.score.name) for placed in finished.ranking] == [(1, "Bo")]
    assert finished.last_open is not None, "the question on screen is shown closed"
    assert await services.rounds.finish(to_ask.round.id, stopped_by="Ann") is None
    assert await services.rounds.running(GROUP) is None


async def test_the_bot_removed_from_a_group_stops_its_round(services: Services) -> None:
    await start_and_ask(services)
    await services.chats.bot_membership_changed(GROUP, "group", "Study", joined=False)
    assert await services.rounds.running(GROUP) is None
    assert await services.chats.active(GROUP) is False


async def test_group_schedules_claim_one_post_a_day(services: Services, clock: FakeClock) -> None:
    await services.chats.remember(GROUP, "group", "Study", ANN)
    saved = await services.group_posts.set_schedule(
        GROUP, GroupPostKind.STANDUP, parse_schedule_args(["10:00", "UTC"])
    )
    assert (saved.at.hour, saved.timezone, saved.enabled) == (10, "UTC", True)
    clock.set(datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC))
    claims = await asyncio.gather(*(services.group_posts.claim_due() for _ in range(3)))
    assert sum(claims) == 1
    [post] = await services.group_posts.outbox.take_pending(10)
    assert await services.group_posts.outbox.take_pending(10) == []
    await services.group_posts.sent(post, 900)
    assert await services.group_posts.standup_reply(GROUP, 900, BO, "done")
    assert not await services.group_posts.standup_reply(GROUP, 901, BO, "not the prompt")
    assert await services.group_posts.standup_answer_count(GROUP, 900) == 1
    assert await services.group_posts.turn_off(GROUP, GroupPostKind.STANDUP)
    assert not await services.group_posts.turn_off(GROUP, GroupPostKind.STANDUP)


async def test_migration_keeps_the_group_under_its_new_id(services: Services) -> None:
    await services.chats.remember(GROUP, "group", "Study", ANN)
    assert await services.chats.migrate(GROUP, -1009)
    assert not await services.chats.exists(GROUP)
    assert await services.chats.exists(-1009)
    assert await services.chats.is_member(-1009, ANN.id) is True
