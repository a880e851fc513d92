"""Check-in schedules: parsing what users type, and the next run in UTC via zoneinfo."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY: Final = 0b1111111
WEEKDAYS: Final = 0b0011111
WEEKENDS: Final = 0b1100000
MAX_PAUSE_DAYS: Final = 90
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_PAUSE = re.compile(r"^(\d{1,3})\s*(d|day|days|w|week|weeks)$")
# The longest IANA name is 32 characters; anything much longer is not worth looking up.
MAX_ZONE_CHARS: Final = 64


def _shown(text: str) -> str:
    """What the learner typed, quoted and clipped, for an error message."""
    return repr(text if len(text) <= 40 else text[:39] + "…")


class ScheduleError(ValueError):
    """What the user typed does not make a schedule; the message says why."""


@dataclass(frozen=True)
class Days:
    """A set of weekdays as a bit mask: Monday is bit 0."""

    mask: int

    def __contains__(self, day: date) -> bool:
        return bool(self.mask >> day.weekday() & 1)

    def describe(self) -> str:
        """How the days read in a sentence: `every day`, `on weekdays (Mon-Fri)`,
        `on Mon, Wed, Fri`."""
        if self.mask == EVERY_DAY:
            return "every day"
        if self.mask == WEEKDAYS:
            return "on weekdays (Mon-Fri)"
        if self.mask == WEEKENDS:
            return "on weekends (Sat, Sun)"
        names = [
            name.capitalize() for index, name in enumerate(DAY_NAMES) if self.mask >> index & 1
        ]
        return "on " + ", ".join(names)


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise ScheduleError(f"{_shown(text)} is not a time; use 24-hour HH:MM, like 08:30")
    return time(int(match.group(1)), int(match.group(2)))


@cache
def _zone_names() -> Mapping[str, str]:
    """Every IANA zone name, by its lower-case form."""
    return {name.lower(): name for name in available_timezones()}


def zone_name(text: str) -> str:
    """The canonical IANA name for `text`, in any case (`europe/london` is Europe/London);
    only names on the IANA list are ever looked up."""
    name = text.strip()
    if not name or len(name) > MAX_ZONE_CHARS:
        raise ScheduleError(
            f"{_shown(text)} is not a time zone; use an IANA name like Europe/Berlin"
        )
    names = _zone_names()
    canonical = names.get(name.lower().replace(" ", "_"))
    if canonical is None:
        close = difflib.get_close_matches(name.lower(), list(names), n=1, cutoff=0.8)
        hint = f" (did you mean {names[close[0]]}?)" if close else ""
        raise ScheduleError(
            f"{_shown(text)} is not a time zone I know{hint}; use an IANA name like Europe/Berlin"
        )
    return canonical


def parse_zone(text: str) -> ZoneInfo:
    name = zone_name(text)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScheduleError(f"{name} cannot be loaded on this server") from None


def _day_index(name: str) -> int:
    short = name.strip().lower()[:3]
    if short not in DAY_NAMES or name.strip().lower() not in (short, _full_name(short)):
        raise ScheduleError(f"{_shown(name)} is not a day; use mon, tue, wed, thu, fri, sat or sun")
    return DAY_NAMES.index(short)


def _full_name(short: str) -> str:
    return {
        "mon": "monday",
        "tue": "tuesday",
        "wed": "wednesday",
        "thu": "thursday",
        "fri": "friday",
        "sat": "saturday",
        "sun": "sunday",
    }[short]


def parse_days(text: str) -> Days:
    """`daily`, `weekdays`, `weekends`, a list `mon,wed,fri` or a range `mon-fri`."""
    spec = text.strip().lower()
    named = {"daily": EVERY_DAY, "everyday": EVERY_DAY, "weekdays": WEEKDAYS, "weekends": WEEKENDS}
    if spec in named:
        return Days(named[spec])
    mask = 0
    for part in spec.split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = _day_index(first), _day_index(last)
            index = start
            while True:
                mask |= 1 << index
                if index == end:
                    break
                index = (index + 1) % 7
        else:
            mask |= 1 << _day_index(part)
    if not mask:
        raise ScheduleError("no days given")
    return Days(mask)


def parse_pause(text: str) -> timedelta:
    match = _PAUSE.match(text.strip().lower())
    if not match:
        raise ScheduleError(f"{_shown(text)} is not a pause; use a number of days like 7d, or 2w")
    amount = int(match.group(1)) * (7 if match.group(2).startswith("w") else 1)
    if not 1 <= amount <= MAX_PAUSE_DAYS:
        raise ScheduleError(f"a pause is 1 to {MAX_PAUSE_DAYS} days")
    return timedelta(days=amount)


def occurrence(local_date: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of `at` on `local_date`.

    A time that does not exist that day (spring forward) is taken with the offset before
    the change, so it fires once, shifted by the gap; a time that exists twice (fall back)
    fires at its first occurrence.
    """
    return datetime.combine(local_date, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def next_run_after(after: datetime, at: time, zone: ZoneInfo, days: Days) -> datetime:
    """The first occurrence strictly after `after` (aware) on one of `days`, in UTC."""
    if days.mask & EVERY_DAY == 0:
        raise ScheduleError("no days given")
    local_day = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(9):
        candidate_day = local_day + timedelta(days=offset)
        if candidate_day not in days:
            continue
        candidate = occurrence(candidate_day, at, zone)
        if candidate > after:
            return candidate
    raise AssertionError("a weekly schedule always has a run within 8 days")


def local_date_of(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


@dataclass(frozen=True)
class ScheduleRequest:
    """What `/checkin HH:MM [Area/City] [days]` asked for; None means "keep / default"."""

    at: time
    zone: ZoneInfo | None
    days: Days | None


def _looks_like_zone(text: str) -> bool:
    return "/" in text or text.upper() in {"UTC", "GMT"}


def parse_schedule_args(args: list[str]) -> ScheduleRequest:
    if not args:
        raise ScheduleError("give a time, like 08:30")
    if len(args) > 3:
        raise ScheduleError("too many arguments")
    at = parse_time(args[0])
    zone: ZoneInfo | None = None
    days: Days | None = None
    for arg in args[1:]:
        if _looks_like_zone(arg):
            if zone is not None:
                raise ScheduleError("give one time zone")
            zone = parse_zone(arg)
            continue
        if days is not None:
            raise ScheduleError("give the days once")
        try:
            days = parse_days(arg)
        except ScheduleError:
            raise ScheduleError(
                f"{_shown(arg)} is neither a time zone (Area/City) nor days "
                "(daily, weekdays, weekends, mon,wed,fri or mon-fri)"
            ) from None
    return ScheduleRequest(at, zone, days)


def plan_run(
    next_run_at: datetime, now: datetime, grace: timedelta, at: time, zone: ZoneInfo, days: Days
) -> tuple[datetime | None, datetime]:
    """For a schedule due at `next_run_at`: the run to send now (None if there is none) and
    the next run to store.

    A run missed by more than `grace` (downtime, a user who blocked the bot) is skipped, but
    the latest run may still be within the grace period and is sent late.
    """
    run = next_run_at
    if now - run > grace:
        run = next_run_after(now - grace, at, zone, days)
    if run > now:
        return None, run
    return run, next_run_after(run, at, zone, days)
