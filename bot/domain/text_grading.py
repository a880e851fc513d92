"""Grading typed answers: normalise case, spaces, quoting and prompts, then match accepted
forms and patterns."""

from __future__ import annotations

from bot.banks.schema import Question
from bot.domain.patterns import fully_matches

_QUOTES = "\"'`“”‘’«»"
# A learner may paste a command with the prompt in front: a shell's `$ ` or root `# `, or
# Python's `>>> `. No right answer starts with one of these followed by a space.
PROMPTS = ("$ ", "# ", ">>> ")
# A trailing `.` after one of these is part of the answer (`git add .`, `cd ..`, `...`),
# not a full stop.
_DOT_IS_PART_OF_ANSWER_AFTER = " ."


def _strip_trailing_punctuation(text: str) -> str:
    while text.endswith(";") and not text.endswith("\\;"):
        text = text[:-1].rstrip()
    if len(text) >= 2 and text.endswith(".") and text[-2] not in _DOT_IS_PART_OF_ANSWER_AFTER:
        text = text[:-1].rstrip()
    return text


def normalise_answer(answer: str, case_sensitive: bool = False) -> str:
    """Lowercase (unless case_sensitive), single spaces, no surrounding quotes or backticks,
    no leading prompt, no trailing full stop or semicolon."""
    # str.split, not a regex: nothing here runs a backtracking engine on learner input.
    text = " ".join(answer.split())
    previous = None
    while text != previous:
        previous = text
        text = _strip_trailing_punctuation(text)
        if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
            text = text[1:-1].strip()
        for prompt in PROMPTS:
            if text.startswith(prompt):
                text = text[len(prompt) :].strip()
    return text if case_sensitive else text.casefold()


def grade_text(question: Question, answer: str) -> bool:
    """Whether a typed answer is one of the question's accepted forms or fully matches one
    of its patterns (RE2, case-insensitive unless the question is case_sensitive)."""
    exact = question.case_sensitive
    given = normalise_answer(answer, exact)
    if not given:
        return False
    if any(given == normalise_answer(accepted, exact) for accepted in question.accepted):
        return True
    return any(fully_matches(pattern, given, exact) for pattern in question.patterns)
