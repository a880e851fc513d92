"""Check-in schedule rules: parsing, days, and next runs across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.roadmap import ROADMAP, month_on
from bot.domain.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    Days,
    ScheduleError,
    next_run_after,
    parse_days,
    parse_pause,
    parse_schedule_args,
    parse_time,
    parse_zone,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"), [("08:30", time(8, 30)), ("8:05", time(8, 5)), ("23.59", time(23, 59))]
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "8", "08:60", "eight", "-1:00", "08:30pm"])
def test_bad_times(text: str) -> None:
    with pytest.raises(ScheduleError, match="HH:MM"):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "mask"),
    [
        ("daily", EVERY_DAY),
        ("weekdays", WEEKDAYS),
        ("weekends", 0b1100000),
        ("mon,wed,fri", 0b0010101),
        ("mon-fri", WEEKDAYS),
        ("fri-mon", 0b1110001),
        ("Monday,sunday", 0b1000001),
        ("sat", 0b0100000),
    ],
)
def test_days(text: str, mask: int) -> None:
    assert parse_days(text).mask == mask


@pytest.mark.parametrize("text", ["moon", "mon,,fri", "monday-funday", "", "1-5"])
def test_bad_days(text: str) -> None:
    with pytest.raises(ScheduleError):
        parse_days(text)


def test_days_describe_themselves() -> None:
    assert Days(EVERY_DAY).describe() == "every day"
    assert Days(WEEKDAYS).describe() == "on weekdays (Mon-Fri)"
    assert parse_days("mon,wed,fri").describe() == "on Mon, Wed, Fri"


def test_zones() -> None:
    assert parse_zone("Europe/Berlin").key == "Europe/Berlin"
    assert parse_zone("Etc/UTC").key == "Etc/UTC"
    for bad in ("Mars/Olympus", "../../etc/passwd", "/etc/localtime", ""):
        with pytest.raises(ScheduleError, match="time zone"):
            parse_zone(bad)


def test_pauses() -> None:
    assert parse_pause("7d") == timedelta(days=7)
    assert parse_pause("2w") == timedelta(days=14)
    for bad in ("0d", "91d", "7", "week", "-3d"):
        with pytest.raises(ScheduleError):
            parse_pause(bad)


def test_schedule_arguments_in_any_order_after_the_time() -> None:
    request = parse_schedule_args(["07:45", "weekdays", "Europe/Berlin"])
    assert (request.at, request.zone, request.days) == (time(7, 45), BERLIN, Days(WEEKDAYS))
    assert parse_schedule_args(["07:45"]).zone is None
    with pytest.raises(ScheduleError, match="neither a time zone"):
        parse_schedule_args(["07:45", "Berlin"])
    with pytest.raises(ScheduleError, match="too many"):
        parse_schedule_args(["07:45", "UTC", "daily", "extra"])
    with pytest.raises(ScheduleError, match="one time zone"):
        parse_schedule_args(["07:45", "UTC", "Europe/Berlin"])


def test_next_run_is_in_the_local_zone() -> None:
    # 2026-03-02 is a Monday; Berlin is UTC+1 in winter.
    assert next_run_after(utc(2026, 3, 2, 6, 0), time(8, 30), BERLIN, Days(EVERY_DAY)) == utc(
        2026, 3, 2, 7, 30
    )
    assert next_run_after(utc(2026, 3, 2, 7, 30), time(8, 30), BERLIN, Days(EVERY_DAY)) == utc(
        2026, 3, 3, 7, 30
    )


def test_weekday_filter_skips_the_weekend() -> None:
    friday_after = utc(2026, 3, 6, 12, 0)
    assert next_run_after(friday_after, time(8, 30), BERLIN, Days(WEEKDAYS)) == utc(
        2026, 3, 9, 7, 30
    )


def test_spring_forward_a_missing_time_fires_once_shifted_by_the_gap() -> None:
    # Berlin: 2026-03-29 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
    first = next_run_after(utc(2026, 3, 28, 12, 0), time(2, 30), BERLIN, Days(EVERY_DAY))
    assert first == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert first.astimezone(BERLIN).date() == date(2026, 3, 29)
    assert next_run_after(first, time(2, 30), BERLIN, Days(EVERY_DAY)) == utc(2026, 3, 30, 0, 30)


def test_fall_back_a_repeated_time_fires_once_at_its_first_occurrence() -> None:
    # Berlin: 2026-10-25 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
    first = next_run_after(utc(2026, 10, 24, 12, 0), time(2, 30), BERLIN, Days(EVERY_DAY))
    assert first == utc(2026, 10, 25, 0, 30)
    assert next_run_after(first, time(2, 30), BERLIN, Days(EVERY_DAY)) == utc(2026, 10, 26, 1, 30)


def test_dst_keeps_the_local_time_in_new_york() -> None:
    before = next_run_after(utc(2026, 3, 7, 12, 0), time(9, 0), NEW_YORK, Days(EVERY_DAY))
    after = next_run_after(before, time(9, 0), NEW_YORK, Days(EVERY_DAY))
    assert (before.hour, after.hour) == (14, 13)  # EST then EDT, both 09:00 local


def test_roadmap_month_advances_every_thirty_days_and_stops_at_six() -> None:
    start = date(2026, 1, 1)
    assert month_on(start, start).number == 1
    assert month_on(start, start + timedelta(days=30)).number == 2
    assert month_on(start, start + timedelta(days=400)) == ROADMAP[-1]
