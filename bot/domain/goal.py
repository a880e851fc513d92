"""The learner's interview date: parsing /goal and counting the days to it."""

from __future__ import annotations

import re
from datetime import date, timedelta

GOAL_FORM = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_AHEAD = timedelta(days=3 * 366)


class GoalError(ValueError):
    pass


def parse_goal_date(text: str, today: date) -> date:
    """A date written YYYY-MM-DD, from today up to three years ahead."""
    if not GOAL_FORM.match(text):
        raise GoalError(f"{text!r} is not a date written YYYY-MM-DD")
    try:
        goal = date.fromisoformat(text)
    except ValueError as error:
        raise GoalError(f"{text} is not a date in the calendar") from error
    if goal < today:
        raise GoalError(f"{text} is in the past")
    if goal - today > MAX_AHEAD:
        raise GoalError(f"{text} is more than three years away")
    return goal


def days_until(goal: date, today: date) -> int:
    return (goal - today).days
