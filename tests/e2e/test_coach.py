"""The coach through the local Bot API server: /review on FSRS's schedule, /goal, readiness in
/stats, the check-in's study lines and /forget, with the clock moved by the tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.devserver import SimUser
from bot.scheduling.checkin_sweep import sweep
from tests.e2e.harness import BotHarness

PACE = timedelta(seconds=20)  # a normal pace: right is Good, not Easy


async def answer_code_question(bot: BotHarness, alice: SimUser, letter: str) -> None:
    """/quiz democode (a button question: A is right), answered at a normal pace."""
    alice.send("/quiz democode")
    await alice.reply()
    bot.clock.advance(PACE)
    alice.press(letter)
    await alice.reply()


async def review_reply(alice: SimUser) -> str:
    alice.send("/review")
    return str((await alice.reply()).result["text"])


async def test_a_wrong_answer_comes_back_in_review_after_the_learning_step(
    bot: BotHarness,
) -> None:
    alice = bot.user()
    await answer_code_question(bot, alice, "B")
    waiting = await review_reply(alice)
    assert "Nothing is due for review" in waiting
    assert "Mon 2 Mar 09:10" in waiting and "/quiz" in waiting
    bot.clock.advance(timedelta(minutes=11))
    alice.send("/review")
    question = await alice.reply()
    assert "What does this print?" in question.result["text"]
    assert "Demo code · review · last one today" in question.result["text"]
    bot.clock.advance(PACE)
    alice.press("A")
    verdict = await alice.reply()
    assert "Correct!" in verdict.result["text"]
    assert [button["text"] for button in verdict.buttons] == ["Next review ▶"]
    alice.press("Next review ▶")
    assert "Nothing is due for review" in (await alice.reply()).result["text"]


async def test_a_right_answer_is_not_due_tomorrow_but_after_its_interval(bot: BotHarness) -> None:
    alice = bot.user()
    await answer_code_question(bot, alice, "A")
    bot.clock.advance(timedelta(days=1))
    assert "Nothing is due for review" in await review_reply(alice)
    bot.clock.advance(timedelta(days=1))
    assert "What does this print?" in await review_reply(alice)


async def test_a_poll_answered_wrong_is_reviewed_as_a_poll(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/quiz demo")
    await alice.reply()
    bot.clock.advance(PACE)
    alice.vote([1])
    await alice.reply()
    bot.clock.advance(timedelta(minutes=10, seconds=1))
    alice.send("/review")
    poll = await alice.reply()
    assert poll.method == "sendPoll"
    assert poll.result["poll"]["question"].startswith(
        "[Demo <Polls> & Co · review · last one today"
    )


async def test_review_refuses_arguments(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/review docker")
    text = (await alice.reply()).result["text"]
    assert "takes no arguments" in text and "/review" in text


async def test_stats_show_readiness_beside_accuracy_and_the_next_step(bot: BotHarness) -> None:
    alice = bot.user()
    await answer_code_question(bot, alice, "B")
    bot.clock.advance(timedelta(minutes=11))
    alice.send("/stats")
    text = (await alice.reply()).result["text"]
    # Answered wrong, the card is still in its learning step: not counted as recalled yet.
    assert "Demo code: 0/1 (0%) · readiness 0% (seen 1 of 1)" in text
    assert f"Readiness: 0% of all {len(bot.services.catalog)} questions" in text
    assert "Next: 1 review due · weakest: democode → /review" in text


async def test_goal_with_a_valid_date_shows_the_countdown_and_forecast(bot: BotHarness) -> None:
    alice = bot.user()
    await answer_code_question(bot, alice, "A")
    alice.send("/goal 2026-03-30")
    saved = (await alice.reply()).result["text"]
    assert "Saved. Interview in 28 days (Mon 30 Mar 2026)" in saved
    assert "you would recall" in saved and "if you stopped now" in saved
    assert "Today's focus:" in saved
    alice.send("/goal")
    assert "Interview in 28 days" in (await alice.reply()).result["text"]
    alice.send("/stats")
    assert "Interview in 28 days" in (await alice.reply()).result["text"]
    alice.send("/goal off")
    assert "removed" in (await alice.reply()).result["text"]
    alice.send("/goal off")
    assert "no interview date to remove" in (await alice.reply()).result["text"]
    alice.send("/goal")
    assert "no interview date yet" in (await alice.reply()).result["text"]


async def test_goal_with_invalid_dates_says_what_is_wrong(bot: BotHarness) -> None:
    alice = bot.user()
    for args, expected in (
        ("30.03.2026", "is not a date written YYYY-MM-DD"),
        ("2026-02-30", "is not a date in the calendar"),
        ("2026-03-01", "is in the past"),
        ("2031-01-01", "more than three years away"),
        ("<b>soon</b>", "'<b>soon</b>' is not a date"),
        ("2026-04-01 2026-05-01", "Usage: /goal YYYY-MM-DD"),
    ):
        alice.send(f"/goal {args}")
        reply = await alice.reply()
        assert expected in reply.result["text"], reply.result["text"]
        assert "/goal YYYY-MM-DD" in reply.result["text"]
    assert (await bot.services.coach.plan(alice.id)).goal is None


async def test_the_check_in_shows_reviews_due_the_interview_and_todays_focus(
    bot: BotHarness,
) -> None:
    alice = bot.user()
    await answer_code_question(bot, alice, "B")
    alice.send("/goal 2026-03-12")
    await alice.reply()
    alice.send("/checkin 10:00 UTC")
    await alice.reply()
    bot.clock.set(datetime(2026, 3, 2, 10, 0, 10, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    standup = await alice.reply()
    text = standup.result["text"]
    assert "Daily standup" in text
    assert "Reviews due today: 1 → /review" in text
    assert "Interview: in 10 days" in text
    assert "Today's focus:" in text and "/quiz " in text


async def test_after_forget_nothing_is_due(bot: BotHarness) -> None:
    alice = bot.user()
    await answer_code_question(bot, alice, "B")
    alice.send("/forget")
    await alice.reply()
    alice.press("Yes, delete everything")
    await alice.reply()
    bot.clock.advance(timedelta(hours=1))
    assert "Nothing to review yet" in await review_reply(alice)
    async with bot.services.uow() as uow:
        assert await uow.cards.of_user(alice.id) == []
        assert await uow.cards.reviews_of(alice.id) == []


async def test_help_and_set_my_commands_list_review_and_goal(bot: BotHarness) -> None:
    alice = bot.user()
    alice.send("/help")
    text = (await alice.reply()).result["text"]
    assert "/review" in text and "/goal YYYY-MM-DD" in text
    private = {command["command"] for command in bot.server.commands["all_private_chats"]}
    assert {"review", "goal"} <= private
