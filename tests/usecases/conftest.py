"""Use cases on a real SQLite file and the demo banks: plain values in, frozen views out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from random import Random

import pytest

from bot.bootstrap import build_services
from bot.config import Settings
from bot.domain.clock import FakeClock
from bot.services import Services
from bot.storage.migrate import upgrade
from tests.conftest import DEMO_BANKS


@pytest.fixture
async def services(sqlite_url: str, clock: FakeClock) -> AsyncIterator[Services]:
    settings = Settings(
        telegram_bot_token="1:x",
        database_url=sqlite_url,
        questions_dir=DEMO_BANKS,
        _env_file=None,  # type: ignore[call-arg]
    )
    built = build_services(settings, clock=clock, rng=Random(5))
    await upgrade(built.database)
    yield built
    await built.database.dispose()
