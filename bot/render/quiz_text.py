"""Texts of the private quiz in Telegram HTML: questions, verdicts, typed and open answers.
Every string from a learner or a bank is escaped here."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.banks.catalog import Catalog
from bot.banks.limits import MESSAGE_MAX, POLL_QUESTION_MAX
from bot.banks.schema import Level, Question, QuestionType
from bot.commands import usage
from bot.domain.areas import AreaMatch
from bot.domain.key_points import check_key_points
from bot.domain.self_rating import SelfRating
from bot.domain.sql_results import SqlVerdict
from bot.render.markup import formatted, plain, rich
from bot.render.shared import clip, code_block, option_label, question_text, unknown_area
from bot.usecases.quiz import Settled

QUIZ_FORM = usage("quiz")


def quiz_unknown_area(area: str, catalog: Catalog, match: AreaMatch | None = None) -> str:
    example = escape(catalog.areas[0] if catalog.areas else "sql")
    return unknown_area(
        area,
        catalog,
        f"Usage: <code>{QUIZ_FORM}</code>, e.g. <code>/quiz {example} junior</code>",
        match.suggestions if match else (),
    )


def quiz_usage(problem: str = "one area at most") -> str:
    return f"Usage: <code>{QUIZ_FORM}</code> — {escape(problem)}. /topics lists the areas."


def no_questions_at(title: str | None, level: Level | None) -> str:
    where = f" in {escape(title)}" if title else ""
    about = f"{level.value} " if level else ""
    return f"There are no {about}questions{where} yet. /topics lists the areas."


def _header(question: Question, title: str) -> str:
    return f"<b>{escape(title)}</b> · {question.level.value}"


def poll_question(question: Question, title: str) -> str:
    """Plain text (a poll question takes no formatting), led by its area and level: the
    title when it fits, else the area's slug."""
    text = question_text(question, poll=True)
    for label in (title, question.area):
        prefixed = f"[{label} · {question.level.value}] {text}"
        if len(prefixed) <= POLL_QUESTION_MAX:
            return prefixed
    return text


def _options(question: Question) -> str:
    return "\n".join(
        f"<b>{option_label(index)}.</b> {rich(option)}"
        for index, option in enumerate(question.options)
    )


def _question(question: Question) -> str:
    return rich(question_text(question)) + code_block(question)


MULTI_HINT = "Select all that apply, then tap Submit."


def question_message(question: Question, title: str) -> str:
    hint = MULTI_HINT if question.type is QuestionType.MULTI else "Tap the letter of your answer."
    return (
        f"{_header(question, title)}\n\n{_question(question)}\n\n"
        f"{_options(question)}\n\n<i>{hint}</i>"
    )


def _verdict(correct: bool) -> str:
    return "✅ <b>Correct!</b>" if correct else "❌ <b>Not quite.</b>"


def _explanation(question: Question) -> str:
    text = f"\n\n{rich(question.explanation)}"
    if question.reference:
        text += f'\n<a href="{escape(question.reference, quote=True)}">Read more</a>'
    return text


def _right_answer(question: Question) -> str:
    right = sorted(question.correct_options)
    label = "Right answer" if len(right) == 1 else "Right answers"
    shown = "; ".join(f"{option_label(index)}. {rich(question.options[index])}" for index in right)
    return f"{label}: {shown}"


# Multi-select verdicts tell apart what was picked and what was missed.
PICKED_RIGHT, PICKED_WRONG, MISSED, LEFT_OUT = "✅", "❌", "⭕", "▫️"
MULTI_LEGEND = (
    f"{PICKED_RIGHT} picked, right · {PICKED_WRONG} picked, wrong · {MISSED} right, missed"
)


def _mark(question: Question, index: int, chosen: frozenset[int]) -> str:
    right = index in question.correct_options
    if question.type is not QuestionType.MULTI:
        return PICKED_RIGHT if right else PICKED_WRONG if index in chosen else LEFT_OUT
    if index in chosen:
        return PICKED_RIGHT if right else PICKED_WRONG
    return MISSED if right else LEFT_OUT


def answered_message(question: Question, title: str, chosen: frozenset[int], correct: bool) -> str:
    """The question message edited in place after an answer."""
    body = "\n".join(
        f"{_mark(question, index, chosen)} <b>{option_label(index)}.</b> {rich(option)}"
        for index, option in enumerate(question.options)
    )
    if question.type is QuestionType.MULTI and not correct:
        body += f"\n<i>{MULTI_LEGEND}</i>"
    return (
        f"{_header(question, title)}\n\n{_question(question)}\n\n"
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
        f"{_header(question, title)}\n\n{_question(question)}{schema}\n\n"
        f"<i>{TYPED_HINTS[question.type]}</i>"
    )


def text_verdict(question: Question, response: str, correct: bool) -> str:
    expected = "" if correct else f" Expected: <code>{escape(plain(question.accepted[0]))}</code>"
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


def _solution(question: Question, label: str) -> str:
    return f"<b>{label}</b>\n<pre>{escape(question.solution or '')}</pre>"


def sql_verdict(question: Question, verdict: SqlVerdict) -> str:
    if verdict.correct:
        return (
            f"{_verdict(True)} Your query returns the expected rows.\n\n"
            + _solution(question, "The reference solution")
            + _explanation(question)
        )
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
        f"{_verdict(False)} {difference}\n\n<b>Expected</b>\n{_table(expected.columns, expected.rows)}\n\n"
        f"<b>Yours</b>\n{_table(result.columns, result.rows)}\n\n"
        + _solution(question, "A solution")
        + _explanation(question)
    )


def sql_retry(message: str) -> str:
    return (
        f"⚠️ Your query did not run: {escape(message)}\n"
        "Nothing was scored. Fix it and send it again, or /cancel."
    )


MISSING_WORDS_SHOWN = 4
RATE_PROMPT = (
    "<i>How well did you answer? Rate yourself honestly: Hard, Good and Easy count as "
    "recalled; only Again is a miss.</i>"
)


def _key_points(question: Question, response: str | None) -> str:
    if not response:
        return "<b>Key points</b>\n" + "\n".join(
            f"• {rich(point)}" for point in question.key_points
        )
    checks = check_key_points(response, question.key_points)
    lines = []
    for check in checks:
        if check.covered:
            lines.append(f"✅ {rich(check.point)}")
        else:
            missing = ", ".join(check.missing[:MISSING_WORDS_SHOWN])
            lines.append(f"▫️ {rich(check.point)} — <i>not found: {escape(missing)}</i>")
    covered = sum(check.covered for check in checks)
    return (
        f"<b>Key points</b> (your answer covers {covered} of {len(checks)}, by their words)\n"
        + "\n".join(lines)
    )


def _model_answer_body(question: Question, title: str, response: str | None) -> str:
    head = f"{_header(question, title)}\n\n{_question(question)}"
    rest = (
        f"<b>Model answer</b>\n{formatted(question.model_answer or '')}\n\n"
        f"{_key_points(question, response)}"
    )
    if not response:
        return f"{head}\n\n{rest}"
    # The learner's own words are clipped to what the message has room for.
    room = MESSAGE_MAX - len(head) - len(rest) - len(RATE_PROMPT) - 300
    yours = escape(clip(response, max(200, min(1000, room))))
    return f"{head}\n\n<b>Your answer</b>\n{yours}\n\n{rest}"


def model_answer(question: Question, title: str, response: str | None) -> str:
    return f"{_model_answer_body(question, title, response)}\n\n{RATE_PROMPT}"


def rated(question: Question, title: str, response: str | None, rating: SelfRating) -> str:
    return (
        f"{_model_answer_body(question, title, response)}\n\n"
        f"You rated yourself: <b>{rating.label}</b>." + _explanation(question)
    )


AWAITING_RATING = "Rate your answer with the buttons above (Again, Hard, Good, Easy), or /cancel."


def skipped_message(question: Question, title: str) -> str:
    """A skipped question; an open one shows its model answer, to learn from."""
    if question.type is QuestionType.OPEN:
        return f"{_model_answer_body(question, title, None)}\n\n<i>Skipped — not scored.</i>"
    return f"{_header(question, title)}\n\n{_question(question)}\n\n<i>Skipped — not scored.</i>"


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
