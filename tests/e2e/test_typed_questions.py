"""Text, SQL and open questions end to end through the local Bot API server."""

from __future__ import annotations

from tests.e2e.harness import BotHarness


async def scores(bot: BotHarness, user_id: int) -> list[tuple[str, int, int]]:
    return [
        (score.area, score.answered, score.correct)
        for score in await bot.services.progress.area_scores(user_id)
    ]


async def test_text_question_accepts_a_normalised_answer(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demotext junior")
    question = await alice.reply()
    assert "Type your answer" in question.result["text"]
    alice.send(" `404`. ")
    verdict = await alice.reply()
    assert "Correct!" in verdict.result["text"]
    assert [button["text"] for button in verdict.buttons] == ["Next question ▶"]
    assert await scores(bot, alice.id) == [("demotext", 1, 1)]


async def test_text_question_wrong_answer_shows_the_expected_one_and_counts_once(
    bot: BotHarness,
) -> None:
    alice = bot.user()
    alice.send("/quiz demotext junior")
    await alice.reply()
    alice.send("<b>410</b>")
    verdict = await alice.reply()
    assert "Not quite" in verdict.result["text"]
    assert "Expected: 404" in verdict.result["text"]
    assert "&lt;b&gt;410&lt;/b&gt;" in verdict.params["text"]
    alice.send("404")  # a second message is not a second answer
    assert "/help" in (await alice.reply()).result["text"]
    assert await scores(bot, alice.id) == [("demotext", 1, 0)]


async def test_sql_question_shows_tables_and_grades_by_rows(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demosql")
    question = await alice.reply()
    assert "people(id, name, city)" in question.result["text"]
    alice.send(
        "select city, count(*) as n from people where city is not null group by city order by n"
    )
    verdict = await alice.reply()
    assert "Correct!" in verdict.result["text"]
    assert await scores(bot, alice.id) == [("demosql", 1, 1)]


async def test_sql_wrong_query_shows_expected_rows(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demosql")
    await alice.reply()
    alice.send("SELECT city, COUNT(*) FROM people GROUP BY city")
    verdict = (await alice.reply()).result["text"]
    assert "Not quite" in verdict
    assert "Your query returns 3 rows; 2 are expected." in verdict
    assert "Oslo | 2" in verdict
    assert await scores(bot, alice.id) == [("demosql", 1, 0)]


async def test_sql_sandbox_refusals_are_explained_and_not_scored(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demosql")
    await alice.reply()
    for query, expected in (
        ("DELETE FROM people", "DELETE is not allowed"),
        ("ATTACH DATABASE '/tmp/x.db' AS x", "ATTACH is not allowed"),
        ("PRAGMA table_info(people)", "PRAGMA is not allowed"),
        ("SELECT load_extension('evil')", "load_extension() is not available"),
        (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n",
            "ran longer than",
        ),
        ("SELEC 1", "syntax error"),
    ):
        alice.send(query)
        reply = (await alice.reply()).result["text"]
        assert expected in reply, (query, reply)
        assert "Nothing was scored" in reply
    assert await scores(bot, alice.id) == []
    alice.send("SELECT city, COUNT(*) FROM people WHERE city IS NOT NULL GROUP BY city")
    assert "Correct!" in (await alice.reply()).result["text"]


async def test_open_question_shows_the_model_answer_then_counts_the_rating(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demoopen")
    question = await alice.reply()
    assert [button["text"] for button in question.buttons] == ["Show answer", "Skip"]
    alice.send("Small tables & columns with few values.")
    model = await alice.reply()
    assert "Model answer" in model.result["text"]
    assert "Small tables & columns with few values." in model.result["text"]
    # Each key point is checked against the answer by the words that carry it.
    assert "Key points (your answer covers 1 of 3, by their words)" in model.result["text"]
    assert "✅ small tables" in model.result["text"]
    assert "▫️ low selectivity — not found: low, selectivity" in model.result["text"]
    assert (
        "▫️ write-heavy tables pay on every write — not found: write, heavy, pay"
        in (model.result["text"])
    )
    assert [button["text"] for button in model.buttons] == ["Again", "Hard", "Good", "Easy"]
    alice.send("more thoughts")
    assert "Rate your answer" in (await alice.reply()).result["text"]
    alice.press("Good")
    rated = await alice.reply()
    assert rated.method == "editMessageText"
    assert "You rated yourself: Good" in rated.result["text"]
    alice.press_data(model.buttons[0]["callback_data"], model.result)  # a late "Again"
    assert await scores(bot, alice.id) == [("demoopen", 1, 1)]
    attempt = await bot.services.quiz.attempt(int(model.buttons[0]["callback_data"].split(":")[1]))
    assert (
        attempt is not None
        and attempt.rating == 3
        and attempt.response == "Small tables & columns with few values."
    )


async def test_open_question_show_answer_and_a_hard_rating_is_a_pass(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demoopen")
    await alice.reply()
    alice.press("Show answer")
    shown = await alice.reply()
    assert shown.method == "editMessageText"
    assert "Model answer" in shown.result["text"]
    assert "• low selectivity" in shown.result["text"], "no answer typed: the points as they are"
    alice.press("Hard")
    await alice.reply()
    assert await scores(bot, alice.id) == [("demoopen", 1, 1)], "Hard is a recall, as in FSRS"
    alice.send("/quiz demoopen")
    await alice.reply()
    alice.press("Show answer")
    await alice.reply()
    alice.press("Again")
    await alice.reply()
    assert await scores(bot, alice.id) == [("demoopen", 2, 1)], "only Again is a miss"


async def test_rating_before_the_answer_is_shown_is_refused(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demoopen")
    question = await alice.reply()
    attempt_id = question.buttons[0]["callback_data"].split(":")[1]
    query = alice.press_data(f"g:{attempt_id}:4", question.result)
    assert "does not fit" in (await alice.answer_to(query)).params["text"]
    assert await scores(bot, alice.id) == []
