"""Comparing a learner's query result with the reference solution's: values in, verdict out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

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


def normalise_value(value: object) -> object:
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 6)
    if isinstance(value, bytes):
        return value.hex()
    return value


def normalise_rows(rows: Sequence[Row]) -> tuple[Row, ...]:
    return tuple(tuple(normalise_value(value) for value in row) for row in rows)


def same_rows(result: QueryResult, expected: QueryResult, ordered: bool) -> bool:
    if len(result.columns) != len(expected.columns):
        return False
    if ordered:
        return result.rows == expected.rows
    return Counter(result.rows) == Counter(expected.rows)
