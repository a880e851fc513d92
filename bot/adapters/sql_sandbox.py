"""Runs a learner's query read-only on a small dataset in an in-memory SQLite database.

Only reading is allowed (no ATTACH, PRAGMA, writes or extension loading: SQLite's authorizer
refuses them before they run), a query is interrupted after a time budget, and results are
capped in rows. Results are compared as multisets of rows unless order matters.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Final

from bot.domain.sql_results import (
    QueryResult,
    SandboxError,
    SqlVerdict,
    normalise_rows,
    same_rows,
)

MAX_SECONDS: Final = 0.5
MAX_ROWS: Final = 500
MAX_QUERY_CHARS: Final = 4000
PROGRESS_STEPS: Final = 1000


_ALLOWED_ACTIONS = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
}
_REFUSED_FUNCTIONS = {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"}


class _Refusal:
    """SQLite's authorizer: allows reading only, and remembers why it refused."""

    def __init__(self) -> None:
        self.refused = False
        self.function: str | None = None

    def __call__(
        self,
        action: int,
        _arg1: str | None,
        arg2: str | None,
        _db: str | None,
        _trigger: str | None,
    ) -> int:
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _REFUSED_FUNCTIONS:
            self.function = self.function or arg2
        elif action in _ALLOWED_ACTIONS:
            return sqlite3.SQLITE_OK
        self.refused = True
        return sqlite3.SQLITE_DENY

    def reason(self, query: str) -> str:
        if self.function:
            return f"the function {self.function}() is not available here"
        keyword = (query.split(maxsplit=1) or ["?"])[0].upper()
        if keyword in {"ATTACH", "DETACH"}:
            return f"{keyword} is not allowed: queries run on the question's dataset only"
        if keyword in {"SELECT", "WITH", "VALUES"}:
            return "only reading is allowed: no INSERT, UPDATE, DELETE or schema changes"
        return f"{keyword} is not allowed: the sandbox runs reading queries only (SELECT or WITH)"


class SqlSandbox:
    """Holds each dataset built once; every query runs on a fresh in-memory copy of it."""

    def __init__(self, datasets: dict[str, str]) -> None:
        self._templates: dict[str, sqlite3.Connection] = {}
        # Queries run in worker threads; copying from a shared template is serialised.
        self._lock = threading.Lock()
        for name, script in datasets.items():
            template = sqlite3.connect(":memory:", check_same_thread=False)
            template.executescript(script)
            self._templates[name] = template

    @property
    def datasets(self) -> frozenset[str]:
        return frozenset(self._templates)

    def _fresh(self, dataset: str) -> sqlite3.Connection:
        template = self._templates.get(dataset)
        if template is None:
            raise SandboxError(f"unknown dataset {dataset!r}")
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        with self._lock:
            template.backup(connection)
        connection.execute("PRAGMA query_only = ON")
        return connection

    def describe(self, dataset: str) -> list[tuple[str, tuple[str, ...]]]:
        """The dataset's tables and their columns, for the question text."""
        template = self._templates.get(dataset)
        if template is None:
            return []
        with self._lock:
            tables = [
                str(row[0])
                for row in template.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            return [
                (
                    table,
                    tuple(
                        str(column[1])
                        for column in template.execute(f'PRAGMA table_info("{table}")')
                    ),
                )
                for table in tables
            ]

    def run(self, dataset: str, query: str, max_seconds: float = MAX_SECONDS) -> QueryResult:
        query = query.strip()
        if not query:
            raise SandboxError("the query is empty")
        if len(query) > MAX_QUERY_CHARS:
            raise SandboxError(f"the query is longer than {MAX_QUERY_CHARS} characters")
        connection = self._fresh(dataset)
        refusal = _Refusal()
        connection.set_authorizer(refusal)
        deadline = time.monotonic() + max_seconds
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
        try:
            cursor = connection.execute(query)
            rows = cursor.fetchmany(MAX_ROWS + 1)
            if len(rows) > MAX_ROWS:
                raise SandboxError(
                    f"the query returns more than {MAX_ROWS} rows; the answer needs far fewer"
                )
            columns = tuple(description[0] for description in cursor.description or ())
            if not columns:
                raise SandboxError("only SELECT queries are allowed")
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                raise SandboxError(
                    f"the query ran longer than {max_seconds:g} s and was stopped"
                ) from None
            if refusal.refused:
                raise SandboxError(refusal.reason(query)) from None
            raise SandboxError(f"SQLite error: {error}") from None
        except (sqlite3.Warning, sqlite3.ProgrammingError) as error:
            message = str(error)
            if "one statement" in message:
                message = "send one statement at a time"
            raise SandboxError(message) from None
        except sqlite3.DatabaseError as error:
            if refusal.refused:
                raise SandboxError(refusal.reason(query)) from None
            raise SandboxError(f"SQLite error: {error}") from None
        finally:
            connection.close()
        return QueryResult(columns, normalise_rows(rows))

    def grade(self, dataset: str, solution: str, query: str, ordered: bool) -> SqlVerdict:
        """Runs both queries; raises SandboxError when the learner's query cannot run."""
        expected = self.run(dataset, solution, max_seconds=max(MAX_SECONDS, 2.0))
        result = self.run(dataset, query)
        return SqlVerdict(same_rows(result, expected, ordered), result, expected)


__all__ = ["MAX_ROWS", "QueryResult", "SandboxError", "SqlSandbox", "SqlVerdict", "same_rows"]
