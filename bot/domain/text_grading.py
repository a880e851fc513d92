"""Grading typed answers: normalise case, spaces and quoting, then match accepted forms."""

from __future__ import annotations

import re

from bot.banks.schema import Question

_QUOTES = "\"'`“”‘’«»"
_SPACES = re.compile(r"\s+")


def normalise_answer(answer: str, case_sensitive: bool = False) -> str:
    """Lowercase, single spaces, no surrounding quotes or backticks, no trailing `.` or `;`."""
    text = _SPACES.sub(" ", answer).strip()
    previous = None
    while text != previous:
        previous = text
        text = text.rstrip(".;").strip()
        if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
            text = text[1:-1].strip()
    return text if case_sensitive else text.casefold()


def grade_text(question: Question, answer: str) -> bool:
    exact = question.case_sensitive
    given = normalise_answer(answer, exact)
    if not given:
        return False
    if any(given == normalise_answer(accepted, exact) for accepted in question.accepted):
        return True
    flags = 0 if exact else re.IGNORECASE
    return any(re.fullmatch(pattern, given, flags=flags) for pattern in question.patterns)
