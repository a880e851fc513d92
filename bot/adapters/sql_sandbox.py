"""Runs a learner's PostgreSQL-dialect query read-only on a small dataset, in a worker process.

The queries run in DuckDB (a PostgreSQL-like dialect: `DISTINCT ON`, `::int`, `ILIKE`,
`string_agg`, `date_trunc`, `FILTER`, `generate_series`) inside a small pool of long-lived
worker processes (`bot.adapters.sql_worker`), never in the bot's own process. Every query is
capped: one SELECT statement of at most `MAX_QUERY_CHARS`, a wall-clock budget (DuckDB is
interrupted at the deadline; a worker that still does not answer is killed and replaced),
`MEMORY_PER_QUERY_MB` of memory over the worker's idle footprint (its address-space limit),
`MAX_ROWS` rows and `MAX_OUTPUT_CHARS` characters of output, no files, no extensions and no
settings. Over a limit, `SandboxError` carries a message for the learner. Results are
compared as multisets of rows unless order matters (`bot.domain.sql_results`).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from hashlib import sha256
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from bot.adapters.sql_worker import WorkerLimits
from bot.domain.sql_results import (
    QueryResult,
    SandboxError,
    SqlVerdict,
    same_rows,
)

MAX_SECONDS: Final = 0.5
SOLUTION_SECONDS: Final = 2.0
MAX_ROWS: Final = 500
MAX_QUERY_CHARS: Final = 4000
MAX_OUTPUT_CHARS: Final = 50_000
MEMORY_PER_QUERY_MB: Final = 64
# DuckDB's own accounting stops most big queries with a clear error before the hard limit.
DUCKDB_MEMORY_MB: Final = 48
WORKERS: Final = 2
# Beyond a query's own budget: how long the parent waits before it kills the worker.
ANSWER_GRACE_SECONDS: Final = 1.0
# How long a query waits for a free worker, and a new worker for DuckDB to import.
ACQUIRE_SECONDS: Final = 5.0
START_SECONDS: Final = 20.0
# A worker is replaced after this many queries or once it holds this much memory.
RECYCLE_AFTER_QUERIES: Final = 2000
RECYCLE_ABOVE_RSS_MB: Final = 256
# A second worker that has had nothing to do for this long is stopped (the first one stays).
IDLE_SECONDS: Final = 120.0

_LIMITS = WorkerLimits(memory_headroom_mb=MEMORY_PER_QUERY_MB, duckdb_memory_mb=DUCKDB_MEMORY_MB)
# The folder that holds the `bot` package, so the worker imports this very copy of it.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class _Worker:
    """One worker process (`python -m bot.adapters.sql_worker`) and the parent's end of a
    socket pair to it. Not `multiprocessing`'s spawn: that re-runs the main script in the
    child, which breaks under any script without a `__main__` guard."""

    def __init__(self, generation: int) -> None:
        self.generation = generation
        self.queries = 0
        self.rss_kb = 0
        self.peak_rss_kb = 0
        ours, theirs = socket.socketpair()
        environment = dict(os.environ)
        # One malloc arena: glibc otherwise reserves 64 MB of address space per thread up
        # front, and memory taken from those reservations would slip past the worker's
        # address-space limit (RLIMIT_AS).
        environment["MALLOC_ARENA_MAX"] = "1"
        environment["PYTHONPATH"] = os.pathsep.join(
            part for part in (_PACKAGE_ROOT, environment.get("PYTHONPATH")) if part
        )
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bot.adapters.sql_worker",
                    str(theirs.fileno()),
                    json.dumps(asdict(_LIMITS)),
                ],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env=environment,
                close_fds=True,
            )
        except OSError as error:
            ours.close()
            raise SandboxError(f"the SQL sandbox is not available ({error})") from None
        finally:
            theirs.close()
        self._pipe = Connection(ours.detach())
        self.idle_since = time.monotonic()
        self.hung_up = False
        ready = self._receive(START_SECONDS)
        if ready is None or not ready.get("ready"):
            self.kill()
            reason = ready.get("error") if ready else "it did not start"
            raise SandboxError(f"the SQL sandbox is not available ({reason})")
        self.rss_kb = int(ready.get("rss_kb", 0))
        self.peak_rss_kb = int(ready.get("peak_rss_kb", 0))

    @property
    def alive(self) -> bool:
        return not self.hung_up and self.process.poll() is None

    @property
    def pid(self) -> int:
        return self.process.pid

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        connection: Connection = self._pipe
        try:
            if not connection.poll(timeout):
                return None
            answer: dict[str, Any] = json.loads(connection.recv_bytes())
        except (EOFError, OSError, ValueError):
            self.hung_up = True  # it died (its end closes before it can be reaped)
            return None
        return answer

    def ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        """The worker's answer, or None when it died or did not answer in time."""
        try:
            self._pipe.send_bytes(json.dumps(request).encode())
        except OSError:
            self.hung_up = True
            return None
        self.queries += 1
        answer = self._receive(timeout)
        if answer is not None:
            self.rss_kb = int(answer.get("rss_kb", 0))
            self.peak_rss_kb = int(answer.get("peak_rss_kb", 0))
        return answer

    @property
    def worn(self) -> bool:
        return self.queries >= RECYCLE_AFTER_QUERIES or self.rss_kb > RECYCLE_ABOVE_RSS_MB * 1024

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._pipe.send_bytes(json.dumps({"stop": True}).encode())
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(1.0)
        self.kill()

    def kill(self) -> None:
        if self.alive:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(1.0)
        self._pipe.close()


class _Pool:
    """Up to `WORKERS` workers, started when a query finds none free, shared by every
    sandbox in the process: each request carries its dataset script, which the worker
    loads once and keeps."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._idle: list[_Worker] = []
        self._started = 0
        self._generation = 0
        self._all: set[_Worker] = set()
        self._condition = threading.Condition()

    def _acquire(self) -> _Worker:
        deadline = time.monotonic() + ACQUIRE_SECONDS
        with self._condition:
            while not self._idle and self._started >= self._size:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SandboxError("the SQL sandbox is busy; send the query again in a moment")
                self._condition.wait(remaining)
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
                self._all.discard(worker)  # it died while idle: replace it
                self._started -= 1
                worker.kill()
            self._started += 1
            generation = self._generation
        try:
            worker = _Worker(generation)
        except BaseException:
            with self._condition:
                self._started -= 1
                self._condition.notify()
            raise
        with self._condition:
            self._all.add(worker)
        return worker

    def _release(self, worker: _Worker, healthy: bool) -> None:
        now = time.monotonic()
        with self._condition:
            keep = healthy and not worker.worn and worker.generation == self._generation
            retired = [] if keep else [worker]
            if keep:
                worker.idle_since = now
                self._idle.append(worker)
            # Beyond the first, workers idle for IDLE_SECONDS go: each holds DuckDB's memory.
            while len(self._idle) > 1 and now - self._idle[0].idle_since > IDLE_SECONDS:
                retired.append(self._idle.pop(0))
            for gone in retired:
                self._all.discard(gone)
                if gone.generation == self._generation:
                    self._started -= 1
            self._condition.notify()
        for gone in retired:
            gone.kill() if gone is worker and not healthy else gone.stop()

    def execute(self, request: dict[str, Any], max_seconds: float) -> dict[str, Any]:
        # A worker found dead is replaced and the query tried once more: it may have died
        # before this query (killed from outside) rather than because of it.
        for attempt in range(2):
            worker = self._acquire()
            answer = worker.ask(request, max_seconds + ANSWER_GRACE_SECONDS)
            if answer is not None:
                self._release(worker, healthy=True)
                return answer
            late = not worker.hung_up and worker.alive
            self._release(worker, healthy=False)
            if late:
                raise SandboxError(f"the query ran longer than {max_seconds:g} s and was stopped")
            if attempt == 1:
                break
        raise SandboxError(
            "the query stopped the SQL sandbox (it most likely needed more than "
            f"{MEMORY_PER_QUERY_MB} MB of memory)"
        )

    def close(self) -> None:
        """Stops every worker; a later query starts new ones."""
        with self._condition:
            idle, self._idle = self._idle, []
            self._generation += 1
            self._started = 0
            for worker in idle:
                self._all.discard(worker)
            self._condition.notify_all()
        for worker in idle:
            worker.stop()

    def pids(self) -> list[int]:
        with self._condition:
            return [worker.pid for worker in self._all]

    def peak_rss_kb(self) -> dict[int, int]:
        with self._condition:
            return {worker.pid: worker.peak_rss_kb for worker in self._all}


_POOL = _Pool(WORKERS)
atexit.register(_POOL.close)


class SqlSandbox:
    """The datasets by name; queries go to the shared worker pool, started on first use."""

    def __init__(self, datasets: dict[str, str]) -> None:
        # Each script also runs here in SQLite once: it must load (check-banks reports a
        # sqlite3.Error), and the tables and columns shown with a question come from it.
        self._scripts: dict[str, tuple[str, str]] = {}
        self._tables: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._expected: dict[tuple[str, str, bool], QueryResult] = {}
        self._lock = threading.Lock()
        for name, script in datasets.items():
            self._tables[name] = _describe(script)
            self._scripts[name] = (sha256(script.encode()).hexdigest(), script)

    @property
    def datasets(self) -> frozenset[str]:
        return frozenset(self._scripts)

    def describe(self, dataset: str) -> list[tuple[str, tuple[str, ...]]]:
        """The dataset's tables and their columns, for the question text."""
        return list(self._tables.get(dataset, []))

    def run(self, dataset: str, query: str, max_seconds: float = MAX_SECONDS) -> QueryResult:
        query = query.strip()
        if not query:
            raise SandboxError("the query is empty")
        if len(query) > MAX_QUERY_CHARS:
            raise SandboxError(f"the query is longer than {MAX_QUERY_CHARS} characters")
        known = self._scripts.get(dataset)
        if known is None:
            raise SandboxError(f"unknown dataset {dataset!r}")
        key, script = known
        answer = _POOL.execute(
            {
                "dataset": key,
                "script": script,
                "query": query,
                "max_seconds": max_seconds,
                "max_rows": MAX_ROWS,
                "max_chars": MAX_OUTPUT_CHARS,
            },
            max_seconds,
        )
        if not answer.get("ok"):
            raise SandboxError(str(answer.get("error") or "the query did not run"))
        return QueryResult(
            tuple(str(column) for column in answer["columns"]),
            tuple(tuple(row) for row in answer["rows"]),
        )

    def expected(self, dataset: str, solution: str) -> QueryResult:
        """The reference solution's rows, run once and kept: they never change."""
        key = (dataset, solution, True)
        with self._lock:
            cached = self._expected.get(key)
        if cached is None:
            cached = self.run(dataset, solution, max_seconds=SOLUTION_SECONDS)
            with self._lock:
                if len(self._expected) >= 1024:
                    self._expected.clear()
                self._expected[key] = cached
        return cached

    def grade(self, dataset: str, solution: str, query: str, ordered: bool) -> SqlVerdict:
        """Runs both queries; raises SandboxError when the learner's query cannot run."""
        expected = self.expected(dataset, solution)
        result = self.run(dataset, query)
        return SqlVerdict(same_rows(result, expected, ordered), result, expected)

    def close(self) -> None:
        """Stops the worker processes (shared by every sandbox; a later query restarts them)."""
        _POOL.close()

    def worker_pids(self) -> list[int]:
        """The live workers' process ids, for benchmarks and monitoring."""
        return _POOL.pids()

    def worker_peak_rss_kb(self) -> dict[int, int]:
        """Each live worker's peak resident memory in KiB, as it last reported it."""
        return _POOL.peak_rss_kb()


def _describe(script: str) -> list[tuple[str, tuple[str, ...]]]:
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(script)
        tables = [
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return [
            (
                table,
                tuple(
                    str(column[1])
                    for column in connection.execute("SELECT * FROM pragma_table_info(?)", (table,))
                ),
            )
            for table in tables
        ]
    finally:
        connection.close()


__all__ = ["MAX_ROWS", "QueryResult", "SandboxError", "SqlSandbox", "SqlVerdict", "same_rows"]
