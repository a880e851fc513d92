"""Typed-answer grading: CPU per answer on the bundled banks, and RE2 against Python's
backtracking `re` on catastrophic patterns.

    .venv/bin/python bench/typed_grading.py [--no-write]

Python's `re` is run only on short inputs (it doubles its time with every extra character);
RE2, which grades the learners' answers, on 50,000 characters.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._results import write_section
from bot.banks.loader import load_catalog
from bot.banks.location import bundled_questions_dir
from bot.banks.schema import Question, QuestionType
from bot.domain.text_grading import grade_text

CATASTROPHIC = (r"(a+)+$", r"(a|aa)+c", r"(x+x+)+y")
LONG_INPUT = 50_000


def _per_answer_microseconds(questions: list[Question]) -> tuple[int, float]:
    answers = [
        (question, typed)
        for question in questions
        for accepted in (*question.accepted, *question.rejects)
        for typed in (accepted, f"`$ {accepted}`.", accepted.upper(), "no idea")
    ]
    for question, typed in answers:  # warm the compiled-pattern cache, as a running bot has
        grade_text(question, typed)
    rounds = 20
    started = time.process_time()
    for _ in range(rounds):
        for question, typed in answers:
            grade_text(question, typed)
    elapsed = time.process_time() - started
    return len(answers), elapsed / (rounds * len(answers)) * 1e6


def _backtracking_seconds(pattern: str, length: int) -> float:
    compiled = re.compile(pattern)
    text = ("x" if "x" in pattern else "a") * length + "!"
    started = time.perf_counter()
    compiled.fullmatch(text)
    return time.perf_counter() - started


def _re2_seconds(pattern: str) -> float:
    question = Question(
        id="bench-text-001",
        type="text",
        question="?",
        accepted=("a",),
        patterns=(pattern,),
        explanation=".",
    )
    text = ("x" if "x" in pattern else "a") * LONG_INPUT + "!"
    started = time.perf_counter()
    grade_text(question, text)
    return time.perf_counter() - started


def _in_table(text: str) -> str:
    return text.replace("|", r"\|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    catalog = load_catalog(bundled_questions_dir())
    questions = [q for q in catalog.questions() if q.type is QuestionType.TEXT]
    count, microseconds = _per_answer_microseconds(questions)
    rows = [
        f"| `{_in_table(pattern)}` | {_backtracking_seconds(pattern, 22) * 1000:.1f} ms "
        f"| {_backtracking_seconds(pattern, 24) * 1000:.1f} ms "
        f"| {_re2_seconds(pattern) * 1000:.2f} ms |"
        for pattern in CATASTROPHIC
    ]
    body = "\n".join(
        [
            f"Command: `python bench/typed_grading.py` ({date.today().isoformat()}, 2 cores)",
            "",
            f"CPU per typed answer graded ({len(questions)} text questions, {count} answers: "
            f"accepted forms, rejects, dressed up and wrong): {microseconds:.1f} µs.",
            "",
            "| pattern | Python `re`, 22 characters | Python `re`, 24 characters "
            f"| RE2 (grading), {LONG_INPUT:,} characters |",
            "| --- | --- | --- | --- |",
            *rows,
        ]
    )
    print(body)
    if not args.no_write:
        write_section("Typed-answer grading", body)


if __name__ == "__main__":
    main()
