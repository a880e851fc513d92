"""The pure rules: grading, streaks, accuracy, callback data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.banks.schema import Question
from bot.domain.clock import FakeClock
from bot.domain.grading import InvalidAnswer, grade_options
from bot.domain.stats import AreaScore, StatsSummary, current_streak
from bot.render.callbacks import Action, Callback, decode

CHOICE = Question(
    id="t-choice-001",
    type="choice",
    question="q?",
    options=("a", "b", "c"),
    answer=1,
    explanation="e",
)
MULTI = Question(
    id="t-multi-001",
    type="multi",
    question="q?",
    options=("a", "b", "c", "d"),
    answer=(0, 2),
    explanation="e",
)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_choice_is_right_only_for_the_keyed_option() -> None:
    assert grade_options(CHOICE, {1}) is True
    assert grade_options(CHOICE, {0}) is False


def test_choice_takes_exactly_one_option() -> None:
    with pytest.raises(InvalidAnswer):
        grade_options(CHOICE, {0, 1})
    with pytest.raises(InvalidAnswer):
        grade_options(CHOICE, set())


def test_multi_needs_the_exact_set() -> None:
    assert grade_options(MULTI, {0, 2}) is True
    assert grade_options(MULTI, {0}) is False
    assert grade_options(MULTI, {0, 2, 3}) is False


def test_an_option_that_does_not_exist_is_invalid() -> None:
    with pytest.raises(InvalidAnswer):
        grade_options(CHOICE, {7})


def test_streak_counts_back_from_today_or_yesterday() -> None:
    today = date(2026, 3, 10)
    days = [today - timedelta(days=offset) for offset in (1, 2, 3, 5)]
    assert current_streak(days, today) == 3
    assert current_streak([*days, today], today) == 4
    assert current_streak([today - timedelta(days=2)], today) == 0
    assert current_streak([], today) == 0


def test_summary_sums_integers_and_finds_the_weakest_area() -> None:
    summary = StatsSummary(
        areas=[AreaScore("git", 4, 3), AreaScore("sql", 5, 1), AreaScore("docker", 0, 0)],
        streak_days=2,
    )
    assert (summary.answered, summary.correct) == (9, 4)
    assert summary.accuracy == pytest.approx(4 / 9)
    assert summary.weakest_area == "sql"
    assert StatsSummary(areas=[], streak_days=0).accuracy == 0.0


def test_callback_data_round_trips_and_rejects_foreign_data() -> None:
    data = Callback(Action.ANSWER, ("123", "2")).encode()
    assert decode(data) == Callback(Action.ANSWER, ("123", "2"))
    for foreign in (None, "", "zz:1", "a:1", "a:x:1", "f:yes:extra"):
        assert decode(foreign) is None


def test_callback_data_over_64_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Callback(Action.TOPIC, ("x" * 70,)).encode()


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(T0)
    assert clock.now() == T0
    clock.advance(timedelta(hours=5))
    assert clock.now() == T0 + timedelta(hours=5)
    with pytest.raises(ValueError):
        FakeClock(datetime(2026, 1, 1))
