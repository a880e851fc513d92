"""Forged and stale presses, hostile arguments and Telegram's expected refusals: each gets a
short answer and one INFO line, never a traceback or an apology."""

from __future__ import annotations

import logging

import pytest

from bot.devserver import BotApiServer
from tests.e2e.harness import BotHarness, assert_no_tracebacks, eventually


@pytest.fixture(autouse=True)
def _info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def info_lines(caplog: pytest.LogCaptureFixture, words: str) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.INFO and words in record.getMessage().lower()
    ]


async def test_numbers_no_column_can_hold_are_refused_as_not_valid(
    bot: BotHarness, server: BotApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    question = await alice.reply()
    for data in (
        "k:99999999999999999999",
        "a:2147483648:0",
        "a:1:99",
        "g:1:7",
        "t:1:²",
        "n:NOT-A-SLUG",
        "n:demo:x",
        "f:maybe",
        "q:" + "a" * 60,
    ):
        query = alice.press_data(data, question.result)
        answer = await alice.answer_to(query)
        assert answer.params["text"] == "This button is not valid any more. /help", data
    alice.press("A")
    assert "Correct!" in (await alice.reply()).result["text"], "the real buttons still work"
    assert_no_tracebacks(caplog, server)


async def test_a_press_on_an_inaccessible_message_gets_its_verdict_anew(
    bot: BotHarness, server: BotApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    question = await alice.reply()
    data = question.buttons[0]["callback_data"]
    # Telegram sends a message older than it keeps as {chat, message_id, date: 0}.
    inaccessible = {"chat": alice.chat, "message_id": question.result["message_id"], "date": 0}
    query = alice.press_data(data, inaccessible)
    assert (await alice.answer_to(query)).params["text"] == "Correct!"
    verdict = await alice.reply()
    assert verdict.method == "sendMessage" and "Correct!" in verdict.result["text"]
    assert info_lines(caplog, "inaccessible")
    assert_no_tracebacks(caplog, server)


async def test_a_deleted_question_message_gets_its_verdict_as_a_new_message(
    bot: BotHarness, server: BotApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    server.fail("editMessageText", 400, "Bad Request: message to edit not found")
    alice.press("D")
    verdict = await alice.reply()
    assert verdict.method == "sendMessage" and "Not quite" in verdict.result["text"]
    assert info_lines(caplog, "message to edit not found")
    scores = await bot.services.progress.area_scores(alice.id)
    assert [(score.answered, score.correct) for score in scores] == [(1, 0)]
    assert_no_tracebacks(caplog, server)


async def test_a_press_too_old_to_answer_is_logged_once_and_still_counts(
    bot: BotHarness, server: BotApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    server.fail(
        "answerCallbackQuery",
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )
    alice.press("A")
    edited = await alice.reply()
    assert "Correct!" in edited.result["text"]
    [line] = info_lines(caplog, "query is too old")
    assert "\n" not in line
    assert_no_tracebacks(caplog, server)


async def test_a_toggle_on_a_message_that_is_gone_is_shrugged_off(
    bot: BotHarness, server: BotApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user()
    alice.send("/quiz demomulti")
    await alice.reply()
    server.fail("editMessageReplyMarkup", 400, "Bad Request: message to edit not found")
    query = alice.press("☐ A")
    await alice.answer_to(query)
    await server.wait_for(lambda call: call.method == "editMessageReplyMarkup")

    async def logged() -> bool:
        return bool(info_lines(caplog, "message to edit not found"))

    await eventually(logged)
    alice.press("Submit")
    assert "Not quite" in (await alice.reply()).result["text"], "the tick was kept"
    assert_no_tracebacks(caplog, server)


async def test_an_unknown_member_asking_to_stop_a_round_is_refused(
    bot: BotHarness, server: BotApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    group = bot.group()
    starter, stranger = bot.user(1001, "Alice", "alice"), bot.user(1002, "Bob", "bob")
    group.set_status(starter, "member")
    group.post(starter, "/groupquiz demo 1")
    await group.reply()
    # Bob is no member getChatMember knows: Telegram answers "member not found".
    group.post(stranger, "/stopquiz")
    while "Only whoever started" not in (reply := await group.reply()).result.get("text", ""):
        assert reply.method in {"sendPoll", "sendMessage"}, reply.method
    assert info_lines(caplog, "member not found")
    assert_no_tracebacks(caplog, server)


async def test_hostile_arguments_get_short_replies(
    bot: BotHarness, server: BotApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user()
    long_word = "x" * 3000
    for command in (
        f"/checkin {long_word}",
        f"/checkin 08:30 {long_word}",
        f"/checkin pause {long_word}",
        f"/timezone {long_word}",
        f"/quiz {long_word}",
        f"/stats {long_word}",
        f"/{long_word}",
        "/quiz demo 99999999999999999999999",
    ):
        alice.send(command)
        reply = await alice.reply()
        assert len(reply.result["text"]) < 1000, command[:30]
    assert_no_tracebacks(caplog, server)
