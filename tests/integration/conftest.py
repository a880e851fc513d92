"""A migrated database (SQLite, then PostgreSQL) and its unit-of-work factory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.unit_of_work import UnitOfWorkFactory


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await upgrade(db)
    yield db
    await db.dispose()


@pytest.fixture
def uow(database: Database) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(database)
