"""What a new learner trips over on a first evening, each fixed and checked through the local
Bot API server: texts, idempotent second presses, levels, areas typed loosely, verdicts."""

from __future__ import annotations

import logging

import pytest

from bot.devserver import BotApiServer
from tests.e2e.harness import BotHarness, assert_no_tracebacks


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [
        record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR
    ]
    assert not bad, [record.getMessage() for record in bad]


def apologies(server: BotApiServer) -> list[str]:
    return [call.text for call in server.calls_to("sendMessage") if "went wrong" in call.text]


# -- typed answers ------------------------------------------------------------------------
async def test_a_shell_prompt_before_a_command_is_graded_the_same(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demotext middle")
    question = await alice.reply()
    assert "Which <code>git</code> command abandons it" in question.params["text"]
    alice.send("$ git merge --abort")
    verdict = await alice.reply()
    assert "Correct!" in verdict.result["text"]
    assert "<code>git merge --abort</code> puts back" in verdict.params["text"]


# -- /forget ------------------------------------------------------------------------------
async def test_forget_pressed_twice_says_it_is_already_deleted(
    bot: BotHarness, server: BotApiServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    alice.press("A")
    await alice.reply()
    alice.send("/forget")
    confirm = await alice.reply()
    first = alice.press_data(confirm.buttons[0]["callback_data"], confirm.result)
    assert (await alice.answer_to(first)).params["text"] == "Deleted."
    assert "everything about you is deleted" in (await alice.reply()).result["text"]
    second = alice.press_data(confirm.buttons[0]["callback_data"], confirm.result)
    assert "Already deleted" in (await alice.answer_to(second)).params["text"]
    kept = alice.press_data(confirm.buttons[1]["callback_data"], confirm.result)
    await alice.answer_to(kept)
    shown = await alice.reply()
    assert "Nothing is stored about you" in shown.result["text"], "not 'Nothing was deleted'"
    assert await bot.services.users.get(alice.id) is None
    assert_no_tracebacks(caplog, server)


# -- polls and bank text ------------------------------------------------------------------
async def test_poll_options_carry_the_letters_the_verdict_names(
    bot: BotHarness, server: BotApiServer
) -> None:
    alice = bot.user()
    alice.send("/quiz demo")
    poll = await alice.reply()
    options = [option["text"] for option in poll.result["poll"]["options"]]
    assert options == ["A. GET", "B. POST", "C. PATCH", "D. DELETE"], "backticks dropped"
    assert poll.result["poll"]["question"] == (
        "[Demo <Polls> & Co · junior] Which HTTP method is defined as safe?"
    )
    assert "<code>PATCH</code> changes the resource" in poll.params["explanation"]
    alice.vote([2])
    verdict = await alice.reply()
    assert "Right answer: A. GET" in verdict.result["text"]


async def test_backticks_become_code_in_messages(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    alice.press("A")
    edited = await alice.reply()
    assert "Index <code>-1</code> is the last element" in edited.params["text"]
    assert "`" not in edited.result["text"]


async def test_select_all_that_apply_is_said_once(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demomulti")
    question = (await alice.reply()).result["text"]
    assert question.lower().count("select all that apply") == 1
    assert "Select all that apply, then tap Submit." in question


async def test_multi_verdict_tells_picked_right_picked_wrong_and_missed_apart(
    bot: BotHarness,
) -> None:
    alice = bot.user()
    alice.send("/quiz demomulti")
    await alice.reply()
    alice.press("☐ A")
    await alice.reply()
    alice.press("☐ B")
    await alice.reply()
    alice.press("Submit")
    verdict = (await alice.reply()).result["text"]
    assert "✅ A. PUT" in verdict, "picked and right"
    assert "❌ B. POST" in verdict, "picked and wrong"
    assert "⭕ C. DELETE" in verdict, "right but missed"
    assert "▫️ D. PATCH" in verdict, "neither"
    assert "✅ picked, right · ❌ picked, wrong · ⭕ right, missed" in verdict


# -- SQL ----------------------------------------------------------------------------------
async def test_sql_result_blocks_are_apart_and_a_right_query_shows_the_solution(
    bot: BotHarness,
) -> None:
    alice = bot.user()
    alice.send("/quiz demosql")
    await alice.reply()
    alice.send("SELECT city, COUNT(*) FROM people GROUP BY city")
    wrong = (await alice.reply()).result["text"]
    expected_block, yours_block = wrong.split("Expected\n")[1].split("Yours\n")
    assert expected_block.endswith("\n\n"), "the expected rows end before Yours starts"
    assert "\n\nA solution\n" in yours_block
    alice.send("/quiz demosql")
    await alice.reply()
    alice.send("SELECT city, COUNT(*) FROM people WHERE city IS NOT NULL GROUP BY city")
    right = (await alice.reply()).result["text"]
    assert "Correct!" in right
    assert (
        "The reference solution\n"
        "SELECT city, COUNT(*) FROM people WHERE city IS NOT NULL GROUP BY city" in right
    )


# -- Next twice ---------------------------------------------------------------------------
async def test_an_old_next_button_pressed_twice_sends_one_question(
    bot: BotHarness, server: BotApiServer
) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    alice.press("A")
    answered = await alice.reply()
    data = answered.buttons[0]["callback_data"]
    alice.press_data(data, answered.result)
    asked = await alice.reply()
    assert "What does this print?" in asked.result["text"]
    again = alice.press_data(data, answered.result)
    assert "Already sent" in (await alice.answer_to(again)).params["text"]
    assert await alice.no_reply()
    questions = [call for call in server.calls_to("sendMessage") if "print?" in call.text]
    assert len(questions) == 2, "the /quiz one and one from Next"


# -- levels -------------------------------------------------------------------------------
async def test_quiz_takes_a_level_and_next_keeps_it(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz democode junior")
    assert "There are no junior questions in Demo code" in (await alice.reply()).result["text"]
    alice.send("/quiz democode middle")
    question = await alice.reply()
    assert question.result["text"].startswith("Demo code · middle")
    alice.send("/quiz middle demotext")
    assert "Demo text · middle" in (await alice.reply()).result["text"]
    alice.send("$ git merge --abort")
    verdict = await alice.reply()
    assert verdict.buttons[0]["callback_data"].endswith(":middle")
    alice.press("Next question")
    assert "Demo text · middle" in (await alice.reply()).result["text"]
    alice.send("/quiz junior senior")
    assert "give one level" in (await alice.reply()).result["text"]


async def test_poll_questions_show_area_and_level(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz junior demo")
    poll = await alice.reply()
    assert poll.result["poll"]["question"].startswith("[Demo <Polls> & Co · junior] ")


# -- areas typed loosely ------------------------------------------------------------------
async def test_an_area_is_found_however_it_is_typed(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz Demo Code")
    assert "What does this print?" in (await alice.reply()).result["text"]
    alice.send("/quiz democod")
    suggestion = await alice.reply()
    assert "There is no area democod. Did you mean democode?" in suggestion.result["text"]
    assert [button["text"] for button in suggestion.buttons] == ["Demo code"]
    alice.press("Demo code")
    assert "What does this print?" in (await alice.reply()).result["text"]
    alice.send("/quiz " + "x" * 500)
    assert "that is too long for an area name" in (await alice.reply()).result["text"]


async def test_stats_of_one_area_by_level_tag_and_missed(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demotext junior")
    await alice.reply()
    alice.send("410")
    await alice.reply()
    alice.send("/quiz demotext middle")
    await alice.reply()
    alice.send("git merge --abort")
    await alice.reply()
    alice.send("/stats demo text")
    detail = (await alice.reply()).result["text"]
    assert "Demo text: 1/2 right (50%), 2 of 2 questions seen" in detail
    assert "By level: junior 0/1 (0%) · middle 1/1 (100%)" in detail
    assert "By tag: git 1/1 (100%)" in detail
    assert "Missed (your last answer was wrong):\n• Which status code means Not Found?" in detail
    alice.send("/stats demotxt")
    assert "Did you mean demotext?" in (await alice.reply()).result["text"]
    alice.send("/stats demo")
    assert "No answers in Demo <Polls> & Co yet" in (await alice.reply()).result["text"]


# -- time zones and check-ins -------------------------------------------------------------
async def test_timezone_in_any_case_and_the_default_said_so(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/timezone")
    assert "Your time zone is UTC (the default" in (await alice.reply()).result["text"]
    alice.send("/timezone europe/london")
    assert "Your time zone is now Europe/London." in (await alice.reply()).result["text"]
    alice.send("/timezone")
    current = (await alice.reply()).result["text"]
    assert "Your time zone is Europe/London." in current and "default" not in current
    alice.send("/timezone Europe/Londn")
    assert "did you mean Europe/London?" in (await alice.reply()).result["text"]
    for hostile in ("x" * 300, "../../etc/passwd", "🕐" * 200):
        alice.send(f"/timezone {hostile}")
        assert "is not a time zone" in (await alice.reply()).result["text"]


async def test_checkin_texts_say_the_days_the_pause_and_resume_right(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/checkin 19:45 europe/berlin mon,wed,fri")
    saved = (await alice.reply()).result["text"]
    assert "Your check-in: 19:45 Europe/Berlin, on Mon, Wed, Fri." in saved
    assert "daily" not in saved
    alice.send("/checkin resume")
    assert "Nothing to resume: your check-in is not paused." in (await alice.reply()).result["text"]
    # Monday 2 March 2026, 10:00 in Berlin: 7 days on is Monday 9 March, whose 19:45 ends it.
    alice.send("/checkin pause 7d")
    paused = (await alice.reply()).result["text"]
    assert "Paused until Mon 9 Mar 19:45 (Europe/Berlin)" in paused
    alice.send("/checkin resume")
    resumed = (await alice.reply()).result["text"]
    assert "Resumed." in resumed and "Next one: Mon 2 Mar 19:45 (Europe/Berlin)." in resumed
    alice.send("/checkin off")
    await alice.reply()
    alice.send("/checkin pause 3d")
    assert "nothing to pause" in (await alice.reply()).result["text"]


# -- open questions -----------------------------------------------------------------------
async def test_skipping_an_open_question_shows_the_model_answer(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demoopen")
    await alice.reply()
    alice.press("Skip")
    skipped = (await alice.reply()).result["text"]
    assert "Model answer\nWhen the table is small" in skipped
    assert "• low selectivity" in skipped
    assert "Skipped — not scored." in skipped
    assert await bot.services.progress.area_scores(alice.id) == []
