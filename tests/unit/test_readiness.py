"""Readiness, the forecast for the interview, today's focus and /goal dates, on a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.goal import GoalError, days_until, parse_goal_date
from bot.domain.readiness import StudiedCard, focus_area, plan_from_cards, readiness_at
from bot.domain.spaced_repetition import CardState, ReviewRating, retrievability, review

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SIZES = {"python": 10, "docker": 20}


def card(area: str, qid: str, *ratings: ReviewRating, at: datetime = NOW) -> StudiedCard:
    state = CardState.new(at)
    for rating in ratings:
        state = review(state, rating, at)
    return StudiedCard(qid, area, state)


def test_readiness_is_recall_over_the_seen_weighted_by_the_share_covered() -> None:
    cards = [card("python", "p1", ReviewRating.GOOD), card("python", "p2", ReviewRating.GOOD)]
    ready = readiness_at(cards, SIZES, NOW)
    python = ready.area("python")
    assert python is not None
    assert python.seen == 2 and python.recall == pytest.approx(1.0)
    assert python.coverage == pytest.approx(0.2)
    assert python.readiness == pytest.approx(0.2)
    assert ready.area("docker") is not None and ready.area("docker").readiness == 0.0  # type: ignore[union-attr]
    assert ready.overall == pytest.approx(2 / 30)


def test_a_card_in_its_learning_steps_is_not_counted_as_recalled() -> None:
    wrong = card("python", "p1", ReviewRating.AGAIN)
    assert readiness_at([wrong], SIZES, NOW + timedelta(minutes=5)).overall == 0.0
    relearnt = StudiedCard(
        "p1", "python", review(wrong.card, ReviewRating.GOOD, NOW + timedelta(minutes=11))
    )
    assert readiness_at([relearnt], SIZES, NOW + timedelta(minutes=12)).overall == pytest.approx(
        1 / 30
    )


def test_readiness_falls_as_time_passes_without_study() -> None:
    cards = [card("python", "p1", ReviewRating.GOOD)]
    later = NOW + timedelta(days=10)
    expected = retrievability(cards[0].card, later) / 10
    assert readiness_at(cards, SIZES, later).area("python").readiness == pytest.approx(expected)  # type: ignore[union-attr]
    assert readiness_at(cards, SIZES, later).overall < readiness_at(cards, SIZES, NOW).overall


def test_cards_of_areas_no_longer_in_the_catalog_are_ignored() -> None:
    ready = readiness_at([card("gone", "g1", ReviewRating.GOOD)], SIZES, NOW)
    assert ready.overall == 0.0 and ready.practised == ()


def test_the_weakest_area_is_the_practised_one_with_the_lowest_readiness() -> None:
    cards = [
        card("python", "p1", ReviewRating.GOOD),
        card("python", "p2", ReviewRating.GOOD),
        card("docker", "d1", ReviewRating.GOOD),
    ]
    assert readiness_at(cards, SIZES, NOW).weakest == "docker"
    assert readiness_at([], SIZES, NOW).weakest is None


def test_a_new_learner_focuses_on_the_first_area_of_the_roadmap() -> None:
    assert focus_area([], SIZES, NOW, NOW + timedelta(days=30)) == "python"
    assert focus_area([], {}, NOW, NOW + timedelta(days=30)) is None


def test_focus_moves_to_the_area_with_most_to_gain() -> None:
    # Every python question reviewed recently and well: little to gain there.
    python = [card("python", f"p{index}", ReviewRating.EASY) for index in range(10)]
    assert focus_area(python, SIZES, NOW, NOW + timedelta(days=30)) == "docker"


def test_focus_prefers_an_area_whose_cards_are_lapsing() -> None:
    sizes = {"python": 2, "docker": 2}
    long_ago = NOW - timedelta(days=120)
    cards = [
        card("python", "p1", ReviewRating.EASY),
        card("python", "p2", ReviewRating.EASY),
        card("docker", "d1", ReviewRating.GOOD, at=long_ago),
        card("docker", "d2", ReviewRating.GOOD, at=long_ago),
    ]
    assert focus_area(cards, sizes, NOW, NOW + timedelta(days=14)) == "docker"


def test_the_plan_counts_reviews_due_now_and_by_the_end_of_the_local_day() -> None:
    zone = ZoneInfo("Europe/Berlin")  # 10:00 local
    cards = [
        card("python", "p1", ReviewRating.AGAIN, at=NOW - timedelta(hours=1)),  # due 08:10 UTC
        card("python", "p2", ReviewRating.AGAIN, at=NOW + timedelta(hours=5)),  # due 14:10 UTC
        card("python", "p3", ReviewRating.GOOD),  # in 2 days
    ]
    plan = plan_from_cards(cards, SIZES, NOW, zone, None)
    assert (plan.due_now, plan.due_today) == (1, 2)
    assert plan.next_due is None  # something is due now
    assert (plan.goal, plan.days_left, plan.forecast) == (None, None, None)
    later = plan_from_cards(cards[2:], SIZES, NOW, zone, None)
    assert later.due_now == 0 and later.next_due == (NOW + timedelta(days=2)).astimezone(zone)


def test_the_forecast_is_recall_at_the_interview_if_the_learner_stopped_now() -> None:
    cards = [card("python", "p1", ReviewRating.GOOD), card("docker", "d1", ReviewRating.GOOD)]
    goal = date(2026, 3, 30)
    plan = plan_from_cards(cards, SIZES, NOW, ZoneInfo("UTC"), goal)
    assert plan.days_left == 28
    assert plan.forecast is not None
    interview = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    expected = sum(retrievability(studied.card, interview) for studied in cards) / 30
    assert plan.forecast.overall == pytest.approx(expected)
    assert plan.forecast.overall < plan.readiness.overall


def test_a_passed_interview_has_no_countdown_and_no_forecast() -> None:
    plan = plan_from_cards([], SIZES, NOW, ZoneInfo("UTC"), date(2026, 3, 1))
    assert plan.goal == date(2026, 3, 1)
    assert (plan.days_left, plan.forecast) == (None, None)


def test_goal_dates_are_written_yyyy_mm_dd_from_today_up_to_three_years() -> None:
    today = date(2026, 3, 2)
    assert parse_goal_date("2026-06-15", today) == date(2026, 6, 15)
    assert parse_goal_date("2026-03-02", today) == today
    assert days_until(date(2026, 6, 15), today) == 105
    for bad, reason in (
        ("15.06.2026", "YYYY-MM-DD"),
        ("20260615", "YYYY-MM-DD"),
        ("2026-6-15", "YYYY-MM-DD"),
        ("2026-02-30", "calendar"),
        ("2026-03-01", "past"),
        ("2030-01-01", "three years"),
    ):
        with pytest.raises(GoalError, match=reason):
            parse_goal_date(bad, today)
