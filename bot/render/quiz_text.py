"""Texts of the private quiz in Telegram HTML: questions, verdicts, typed and open answers.
Every string from a learner or a bank is escaped here."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.banks.catalog import Catalog
from bot.banks.limits import POLL_QUESTION_MAX
from bot.banks.schema import Question, QuestionType
from bot.domain.self_rating import SelfRating
from bot.domain.sql_results import SqlVerdict
from bot.render.shared import clip, code_block, option_label, unknown_area
from bot.usecases.quiz import Settled


def quiz_unknown_area(area: str, catalog: Catalog) -> str:
    example = escape(catalog.areas[0] if catalog.areas else "sql")
    return unknown_area(
        area, catalog, f"Usage: <code>/quiz [area]</code>, e.g. <code>/quiz {example}</code>"
    )


def quiz_usage() -> str:
    return "Usage: <code>/quiz [area]</code> — one area at most. /topics lists the areas."


def _header(question: Question, title: str) -> str:
    return f"<b>{escape(title)}</b> · {question.level.value}"


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
        f"{_header(question, title)}\n\n{escape(question.question)}{code_block(question)}\n\n"
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
        f"{_header(question, title)}\n\n{escape(question.question)}{code_block(question)}\n\n"
        f"{body}\n\n{_verdict(correct)} {_right_answer(question) if not correct else ''}".rstrip()
        + _explanation(question)
    )


def poll_result(question: Question, correct: bool) -> str:
    """Sent after a quiz poll is answered: the poll itself cannot be edited into a verdict."""
    return f"{_verdict(correct)} {_right_answer(question)}{_explanation(question)}"


TYPED_HINTS = {
    QuestionType.TEXT: "Type your answer and send it.",
    QuestionType.SQL: "Write one PostgreSQL query and send it. Only reading is allowed.",
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
        f"{_header(question, title)}\n\n{escape(question.question)}{code_block(question)}{schema}\n\n"
        f"<i>{TYPED_HINTS[question.type]}</i>"
    )


def text_verdict(question: Question, response: str, correct: bool) -> str:
    expected = "" if correct else f" Expected: <code>{escape(question.accepted[0])}</code>"
    return (
        f"{_verdict(correct)}{expected}\nYour answer: <code>{escape(clip(response, 300))}</code>"
        + _explanation(question)
    )


def _table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A preview of a query result small enough that two of them fit in one message."""

    def line(values: Sequence[object]) -> str:
        cells = [clip("NULL" if value is None else str(value), SQL_CELL_MAX) for value in values]
        return clip(" | ".join(cells), SQL_LINE_MAX)

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
    yours = f"\n\n<b>Your answer</b>\n{escape(clip(response, 1000))}" if response else ""
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
        f"{_header(question, title)}\n\n{escape(question.question)}{code_block(question)}\n\n"
        "<i>Skipped — not scored.</i>"
    )


REFUSALS = {
    Settled.ALREADY_ANSWERED: "Already answered — it was counted once.",
    Settled.SKIPPED: "This question was skipped; it isn't scored. /quiz for a new one.",
    Settled.NOT_YOURS: "This question belongs to someone else.",
    Settled.GONE: "This question is no longer available. /quiz for a new one.",
    Settled.INVALID: "That does not fit this question.",
    Settled.AWAITING_RATING: "The model answer is shown; rate yourself below it.",
}


def refusal(outcome: Settled) -> str:
    """Why an answer was not taken, short enough for a callback notice."""
    return REFUSALS.get(outcome, REFUSALS[Settled.GONE])
