"""Texts of the daily check-in: the standup, its follow-ups, schedules and history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from bot.banks.catalog import Catalog
from bot.domain.schedule import ScheduleError
from bot.usecases.checkins import (
    AnswerProgress,
    ScheduleView,
    StandupFacts,
    ZoneSetting,
    yesterday_scores,
)
from bot.usecases.views import CheckinView

QUESTIONS = {
    "yesterday": "1. What did you study yesterday?",
    "today": "2. What will you study today?",
    "blockers": "3. Anything blocking you?",
}
LABELS = {"yesterday": "Yesterday", "today": "Today", "blockers": "Blockers"}

CHECKIN_USAGE = (
    "Usage:\n"
    "<code>/checkin HH:MM [Area/City] [days]</code> — e.g. <code>/checkin 08:30 Europe/Berlin weekdays</code>\n"
    "<code>/checkin</code> — show your check-in\n"
    "<code>/checkin off</code> · <code>/checkin pause 7d</code> · <code>/checkin resume</code>\n"
    "Days: <code>daily</code> (default), <code>weekdays</code>, <code>weekends</code>, "
    "<code>mon,wed,fri</code> or <code>mon-fri</code>."
)
TIMEZONE_USAGE = "Usage: <code>/timezone Area/City</code>, e.g. <code>/timezone Europe/Berlin</code> or <code>/timezone UTC</code>."


def _day(moment: datetime) -> str:
    return moment.strftime("%a %-d %b")


def _when(moment: datetime) -> str:
    return moment.strftime("%a %-d %b %H:%M")


def schedule_error(error: ScheduleError) -> str:
    return f"That did not work: {escape(str(error))}.\n\n{CHECKIN_USAGE}"


def timezone_error(error: ScheduleError) -> str:
    return f"That did not work: {escape(str(error))}.\n{TIMEZONE_USAGE}"


def schedule(view: ScheduleView | None) -> str:
    if view is None:
        return f"You have no check-in yet.\n\n{CHECKIN_USAGE}"
    if not view.enabled:
        return f"Your check-in is off.\n\n{CHECKIN_USAGE}"
    lines = [
        f"Your check-in: <b>{view.at:%H:%M}</b> {escape(view.zone)}, {view.days.describe()}.",
    ]
    if view.paused_until_local:
        lines.append(
            f"Paused until {_when(view.paused_until_local)} ({escape(view.zone)}), "
            "your first check-in after the pause. <code>/checkin resume</code> ends it now."
        )
    elif view.next_local:
        lines.append(f"Next one: {_when(view.next_local)} ({escape(view.zone)}).")
    return "\n".join(lines)


def not_paused(view: ScheduleView | None) -> str:
    if view is None:
        return NO_CHECKIN
    return f"Nothing to resume: your check-in is not paused.\n{schedule(view)}"


def resumed(view: ScheduleView) -> str:
    return f"Resumed. {schedule(view)}"


def schedule_saved(view: ScheduleView) -> str:
    return f"Saved. {schedule(view)}"


CHECKIN_OFF = "Your check-in is off. <code>/checkin HH:MM</code> or <code>/checkin resume</code> turns it on again."
NO_CHECKIN = "You have no check-in to change. Set one with <code>/checkin 08:30</code>."
CHECKIN_IS_OFF = (
    "Your check-in is off, so there is nothing to pause. <code>/checkin resume</code> turns it on."
)


def timezone_saved(zone: str, view: ScheduleView | None) -> str:
    text = f"Your time zone is now <b>{escape(zone)}</b>."
    if view and view.next_local:
        text += f" Next check-in: {_when(view.next_local)}."
    return text


def timezone_current(setting: ZoneSetting) -> str:
    default = (
        " (the default: you have not set one; times you give are read in it)"
        if setting.is_default
        else ""
    )
    return f"Your time zone is <b>{escape(setting.zone)}</b>{default}.\n{TIMEZONE_USAGE}"


def standup(facts: StandupFacts, catalog: Catalog) -> str:
    scores = yesterday_scores(facts)
    if scores:
        per_area = ", ".join(
            f"{escape(catalog.title(score.area))} {score.correct}/{score.answered}"
            for score in scores
        )
        summary = facts.yesterday
        yesterday = f"{summary.answered} answers, {summary.accuracy:.0%} right — {per_area}"
    else:
        yesterday = "no quiz answers"
    lines = [
        f"☀️ <b>Daily standup</b> · {facts.local_date:%a %-d %b}",
        f"<b>Yesterday in the bot</b>: {yesterday}",
    ]
    if facts.weakest_area:
        lines.append(
            f"<b>Weakest area</b>: {escape(catalog.title(facts.weakest_area))} — "
            f"/quiz {escape(facts.weakest_area)}"
        )
    lines.append(f"<b>Roadmap</b>: month {facts.month.number} — {escape(facts.month.focus)}")
    lines.extend(study_lines(facts, catalog))
    lines.append("")
    lines.extend(QUESTIONS.values())
    lines.append("<i>Reply with three lines in one message, or answer one at a time.</i>")
    return "\n".join(lines)


def study_lines(facts: StandupFacts, catalog: Catalog) -> list[str]:
    """Reviews due today, the days to the interview and today's focus."""
    due = facts.reviews_due_today
    lines = [
        f"<b>Reviews due today</b>: {due} → /review" if due else "<b>Reviews due today</b>: none"
    ]
    if facts.days_to_goal is not None:
        days = "day" if facts.days_to_goal == 1 else "days"
        when = (
            "today — good luck!" if facts.days_to_goal == 0 else f"in {facts.days_to_goal} {days}"
        )
        lines.append(f"<b>Interview</b>: {when}")
    if facts.focus_area:
        lines.append(
            f"<b>Today's focus</b>: {escape(catalog.title(facts.focus_area))} — "
            f"/quiz {escape(facts.focus_area)}"
        )
    return lines


def answer_progress(progress: AnswerProgress) -> str:
    if progress.complete:
        days = "day" if progress.streak_days == 1 else "days"
        return f"✅ Check-in saved. Check-in streak: {progress.streak_days} {days}. Have a good study day!"
    missing = next(name for name in QUESTIONS if name not in progress.filled)
    return f"Got it. {QUESTIONS[missing]}"


REMINDER = (
    "⏰ Your standup is still open. What did you study yesterday, what will you study today, "
    "and is anything blocking you? Reply here."
)


def history(checkins: Sequence[CheckinView], streak_days: int) -> str:
    if not checkins:
        return "No check-ins yet. Set a daily one with <code>/checkin 08:30</code>."
    blocks = ["<b>Your last check-ins</b>"]
    for checkin in checkins:
        header = f"<b>{checkin.local_date:%a %-d %b}</b>"
        answers = [
            f"{LABELS[name]}: {escape(value)}"
            for name in QUESTIONS
            if (value := getattr(checkin, name))
        ]
        blocks.append(header + ("\n" + "\n".join(answers) if answers else " — no answer"))
    days = "day" if streak_days == 1 else "days"
    blocks.append(f"Check-in streak: {streak_days} {days}")
    return "\n\n".join(blocks)
