"""Column types that keep Python values honest on every backend."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, Dialect, String
from sqlalchemy.types import TypeDecorator

E = TypeVar("E", bound=StrEnum)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use the injected clock")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class OptionSet(TypeDecorator[frozenset[int]]):
    """A set of option indexes, stored as "0,2" (the empty set as "")."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: frozenset[int] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return ",".join(str(index) for index in sorted(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> frozenset[int] | None:
        if value is None:
            return None
        return frozenset(int(part) for part in str(value).split(",") if part.isdigit())


class EnumText(TypeDecorator[E], Generic[E]):
    """A StrEnum stored as its value in a plain string column (no database enum type, so a
    new member needs no migration)."""

    impl = String(16)
    cache_ok = True

    def __init__(self, enum: type[E], length: int = 16) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> Any:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)
