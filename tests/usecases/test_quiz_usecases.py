"""The quiz use cases with plain values: who may answer, what is counted, and how often."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest

from bot.domain.clock import FakeClock
from bot.domain.self_rating import SelfRating
from bot.domain.states import AttemptStatus, DeliveryKind, PollOwner
from bot.services import Services
from bot.usecases.quiz import Settled
from bot.usecases.views import AttemptView, Person

ALICE, BOB = 1, 2


async def ask(services: Services, area: str, user_id: int = ALICE) -> AttemptView:
    await services.users.touch(Person(user_id, f"user{user_id}"))
    upcoming = await services.quiz.next_question(user_id, user_id, area)
    assert upcoming is not None
    await services.quiz.sent(upcoming.attempt.id, user_id, 100 + upcoming.attempt.id, None)
    return upcoming.attempt


async def test_next_question_returns_a_frozen_view_of_an_open_attempt(services: Services) -> None:
    attempt = await ask(services, "demo")
    assert attempt.status is AttemptStatus.OPEN
    assert attempt.kind is DeliveryKind.POLL
    with pytest.raises(dataclasses.FrozenInstanceError):
        attempt.status = AttemptStatus.ANSWERED  # type: ignore[misc]


async def test_a_right_option_is_counted_once_and_a_second_press_is_refused(
    services: Services,
) -> None:
    attempt = await ask(services, "demo")
    first = await services.quiz.answer(attempt.id, ALICE, frozenset({0}))
    second = await services.quiz.answer(attempt.id, ALICE, frozenset({1}))
    assert (first.outcome, first.correct) == (Settled.COUNTED, True)
    assert second.outcome is Settled.ALREADY_ANSWERED
    assert second.chosen == frozenset({0}), "the first answer is what stays"
    [score] = await services.progress.area_scores(ALICE)
    assert (score.answered, score.correct) == (1, 1)


async def test_concurrent_presses_count_once(services: Services) -> None:
    attempt = await ask(services, "demo")
    results = await asyncio.gather(
        *(services.quiz.answer(attempt.id, ALICE, frozenset({option % 2})) for option in range(8))
    )
    assert [result.outcome for result in results].count(Settled.COUNTED) == 1
    [score] = await services.progress.area_scores(ALICE)
    assert score.answered == 1


async def test_someone_else_cannot_answer(services: Services) -> None:
    attempt = await ask(services, "demo")
    result = await services.quiz.answer(attempt.id, BOB, frozenset({0}))
    assert result.outcome is Settled.NOT_YOURS
    assert await services.progress.area_scores(BOB) == []


async def test_an_option_out_of_range_is_invalid_and_not_scored(services: Services) -> None:
    attempt = await ask(services, "demo")
    assert (
        await services.quiz.answer(attempt.id, ALICE, frozenset({9}))
    ).outcome is Settled.INVALID
    assert (await services.quiz.answer(attempt.id, ALICE, frozenset())).outcome is Settled.INVALID
    assert await services.progress.area_scores(ALICE) == []


async def test_an_unknown_attempt_is_gone(services: Services) -> None:
    assert (await services.quiz.answer(424242, ALICE, frozenset({0}))).outcome is Settled.GONE


async def test_skipping_is_not_scored_and_a_later_answer_is_refused(services: Services) -> None:
    attempt = await ask(services, "demo")
    assert (await services.quiz.skip(attempt.id, ALICE)).outcome is Settled.SKIPPED
    assert (
        await services.quiz.answer(attempt.id, ALICE, frozenset({0}))
    ).outcome is Settled.SKIPPED
    assert await services.progress.area_scores(ALICE) == []


async def test_multi_select_toggles_then_submits_the_selection(services: Services) -> None:
    attempt = await ask(services, "demomulti")
    assert (await services.quiz.submit(attempt.id, ALICE)).outcome is Settled.INVALID
    toggled = await services.quiz.toggle(attempt.id, ALICE, 0)
    assert (toggled.outcome, toggled.chosen) == (Settled.TOGGLED, frozenset({0}))
    assert (await services.quiz.toggle(attempt.id, ALICE, 0)).chosen == frozenset()
    assert (await services.quiz.toggle(attempt.id, ALICE, 99)).outcome is Settled.INVALID
    question = services.catalog.question(attempt.question_id)
    assert question is not None
    for option in question.correct_options:
        await services.quiz.toggle(attempt.id, ALICE, option)
    submitted = await services.quiz.submit(attempt.id, ALICE)
    assert (submitted.outcome, submitted.correct) == (Settled.COUNTED, True)


async def test_an_open_question_is_revealed_then_rated_once(services: Services) -> None:
    attempt = await ask(services, "demoopen")
    assert (await services.quiz.rate(attempt.id, ALICE, SelfRating.GOOD)).outcome is Settled.INVALID
    revealed = await services.quiz.typed_answer(ALICE, ALICE, "  an index on a small table  ")
    assert revealed is not None and revealed.outcome is Settled.REVEALED
    assert revealed.response == "an index on a small table"
    again = await services.quiz.typed_answer(ALICE, ALICE, "more")
    assert again is not None and again.outcome is Settled.AWAITING_RATING
    assert (await services.quiz.reveal(attempt.id, ALICE)).outcome is Settled.AWAITING_RATING
    rated = await services.quiz.rate(attempt.id, ALICE, SelfRating.EASY)
    assert (rated.outcome, rated.correct, rated.rating) == (Settled.COUNTED, True, SelfRating.EASY)
    stored = await services.quiz.attempt(attempt.id)
    assert stored is not None and stored.status is AttemptStatus.ANSWERED and stored.rating == 4


async def test_a_typed_answer_without_an_open_question_is_none(services: Services) -> None:
    assert await services.quiz.typed_answer(ALICE, ALICE, "404") is None


async def test_a_query_that_cannot_run_is_retried_not_scored(services: Services) -> None:
    await ask(services, "demosql")
    result = await services.quiz.typed_answer(ALICE, ALICE, "DELETE FROM nowhere")
    assert result is not None and result.outcome is Settled.RETRY and result.message
    assert await services.progress.area_scores(ALICE) == []


async def test_a_new_question_skips_the_open_one_and_cancel_skips_the_rest(
    services: Services,
) -> None:
    first = await ask(services, "demo")
    upcoming = await services.quiz.next_question(ALICE, ALICE, "demotext")
    assert upcoming is not None and [stale.id for stale in upcoming.stale] == [first.id]
    cancelled = await services.quiz.cancel(ALICE, ALICE)
    assert [attempt.id for attempt in cancelled] == [upcoming.attempt.id]
    assert await services.quiz.cancel(ALICE, ALICE) == []


async def test_a_sent_poll_is_owned_by_its_attempt(services: Services) -> None:
    attempt = await ask(services, "demo")
    await services.quiz.sent(attempt.id, ALICE, 7, "poll-xyz")
    owner = await services.polls.owner("poll-xyz")
    assert owner is not None
    assert (owner.owner, owner.owner_id, owner.chat_id) == (
        PollOwner.PRIVATE_QUIZ,
        attempt.id,
        ALICE,
    )
    assert await services.polls.owner("poll-unknown") is None


async def test_stats_summarise_what_was_stored(services: Services, clock: FakeClock) -> None:
    for area, option in (("demo", 0), ("demo", 1)):
        attempt = await ask(services, area)
        await services.quiz.answer(attempt.id, ALICE, frozenset({option}))
        clock.advance(timedelta(days=1))
    summary = await services.progress.summary(ALICE)
    assert (summary.answered, summary.correct) == (2, 1)
    assert summary.streak_days == 2


async def test_forget_removes_everything_and_is_safe_twice(services: Services) -> None:
    attempt = await ask(services, "demo")
    await services.quiz.answer(attempt.id, ALICE, frozenset({0}))
    assert await services.users.forget(ALICE) == 1
    assert await services.users.forget(ALICE) is None, "a second /forget deletes nothing"
    assert await services.users.get(ALICE) is None
    assert await services.progress.attempts_stored(ALICE) == 0
