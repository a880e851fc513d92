"""Pieces every renderer shares: option letters, clipping, code blocks, fitting a message."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from bot.banks.catalog import Catalog
from bot.banks.limits import MESSAGE_MAX, POLL_QUESTION_MAX
from bot.banks.schema import Question, QuestionType
from bot.render.markup import plain

LETTERS = "ABCDEFGHIJKL"
# Banks write "Select all that apply." or "(select all that apply)"; the bot says it once.
_SELECT_ALL = re.compile(r"\s*\(?\bselect all that apply\b\)?\.?", re.IGNORECASE)
SELECT_ALL = "Select all that apply."
ECHO_MAX = 40


def option_label(index: int) -> str:
    return LETTERS[index]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def question_text(question: Question, poll: bool = False) -> str:
    """The question as bank text (backticks kept; `poll` drops them): a multi-select one
    without its "select all that apply", which its hint (or, in a poll, one suffix) says."""
    text = question.question
    if question.type is QuestionType.MULTI:
        text = _SELECT_ALL.sub("", text).strip()
        # Room is left for the prefix a poll puts before the question ("[Git · junior] ").
        if poll and len(plain(text)) + 1 + len(SELECT_ALL) <= POLL_QUESTION_MAX - 40:
            text = f"{text} {SELECT_ALL}"
    return plain(text) if poll else text


def echo(text: str) -> str:
    """A learner's argument repeated in a reply: escaped and clipped."""
    return escape(clip(text, ECHO_MAX))


def code_block(question: Question) -> str:
    return f"\n<pre>{escape(question.code.rstrip())}</pre>" if question.code else ""


def unknown_area(area: str, catalog: Catalog, usage: str, suggestions: Sequence[str] = ()) -> str:
    areas = ", ".join(f"<code>{escape(name)}</code>" for name in catalog.areas)
    text = f"There is no area <code>{echo(area)}</code>."
    if suggestions:
        text += (
            " Did you mean "
            + " or ".join(f"<code>{escape(name)}</code>" for name in suggestions)
            + "?"
        )
    return f"{text}\nAreas: {areas}\n{usage}"


def fit(lines: Sequence[str], budget: int = MESSAGE_MAX - 196) -> str:
    """Whole lines only (never a cut tag) until the message budget is spent."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > budget:
            kept.append(f"… and {len(lines) - index} more lines")
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)
