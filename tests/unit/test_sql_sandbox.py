"""The SQL sandbox's caps (memory, time, rows, output), its isolation and its PostgreSQL dialect."""

from __future__ import annotations

import contextlib
import os
import signal
import threading

import pytest

from bot.adapters.sql_sandbox import (
    MAX_OUTPUT_CHARS,
    MEMORY_PER_QUERY_MB,
    SandboxError,
    SqlSandbox,
)

SHOP = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id),
  order_date DATE NOT NULL, status TEXT NOT NULL, amount NUMERIC(10, 2)
);
INSERT INTO customers VALUES (1, 'Ann', 'London'), (2, 'bob', NULL), (3, 'Cid', 'Paris');
INSERT INTO orders VALUES
  (1, 1, '2024-01-05', 'paid', 10.50), (2, 1, '2024-02-09', 'paid', 20),
  (3, 2, '2024-02-20', 'cancelled', 5), (4, 3, '2024-03-01', 'paid', 7.25);
"""
MEMORY_REFUSAL = f"too much memory \\(over the sandbox's {MEMORY_PER_QUERY_MB} MB\\)"


@pytest.fixture(scope="module")
def sandbox() -> SqlSandbox:
    return SqlSandbox({"shop": SHOP})


def rows(sandbox: SqlSandbox, query: str) -> tuple[tuple[object, ...], ...]:
    return sandbox.run("shop", query).rows


def still_serves(sandbox: SqlSandbox) -> bool:
    return rows(sandbox, "SELECT count(*) FROM orders") == ((4,),)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        # Each of these ran for seconds and took gigabytes in the old in-process sandbox.
        ("SELECT zeroblob(500000000)", r"zeroblob\(\) is not available"),
        ("SELECT length(printf('%.*c', 1000000000, 'x'))", "Invalid type specifier"),
        ("SELECT length(randomblob(1000000000))", r"randomblob\(\) is not available"),
        # The same attacks in the dialect the sandbox speaks.
        ("SELECT length(repeat('x', 1000000000))", MEMORY_REFUSAL),
        ("SELECT length(repeat('x', 200000000))", MEMORY_REFUSAL),
        ("SELECT length(string_agg(i::text, ',')) FROM range(100000000) t(i)", MEMORY_REFUSAL),
        ("SELECT len(list(i)) FROM range(100000000) t(i)", MEMORY_REFUSAL),
        # One long call: stopped by the memory cap or, between its chunks, by the deadline.
        ("SELECT length(lpad('x', 1000000000, 'y'))", f"{MEMORY_REFUSAL}|ran longer than"),
    ],
)
def test_queries_that_need_too_much_memory_are_refused(
    sandbox: SqlSandbox, query: str, message: str
) -> None:
    with pytest.raises(SandboxError, match=message):
        sandbox.run("shop", query)
    assert still_serves(sandbox)


def test_a_query_within_the_memory_cap_runs(sandbox: SqlSandbox) -> None:
    assert rows(sandbox, "SELECT length(repeat('x', 1000000)) AS n") == ((1_000_000,),)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT count(*) FROM range(10000000000000)",
        "SELECT sum(i) FROM generate_series(1, 10000000000000) AS g(i)",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n",
        "SELECT count(*) FROM range(100000) a, range(100000) b",
    ],
)
def test_long_running_queries_are_stopped_at_the_deadline(sandbox: SqlSandbox, query: str) -> None:
    with pytest.raises(SandboxError, match=r"ran longer than 0\.2 s"):
        sandbox.run("shop", query, max_seconds=0.2)
    assert still_serves(sandbox)


def test_output_is_capped_in_characters(sandbox: SqlSandbox) -> None:
    with pytest.raises(SandboxError, match="result is longer than"):
        sandbox.run("shop", f"SELECT repeat('x', {MAX_OUTPUT_CHARS + 1})")
    with pytest.raises(SandboxError, match="result is longer than"):
        sandbox.run("shop", "SELECT repeat('x', 1000) FROM range(100)")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "files and extensions are out of reach"),
        ("SELECT * FROM read_text('/etc/hostname')", "files and extensions are out of reach"),
        ("SELECT * FROM glob('/*')", "files and extensions are out of reach"),
        ("COPY customers TO '/tmp/out.csv'", "COPY is not allowed"),
        ("INSTALL httpfs", "INSTALL is not allowed"),
        ("LOAD httpfs", "LOAD is not allowed"),
        ("SET threads = 8", "SET is not allowed"),
        ("CALL pragma_version()", "CALL is not allowed"),
        ("SELECT * FROM query('DROP TABLE customers')", "single SELECT statement"),
        ("-- a comment first\nDELETE FROM customers", "DELETE is not allowed"),
        ("SELEC 1", "syntax error"),
        ("SELECT nme FROM customers", 'column "nme" not found'),
    ],
)
def test_nothing_outside_the_dataset_is_reachable(
    sandbox: SqlSandbox, query: str, message: str
) -> None:
    with pytest.raises(SandboxError, match=message):
        sandbox.run("shop", query)
    assert still_serves(sandbox)
    assert rows(sandbox, "SELECT count(*) FROM customers") == ((3,),)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT DISTINCT ON (customer_id) customer_id, id FROM orders "
            "ORDER BY customer_id, order_date DESC",
            ((1, 2), (2, 3), (3, 4)),
        ),
        ("SELECT '42'::int + 1, 7 / 2, 7 % 2, 7.0 / 2", ((43, 3, 1, 3.5),)),
        ("SELECT name FROM customers WHERE name ILIKE 'b%'", (("bob",),)),
        ("SELECT name FROM customers WHERE name LIKE 'B%'", ()),
        ("SELECT string_agg(name, ', ' ORDER BY name) FROM customers", (("Ann, Cid, bob",),)),
        (
            "SELECT date_trunc('month', order_date)::date AS m, count(*) FROM orders "
            "GROUP BY 1 ORDER BY 1",
            (("2024-01-01", 1), ("2024-02-01", 2), ("2024-03-01", 1)),
        ),
        ("SELECT EXTRACT(YEAR FROM order_date) FROM orders LIMIT 1", ((2024,),)),
        ("SELECT count(*) FILTER (WHERE status = 'paid') FROM orders", ((3,),)),
        ("SELECT g FROM generate_series(1, 3) AS g", ((1,), (2,), (3,))),
        ("SELECT id FROM orders ORDER BY id LIMIT 2 OFFSET 1", ((2,), (3,))),
        (
            "SELECT name, city FROM customers ORDER BY city",
            (("Ann", "London"), ("Cid", "Paris"), ("bob", None)),
        ),
        ("SELECT name FROM customers ORDER BY city DESC LIMIT 1", (("bob",),)),
        ("SELECT sum(amount) FROM orders", ((42.75,),)),
        (
            "SELECT id, rank() OVER (PARTITION BY customer_id ORDER BY order_date DESC) "
            "FROM orders ORDER BY id",
            ((1, 2), (2, 1), (3, 1), (4, 1)),
        ),
        (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) "
            "SELECT sum(i) FROM n",
            ((6,),),
        ),
        ("SELECT order_date FROM orders WHERE id = 1", (("2024-01-05",),)),
        ("SELECT (DATE '2024-03-01' - order_date) FROM orders WHERE id = 1", ((56,),)),
    ],
)
def test_postgresql_idioms_run_as_in_postgresql(
    sandbox: SqlSandbox, query: str, expected: tuple[tuple[object, ...], ...]
) -> None:
    assert rows(sandbox, query) == expected


def test_a_worker_that_dies_is_replaced(sandbox: SqlSandbox) -> None:
    assert still_serves(sandbox)
    for pid in sandbox.worker_pids():
        os.kill(pid, signal.SIGKILL)
    assert still_serves(sandbox)


def test_a_worker_that_stops_answering_is_killed_and_replaced(sandbox: SqlSandbox) -> None:
    assert still_serves(sandbox)
    stuck = sandbox.worker_pids()
    for pid in stuck:
        os.kill(pid, signal.SIGSTOP)
    try:
        with pytest.raises(SandboxError, match=r"ran longer than 0\.1 s"):
            sandbox.run("shop", "SELECT 1", max_seconds=0.1)
    finally:
        for pid in stuck:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    assert still_serves(sandbox)
    assert set(stuck) - set(sandbox.worker_pids()), "the stuck worker was replaced"


def test_close_stops_the_workers_and_a_later_query_starts_them_again(
    sandbox: SqlSandbox,
) -> None:
    assert still_serves(sandbox)
    running = sandbox.worker_pids()
    assert running
    sandbox.close()
    assert sandbox.worker_pids() == []
    for pid in running:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert still_serves(sandbox)


def test_a_slow_query_does_not_hold_up_another_learner(sandbox: SqlSandbox) -> None:
    outcomes: dict[str, object] = {}

    def endless() -> None:
        try:
            rows(sandbox, "SELECT count(*) FROM range(10000000000000)")
        except SandboxError as error:
            outcomes["endless"] = str(error)

    def quick() -> None:
        outcomes["quick"] = rows(sandbox, "SELECT name FROM customers WHERE id = 1")

    threads = [threading.Thread(target=endless), threading.Thread(target=quick)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "ran longer than" in str(outcomes["endless"])
    assert outcomes["quick"] == (("Ann",),)


def test_sandboxes_with_different_datasets_share_the_workers() -> None:
    first = SqlSandbox({"a": "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);"})
    second = SqlSandbox({"a": "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (2);"})
    assert first.run("a", "SELECT x FROM t").rows == ((1,),)
    assert second.run("a", "SELECT x FROM t").rows == ((2,),)
    assert first.run("a", "SELECT x FROM t").rows == ((1,),)


def test_untyped_and_sqlite_only_column_types_are_mapped() -> None:
    sandbox = SqlSandbox(
        {
            "loose": "CREATE TABLE t (a, b, c STRING, d DATETIME, e BOOLEAN);"
            "INSERT INTO t VALUES (1, 2.5, 'x', '2024-01-02 03:04:05', 1);"
        }
    )
    assert sandbox.run("loose", "SELECT a + 1, b * 2, c || '!', d, e FROM t").rows == (
        (2, 5, "x!", "2024-01-02 03:04:05", True),
    )
