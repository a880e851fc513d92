"""Comparing a learner's query result with the reference solution's: values in, verdict out."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

# What a result cell is once normalised: plain, hashable, JSON-safe values.
Cell = None | bool | int | float | str
Row = tuple[object, ...]


class SandboxError(Exception):
    """The query was refused or stopped; the message is safe to show to the learner."""


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class SqlVerdict:
    correct: bool
    result: QueryResult
    expected: QueryResult


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else round(value, 6)


def normalise_value(value: object) -> Cell:
    """One value as the grader compares it: `2.0` equals `2`, a numeric equals its float, a
    date equals its ISO text (PostgreSQL returns dates, SQLite text), containers become text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return _number(float(value)) if value.is_finite() else str(value)
    if isinstance(value, float):
        return _number(value) if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, Mapping):
        return json.dumps({str(key): normalise_value(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return json.dumps([normalise_value(item) for item in value])
    return str(value)


def normalise_rows(rows: Sequence[Sequence[object]]) -> tuple[Row, ...]:
    return tuple(tuple(normalise_value(value) for value in row) for row in rows)


def same_rows(result: QueryResult, expected: QueryResult, ordered: bool) -> bool:
    if len(result.columns) != len(expected.columns):
        return False
    if ordered:
        return result.rows == expected.rows
    return Counter(result.rows) == Counter(expected.rows)
