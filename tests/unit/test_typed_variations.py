"""Every accepted answer of every bundled text question is graded right however a learner
dresses it up (quotes, backticks, a full stop, a prompt, spacing, case), and every near
miss a bank lists in `rejects` is graded wrong however it is dressed up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.banks.location import bundled_questions_dir
from bot.banks.schema import Question, QuestionType
from bot.domain.text_grading import grade_text


def bundled_text_questions() -> list[object]:
    # Read straight from the YAML, not through load_banks: a bank with an unrelated problem
    # is left out of the catalog, and its text questions must still be checked here. Each
    # is validated inside its own test, so one broken question fails alone.
    params = []
    for path in sorted(Path(bundled_questions_dir()).glob("*.yaml")):
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in bank["questions"]:
            if raw.get("type") == QuestionType.TEXT.value:
                params.append(pytest.param({**raw, "area": path.stem}, id=str(raw["id"])))
    return params


TEXT_QUESTIONS = bundled_text_questions()


def dressed_up(answer: str, case_sensitive: bool) -> Iterator[tuple[str, str]]:
    """The ways a learner types a right answer, each with a name for the failure message."""
    yield "as written", answer
    yield "in double quotes", f'"{answer}"'
    yield "in single quotes", f"'{answer}'"
    yield "in backticks", f"`{answer}`"
    # A dot at the end of `git add .` or `cd ..` is the answer itself; one more would name
    # another path, so only an answer that does not end in a dot gets a full stop.
    if not answer.endswith("."):
        yield "with a full stop", f"{answer}."
    yield "with a semicolon", f"{answer};"
    yield "after a $ prompt", f"$ {answer}"
    yield "after a # prompt", f"# {answer}"
    yield "after a >>> prompt", f">>> {answer}"
    yield "prompt in backticks", f"`$ {answer}`"
    yield "with doubled spaces", answer.replace(" ", "  ")
    yield "with surrounding spaces", f"  {answer}\n"
    if not case_sensitive:
        yield "in upper case", answer.upper()
        yield "in lower case", answer.lower()


def test_every_text_question_is_checked() -> None:
    assert len(TEXT_QUESTIONS) >= 90


@pytest.mark.parametrize("raw", TEXT_QUESTIONS)
def test_every_accepted_answer_is_right_however_it_is_typed(raw: dict[str, object]) -> None:
    question = Question.model_validate(raw)
    wrongly_refused = [
        f"{how}: {typed!r}"
        for accepted in question.accepted
        for how, typed in dressed_up(accepted, question.case_sensitive)
        if not grade_text(question, typed)
    ]
    assert wrongly_refused == []


@pytest.mark.parametrize("raw", TEXT_QUESTIONS)
def test_every_near_miss_is_wrong_however_it_is_typed(raw: dict[str, object]) -> None:
    question = Question.model_validate(raw)
    wrongly_accepted = [
        f"{how}: {typed!r}"
        for reject in question.rejects
        for how, typed in dressed_up(reject, case_sensitive=True)
        if grade_text(question, typed)
    ]
    assert wrongly_accepted == []
