"""FSRS scheduling as plain values: ratings from answers, reviews and recall on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.banks.schema import QuestionType
from bot.domain.self_rating import SelfRating
from bot.domain.spaced_repetition import (
    CardPhase,
    CardState,
    ReviewRating,
    fast_answer_limit,
    rating_for_answer,
    retrievability,
    review,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECONDS = timedelta(seconds=1)


def test_a_wrong_answer_is_again_however_fast() -> None:
    for kind in QuestionType:
        assert rating_for_answer(kind, False, SECONDS) is ReviewRating.AGAIN
        assert rating_for_answer(kind, False, None) is ReviewRating.AGAIN


def test_a_right_answer_is_good_at_a_normal_pace() -> None:
    assert rating_for_answer(QuestionType.CHOICE, True, 20 * SECONDS) is ReviewRating.GOOD
    assert rating_for_answer(QuestionType.SQL, True, 90 * SECONDS) is ReviewRating.GOOD


def test_a_right_answer_well_under_the_kinds_typical_time_is_easy() -> None:
    assert fast_answer_limit(QuestionType.CHOICE) == 10 * SECONDS
    assert fast_answer_limit(QuestionType.MULTI) == 15 * SECONDS
    assert fast_answer_limit(QuestionType.TEXT) == 15 * SECONDS
    assert fast_answer_limit(QuestionType.SQL) == 60 * SECONDS
    assert rating_for_answer(QuestionType.CHOICE, True, 9 * SECONDS) is ReviewRating.EASY
    assert rating_for_answer(QuestionType.CHOICE, True, 10 * SECONDS) is ReviewRating.GOOD
    assert rating_for_answer(QuestionType.SQL, True, 59 * SECONDS) is ReviewRating.EASY
    # The same 14 s are fast for a multi-select and not for a choice.
    assert rating_for_answer(QuestionType.MULTI, True, 14 * SECONDS) is ReviewRating.EASY
    assert rating_for_answer(QuestionType.CHOICE, True, 14 * SECONDS) is ReviewRating.GOOD


def test_without_a_duration_or_with_a_negative_one_a_right_answer_is_good() -> None:
    assert rating_for_answer(QuestionType.CHOICE, True, None) is ReviewRating.GOOD
    assert rating_for_answer(QuestionType.CHOICE, True, -SECONDS) is ReviewRating.GOOD


def test_an_open_question_keeps_the_learners_own_rating() -> None:
    for rating in SelfRating:
        # Hard is a pass for scoring in some versions, Again never: FSRS takes the grade as is.
        got = rating_for_answer(QuestionType.OPEN, rating.counts_as_correct, SECONDS, rating)
        assert got is ReviewRating(int(rating))


def test_a_wrong_answer_comes_back_after_the_learning_step() -> None:
    card = review(CardState.new(NOW), ReviewRating.AGAIN, NOW)
    assert card.phase is CardPhase.LEARNING
    assert card.due == NOW + timedelta(minutes=10)
    assert (card.reps, card.lapses) == (1, 1)


def test_a_right_answer_is_due_in_days_not_tomorrow() -> None:
    card = review(CardState.new(NOW), ReviewRating.GOOD, NOW)
    assert card.phase is CardPhase.REVIEW
    assert card.due == NOW + timedelta(days=2)
    assert not card.is_due(NOW + timedelta(days=1))
    assert card.is_due(NOW + timedelta(days=2))


def test_easy_waits_longer_than_good_and_hard_less() -> None:
    fresh = CardState.new(NOW)
    hard, good, easy = (
        review(fresh, rating, NOW).due
        for rating in (ReviewRating.HARD, ReviewRating.GOOD, ReviewRating.EASY)
    )
    assert hard < good < easy


def test_reviews_on_time_stretch_the_interval() -> None:
    first = review(CardState.new(NOW), ReviewRating.GOOD, NOW)
    second = review(first, ReviewRating.GOOD, first.due)
    assert second.due - first.due > first.due - NOW
    lapsed = review(second, ReviewRating.AGAIN, second.due)
    assert lapsed.phase is CardPhase.RELEARNING
    assert lapsed.due == second.due + timedelta(minutes=10)
    assert lapsed.lapses == 1


def test_a_review_is_a_pure_function_of_the_card_and_the_clock() -> None:
    fresh = CardState.new(NOW)
    assert review(fresh, ReviewRating.GOOD, NOW) == review(fresh, ReviewRating.GOOD, NOW)
    assert fresh == CardState.new(NOW)


def test_a_higher_desired_retention_schedules_sooner() -> None:
    first = review(CardState.new(NOW), ReviewRating.GOOD, NOW)
    at = first.due
    assert (
        review(first, ReviewRating.GOOD, at, 0.95).due
        < review(first, ReviewRating.GOOD, at, 0.8).due
    )


def test_recall_is_zero_unseen_full_just_after_and_falls_to_the_target_when_due() -> None:
    assert retrievability(CardState.new(NOW), NOW) == 0.0
    card = review(CardState.new(NOW), ReviewRating.GOOD, NOW)
    assert retrievability(card, NOW) == pytest.approx(1.0)
    at_due = retrievability(card, card.due)
    assert at_due == pytest.approx(0.9, abs=0.03)
    assert retrievability(card, card.due + timedelta(days=30)) < at_due


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        review(CardState.new(NOW), ReviewRating.GOOD, NOW.replace(tzinfo=None))


def test_recall_is_the_fsrs_schedulers_own() -> None:
    from fsrs import Card, Scheduler

    scheduler = Scheduler()
    card = review(
        review(CardState.new(NOW), ReviewRating.GOOD, NOW),
        ReviewRating.HARD,
        NOW + timedelta(days=2),
    )
    fsrs_card = Card(
        card_id=1, stability=card.stability, last_review=card.last_review, due=card.due
    )
    for days in (0, 1, 3, 10, 100, 1000):
        at = NOW + timedelta(days=days, hours=5)
        assert retrievability(card, at) == pytest.approx(
            scheduler.get_card_retrievability(fsrs_card, at)
        )
