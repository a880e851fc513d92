"""Texts of the coach: /review, readiness in /stats, the next step, /goal and its countdown."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from bot.banks.catalog import Catalog
from bot.domain.goal import GoalError
from bot.domain.readiness import AreaReadiness, StudyPlan
from bot.usecases.quiz import NothingDue

GOAL_USAGE = (
    "Usage: <code>/goal YYYY-MM-DD</code> — your interview date, e.g. "
    "<code>/goal 2026-06-15</code>\n<code>/goal</code> — your countdown · "
    "<code>/goal off</code> — remove it"
)


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _day(moment: date) -> str:
    return moment.strftime("%a %-d %b %Y")


def _when(moment: datetime) -> str:
    return moment.strftime("%a %-d %b %H:%M")


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def review_title(title: str, left_today: int) -> str:
    """The area title of a review question, with how many reviews are left today."""
    if left_today == 0:
        return f"{title} · review · last one today"
    return f"{title} · review · {left_today} more today"


def nothing_due(view: NothingDue) -> str:
    if view.next_due is None:
        return (
            "Nothing to review yet: every question you answer becomes a card I schedule for "
            "review. Start with /quiz."
        )
    return (
        f"Nothing is due for review. The next review is due {_when(view.next_due)}.\n"
        "Meanwhile, /quiz for new questions."
    )


def next_step(plan: StudyPlan) -> str:
    """One line: what to do now ("12 reviews due · weakest: docker → /review")."""
    weakest = plan.readiness.weakest
    if plan.due_now:
        reviews = "1 review due" if plan.due_now == 1 else f"{plan.due_now} reviews due"
        if weakest is None:
            return f"<b>Next:</b> {reviews} → /review"
        return f"<b>Next:</b> {reviews} · weakest: {escape(weakest)} → /review"
    area = plan.focus or weakest
    target = f"/quiz {escape(area)}" if area else "/quiz"
    later = f" (next {_when(plan.next_due)})" if plan.next_due else ""
    if weakest is None:
        return f"<b>Next:</b> no reviews due{later} → {target}"
    return f"<b>Next:</b> no reviews due{later} · weakest: {escape(weakest)} → {target}"


def goal_line(plan: StudyPlan) -> str | None:
    if plan.goal is None:
        return None
    if plan.days_left is None:
        return f"<b>Interview</b> {_day(plan.goal)} has passed. /goal YYYY-MM-DD sets a new one."
    assert plan.forecast is not None
    when = "today" if plan.days_left == 0 else f"in {_days(plan.days_left)}"
    return (
        f"<b>Interview</b> {when} ({_day(plan.goal)}): you would recall "
        f"{_percent(plan.forecast.overall)} of the bank then if you stopped now"
    )


def area_readiness(area: AreaReadiness) -> str:
    return f"readiness {_percent(area.readiness)} (seen {area.seen} of {area.questions})"


def readiness_lines(plan: StudyPlan) -> list[str]:
    """Overall readiness, the interview and the next step: the end of /stats."""
    questions = sum(area.questions for area in plan.readiness.areas)
    lines = [
        f"<b>Readiness:</b> {_percent(plan.readiness.overall)} of all {questions} questions "
        "(what FSRS predicts you would recall today)"
    ]
    goal = goal_line(plan)
    if goal:
        lines.append(goal)
    lines.append(next_step(plan))
    return lines


def goal_error(error: GoalError) -> str:
    return f"That did not work: {escape(str(error))}.\n{GOAL_USAGE}"


def goal_shown(plan: StudyPlan, catalog: Catalog) -> str:
    goal = goal_line(plan)
    if goal is None:
        return f"You have no interview date yet.\n{GOAL_USAGE}"
    lines = [goal, f"Today: {_percent(plan.readiness.overall)} of the bank."]
    if plan.days_left is not None and plan.forecast is not None:
        lines.append(focus_line(plan, catalog))
        lines.append(next_step(plan))
    return "\n".join(line for line in lines if line)


def goal_saved(plan: StudyPlan, catalog: Catalog) -> str:
    return "Saved. " + goal_shown(plan, catalog)


def focus_line(plan: StudyPlan, catalog: Catalog) -> str:
    if plan.focus is None:
        return ""
    return (
        f"<b>Today's focus</b>: {escape(catalog.title(plan.focus))} — "
        f"/quiz {escape(plan.focus)} raises your forecast most"
    )


GOAL_OFF = "Your interview date is removed. <code>/goal YYYY-MM-DD</code> sets one again."
NO_GOAL = "You have no interview date to remove. <code>/goal YYYY-MM-DD</code> sets one."
