from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.devserver import BotApiServer
from bot.domain.clock import FakeClock
from tests.conftest import DEMO_BANKS
from tests.e2e.harness import BotHarness


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as running:
        yield running


@pytest.fixture
async def bot(server: BotApiServer, clock: FakeClock, sqlite_url: str) -> AsyncIterator[BotHarness]:
    harness = BotHarness(server, clock, sqlite_url, DEMO_BANKS)
    await harness.start()
    yield harness
    await harness.stop()
