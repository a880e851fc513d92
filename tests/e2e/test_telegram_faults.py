"""Telegram errors (429, 403, 5xx, timeouts) get handled, lose no data and keep the bot serving."""

from __future__ import annotations

import logging

import pytest

from bot.devserver import BotApiServer
from bot.domain.clock import FakeClock
from bot.logging_setup import configure_logging
from tests.conftest import DEMO_BANKS
from tests.e2e.harness import TEST_TOKEN, BotHarness


async def test_429_is_retried_after_the_wait(bot: BotHarness, server: BotApiServer) -> None:
    server.fail("sendMessage", 429, retry_after=1)
    alice = bot.user()
    alice.send("/start")
    reply = await alice.reply(timeout=10)
    assert "Hi Alice" in reply.result["text"]
    attempts = [call for call in server.calls_to("sendMessage")]
    assert [call.ok for call in attempts] == [False, True]
    assert attempts[1].at - attempts[0].at >= 0.9, "the retry waited for retry_after"


async def test_5xx_after_an_answer_keeps_the_answer(bot: BotHarness, server: BotApiServer) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    server.fail("editMessageText", 502)
    alice.press("A")
    apology = await alice.reply()
    assert "something went wrong" in apology.result["text"]
    assert "Bad Gateway" not in apology.result["text"]
    alice.send("/stats")
    assert "Total: 1/1 correct" in (await alice.reply()).result["text"]


async def test_403_marks_the_user_inactive_and_a_new_message_restores_them(
    bot: BotHarness, server: BotApiServer
) -> None:
    alice = bot.user()
    alice.send("/start")
    await alice.reply()
    server.fail("sendMessage", 403)
    alice.send("/help")
    await server.wait_for(lambda call: call.method == "sendMessage" and not call.ok)
    await alice.no_reply(within=0.5)
    user = await bot.services.users.get(alice.id)
    assert user is not None and user.active is False
    alice.send("/start")
    await alice.reply()
    user = await bot.services.users.get(alice.id)
    assert user is not None and user.active is True


async def test_blocking_and_unblocking_via_my_chat_member(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/start")
    await alice.reply()
    alice.block_bot()
    alice.send("/stats")  # processed after the block: updates are handled in order
    await alice.reply()
    # The /stats reply proves the block was handled first.
    user = await bot.services.users.get(alice.id)
    assert user is not None and user.active is False
    alice.block_bot(blocked=False)
    alice.send("/help")
    await alice.reply()
    user = await bot.services.users.get(alice.id)
    assert user is not None and user.active is True


async def test_a_timeout_is_reported_and_the_bot_keeps_serving(
    server: BotApiServer, clock: FakeClock, sqlite_url: str
) -> None:
    harness = BotHarness(server, clock, sqlite_url, DEMO_BANKS)
    harness.read_timeout = 0.5
    await harness.start()
    try:
        server.delay("sendMessage", 1.5)
        alice = harness.user()
        alice.send("/help")
        apology = await alice.reply(timeout=10)
        # The delayed /help reply may or may not land; the apology always follows it.
        while "something went wrong" not in apology.result["text"]:
            apology = await alice.reply(timeout=10)
        alice.send("/stats")
        assert "No answers yet" in (await alice.reply(timeout=10)).result["text"]
    finally:
        await harness.stop()


async def test_get_updates_5xx_does_not_stop_polling(bot: BotHarness, server: BotApiServer) -> None:
    server.fail("getUpdates", 500, times=2)
    alice = bot.user()
    alice.send("/start")
    assert "Hi Alice" in (await alice.reply(timeout=15)).result["text"]


async def test_the_token_never_appears_in_logs(
    bot: BotHarness, capfd: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    try:
        configure_logging("DEBUG", TEST_TOKEN)
        logging.getLogger("telegram").debug(
            "Set Bot API URL: %s", bot.settings.telegram_api_base_url + TEST_TOKEN
        )
        alice = bot.user()
        alice.send("/start")
        await alice.reply()
        logging.getLogger("test").error(
            "boom", exc_info=RuntimeError(f"url .../bot{TEST_TOKEN}/getMe")
        )
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
    captured = capfd.readouterr()
    output = captured.out + captured.err
    assert "getUpdates" in output, "DEBUG logging was captured"
    assert "<token>" in output
    assert TEST_TOKEN not in output
    assert TEST_TOKEN.split(":")[1] not in output
