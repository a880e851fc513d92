"""Message texts in Telegram HTML. Every string from a user or a bank is escaped here."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.banks.catalog import Catalog
from bot.banks.limits import POLL_QUESTION_MAX
from bot.banks.schema import Question, QuestionType
from bot.commands import COMMANDS, Command, Scope
from bot.domain.self_rating import SelfRating
from bot.domain.sql_results import SqlVerdict
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


TYPED_HINTS = {
    QuestionType.TEXT: "Type your answer and send it.",
    QuestionType.SQL: "Write one SQLite query and send it. Only reading is allowed.",
    QuestionType.OPEN: (
        "Answer in your own words: type it and send it, then compare with the model answer. "
        "Or tap Show answer."
    ),
}
SQL_PREVIEW_ROWS = 8
SQL_CELL_MAX = 40
SQL_LINE_MAX = 100


def typed_question_message(
    question: Question, title: str, tables: Sequence[tuple[str, Sequence[str]]] = ()
) -> str:
    schema = ""
    if tables:
        schema = "\n\n<b>Tables</b>\n" + "\n".join(
            f"<code>{escape(table)}({escape(', '.join(columns))})</code>"
            for table, columns in tables
        )
    return (
        f"{_header(question, title)}\n\n{escape(question.question)}{_code_block(question)}{schema}\n\n"
        f"<i>{TYPED_HINTS[question.type]}</i>"
    )


def text_verdict(question: Question, response: str, correct: bool) -> str:
    expected = "" if correct else f" Expected: <code>{escape(question.accepted[0])}</code>"
    return (
        f"{_verdict(correct)}{expected}\nYour answer: <code>{escape(_clip(response, 300))}</code>"
        + _explanation(question)
    )


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A preview of a query result small enough that two of them fit in one message."""

    def line(values: Sequence[object]) -> str:
        cells = [_clip("NULL" if value is None else str(value), SQL_CELL_MAX) for value in values]
        return _clip(" | ".join(cells), SQL_LINE_MAX)

    shown = [line(columns), *(line(row) for row in rows[:SQL_PREVIEW_ROWS])]
    if len(rows) > SQL_PREVIEW_ROWS:
        shown.append(f"… {len(rows) - SQL_PREVIEW_ROWS} more")
    return f"<pre>{escape(chr(10).join(shown))}</pre>"


def sql_verdict(question: Question, verdict: SqlVerdict) -> str:
    if verdict.correct:
        return f"{_verdict(True)} Your query returns the expected rows." + _explanation(question)
    result, expected = verdict.result, verdict.expected
    if len(result.columns) != len(expected.columns):
        difference = f"Your query returns {len(result.columns)} columns; {len(expected.columns)} are expected."
    elif len(result.rows) != len(expected.rows):
        difference = (
            f"Your query returns {len(result.rows)} rows; {len(expected.rows)} are expected."
        )
    elif not question.ordered or sorted(map(repr, result.rows)) != sorted(map(repr, expected.rows)):
        difference = "Your query returns different rows."
    else:
        difference = "The rows are right but not in the order the question asks for."
    return (
        f"{_verdict(False)} {difference}\n\n<b>Expected</b>\n{_table(expected.columns, expected.rows)}"
        f"<b>Yours</b>\n{_table(result.columns, result.rows)}"
        f"<b>A solution</b>\n<pre>{escape(question.solution or '')}</pre>" + _explanation(question)
    )


def sql_retry(message: str) -> str:
    return (
        f"⚠️ Your query did not run: {escape(message)}\n"
        "Nothing was scored. Fix it and send it again, or /cancel."
    )


def model_answer(question: Question, title: str, response: str | None) -> str:
    points = "\n".join(f"• {escape(point)}" for point in question.key_points)
    yours = f"\n\n<b>Your answer</b>\n{escape(_clip(response, 1000))}" if response else ""
    return (
        f"{_header(question, title)}\n\n{escape(question.question)}{yours}\n\n"
        f"<b>Model answer</b>\n{escape(question.model_answer or '')}\n\n<b>Key points</b>\n{points}\n\n"
        "<i>How well did you answer? Rate yourself honestly: Good or Easy count as correct.</i>"
    )


def rated(question: Question, title: str, response: str | None, rating: SelfRating) -> str:
    before = model_answer(question, title, response).rsplit("\n\n<i>", 1)[0]
    return f"{before}\n\nYou rated yourself: <b>{rating.label}</b>." + _explanation(question)


AWAITING_RATING = "Rate your answer with the buttons above (Again, Hard, Good, Easy), or /cancel."


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
