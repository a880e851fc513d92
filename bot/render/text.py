"""General message texts in Telegram HTML: welcome, help, topics, stats, /forget, errors."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.banks.catalog import Catalog
from bot.commands import COMMANDS, Command, Scope
from bot.domain.areas import AreaMatch
from bot.domain.readiness import StudyPlan
from bot.domain.stats import AreaDetail, StatsSummary, Tally
from bot.render import coach_text
from bot.render.markup import plain
from bot.render.shared import clip, unknown_area

TAGS_SHOWN = 8
MISSED_SHOWN = 10


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


def _tally(tally: Tally) -> str:
    return f"{escape(tally.name)} {tally.correct}/{tally.answered} ({tally.accuracy:.0%})"


def area_stats(detail: AreaDetail, catalog: Catalog) -> str:
    """/stats AREA: the area by level and tag, and the questions whose last answer was wrong."""
    area, title = escape(detail.area), escape(catalog.title(detail.area))
    if not detail.total.answered:
        return f"No answers in <b>{title}</b> yet. Try /quiz {area}."
    total = detail.total
    lines = [
        f"<b>{title}</b>: {total.correct}/{total.answered} right ({total.accuracy:.0%}), "
        f"{detail.seen} of {detail.bank_size} questions seen",
    ]
    if detail.by_level:
        lines.append("<b>By level:</b> " + " · ".join(_tally(level) for level in detail.by_level))
    if detail.by_tag:
        shown = detail.by_tag[:TAGS_SHOWN]
        more = len(detail.by_tag) - len(shown)
        lines.append(
            "<b>By tag:</b> "
            + " · ".join(_tally(tag) for tag in shown)
            + (f" · and {more} more" if more > 0 else "")
        )
    if detail.missed:
        lines.append("\n<b>Missed</b> (your last answer was wrong):")
        for question_id in detail.missed[:MISSED_SHOWN]:
            question = catalog.question(question_id)
            if question is not None:
                lines.append(f"• {escape(clip(plain(question.question), 90))}")
        if len(detail.missed) > MISSED_SHOWN:
            lines.append(f"… and {len(detail.missed) - MISSED_SHOWN} more")
        lines.append(f"/quiz {area} asks the missed ones again after the unseen ones.")
    else:
        lines.append(f"\nNothing missed: every last answer was right. /quiz {area} for more.")
    return "\n".join(lines)


def stats_unknown_area(area: str, catalog: Catalog, match: AreaMatch) -> str:
    return unknown_area(
        area,
        catalog,
        "Usage: <code>/stats [area]</code>, e.g. <code>/stats sql</code>",
        match.suggestions,
    )


FORGET_CONFIRM = (
    "This deletes <b>everything</b> I store about you: every answer, your scores and settings. "
    "It cannot be undone. Delete?"
)
FORGET_DONE = "Done: everything about you is deleted. /start begins afresh."
FORGET_KEPT = "Nothing was deleted."
ALREADY_FORGOTTEN = "Already deleted: nothing is stored about you."
NOTHING_STORED = (
    "Nothing is stored about you: everything was already deleted. /start begins afresh."
)
CANCELLED = "Skipped — nothing was scored. /quiz for another question."
NOTHING_TO_CANCEL = "There is no open question to cancel. /quiz starts one."
NO_QUESTIONS = "There are no questions here yet. /topics lists the areas."
STRAY_TEXT = "I answer commands and buttons. /help lists what I can do."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Your answers are safe; please try again."
)


def unknown_command(command: str) -> str:
    return f"I don't know <code>{escape(clip(command, 40))}</code>. /help lists what I can do."


def takes_no_arguments(command: Command) -> str:
    return (
        f"<code>/{escape(command.name)}</code> takes no arguments. "
        f"Usage: <code>{escape(command.form)}</code>"
    )
