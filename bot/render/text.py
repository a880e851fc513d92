"""General message texts in Telegram HTML: welcome, help, topics, stats, /forget, errors."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.banks.catalog import Catalog
from bot.commands import COMMANDS, Command, Scope
from bot.domain.readiness import StudyPlan
from bot.domain.stats import StatsSummary
from bot.render import coach_text


def welcome(first_name: str, catalog: Catalog) -> str:
    return (
        f"Hi {escape(first_name)}! I am <b>Interview Coach</b>.\n\n"
        "I quiz you for Python backend interviews: SQL, Docker, HTTP, Git and the rest of a "
        f"6-month backend roadmap ({len(catalog)} questions in {len(catalog.areas)} areas). "
        "I keep your scores and show you where to improve.\n\n"
        "Start with /quiz for a mixed question, /topics to pick an area, "
        "or /help for every command."
    )


def help_text(scope: Scope, commands: Sequence[Command] = COMMANDS) -> str:
    lines = ["<b>Commands</b>"]
    lines += [
        f"{escape(command.form)} — {escape(command.description)}"
        for command in commands
        if scope in command.scopes
    ]
    if scope is Scope.PRIVATE:
        lines.append(
            "\nAnswer by tapping a poll option or a button; /cancel skips a question unscored."
        )
    return "\n".join(lines)


def topics(catalog: Catalog) -> str:
    lines = ["<b>Areas</b> (roadmap month · questions)"]
    for bank in catalog.banks:
        lines.append(
            f"• <code>{escape(bank.area)}</code> {escape(bank.title)} · "
            f"month {bank.roadmap_month} · {len(bank.questions)}"
        )
    lines.append(
        "\nTap an area or send /quiz AREA, e.g. /quiz " + escape(catalog.areas[0])
        if catalog.areas
        else ""
    )
    return "\n".join(lines)


def stats(summary: StatsSummary, catalog: Catalog, plan: StudyPlan | None = None) -> str:
    """Accuracy per area, with readiness beside it when the learner's study plan is given."""
    if not summary.answered:
        return "No answers yet. Try /quiz — your scores will show up here."
    lines = ["<b>Your progress</b>"]
    for score in summary.areas:
        title = catalog.title(score.area)
        ready = plan.readiness.area(score.area) if plan else None
        beside = f" · {coach_text.area_readiness(ready)}" if ready else ""
        lines.append(
            f"• {escape(title)}: {score.correct}/{score.answered} ({score.accuracy:.0%}){beside}"
        )
    lines.append(
        f"\n<b>Total:</b> {summary.correct}/{summary.answered} correct ({summary.accuracy:.0%})"
    )
    days = "day" if summary.streak_days == 1 else "days"
    lines.append(f"<b>Streak:</b> {summary.streak_days} {days} in a row")
    if plan is not None:
        lines.extend(coach_text.readiness_lines(plan))
        return "\n".join(lines)
    weakest = summary.weakest_area
    if weakest and len(summary.areas) > 1:
        lines.append(f"Weakest area: <code>{escape(weakest)}</code> — try /quiz {escape(weakest)}")
    return "\n".join(lines)


FORGET_CONFIRM = (
    "This deletes <b>everything</b> I store about you: every answer, your scores and settings. "
    "It cannot be undone. Delete?"
)
FORGET_DONE = "Done: everything about you is deleted. /start begins afresh."
FORGET_KEPT = "Nothing was deleted."
CANCELLED = "Skipped — nothing was scored. /quiz for another question."
NOTHING_TO_CANCEL = "There is no open question to cancel. /quiz starts one."
NO_QUESTIONS = "There are no questions here yet. /topics lists the areas."
STRAY_TEXT = "I answer commands and buttons. /help lists what I can do."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Your answers are safe; please try again."
)


def unknown_command(command: str) -> str:
    return f"I don't know <code>{escape(command)}</code>. /help lists what I can do."


def takes_no_arguments(command: Command) -> str:
    return (
        f"<code>/{escape(command.name)}</code> takes no arguments. "
        f"Usage: <code>{escape(command.form)}</code>"
    )
