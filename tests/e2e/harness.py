"""Runs the real Application against the local Bot API server over HTTP."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from random import Random

import pytest
from telegram.ext import Application

from bot.app import telegram_rate_limiter
from bot.config import Settings
from bot.devserver import BotApiServer, SimGroup, SimUser
from bot.domain.clock import FakeClock
from bot.runtime import build_services, create_application, start_polling, stop_polling
from bot.services import Services, services_of

TEST_TOKEN = "424242:TEST-TOKEN-aaaaaaaaaaaaaaaaaaaaaaaa"


class BotHarness:
    def __init__(
        self, server: BotApiServer, clock: FakeClock, database_url: str, questions_dir: Path
    ) -> None:
        self.server = server
        self.clock = clock
        self.settings = Settings(
            telegram_bot_token=TEST_TOKEN,
            telegram_api_base_url=server.base_url,
            database_url=database_url,
            questions_dir=questions_dir,
            _env_file=None,  # type: ignore[call-arg]
        )
        self.application: Application | None = None  # type: ignore[type-arg]
        self.read_timeout = 5.0
        self.group_messages_per_minute = 6000.0

    @property
    def services(self) -> Services:
        assert self.application is not None
        return services_of(self.application)

    async def start(self) -> BotHarness:
        services = build_services(self.settings, clock=self.clock, rng=Random(7))
        # Group sends are paced 20 a minute in production; tests that do not measure pacing
        # run them faster (the pacing test uses the real limiter).
        limiter = telegram_rate_limiter(group_messages_per_minute=self.group_messages_per_minute)
        self.application = create_application(
            services,
            run_sweeps=False,
            rate_limiter=limiter,
            read_timeout=self.read_timeout,
            connect_timeout=2.0,
        )
        await start_polling(self.application, poll_timeout=1)
        return self

    async def stop(self) -> None:
        if self.application is not None:
            await stop_polling(self.application)
            self.application = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def user(
        self, user_id: int = 1001, first_name: str = "Alice", username: str | None = "alice"
    ) -> SimUser:
        return SimUser(self.server, user_id, first_name, username)

    def group(self, chat_id: int = -100, title: str = "Backend study group") -> SimGroup:
        return SimGroup(self.server, chat_id, title)


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    """Waits until `check()` holds: for effects of updates that get no reply (votes, replies)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the bot did not get there in time")
        await asyncio.sleep(0.02)


def assert_no_tracebacks(caplog: pytest.LogCaptureFixture, server: BotApiServer) -> None:
    """Nothing logged an error or a traceback, and nobody was told something went wrong."""
    bad = [
        record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR
    ]
    assert not bad, [record.getMessage()[:200] for record in bad]
    assert not [call for call in server.calls_to("sendMessage") if "went wrong" in call.text]
