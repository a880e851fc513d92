"""The SQL sandbox: what its caps cost, and how close its dialect is to PostgreSQL's.

    python bench/sql_sandbox.py [--postgres-dsn postgresql://postgres@127.0.0.1:5432/test]

1. Caps: each hostile query on a fresh worker: wall time, the refusal, and the worker's
   peak resident memory (VmHWM) over its idle footprint.
2. Costs: worker start-up, idle worker memory, the serving process's memory (DuckDB is
   never imported there), per-query latency.
3. Dialect: the bank's `sql` solutions and wrong queries and common PostgreSQL idioms, run
   on PostgreSQL (the truth) and in the sandbox (DuckDB); also through sqlglot into SQLite
   when `sqlglot` is installed (the alternative that was measured and not chosen).

Writes its figures into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._results import write_section
from bot.adapters.sql_sandbox import SOLUTION_SECONDS, SandboxError, SqlSandbox
from bot.banks.loader import load_banks
from bot.banks.location import bundled_questions_dir
from bot.banks.schema import QuestionType
from bot.domain.sql_results import QueryResult, normalise_rows, same_rows

CASES = [
    ("SQLite: zeroblob(500000000)", "SELECT zeroblob(500000000)"),
    ("SQLite: printf('%.*c', 1e9)", "SELECT length(printf('%.*c', 1000000000, 'x'))"),
    ("SQLite: randomblob(1000000000)", "SELECT length(randomblob(1000000000))"),
    ("repeat('x', 1e9)", "SELECT length(repeat('x', 1000000000))"),
    ("lpad('x', 1e9, 'y')", "SELECT length(lpad('x', 1000000000, 'y'))"),
    (
        "string_agg over 1e8 rows",
        "SELECT length(string_agg(i::text, ',')) FROM range(100000000) t(i)",
    ),
    ("list() of 1e8 rows", "SELECT len(list(i)) FROM range(100000000) t(i)"),
    (
        "sort 1e8 random rows",
        "SELECT max(i) FROM (SELECT i FROM range(100000000) t(i) ORDER BY random()) s",
    ),
    ("count(*) over 1e13 rows", "SELECT count(*) FROM range(10000000000000)"),
    (
        "endless recursive CTE",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n",
    ),
    ("cross join 1e5 x 1e5", "SELECT count(*) FROM range(100000) a, range(100000) b"),
    ("1e9 rows returned", "SELECT * FROM range(1000000000)"),
]

# (name, dataset, query, ordered): the PostgreSQL a learner of the `sql` area writes.
IDIOMS = [
    (
        "DISTINCT ON",
        "shop",
        "SELECT DISTINCT ON (customer_id) customer_id, id FROM orders WHERE customer_id IS NOT NULL ORDER BY customer_id, order_date DESC",
        True,
    ),
    (
        "::int cast (rounds)",
        "hr",
        "SELECT avg(salary)::int AS a, '42'::int + 1 AS b FROM employees",
        False,
    ),
    (
        "::numeric division",
        "hr",
        "SELECT name, salary::numeric / 3 AS third FROM employees WHERE id < 4",
        False,
    ),
    (
        "::text and ||",
        "hr",
        "SELECT id::text || '-' || name AS tag FROM employees WHERE id < 4",
        False,
    ),
    ("ILIKE", "shop", "SELECT name FROM customers WHERE name ILIKE 'a%'", False),
    ("LIKE is case-sensitive", "shop", "SELECT name FROM customers WHERE name LIKE 'a%'", False),
    (
        "string_agg ... ORDER BY",
        "shop",
        "SELECT category, string_agg(name, ', ' ORDER BY name) AS names FROM products GROUP BY category",
        False,
    ),
    (
        "date_trunc",
        "shop",
        "SELECT date_trunc('month', order_date)::date AS m, count(*) AS n FROM orders GROUP BY 1",
        False,
    ),
    (
        "EXTRACT",
        "hr",
        "SELECT EXTRACT(YEAR FROM hire_date) AS y, count(*) AS n FROM employees GROUP BY 1",
        False,
    ),
    (
        "FILTER (WHERE ...)",
        "shop",
        "SELECT count(*) FILTER (WHERE status = 'paid') AS paid, count(*) AS all_orders FROM orders",
        False,
    ),
    ("generate_series", "shop", "SELECT g FROM generate_series(1, 5) AS g", False),
    (
        "generate_series of dates",
        "shop",
        "SELECT d::date AS d FROM generate_series('2024-01-01'::date, '2024-01-05'::date, interval '1 day') AS d",
        False,
    ),
    (
        "LIMIT / OFFSET",
        "shop",
        "SELECT name FROM products ORDER BY price DESC, name LIMIT 3 OFFSET 2",
        True,
    ),
    (
        "FETCH FIRST",
        "shop",
        "SELECT name FROM products ORDER BY price DESC, name FETCH FIRST 3 ROWS ONLY",
        True,
    ),
    (
        "rank() OVER",
        "hr",
        "SELECT name, rank() OVER (PARTITION BY department_id ORDER BY salary DESC) AS r FROM employees",
        False,
    ),
    (
        "window frame",
        "shop",
        "SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM orders",
        False,
    ),
    (
        "lag()",
        "shop",
        "SELECT id, lag(order_date) OVER (ORDER BY order_date) AS p FROM orders",
        False,
    ),
    (
        "ntile()",
        "hr",
        "SELECT name, ntile(4) OVER (ORDER BY salary, id) AS q FROM employees",
        False,
    ),
    (
        "recursive CTE",
        "hr",
        "WITH RECURSIVE c(id, depth) AS (SELECT id, 0 FROM employees WHERE manager_id IS NULL UNION ALL SELECT e.id, c.depth + 1 FROM employees e JOIN c ON e.manager_id = c.id) SELECT depth, count(*) AS n FROM c GROUP BY depth",
        False,
    ),
    (
        "integer division, %",
        "hr",
        "SELECT name, salary / 1000 AS k, salary % 7 AS m FROM employees",
        False,
    ),
    (
        "round(avg(), 2)",
        "hr",
        "SELECT department_id, round(avg(salary), 2) AS a FROM employees GROUP BY department_id",
        False,
    ),
    ("NULLs last ascending", "shop", "SELECT name, city FROM customers ORDER BY city, name", True),
    (
        "NULLs first descending",
        "shop",
        "SELECT name, city FROM customers ORDER BY city DESC, name",
        True,
    ),
    (
        "NULLS FIRST",
        "shop",
        "SELECT name, city FROM customers ORDER BY city NULLS FIRST, name",
        True,
    ),
    (
        "= ANY(ARRAY[...])",
        "shop",
        "SELECT name FROM customers WHERE id = ANY(ARRAY[1, 2, 3])",
        False,
    ),
    (
        "greatest / least",
        "hr",
        "SELECT name, greatest(salary, 8000) AS g, least(salary, 8000) AS l FROM employees",
        False,
    ),
    (
        "IS DISTINCT FROM",
        "shop",
        "SELECT name FROM customers WHERE city IS DISTINCT FROM 'Paris'",
        False,
    ),
    (
        "left, substring FROM FOR, position",
        "shop",
        "SELECT left(name, 2) AS a, substring(name FROM 2 FOR 2) AS b, position('a' IN name) AS c FROM customers",
        False,
    ),
    ("concat()", "shop", "SELECT concat(name, ' from ', city) AS c FROM customers", False),
    ("|| with NULL", "shop", "SELECT name || ' from ' || city AS c FROM customers", False),
    (
        "to_char",
        "shop",
        "SELECT to_char(order_date, 'YYYY-MM') AS m, count(*) AS n FROM orders GROUP BY 1",
        False,
    ),
    (
        "date + INTERVAL",
        "shop",
        "SELECT id, (order_date + INTERVAL '7 days')::date AS due FROM orders",
        False,
    ),
    (
        "date - date",
        "hr",
        "SELECT name, DATE '2025-01-01' - hire_date AS days FROM employees",
        False,
    ),
    (
        "percentile_cont",
        "hr",
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY salary) AS med FROM employees",
        False,
    ),
    ("boolean columns", "hr", "SELECT name, salary > 8000 AS high FROM employees", False),
    (
        "bool_and",
        "hr",
        "SELECT department_id, bool_and(salary > 5000) AS ok FROM employees GROUP BY department_id",
        False,
    ),
    (
        "LATERAL",
        "shop",
        "SELECT c.name, x.id FROM customers c CROSS JOIN LATERAL (SELECT o.id FROM orders o WHERE o.customer_id = c.id ORDER BY o.order_date DESC LIMIT 1) x",
        False,
    ),
    (
        "EXCEPT",
        "shop",
        "SELECT customer_id FROM orders WHERE status = 'paid' EXCEPT SELECT customer_id FROM orders WHERE status = 'cancelled'",
        False,
    ),
    (
        "FULL JOIN",
        "hr",
        "SELECT d.name AS d, e.name AS e FROM departments d FULL JOIN employees e ON e.department_id = d.id",
        False,
    ),
    (
        "GROUP BY ROLLUP",
        "shop",
        "SELECT category, count(*) AS n FROM products GROUP BY ROLLUP (category)",
        False,
    ),
    (
        "array_agg",
        "shop",
        "SELECT category, array_length(array_agg(id), 1) AS n FROM products GROUP BY category",
        False,
    ),
    ("regex ~", "shop", "SELECT name FROM customers WHERE name ~ '^[A-C]'", False),
    ("split_part", "shop", "SELECT split_part('a,b,c', ',', 2) AS p", False),
    (
        "WITH ... MATERIALIZED",
        "hr",
        "WITH x AS MATERIALIZED (SELECT 1 AS a) SELECT a FROM x",
        False,
    ),
    (
        "GROUP BY the primary key",
        "shop",
        "SELECT c.name, count(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id",
        False,
    ),
]


def resident_kb(pid: int | str = "self") -> dict[str, int]:
    found: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found


def mib(kb: float) -> str:
    return f"{kb / 1024:.0f} MiB"


def caps(sandbox: SqlSandbox) -> tuple[list[str], int]:
    lines = [
        "| query | wall time | outcome | worker peak RSS | over idle |",
        "| --- | --- | --- | --- | --- |",
    ]
    worst = 0.0
    for name, query in CASES:
        sandbox.close()
        sandbox.run("shop", "SELECT 1")  # a fresh, warm worker
        (pid,) = sandbox.worker_pids()
        idle = resident_kb(pid)["VmHWM"]
        started = time.perf_counter()
        try:
            sandbox.run("shop", query)
            outcome = "ran"
        except SandboxError as error:
            outcome = f"refused: {error}"
        wall = time.perf_counter() - started
        worst = max(worst, wall)
        alive = sandbox.worker_pids()
        peak = (
            resident_kb(pid)["VmHWM"] if pid in alive else sandbox.worker_peak_rss_kb().get(pid, 0)
        )
        lines.append(
            f"| {name} | {wall:.2f} s | {outcome} | {mib(peak)} | {mib(max(0, peak - idle))} |"
        )
    return lines, round(worst * 1000)


def import_cost(module: str) -> tuple[float, float] | None:
    """Import time (ms) and resident memory added (KiB) in a fresh interpreter."""
    if importlib.util.find_spec(module) is None:
        return None
    code = (
        "import time, resource\n"
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() // 1024\n"
        f"before = rss(); t = time.perf_counter(); import {module}\n"
        "print((time.perf_counter() - t) * 1000, rss() - before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    milliseconds, kb = out.stdout.split()
    return float(milliseconds), float(kb)


def costs(sandbox: SqlSandbox) -> list[str]:
    serving_before = resident_kb()["VmRSS"]
    sandbox.close()
    started = time.perf_counter()
    sandbox.run("shop", "SELECT 1")
    first = time.perf_counter() - started
    (pid,) = sandbox.worker_pids()
    idle = resident_kb(pid)["VmRSS"]
    timings: list[float] = []
    for _ in range(300):
        started = time.perf_counter()
        sandbox.grade(
            "shop",
            "SELECT name FROM customers",
            "SELECT c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name",
            False,
        )
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    duck = import_cost("duckdb")
    lines = [
        "| figure | value |",
        "| --- | --- |",
        f"| first query, including the worker's start-up | {first * 1000:.0f} ms |",
        f"| one worker, idle, after loading both datasets (RSS) | {mib(idle)} |",
        f"| `import duckdb` in a fresh interpreter | {duck[0]:.0f} ms, +{mib(duck[1])} |"
        if duck
        else "| duckdb | not installed |",
        f"| serving process RSS, sandbox in use | {mib(serving_before)} (`duckdb` imported: {'duckdb' in sys.modules}) |",
        f"| grade (learner query; the solution's rows are cached): median | {statistics.median(timings):.2f} ms |",
        f"| grade: 95th percentile | {timings[int(len(timings) * 0.95)]:.2f} ms |",
    ]
    return lines


async def postgres_truth(
    dsn: str, datasets: dict[str, str], queries: list[tuple[str, str]]
) -> dict[tuple[str, str], QueryResult | str]:
    import asyncpg

    name = f"bench_sql_{os.getpid()}"
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    await admin.execute(f'CREATE DATABASE "{name}"')
    connection = await asyncpg.connect(dsn.rsplit("/", 1)[0] + "/" + name)
    results: dict[tuple[str, str], QueryResult | str] = {}
    try:
        for dataset, script in datasets.items():
            await connection.execute(
                f'CREATE SCHEMA "{dataset}"; SET search_path TO "{dataset}";\n{script}'
            )
        for dataset, query in queries:
            try:
                await connection.execute(f'SET search_path TO "{dataset}"')
                statement = await connection.prepare(query)
                records = await statement.fetch()
                columns = tuple(attribute.name for attribute in statement.get_attributes())
                results[dataset, query] = QueryResult(
                    columns, normalise_rows([tuple(r) for r in records])
                )
            except asyncpg.PostgresError as error:
                results[dataset, query] = f"error: {error}"
    finally:
        await connection.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return results


def sqlglot_engine(datasets: dict[str, str]) -> Callable[[str, str], QueryResult] | None:
    if importlib.util.find_spec("sqlglot") is None:
        return None
    import sqlglot

    databases = {}
    for name, script in datasets.items():
        connection = sqlite3.connect(":memory:")
        connection.executescript(script)
        databases[name] = connection

    def run(dataset: str, query: str) -> QueryResult:
        translated = sqlglot.transpile(query, read="postgres", write="sqlite")[0]
        cursor = databases[dataset].execute(translated)
        rows = cursor.fetchmany(501)
        return QueryResult(tuple(d[0] for d in cursor.description), normalise_rows(rows))

    return run


def dialect(sandbox: SqlSandbox, dsn: str) -> tuple[list[str], dict[str, int]]:
    result = load_banks(bundled_questions_dir())
    datasets = dict(result.catalog.datasets)
    questions = [q for q in result.catalog.questions() if q.type is QuestionType.SQL]
    bank = [
        (q.dataset or "", q.solution or "", q.ordered, list(q.wrong_queries)) for q in questions
    ]
    queries = [(d, s) for d, s, _, wrongs in bank for s in [s, *wrongs]]
    queries += [(d, q) for _, d, q, _ in IDIOMS]
    truth = asyncio.run(postgres_truth(dsn, datasets, queries))
    engines: dict[str, Callable[[str, str], QueryResult]] = {
        "sandbox (DuckDB)": lambda d, q: sandbox.run(d, q, SOLUTION_SECONDS)
    }
    alternative = sqlglot_engine(datasets)
    if alternative:
        engines["sqlglot → SQLite"] = alternative
    scores: dict[str, int] = {}
    lines: list[str] = []
    header = "| idiom | " + " | ".join(engines) + " |"
    table = [header, "| --- |" + " --- |" * len(engines)]
    for engine_name, engine in engines.items():
        agree = 0
        for dataset, solution, ordered, wrongs in bank:
            expected = truth[dataset, solution]
            try:
                ours = engine(dataset, solution)
                if isinstance(expected, QueryResult) and same_rows(ours, expected, ordered):
                    agree += 1
            except Exception:
                pass
            for wrong in wrongs:
                try:
                    mine = engine(dataset, wrong)
                    reference = engine(dataset, solution)
                    graded_wrong = not same_rows(mine, reference, ordered)
                except Exception:
                    graded_wrong = False
                if graded_wrong:
                    agree += 1
        scores[f"{engine_name}: bank"] = agree
    total_bank = sum(1 + len(wrongs) for *_, wrongs in bank)
    idiom_scores = dict.fromkeys(engines, 0)
    for name, dataset, query, ordered in IDIOMS:
        cells = []
        expected = truth[dataset, query]
        for engine_name, engine in engines.items():
            try:
                ours = engine(dataset, query)
                ok = isinstance(expected, QueryResult) and same_rows(ours, expected, ordered)
                cells.append("same" if ok else "different rows")
            except Exception as error:
                ok = False
                message = str(error).splitlines()[0]
                cells.append(f"error: {message[:70]}".replace("|", "\\|"))
            idiom_scores[engine_name] += ok
        table.append(f"| {name} | " + " | ".join(cells) + " |")
    for engine_name in engines:
        lines.append(
            f"- {engine_name}: bank {scores[f'{engine_name}: bank']}/{total_bank} "
            f"(solutions give PostgreSQL's rows, wrong queries are graded wrong); "
            f"idioms {idiom_scores[engine_name]}/{len(IDIOMS)} give PostgreSQL's rows"
        )
    return [*lines, "", *table], {"idioms": len(IDIOMS), "bank": total_bank}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres-dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    datasets = {p.stem: p.read_text() for p in (bundled_questions_dir() / "datasets").glob("*.sql")}
    sandbox = SqlSandbox(datasets)
    cap_lines, worst = caps(sandbox)
    print("\n".join(cap_lines))
    cost_lines = costs(sandbox)
    print("\n".join(cost_lines))
    dialect_lines, _ = dialect(sandbox, args.postgres_dsn)
    print("\n".join(dialect_lines))
    sqlglot = import_cost("sqlglot")
    engines = [
        f"- `import duckdb`: {d[0]:.0f} ms, +{mib(d[1])} resident (in the worker only)"
        for d in [import_cost("duckdb")]
        if d
    ] + [
        f"- `import sqlglot`: {sqlglot[0]:.0f} ms, +{mib(sqlglot[1])} resident"
        if sqlglot
        else "- sqlglot: not installed here (`pip install sqlglot` to measure it too)"
    ]
    sandbox.close()
    body = "\n".join(
        [
            f"Command: `python bench/sql_sandbox.py` ({date.today().isoformat()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()})",
            "",
            "### Caps: each hostile query on a fresh worker",
            "",
            *cap_lines,
            "",
            f"Slowest refusal: {worst} ms (learner budget 0.5 s; the parent kills a worker "
            "that has not answered 1 s after that).",
            "",
            "### Costs",
            "",
            *cost_lines,
            "",
            "### Dialect: the same queries on PostgreSQL 15 and in each engine",
            "",
            *engines,
            *dialect_lines,
        ]
    )
    write_section("SQL sandbox", body)


if __name__ == "__main__":
    main()
