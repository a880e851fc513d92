"""Message texts in Telegram HTML. Every string from a user or a bank is escaped here."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.banks.catalog import Catalog
from bot.banks.limits import POLL_QUESTION_MAX
from bot.banks.schema import Question, QuestionType
from bot.commands import COMMANDS, Command, Scope
from bot.domain.stats import StatsSummary

LETTERS = "ABCDEFGHIJKL"


def option_label(index: int) -> str:
    return LETTERS[index]


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


def unknown_area(area: str, catalog: Catalog) -> str:
    example = catalog.areas[0] if catalog.areas else "sql"
    areas = ", ".join(f"<code>{escape(name)}</code>" for name in catalog.areas)
    return (
        f"There is no area <code>{escape(area)}</code>.\n"
        f"Areas: {areas}\n"
        f"Usage: <code>/quiz [area]</code>, e.g. <code>/quiz {escape(example)}</code>"
    )


def quiz_usage() -> str:
    return "Usage: <code>/quiz [area]</code> — one area at most. /topics lists the areas."


def _header(question: Question, title: str) -> str:
    return f"<b>{escape(title)}</b> · {question.level.value}"


def _code_block(question: Question) -> str:
    return f"\n<pre>{escape(question.code.rstrip())}</pre>" if question.code else ""


def poll_question(question: Question, title: str) -> str:
    """Plain text (polls take no HTML): the area is added when it still fits."""
    prefixed = f"[{title}] {question.question}"
    return prefixed if len(prefixed) <= POLL_QUESTION_MAX else question.question


def question_message(question: Question, title: str) -> str:
    hint = (
        "Select every option that applies, then Submit."
        if question.type is QuestionType.MULTI
        else "Tap the letter of your answer."
    )
    options = "\n".join(
        f"<b>{option_label(index)}.</b> {escape(option)}"
        for index, option in enumerate(question.options)
    )
    return (
        f"{_header(question, title)}\n\n{escape(question.question)}{_code_block(question)}\n\n"
        f"{options}\n\n<i>{hint}</i>"
    )


def _verdict(correct: bool) -> str:
    return "✅ <b>Correct!</b>" if correct else "❌ <b>Not quite.</b>"


def _explanation(question: Question) -> str:
    text = f"\n\n{escape(question.explanation)}"
    if question.reference:
        text += f'\n<a href="{escape(question.reference, quote=True)}">Read more</a>'
    return text


def _right_answer(question: Question) -> str:
    right = sorted(question.correct_options)
    label = "Right answer" if len(right) == 1 else "Right answers"
    shown = "; ".join(
        f"{option_label(index)}. {escape(question.options[index])}" for index in right
    )
    return f"{label}: {shown}"


def answered_message(question: Question, title: str, chosen: frozenset[int], correct: bool) -> str:
    """The question message edited in place after an answer."""
    lines = []
    for index, option in enumerate(question.options):
        if index in question.correct_options:
            mark = "✅"
        elif index in chosen:
            mark = "❌"
        else:
            mark = "▫️"
        lines.append(f"{mark} <b>{option_label(index)}.</b> {escape(option)}")
    body = "\n".join(lines)
    return (
        f"{_header(question, title)}\n\n{escape(question.question)}{_code_block(question)}\n\n"
        f"{body}\n\n{_verdict(correct)} {_right_answer(question) if not correct else ''}".rstrip()
        + _explanation(question)
    )


def poll_result(question: Question, correct: bool) -> str:
    """Sent after a quiz poll is answered: the poll itself cannot be edited into a verdict."""
    return f"{_verdict(correct)} {_right_answer(question)}{_explanation(question)}"


def skipped_message(question: Question, title: str) -> str:
    return (
        f"{_header(question, title)}\n\n{escape(question.question)}{_code_block(question)}\n\n"
        "<i>Skipped — not scored.</i>"
    )


def stats(summary: StatsSummary, catalog: Catalog) -> str:
    if not summary.answered:
        return "No answers yet. Try /quiz — your scores will show up here."
    lines = ["<b>Your progress</b>"]
    for score in summary.areas:
        bank = catalog.bank(score.area)
        title = bank.title if bank else score.area
        lines.append(f"• {escape(title)}: {score.correct}/{score.answered} ({score.accuracy:.0%})")
    lines.append(
        f"\n<b>Total:</b> {summary.correct}/{summary.answered} correct ({summary.accuracy:.0%})"
    )
    days = "day" if summary.streak_days == 1 else "days"
    lines.append(f"<b>Streak:</b> {summary.streak_days} {days} in a row")
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
