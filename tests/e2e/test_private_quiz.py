"""One learner in a private chat, driven through the local Bot API server over HTTP."""

from __future__ import annotations

from datetime import timedelta

from bot.devserver import BotApiServer
from tests.e2e.harness import BotHarness


async def test_start_explains_the_bot_and_registers_commands(
    bot: BotHarness, server: BotApiServer
) -> None:
    alice = bot.user()
    alice.send("/start")
    reply = await alice.reply()
    assert reply.method == "sendMessage"
    assert "Hi Alice" in reply.result["text"]
    assert "/quiz" in reply.result["text"]
    private = {command["command"] for command in server.commands["all_private_chats"]}
    assert {"start", "help", "quiz", "topics", "stats", "forget", "cancel"} <= private
    assert await bot.services.users.get(alice.id) is not None


async def test_help_lists_every_private_command(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/help")
    text = (await alice.reply()).result["text"]
    for command in ("/start", "/help", "/topics", "/quiz [area]", "/stats", "/cancel", "/forget"):
        assert command in text


async def test_topics_lists_areas_with_counts_and_a_button_each(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/topics")
    reply = await alice.reply()
    assert "Demo &lt;Polls&gt; &amp; Co" in reply.params["text"]
    assert "Demo <Polls> & Co" in reply.result["text"]
    labels = [button["text"] for button in reply.buttons]
    assert labels == [
        "Demo <Polls> & Co (1)",
        "Demo code (1)",
        "Demo multi (1)",
        "Demo SQL (1)",
        "Demo text (2)",
        "Demo open (1)",
        "Mixed",
    ]
    alice.press("Demo code")
    question = await alice.reply()
    assert "What does this print?" in question.result["text"]


async def test_poll_question_answered_right(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demo")
    poll = await alice.reply()
    assert poll.method == "sendPoll"
    assert poll.params["type"] == "quiz"
    assert poll.params["is_anonymous"] is False
    assert poll.params["correct_option_ids"] == [0]
    assert poll.result["poll"]["explanation"].startswith("GET only retrieves")
    alice.vote([0])
    verdict = await alice.reply()
    assert verdict.method == "sendMessage"
    assert "Correct!" in verdict.result["text"]
    assert "GET only retrieves" in verdict.result["text"]
    assert (
        'href="https://www.rfc-editor.org/rfc/rfc9110#name-safe-methods"' in verdict.params["text"]
    )
    assert [button["text"] for button in verdict.buttons] == ["Next question ▶"]
    scores = await bot.services.progress.area_scores(alice.id)
    assert [(score.area, score.answered, score.correct) for score in scores] == [("demo", 1, 1)]


async def test_poll_question_answered_wrong_shows_the_right_answer(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demo")
    await alice.reply()
    alice.vote([1])
    verdict = (await alice.reply()).result["text"]
    assert "Not quite" in verdict
    assert "Right answer: A. GET" in verdict
    assert "GET only retrieves" in verdict
    scores = await bot.services.progress.area_scores(alice.id)
    assert [(score.answered, score.correct) for score in scores] == [(1, 0)]


async def test_code_question_is_sent_with_buttons_and_edited_in_place(
    bot: BotHarness, server: BotApiServer
) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    question = await alice.reply()
    assert question.method == "sendMessage"
    assert (
        "<pre>items = [1, 2, 3]\nprint(items[-1] if items else &quot;&lt;empty&gt;&quot;)</pre>"
        in question.params["text"]
    )
    assert [button["text"] for button in question.buttons] == ["A", "B", "C", "D", "Skip"]
    sent_before = len(server.calls_to("sendMessage"))
    query = alice.press("A")
    edited = await alice.reply()
    assert edited.method == "editMessageText"
    assert edited.params["message_id"] == question.result["message_id"]
    assert "Correct!" in edited.result["text"]
    assert "Index -1 is the last element" in edited.result["text"]
    assert (await alice.answer_to(query)).params["text"] == "Correct!"
    assert len(server.calls_to("sendMessage")) == sent_before, "an answer costs no new message"


async def test_button_question_answered_wrong(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    alice.press("D")
    edited = (await alice.reply()).result["text"]
    assert "Not quite" in edited
    assert "Right answer: A. 3" in edited
    assert "❌ D. IndexError" in edited


async def test_double_press_is_counted_once(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    question = await alice.reply()
    message_id = question.result["message_id"]
    alice.press("B", message_id)
    await alice.reply()
    # The second press comes from the same (old) message, as a fast double tap would.
    second = alice.press_data(
        question.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"], question.result
    )
    answer = await alice.answer_to(second)
    assert "Already answered" in answer.params["text"]
    scores = await bot.services.progress.area_scores(alice.id)
    assert [(score.answered, score.correct) for score in scores] == [(1, 0)]


async def test_multi_question_toggles_then_submits(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demomulti")
    question = await alice.reply()
    assert [button["text"] for button in question.buttons] == [
        "☐ A",
        "☐ B",
        "☐ C",
        "☐ D",
        "Submit",
        "Skip",
    ]
    alice.press("☐ A")
    toggled = await alice.reply()
    assert toggled.method == "editMessageReplyMarkup"
    assert [button["text"] for button in toggled.buttons][:4] == ["☑ A", "☐ B", "☐ C", "☐ D"]
    alice.press("☐ C")
    await alice.reply()
    alice.press("Submit")
    verdict = await alice.reply()
    assert "Correct!" in verdict.result["text"]
    scores = await bot.services.progress.area_scores(alice.id)
    assert [(score.answered, score.correct) for score in scores] == [(1, 1)]


async def test_multi_submit_without_selection_is_refused(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demomulti")
    await alice.reply()
    query = alice.press("Submit")
    assert "Select at least one" in (await alice.answer_to(query)).params["text"]
    assert await bot.services.progress.area_scores(alice.id) == []


async def test_skip_button_is_not_scored(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    alice.press("Skip")
    edited = await alice.reply()
    assert "Skipped" in edited.result["text"]
    assert await bot.services.progress.area_scores(alice.id) == []


async def test_cancel_skips_an_open_poll_and_a_late_vote_is_not_counted(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demo")
    await alice.reply()
    alice.send("/cancel")
    stopped = await alice.reply()
    assert stopped.method == "stopPoll"
    assert "nothing was scored" in (await alice.reply()).result["text"]
    alice.vote([0])
    assert "skipped" in (await alice.reply()).result["text"]
    assert await bot.services.progress.area_scores(alice.id) == []


async def test_cancel_with_nothing_open(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/cancel")
    assert "no open question" in (await alice.reply()).result["text"]


async def test_next_button_asks_another_question(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demo")
    await alice.reply()
    alice.vote([0])
    await alice.reply()
    alice.press("Next question")
    again = await alice.reply()
    assert again.method == "sendPoll"


async def test_stats_match_what_was_answered(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demo")
    await alice.reply()
    alice.vote([0])
    await alice.reply()
    alice.send("/quiz democode")
    await alice.reply()
    alice.press("C")
    await alice.reply()
    alice.send("/stats")
    text = (await alice.reply()).result["text"]
    assert "Demo <Polls> & Co: 1/1 (100%)" in text
    assert "Demo code: 0/1 (0%)" in text
    assert "Total: 1/2 correct (50%)" in text
    assert "Streak: 1 day in a row" in text


async def test_streak_counts_consecutive_days(bot: BotHarness) -> None:
    alice = bot.user()
    for _day in range(3):
        alice.send("/quiz demo")
        await alice.reply()
        alice.vote([0])
        await alice.reply()
        bot.clock.advance(timedelta(days=1))
    alice.send("/stats")
    assert "Streak: 3 days in a row" in (await alice.reply()).result["text"]
    bot.clock.advance(timedelta(days=1))
    alice.send("/stats")
    assert "Streak: 0 days in a row" in (await alice.reply()).result["text"]


async def test_stats_before_any_answer(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/stats")
    assert "No answers yet" in (await alice.reply()).result["text"]


async def test_answers_survive_a_restart(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    alice.press("A")
    await alice.reply()
    await bot.restart()
    alice.send("/stats")
    assert "Total: 1/1 correct" in (await alice.reply()).result["text"]


async def test_forget_deletes_everything_after_confirmation(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    alice.press("A")
    await alice.reply()
    alice.send("/forget")
    confirm = await alice.reply()
    assert "cannot be undone" in confirm.result["text"]
    alice.press("No, keep it")
    assert "Nothing was deleted" in (await alice.reply()).result["text"]
    assert await bot.services.progress.attempts_stored(alice.id) == 1
    alice.send("/forget")
    await alice.reply()
    alice.press("Yes, delete everything")
    assert "everything about you is deleted" in (await alice.reply()).result["text"]
    assert await bot.services.progress.attempts_stored(alice.id) == 0
    assert await bot.services.users.get(alice.id) is None


async def test_unknown_command_points_to_help(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/frobnicate now")
    assert "I don't know /frobnicate" in (await alice.reply()).result["text"]


async def test_stray_text_points_to_help(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("what is a JOIN?")
    assert "/help" in (await alice.reply()).result["text"]


async def test_quiz_unknown_area_lists_the_areas(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz no-such-area")
    text = (await alice.reply()).result["text"]
    assert "There is no area no-such-area" in text
    assert "demo, democode, demomulti, demosql, demotext, demoopen" in text
    assert "Usage: /quiz [area]" in text


async def test_quiz_with_too_many_arguments(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demo democode")
    assert "Usage: /quiz [area]" in (await alice.reply()).result["text"]


async def test_commands_without_arguments_reject_them(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/topics please")
    assert "takes no arguments" in (await alice.reply()).result["text"]


async def test_area_name_with_html_is_escaped(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz <b>x</b>")
    reply = await alice.reply()
    assert "&lt;b&gt;x&lt;/b&gt;" in reply.params["text"]


async def test_press_by_someone_else_is_refused(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    question = await alice.reply()
    mallory = bot.user(2002, "Mallory", None)
    data = question.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    query = mallory.press_data(data, question.result)
    assert "someone else" in (await mallory.answer_to(query)).params["text"]
    assert await bot.services.progress.area_scores(alice.id) == []


async def test_forged_callback_data_is_answered_not_crashing(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    question = await alice.reply()
    for data in ("a:999999:0", "zz:1", "a:x:y", "a:1"):
        query = alice.press_data(data, question.result)
        answer = await alice.answer_to(query)
        assert answer.params.get("text"), data
