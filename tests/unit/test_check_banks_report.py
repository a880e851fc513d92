"""`check-banks` reports every problem of every question in every file in one run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.banks.loader import load_banks

ALPHA = """\
area: alpha
title: Alpha
roadmap_month: 1
questions:
  - id: alpha-schema-001
    type: choice
    question: Which HTTP method is safe?
    options: [GET, POST]
    answer: 2
    explanation: GET only reads.
  - id: alpha-accepted-001
    type: text
    question: Which status code means Not Found?
    accepted: ['404', '""']
    explanation: 404 Not Found.
  - id: alpha-reject-001
    type: text
    question: Which status code means Gone?
    accepted: ['410']
    patterns: ['41\\d']
    rejects: ['411', '404']
    explanation: 410 Gone.
  - id: alpha-re2-001
    type: text
    question: Which keyword rebinds a name of the enclosing function?
    accepted: [nonlocal]
    patterns: ['nonlocal(?! global)( \\w+)?']
    explanation: nonlocal, not global.
  - id: alpha-schema-001
    type: text
    question: Which status code means Created?
    accepted: ['201']
    explanation: 201 Created.
"""

BETA = """\
area: beta
title: Beta
roadmap_month: 1
questions:
  - id: beta-dataset-001
    type: sql
    question: List every name.
    dataset: nowhere
    solution: SELECT name FROM p
    explanation: A plain SELECT.
  - id: beta-solution-001
    type: sql
    question: List every name.
    dataset: tiny
    solution: SELECT nme FROM p
    explanation: A plain SELECT.
  - id: beta-wrong-001
    type: sql
    question: List every name.
    dataset: tiny
    solution: SELECT name FROM p
    wrong_queries: ["SELECT name FROM p ORDER BY name DESC", "SELECT name FROM p LIMIT 1"]
    explanation: A plain SELECT; order does not matter.
  - id: alpha-reject-001
    type: open
    question: Explain 410.
    model_answer: Gone for good.
    key_points: [permanent]
    explanation: 410 is permanent.
  - id: beta-ok-001
    type: choice
    question: Which HTTP method is safe?
    options: [GET, POST]
    answer: 0
    explanation: GET only reads.
"""

GAMMA = """\
area: gamma
title: Gamma
roadmap_month: 1
questions:
  - id: [unclosed
"""

EXPECTED = [
    "alpha.yaml:5: alpha-schema-001: answer 2 is out of range 0..1",
    'alpha.yaml:11: alpha-accepted-001: accepted answer is graded wrong: ""',
    "alpha.yaml:16: alpha-reject-001: reject is graded right: 411",
    "alpha.yaml:23: alpha-re2-001: pattern 'nonlocal(?! global)( \\\\w+)?' is not a valid RE2"
    " regular expression: invalid perl operator: (?! (RE2 has no lookarounds or backreferences)",
    "alpha.yaml:29: alpha-schema-001: duplicate id, first defined at alpha.yaml:5",
    "beta.yaml:5: beta-dataset-001: dataset 'nowhere' not found in datasets/",
    'beta.yaml:11: beta-solution-001: solution does not run: SQL error: Binder Error: Referenced column "nme" not found in FROM clause! Candidate bindings: "name"',
    "beta.yaml:17: beta-wrong-001: wrong query is graded right: SELECT name FROM p ORDER BY name DESC",
    "beta.yaml:24: alpha-reject-001: duplicate id, first defined at alpha.yaml:16",
    "gamma.yaml:6: -: YAML syntax error: expected ',' or ']', but got '<stream end>'"
    " (while parsing a flow sequence at line 5)",
]


@pytest.fixture
def banks(tmp_path: Path) -> Path:
    folder = tmp_path / "banks"
    (folder / "datasets").mkdir(parents=True)
    (folder / "datasets" / "tiny.sql").write_text(
        "CREATE TABLE p (name TEXT); INSERT INTO p VALUES ('a'), ('b');", encoding="utf-8"
    )
    for name, body in (("alpha", ALPHA), ("beta", BETA), ("gamma", GAMMA)):
        (folder / f"{name}.yaml").write_text(body, encoding="utf-8")
    return folder


def relative(lines: list[str], folder: Path) -> list[str]:
    return [line.replace(f"{folder}/", "") for line in lines]


def test_one_run_reports_every_kind_of_problem_at_its_line(banks: Path) -> None:
    result = load_banks(banks)
    assert relative([str(problem) for problem in result.problems], banks) == EXPECTED
    assert result.catalog.areas == (), "no bank with a problem is served"


def test_a_repeated_id_is_reported_where_it_is_written_again(banks: Path) -> None:
    duplicates = [
        problem for problem in load_banks(banks).problems if "duplicate id" in problem.message
    ]
    assert [(Path(problem.file).name, problem.line) for problem in duplicates] == [
        ("alpha.yaml", 29),
        ("beta.yaml", 24),
    ]


def test_the_command_prints_every_problem_then_the_count_and_exits_1(banks: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUESTIONS_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-banks", str(banks)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert relative(result.stdout.splitlines(), banks) == EXPECTED
    assert result.stderr.strip().splitlines()[-1] == f"{len(EXPECTED)} problems in 3 files"
