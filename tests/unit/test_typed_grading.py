"""Text normalisation and the read-only SQL sandbox."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from bot.adapters.sql_sandbox import MAX_ROWS, SandboxError, SqlSandbox, same_rows
from bot.banks.loader import load_banks
from bot.banks.schema import Question
from bot.domain.text_grading import grade_text, normalise_answer

STATUS = Question(
    id="t-text-001",
    type="text",
    question="Which code means Not Found?",
    accepted=("404",),
    patterns=(r"404( not found)?",),
    explanation="404",
)
FLAG = Question(
    id="t-text-002",
    type="text",
    question="Which git branch flag force-deletes?",
    accepted=("-D",),
    case_sensitive=True,
    explanation="-D",
)
DATASET = """
CREATE TABLE t (id INTEGER PRIMARY KEY, v REAL, s TEXT);
INSERT INTO t VALUES (1, 1.0, 'a'), (2, 2.5, 'b'), (3, NULL, 'c');
"""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  404  ", "404"),
        ("`git   stash -u`", "git stash -u"),
        ('"HEALTHCHECK";', "healthcheck"),
        ("'404'.", "404"),
        ("“404”", "404"),
        ("", ""),
    ],
)
def test_normalise_answer(raw: str, expected: str) -> None:
    assert normalise_answer(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$ git status", "git status"),
        ("# systemctl restart nginx", "systemctl restart nginx"),
        (">>> len(words)", "len(words)"),
        ("`$ git status`.", "git status"),
        ("$ `git status`", "git status"),
        ("$HOME", "$home"),
        ("#", "#"),
    ],
)
def test_a_leading_prompt_is_not_part_of_the_answer(raw: str, expected: str) -> None:
    assert normalise_answer(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("git add .", "git add ."),
        ("git add ..", "git add .."),
        ("cd ..", "cd .."),
        ("...", "..."),
        ("`git add .`.", "git add ."),
        ("docker build -t app ./api.", "docker build -t app ./api"),
        ("ROLLBACK;;", "rollback"),
        (r"find . -exec rm {} \;", r"find . -exec rm {} \;"),
    ],
)
def test_a_dot_or_semicolon_that_belongs_to_the_answer_is_kept(raw: str, expected: str) -> None:
    assert normalise_answer(raw) == expected


def test_git_add_without_its_dot_is_not_git_add_dot() -> None:
    question = Question(
        id="t-text-003",
        type="text",
        question="Stage everything in the current directory.",
        accepted=("git add .",),
        explanation="The dot is the current directory.",
    )
    assert grade_text(question, "git add .")
    assert grade_text(question, "`git add .`.")
    assert not grade_text(question, "git add")
    assert not grade_text(question, "git add ..")


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|a)*b", r"(a|aa)+c", r"(x+x+)+y"])
def test_a_catastrophic_pattern_finishes_on_a_long_answer(pattern: str) -> None:
    # A backtracking engine takes longer than the age of the universe on these; RE2 takes
    # linear time. No timing assertion: finishing at all is the point.
    question = Question(
        id="t-text-004",
        type="text",
        question="Type many a.",
        accepted=("a",),
        patterns=(pattern,),
        explanation="Any a.",
    )
    assert not grade_text(question, "a" * 50_000 + "!")
    assert not grade_text(question, "x" * 50_000)


@pytest.mark.parametrize(
    "pattern", [r"git (?=add)\w+", r"(?<!no)t", r"(a)\1", r"404\Z", "(unclosed"]
)
def test_patterns_re2_cannot_compile_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="is not a valid RE2 regular expression"):
        Question(
            id="t-text-005",
            type="text",
            question="Which?",
            accepted=("x",),
            patterns=(pattern,),
            explanation="x",
        )


def test_patterns_match_the_whole_answer() -> None:
    assert not grade_text(STATUS, "error 404")
    assert not grade_text(STATUS, "404 not found, I think")


def test_text_answers_match_accepted_forms_and_patterns() -> None:
    assert grade_text(STATUS, "404")
    assert grade_text(STATUS, "404 NOT FOUND")
    assert not grade_text(STATUS, "4040")
    assert not grade_text(STATUS, "410")
    assert not grade_text(STATUS, "   ")


def test_case_sensitive_text_answers() -> None:
    assert grade_text(FLAG, "-D")
    assert not grade_text(FLAG, "-d")


@pytest.fixture(scope="module")
def sandbox() -> SqlSandbox:
    return SqlSandbox({"t": DATASET})


def test_rows_compare_as_multisets_unless_ordered(sandbox: SqlSandbox) -> None:
    ascending = sandbox.run("t", "SELECT id, s FROM t ORDER BY id")
    descending = sandbox.run("t", "SELECT id AS x, s AS y FROM t ORDER BY id DESC")
    assert same_rows(descending, ascending, ordered=False)
    assert not same_rows(descending, ascending, ordered=True)
    assert not same_rows(sandbox.run("t", "SELECT id FROM t"), ascending, ordered=False)


def test_integral_floats_equal_integers(sandbox: SqlSandbox) -> None:
    assert sandbox.run("t", "SELECT v FROM t WHERE id = 1").rows == ((1,),)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ATTACH DATABASE ':memory:' AS other", "ATTACH is not allowed"),
        ("PRAGMA table_info(t)", "PRAGMA is not allowed"),
        ("INSERT INTO t VALUES (9, 9, 'z')", "INSERT is not allowed"),
        ("UPDATE t SET s = 'x'", "UPDATE is not allowed"),
        ("DELETE FROM t", "DELETE is not allowed"),
        ("DROP TABLE t", "DROP is not allowed"),
        ("CREATE TABLE u (x)", "CREATE is not allowed"),
        ("WITH x AS (SELECT 1) DELETE FROM t", "only reading is allowed"),
        ("SELECT load_extension('/tmp/evil.so')", r"load_extension\(\) is not available"),
        ("SELECT 1; SELECT 2", "one statement at a time"),
        ("", "empty"),
    ],
)
def test_the_sandbox_refuses_everything_but_reading(
    sandbox: SqlSandbox, query: str, message: str
) -> None:
    with pytest.raises(SandboxError, match=message):
        sandbox.run("t", query)
    assert sandbox.run("t", "SELECT count(*) FROM t").rows == ((3,),), "the dataset is untouched"


def test_a_never_ending_recursive_query_is_stopped(sandbox: SqlSandbox) -> None:
    started = time.monotonic()
    with pytest.raises(SandboxError, match=r"ran longer than 0\.2 s"):
        sandbox.run(
            "t",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n",
            max_seconds=0.2,
        )
    assert time.monotonic() - started < 2


def test_too_many_rows_are_refused(sandbox: SqlSandbox) -> None:
    query = f"SELECT i FROM generate_series(1, {MAX_ROWS + 5}) AS g(i)"
    with pytest.raises(SandboxError, match=f"more than {MAX_ROWS} rows"):
        sandbox.run("t", query)


def test_queries_in_parallel_threads_do_not_interfere(sandbox: SqlSandbox) -> None:
    results: list[int] = []

    def count() -> None:
        results.append(int(sandbox.run("t", "SELECT count(*) FROM t").rows[0][0]))  # type: ignore[call-overload]

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [3] * 8


def sql_bank(solution: str, wrong: str, dataset: str = "tiny") -> str:
    return f"""area: demo
title: Demo
roadmap_month: 1
questions:
  - id: demo-sql-001
    type: sql
    question: List every name.
    dataset: {dataset}
    solution: "{solution}"
    wrong_queries: ["{wrong}"]
    explanation: A plain SELECT.
"""


def problems_for(tmp_path: Path, body: str) -> list[str]:
    (tmp_path / "datasets").mkdir(exist_ok=True)
    (tmp_path / "datasets" / "tiny.sql").write_text(
        "CREATE TABLE p (name TEXT); INSERT INTO p VALUES ('a'), ('b');"
    )
    (tmp_path / "demo.yaml").write_text(body)
    return [
        str(problem).replace(str(tmp_path) + "/", "") for problem in load_banks(tmp_path).problems
    ]


def test_check_banks_runs_sql_solutions_and_wrong_queries(tmp_path: Path) -> None:
    assert (
        problems_for(tmp_path, sql_bank("SELECT name FROM p", "SELECT name FROM p LIMIT 1")) == []
    )
    assert problems_for(
        tmp_path, sql_bank("SELECT name FROM p", "SELECT name FROM p ORDER BY name DESC")
    ) == [
        "demo.yaml:5: demo-sql-001: wrong query is graded right: SELECT name FROM p ORDER BY name DESC"
    ]
    assert problems_for(tmp_path, sql_bank("SELECT nme FROM p", "SELECT 1")) == [
        'demo.yaml:5: demo-sql-001: solution does not run: SQL error: Binder Error: Referenced column "nme" not found in FROM clause! Candidate bindings: "name"'
    ]
    assert problems_for(tmp_path, sql_bank("SELECT name FROM p WHERE 0", "SELECT 1")) == [
        "demo.yaml:5: demo-sql-001: solution returns no rows"
    ]
    assert problems_for(tmp_path, sql_bank("SELECT 1", "SELECT 2", dataset="nope")) == [
        "demo.yaml:5: demo-sql-001: dataset 'nope' not found in datasets/"
    ]


def test_open_and_text_questions_need_their_fields(tmp_path: Path) -> None:
    body = """area: demo
title: Demo
roadmap_month: 1
questions:
  - id: demo-open-001
    type: open
    question: Explain MVCC.
    explanation: Versions.
  - id: demo-text-001
    type: text
    question: Which code?
    explanation: This one.
    patterns: ['(unclosed']
    accepted: ['404']
"""
    problems = problems_for(tmp_path, body)
    assert (
        "demo.yaml:5: demo-open-001: an open question needs `model_answer` and `key_points`"
        in problems
    )
    assert any(
        line.startswith("demo.yaml:9: demo-text-001: pattern '(unclosed' is not a valid")
        for line in problems
    )
