"""The coach's use cases with plain values: every answer reviews its card once, /review, the
plan, /goal, the check-in's study facts and /forget."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.clock import FakeClock
from bot.domain.goal import GoalError
from bot.domain.readiness import StudiedCard
from bot.domain.schedule import parse_schedule_args
from bot.domain.self_rating import SelfRating
from bot.domain.spaced_repetition import ReviewSource
from bot.services import Services
from bot.storage.models import CardReview
from bot.usecases.quiz import NextQuestion, NothingDue, Settled
from bot.usecases.rounds import RoundError
from bot.usecases.views import Person

ALICE, BOB = 1, 2
PACE = timedelta(seconds=20)  # a normal pace: a right choice answer is Good, not Easy


async def cards_of(services: Services, user_id: int = ALICE) -> dict[str, StudiedCard]:
    async with services.uow() as uow:
        return {card.question_id: card for card in await uow.cards.of_user(user_id)}


async def reviews_of(services: Services, user_id: int = ALICE) -> list[CardReview]:
    async with services.uow() as uow:
        return await uow.cards.reviews_of(user_id)


async def ask(services: Services, area: str, user_id: int = ALICE) -> NextQuestion:
    await services.users.touch(Person(user_id, f"user{user_id}"))
    upcoming = await services.quiz.next_question(user_id, user_id, area)
    assert upcoming is not None
    return upcoming


async def answer_demo(services: Services, clock: FakeClock, right: bool) -> None:
    upcoming = await ask(services, "demo")
    clock.advance(PACE)
    result = await services.quiz.answer(upcoming.attempt.id, ALICE, frozenset({0 if right else 1}))
    assert result.outcome is Settled.COUNTED


async def test_an_answer_reviews_its_card_once_in_the_same_transaction(
    services: Services, clock: FakeClock
) -> None:
    upcoming = await ask(services, "demo")
    clock.advance(PACE)
    results = await asyncio.gather(
        *(services.quiz.answer(upcoming.attempt.id, ALICE, frozenset({0})) for _ in range(6))
    )
    assert [result.outcome for result in results].count(Settled.COUNTED) == 1
    [review] = await reviews_of(services)
    assert (review.question_id, review.rating, review.source) == (
        "demo-poll-001",
        3,
        ReviewSource.QUIZ,
    )
    assert review.duration_ms == 20_000
    card = (await cards_of(services))["demo-poll-001"].card
    assert card.reps == 1 and card.due == clock.now() + timedelta(days=2)


async def test_a_fast_right_answer_is_easy_and_waits_longer(
    services: Services, clock: FakeClock
) -> None:
    upcoming = await ask(services, "demo")
    clock.advance(timedelta(seconds=3))
    await services.quiz.answer(upcoming.attempt.id, ALICE, frozenset({0}))
    [review] = await reviews_of(services)
    assert review.rating == 4
    assert (await cards_of(services))["demo-poll-001"].card.due > clock.now() + timedelta(days=2)


async def test_a_skipped_question_makes_no_card(services: Services) -> None:
    upcoming = await ask(services, "demo")
    await services.quiz.skip(upcoming.attempt.id, ALICE)
    assert await cards_of(services) == {}


async def test_an_open_question_keeps_its_self_rating(services: Services) -> None:
    upcoming = await ask(services, "demoopen")
    await services.quiz.reveal(upcoming.attempt.id, ALICE)
    result = await services.quiz.rate(upcoming.attempt.id, ALICE, SelfRating.HARD)
    assert result.outcome is Settled.COUNTED
    [review] = await reviews_of(services)
    assert review.rating == int(SelfRating.HARD)


async def test_a_wrong_answer_is_due_for_review_after_the_learning_step(
    services: Services, clock: FakeClock
) -> None:
    await answer_demo(services, clock, right=False)
    waiting = await services.quiz.next_review(ALICE, ALICE)
    assert isinstance(waiting, NothingDue)
    assert waiting.next_due == clock.now() + timedelta(minutes=10)
    clock.advance(timedelta(minutes=11))
    due = await services.quiz.next_review(ALICE, ALICE)
    assert isinstance(due, NextQuestion)
    assert due.question.id == "demo-poll-001" and due.attempt.review
    assert due.reviews_left == 0
    clock.advance(PACE)
    await services.quiz.answer(due.attempt.id, ALICE, frozenset({0}))
    first, second = await reviews_of(services)
    assert (first.rating, second.rating, second.source) == (1, 3, ReviewSource.REVIEW)


async def test_review_says_how_many_are_left_today(services: Services, clock: FakeClock) -> None:
    await answer_demo(services, clock, right=False)
    upcoming = await ask(services, "democode")
    clock.advance(PACE)
    await services.quiz.answer(upcoming.attempt.id, ALICE, frozenset({1}))
    clock.advance(timedelta(minutes=11))
    due = await services.quiz.next_review(ALICE, ALICE)
    assert isinstance(due, NextQuestion) and due.reviews_left == 1


async def test_a_right_answer_is_not_due_tomorrow_but_after_its_interval(
    services: Services, clock: FakeClock
) -> None:
    await answer_demo(services, clock, right=True)
    clock.advance(timedelta(days=1))
    assert isinstance(await services.quiz.next_review(ALICE, ALICE), NothingDue)
    clock.advance(timedelta(days=1))
    due = await services.quiz.next_review(ALICE, ALICE)
    assert isinstance(due, NextQuestion) and due.question.id == "demo-poll-001"


async def test_nothing_to_review_before_any_answer(services: Services) -> None:
    assert await services.quiz.next_review(ALICE, ALICE) == NothingDue(None)


async def test_a_group_round_answer_feeds_a_private_learners_card_only(
    services: Services, clock: FakeClock
) -> None:
    ann, bo = Person(ALICE, "Ann", None, "Ann"), Person(BOB, "Bo", None, "Bo")
    await services.users.touch(ann)  # Ann also studies privately; Bo never wrote to the bot
    await services.chats.remember(-100, "group", "Study", ann)
    started = await services.rounds.start_round(-100, ALICE, "demo", 1)
    assert not isinstance(started, RoundError)
    to_ask = await services.rounds.to_ask(started.id, 0)
    assert to_ask is not None
    await services.rounds.asked(to_ask, 500, "round-poll")
    clock.advance(timedelta(seconds=2))
    for person in (ann, bo):
        await services.rounds.answer(to_ask.round_question.id, person, frozenset({0}))
    [review] = await reviews_of(services)
    assert (review.rating, review.source, review.duration_ms) == (3, ReviewSource.ROUND, 2000)
    assert await cards_of(services, BOB) == {}


async def test_the_plan_shows_readiness_due_reviews_and_focus(
    services: Services, clock: FakeClock
) -> None:
    await answer_demo(services, clock, right=True)
    plan = await services.coach.plan(ALICE)
    demo = plan.readiness.area("demo")
    assert demo is not None and demo.seen == 1 and demo.readiness == pytest.approx(1.0)
    assert plan.due_now == 0 and plan.next_due == clock.now() + timedelta(days=2)
    assert plan.focus is not None and plan.focus != "demo", "demo is all learnt"


async def test_goal_is_set_shown_in_the_plan_and_removed(
    services: Services, clock: FakeClock
) -> None:
    await answer_demo(services, clock, right=True)
    plan = await services.coach.set_goal(ALICE, "2026-03-30")
    assert (plan.goal, plan.days_left) == (date(2026, 3, 30), 28)
    assert plan.forecast is not None and plan.forecast.overall < plan.readiness.overall
    assert (await services.coach.plan(ALICE)).goal == date(2026, 3, 30), "stored"
    with pytest.raises(GoalError):
        await services.coach.set_goal(ALICE, "2026-02-01")
    assert (await services.coach.plan(ALICE)).goal == date(2026, 3, 30), "unchanged"
    assert await services.coach.clear_goal(ALICE)
    assert not await services.coach.clear_goal(ALICE)
    assert (await services.coach.plan(ALICE)).goal is None


async def test_the_check_in_facts_count_reviews_due_today_and_days_to_the_interview(
    services: Services, clock: FakeClock
) -> None:
    await answer_demo(services, clock, right=False)
    await services.coach.set_goal(ALICE, "2026-03-12")
    await services.checkins.set_schedule(ALICE, ALICE, parse_schedule_args(["10:00", "UTC"]))
    clock.set(datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC))
    await services.checkins.claim_due()
    [checkin] = await services.checkins.outbox.take_pending(10)
    facts = await services.checkins.facts(checkin)
    assert (facts.reviews_due_today, facts.days_to_goal) == (1, 10)
    assert facts.focus_area is not None


async def test_forget_deletes_cards_and_review_logs(services: Services, clock: FakeClock) -> None:
    await answer_demo(services, clock, right=False)
    assert await cards_of(services) and await reviews_of(services)
    await services.users.forget(ALICE)
    assert await cards_of(services) == {} and await reviews_of(services) == []
    clock.advance(timedelta(hours=1))
    assert await services.quiz.next_review(ALICE, ALICE) == NothingDue(None)
