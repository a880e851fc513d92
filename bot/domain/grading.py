"""Grading answers against a question's key."""

from __future__ import annotations

from collections.abc import Iterable

from bot.banks.schema import Question, QuestionType


class InvalidAnswer(ValueError):
    """The submitted answer does not fit the question (an option that does not exist)."""


def grade_options(question: Question, chosen: Iterable[int]) -> bool:
    """True when the chosen options are exactly the correct ones.

    A `choice` question takes one option; a `multi` question is right only when every
    correct option and no wrong one is selected.
    """
    picked = frozenset(chosen)
    if not picked:
        raise InvalidAnswer("no option chosen")
    if any(not 0 <= index < len(question.options) for index in picked):
        raise InvalidAnswer(f"option out of range 0..{len(question.options) - 1}")
    if question.type is QuestionType.CHOICE and len(picked) != 1:
        raise InvalidAnswer("a choice question takes exactly one option")
    return picked == question.correct_options
