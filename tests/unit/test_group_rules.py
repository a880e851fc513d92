"""Leaderboard ranking, the week boundary, and reading standup replies."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain.ranking import Score, rank, top_with_caller, week_start
from bot.domain.standup import read_reply


def scores(*points: int) -> list[Score]:
    return [
        Score(user_id=index, name=f"u{index}", points=value, answered=5)
        for index, value in enumerate(points)
    ]


def test_ties_share_a_place_and_the_next_place_is_skipped() -> None:
    placed = rank(scores(3, 5, 5, 1, 3))
    assert [(entry.place, entry.score.points) for entry in placed] == [
        (1, 5),
        (1, 5),
        (3, 3),
        (3, 3),
        (5, 1),
    ]


def test_top_ten_and_the_callers_place() -> None:
    placed = rank(scores(*range(30, 0, -1)))
    top, caller = top_with_caller(placed, caller_id=25)
    assert [entry.place for entry in top] == list(range(1, 11))
    assert caller is not None and caller.place == 26
    top, caller = top_with_caller(placed, caller_id=3)
    assert caller is None, "a caller in the top ten is not repeated"
    assert top_with_caller([], caller_id=1) == ([], None)


def test_the_week_starts_on_monday_in_the_groups_zone() -> None:
    sunday_night_utc = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)  # Monday 00:30 in Berlin
    assert week_start(sunday_night_utc, ZoneInfo("Europe/Berlin")) == datetime(
        2026, 3, 9, tzinfo=ZoneInfo("Europe/Berlin")
    )
    assert week_start(sunday_night_utc, ZoneInfo("UTC")) == datetime(
        2026, 3, 2, tzinfo=ZoneInfo("UTC")
    )


def test_standup_replies_set_blockers_apart() -> None:
    labelled = read_reply("Did joins\nToday: CTEs\nBlockers: waiting for review")
    assert (labelled.update, labelled.blockers) == ("Did joins / Today: CTEs", "waiting for review")
    three_lines = read_reply("joins\nCTEs\nflaky CI")
    assert (three_lines.update, three_lines.blockers) == ("joins / CTEs", "flaky CI")
    assert read_reply("joins\nCTEs\nnone").blockers is None
    assert read_reply("Blocked: no access to staging").blockers == "no access to staging"
    single = read_reply("Only studied today")
    assert (single.update, single.blockers) == ("Only studied today", None)
