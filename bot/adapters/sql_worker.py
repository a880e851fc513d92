"""The SQL sandbox's worker process: runs learners' PostgreSQL-dialect queries in DuckDB.

It runs in a process of its own (started by `bot.adapters.sql_sandbox`), so that a query
that needs too much memory or time is stopped without touching the bot: before every query
the worker lowers its own address-space limit to what it uses now plus a fixed headroom, a
watchdog thread interrupts DuckDB at the deadline, and the parent kills the whole process if
it does not answer in time. DuckDB is imported here only, never in the serving process.

Requests and answers are JSON over a `multiprocessing` pipe (never pickle: nothing the
worker sends can run code in the bot).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import re
import resource
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from bot.domain.sql_results import normalise_value

MB = 1024 * 1024


@dataclass(frozen=True)
class WorkerLimits:
    memory_headroom_mb: int
    duckdb_memory_mb: int
    max_datasets: int = 32


class Refused(Exception):
    """A learner-facing reason the query did not run."""


# PostgreSQL's behaviour where DuckDB's default differs, and nothing outside the dataset:
# no files, no extensions, no settings changed by a query.
_SETTINGS: dict[str, Any] = {
    "threads": 1,
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "integer_division": True,  # 7 / 2 = 3, as in PostgreSQL
    "default_null_order": "nulls_last_on_asc_first_on_desc",  # PostgreSQL's NULL order
    "max_expression_depth": 200,
}
_AFFINITY = (("INT", "BIGINT"), ("CHAR", "VARCHAR"), ("CLOB", "VARCHAR"), ("TEXT", "VARCHAR"))
_AFFINITY_REAL = ("REAL", "FLOA", "DOUB")
_FUNCTION_MISSING = re.compile(
    r'(?:Scalar|Table|Aggregate) Function with name "?(\w+)"? does not exist'
)
_TYPE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?")
_LEADING_COMMENTS = re.compile(r"^(\s+|--[^\n]*(\n|$)|/\*.*?\*/)*", re.DOTALL)


def _memory_in_use() -> int:
    """Bytes of address space mapped now (VmSize): the base the per-query limit is set above."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _resident_kb() -> tuple[int, int]:
    """Resident memory now and at its peak (VmRSS, VmHWM), in KiB."""
    found: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found.get("VmRSS", 0), found.get("VmHWM", 0)


TRIM_ABOVE_IDLE_KB = 16 * 1024


def _memory_release() -> Callable[[], None]:
    """glibc's malloc_trim(0), or nothing where there is no glibc."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int

    def release() -> None:
        trim(0)

    return release


class _Watchdog:
    """One long-lived thread that interrupts the running query at its deadline (a thread per
    query would map a fresh stack under the memory limit)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._target: Any = None
        self._deadline: float | None = None
        self.fired = False
        threading.Thread(target=self._loop, name="sql-watchdog", daemon=True).start()

    def arm(self, connection: Any, seconds: float) -> None:
        with self._condition:
            self._target, self._deadline, self.fired = connection, time.monotonic() + seconds, False
            self._condition.notify()

    def disarm(self) -> None:
        with self._condition:
            self._target, self._deadline = None, None

    def _loop(self) -> None:
        with self._condition:
            while True:
                if self._deadline is None:
                    self._condition.wait()
                    continue
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._condition.wait(remaining)
                    continue
                self.fired = True
                self._target.interrupt()
                self._target, self._deadline = None, None


def _affinity_type(declared: str, values: list[object]) -> str:
    """SQLite's affinity rules for a declared type DuckDB does not know, and the values
    themselves when a column has no type at all."""
    upper = declared.upper()
    for marker, duck in _AFFINITY:
        if marker in upper:
            return duck
    if any(marker in upper for marker in _AFFINITY_REAL):
        return "DOUBLE"
    present = [value for value in values if value is not None]
    if present and all(isinstance(value, int) for value in present):
        return "BIGINT"
    if present and all(isinstance(value, int | float) for value in present):
        return "DOUBLE"
    if present and all(isinstance(value, bytes) for value in present):
        return "BLOB"
    return "VARCHAR"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def open_database(duckdb: Any, limits: WorkerLimits) -> Any:
    """The worker's one DuckDB database (each further instance would cost ~5 MB); datasets
    live in schemas of their own."""
    config = {**_SETTINGS, "memory_limit": f"{limits.duckdb_memory_mb}MB"}
    database = duckdb.connect(":memory:", config=config)
    database.execute("SET lock_configuration = true")
    return database


def load_dataset(duckdb: Any, database: Any, schema: str, script: str) -> Any:
    """Runs the dataset's SQLite script in SQLite and copies its tables into a new schema with
    the same column types (constraints are left out: queries only read). Returns a cursor
    whose search path is that schema."""
    source = sqlite3.connect(":memory:")
    try:
        source.executescript(script)
        tables = [
            str(row[0])
            for row in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        database.execute(f"CREATE SCHEMA {_quote(schema)}")
        for table in tables:
            info = source.execute("SELECT * FROM pragma_table_info(?)", (table,)).fetchall()
            rows = source.execute(f"SELECT * FROM {_quote(table)}").fetchall()
            columns = []
            for index, (_cid, name, declared, *_rest) in enumerate(info):
                values = [row[index] for row in rows]
                declared = str(declared or "")
                duck = _affinity_type(declared, values)
                if _TYPE_NAME.fullmatch(declared):
                    try:  # a type PostgreSQL and DuckDB share (INTEGER, TEXT, DATE, NUMERIC(10, 2))
                        database.execute(f"SELECT CAST(NULL AS {declared})")
                        duck = declared
                    except duckdb.Error:
                        pass
                columns.append(f"{_quote(str(name))} {duck}")
            target = f"{_quote(schema)}.{_quote(table)}"
            database.execute(f"CREATE TABLE {target} ({', '.join(columns)})")
            if rows:
                marks = ", ".join("?" * len(info))
                database.executemany(f"INSERT INTO {target} VALUES ({marks})", rows)
    except BaseException:
        database.execute(f"DROP SCHEMA IF EXISTS {_quote(schema)} CASCADE")
        raise
    finally:
        source.close()
    cursor = database.cursor()
    cursor.execute(f"SET search_path = '{schema}'")
    return cursor


# Statements other than reading ones, named in a refusal even when they do not parse.
_STATEMENTS = frozenset(
    [
        "INSERT",
        "UPDATE",
        "DELETE",
        "MERGE",
        "REPLACE",
        "UPSERT",
        "TRUNCATE",
        "CREATE",
        "DROP",
        "ALTER",
        "ATTACH",
        "DETACH",
        "PRAGMA",
        "SET",
        "RESET",
        "COPY",
        "INSTALL",
        "LOAD",
        "CALL",
        "EXPORT",
        "IMPORT",
        "VACUUM",
        "CHECKPOINT",
        "BEGIN",
        "START",
        "COMMIT",
        "END",
        "ROLLBACK",
        "ABORT",
        "GRANT",
        "REVOKE",
        "EXPLAIN",
        "USE",
        "PIVOT",
        "UNPIVOT",
        "PREPARE",
        "EXECUTE",
        "DEALLOCATE",
    ]
)
_READING = frozenset({"SELECT", "WITH", "VALUES", "FROM", "TABLE", "(", "SELECT("})


def _keyword(query: str) -> str:
    stripped = _LEADING_COMMENTS.sub("", query, count=1)
    return (stripped.split(maxsplit=1) or ["?"])[0].rstrip(";(").upper()


def _refusal_for(keyword: str) -> str:
    if keyword in {"ATTACH", "DETACH"}:
        return f"{keyword} is not allowed: queries run on the question's dataset only"
    if keyword in _READING:
        return "only reading is allowed: no INSERT, UPDATE, DELETE or schema changes"
    return f"{keyword} is not allowed: the sandbox runs reading queries only (SELECT or WITH)"


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines()]
    kept: list[str] = []
    for line in lines:
        if line.startswith("LINE ") or line.startswith("Possible solutions"):
            break
        if line:
            kept.append(line)
    text = " ".join(kept) or type(error).__name__
    return text if len(text) <= 300 else text[:299] + "…"


class Engine:
    """DuckDB databases built from the dataset scripts, and the rules a query runs under."""

    def __init__(self, limits: WorkerLimits) -> None:
        import duckdb

        self._duckdb = duckdb
        self._limits = limits
        self._database_ = open_database(duckdb, limits)
        self._datasets: OrderedDict[str, Any] = OrderedDict()
        self._watchdog = _Watchdog()
        _, self._hard_limit = resource.getrlimit(resource.RLIMIT_AS)

    def _database(self, key: str, script: str) -> Any:
        cursor = self._datasets.get(key)
        if cursor is None:
            schema = f"dataset_{key[:16]}"
            try:
                cursor = load_dataset(self._duckdb, self._database_, schema, script)
            except (sqlite3.Error, self._duckdb.Error) as error:
                raise Refused(f"the dataset does not load: {_first_line(error)}") from None
            self._datasets[key] = cursor
            while len(self._datasets) > self._limits.max_datasets:
                old_key, old = self._datasets.popitem(last=False)
                old.close()
                self._database_.execute(f'DROP SCHEMA "dataset_{old_key[:16]}" CASCADE')
        self._datasets.move_to_end(key)
        return cursor

    def _check_statement(self, query: str) -> None:
        duckdb = self._duckdb
        try:
            statements = duckdb.extract_statements(query)
        except duckdb.Error as error:
            keyword = _keyword(query)
            if keyword in _STATEMENTS:  # `CREATE TABLE u (x)`: say what is refused, not why
                raise Refused(_refusal_for(keyword)) from None
            raise Refused(f"SQL error: {_first_line(error)}") from None
        if len(statements) != 1:
            raise Refused("send one statement at a time")
        if statements[0].type != duckdb.StatementType.SELECT:
            raise Refused(_refusal_for(_keyword(query)))

    def _limit_memory(self) -> None:
        soft = _memory_in_use() + self._limits.memory_headroom_mb * MB
        if self._hard_limit != resource.RLIM_INFINITY:
            soft = min(soft, self._hard_limit)
        resource.setrlimit(resource.RLIMIT_AS, (soft, self._hard_limit))

    def _lift_memory_limit(self) -> None:
        resource.setrlimit(resource.RLIMIT_AS, (self._hard_limit, self._hard_limit))

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        query = str(request["query"])
        max_rows, max_chars = int(request["max_rows"]), int(request["max_chars"])
        seconds = float(request["max_seconds"])
        database = self._database(str(request["dataset"]), str(request["script"]))
        self._check_statement(query)
        duckdb = self._duckdb
        database.execute("BEGIN TRANSACTION READ ONLY")
        self._limit_memory()
        self._watchdog.arm(database, seconds)
        try:
            cursor = database.execute(query)
            rows = cursor.fetchmany(max_rows + 1)
            columns = [str(column[0]) for column in cursor.description or ()]
        except duckdb.InterruptException:
            raise Refused(f"the query ran longer than {seconds:g} s and was stopped") from None
        except (duckdb.OutOfMemoryException, MemoryError):
            raise Refused(self._memory_message()) from None
        except duckdb.PermissionException:
            raise Refused(
                "files and extensions are out of reach: queries run on the question's dataset only"
            ) from None
        except duckdb.Error as error:
            if self._watchdog.fired:
                raise Refused(f"the query ran longer than {seconds:g} s and was stopped") from None
            if "memory" in str(error).lower() and "allocat" in str(error).lower():
                raise Refused(self._memory_message()) from None
            missing = _FUNCTION_MISSING.search(str(error))
            if missing:
                raise Refused(f"the function {missing.group(1)}() is not available here") from None
            raise Refused(f"SQL error: {_first_line(error)}") from None
        finally:
            self._watchdog.disarm()
            self._lift_memory_limit()
            with contextlib.suppress(duckdb.Error):
                database.execute("ROLLBACK")
        if len(rows) > max_rows:
            raise Refused(
                f"the query returns more than {max_rows} rows; the answer needs far fewer"
            )
        cells = [[normalise_value(value) for value in row] for row in rows]
        size = sum(len(str(cell)) for row in cells for cell in row)
        if size > max_chars:
            raise Refused(
                f"the result is longer than {max_chars:,} characters; the answer needs far fewer"
            )
        return {"ok": True, "columns": columns, "rows": cells}

    def _memory_message(self) -> str:
        return (
            f"the query needs too much memory (over the sandbox's {self._limits.memory_headroom_mb} MB) "
            "and was stopped"
        )


def serve(connection: Connection, limits: WorkerLimits) -> None:
    """The worker's loop: one request at a time until the pipe closes or `stop` arrives."""
    try:
        engine = Engine(limits)
        engine.run(
            {
                "dataset": "-",
                "script": "CREATE TABLE warm (x INTEGER); INSERT INTO warm VALUES (1);",
                "query": "SELECT x FROM warm",
                "max_rows": 1,
                "max_chars": 10,
                "max_seconds": 5,
            }
        )
    except Exception as error:  # the parent reports it; there is nothing to serve with
        connection.send_bytes(json.dumps({"ok": False, "error": str(error)}).encode())
        return
    rss_kb, peak_rss_kb = _resident_kb()
    idle_kb = rss_kb
    release = _memory_release()
    ready = {"ok": True, "ready": True, "rss_kb": rss_kb, "peak_rss_kb": peak_rss_kb}
    connection.send_bytes(json.dumps(ready).encode())
    while True:
        try:
            request = json.loads(connection.recv_bytes())
        except (EOFError, OSError):
            return
        if request.get("stop"):
            return
        try:
            answer = engine.run(request)
        except Refused as refusal:
            answer = {"ok": False, "error": str(refusal)}
        except MemoryError:
            answer = {"ok": False, "error": engine._memory_message()}
        rss_kb, peak_rss_kb = _resident_kb()
        if rss_kb > idle_kb + TRIM_ABOVE_IDLE_KB:
            release()  # what a big query freed goes back to the system, not kept for reuse
            rss_kb = _resident_kb()[0]
        answer["rss_kb"], answer["peak_rss_kb"] = rss_kb, peak_rss_kb
        connection.send_bytes(json.dumps(answer).encode())


def main(argv: list[str]) -> None:
    """`python -m bot.adapters.sql_worker FD LIMITS`: serve on the inherited socket."""
    limits = WorkerLimits(**json.loads(argv[1]))
    serve(Connection(int(argv[0])), limits)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
