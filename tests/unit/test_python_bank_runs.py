"""Every "What does this code print?" question in the python bank, run for real.

The convention: the keyed option is exactly the stripped standard output of the snippet,
or, when the snippet ends with an uncaught exception, it starts with "It raises <Name>".
No other option may match the real outcome.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bot.banks.loader import load_catalog
from bot.banks.location import bundled_questions_dir
from bot.banks.schema import Question, QuestionType

PHRASE = "What does this code print?"
RAISES = "It raises "
TIMEOUT_SECONDS = 10
# The traceback's last line names the exception: "KeyError: 'x'", "StopIteration",
# "dataclasses.FrozenInstanceError: ..."; an exception group's is on its "  | " line.
EXCEPTION_LINE = re.compile(r"([A-Za-z_][\w.]*)(?:: .*)?")
GROUP_LINE = re.compile(r"  \| ([A-Za-z_][\w.]*)(?:: .*)?")


def printing_questions() -> list[Question]:
    bank = load_catalog(bundled_questions_dir()).bank("python")
    assert bank is not None
    return [
        question
        for question in bank.questions
        if question.type is QuestionType.CHOICE
        and question.code
        and question.question.startswith(PHRASE)
    ]


QUESTIONS = printing_questions()


def raised_exception(stderr: str) -> str | None:
    """The uncaught exception's class name, without its module, or None without a traceback."""
    lines = stderr.splitlines()
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        # Search upwards: a message may go on over several lines after "Name: ".
        candidates, pattern = lines[::-1], EXCEPTION_LINE
    elif lines and lines[0].startswith("  + Exception Group Traceback"):
        candidates, pattern = lines, GROUP_LINE
    else:
        return None
    for line in candidates:
        match = pattern.fullmatch(line)
        if match:
            return match.group(1).rsplit(".", 1)[-1]
    return None


def test_the_bank_has_questions_that_print() -> None:
    assert len(QUESTIONS) >= 40


def test_the_exception_name_is_read_from_the_traceback() -> None:
    header = 'Traceback (most recent call last):\n  File "<string>", line 1, in <module>\n'
    assert raised_exception(header + "KeyError: 'x'\n") == "KeyError"
    assert raised_exception(header + "StopIteration\n") == "StopIteration"
    assert raised_exception(header + "dataclasses.FrozenInstanceError: a\n") == (
        "FrozenInstanceError"
    )
    assert raised_exception(header + "TypeError: Cannot create a consistent\norder (MRO)\n") == (
        "TypeError"
    )
    group = "  + Exception Group Traceback (most recent call last):\n  | ExceptionGroup: b\n"
    assert raised_exception(group + "    | ValueError: a\n") == "ExceptionGroup"
    assert raised_exception("SyntaxError: invalid syntax\n") is None


@pytest.mark.parametrize("question", QUESTIONS, ids=[question.id for question in QUESTIONS])
def test_the_keyed_option_is_what_the_code_prints(question: Question) -> None:
    assert isinstance(question.answer, int) and question.code
    keyed = question.options[question.answer]
    others = [option for index, option in enumerate(question.options) if index != question.answer]
    done = subprocess.run(
        [sys.executable, "-c", question.code],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
    )
    if done.returncode != 0:
        name = raised_exception(done.stderr)
        assert name is not None, f"exit {done.returncode} without a traceback:\n{done.stderr}"
        assert keyed.startswith(RAISES + name), f"raises {name}, keyed: {keyed!r}"
        for option in others:
            assert not re.match(rf"{RAISES}{name}\b", option), f"another option says {option!r}"
        return
    printed = done.stdout.strip()
    assert keyed == printed, f"prints {printed!r}, keyed: {keyed!r}"
    assert printed not in others, f"another option is also {printed!r}"
