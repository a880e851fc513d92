"""Daily check-ins through the local Bot API server, with the clock moved by the tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.devserver import BotApiServer, Call, SimUser
from bot.domain.states import SendStatus
from bot.scheduling.checkin_sweep import sweep
from tests.e2e.harness import BotHarness


def standups(server: BotApiServer, chat_id: int) -> list[Call]:
    return [
        call
        for call in server.calls_to("sendMessage")
        if call.ok and call.chat_id == chat_id and "Daily standup" in call.text
    ]


async def set_checkin(bot: BotHarness, user: SimUser, args: str) -> str:
    user.send(f"/checkin {args}")
    return str((await user.reply()).result["text"])


async def sweep_every(bot: BotHarness, until: datetime, step: timedelta) -> None:
    """Moves the clock in steps up to `until` (never past it), sweeping after each step."""
    while bot.clock.now() < until:
        bot.clock.advance(min(step, until - bot.clock.now()))
        await sweep(bot.application)  # type: ignore[arg-type]


async def test_set_show_and_turn_off_a_checkin(bot: BotHarness) -> None:
    alice = bot.user()
    saved = await set_checkin(bot, alice, "08:30 Europe/Berlin weekdays")
    # The clock starts on Monday 2 March 2026, 09:00 UTC = 10:00 in Berlin.
    assert "Saved. Your check-in: 08:30 Europe/Berlin, on weekdays (Mon-Fri)." in saved
    assert "Next one: Tue 3 Mar 08:30 (Europe/Berlin)." in saved
    alice.send("/checkin")
    assert "08:30 Europe/Berlin, on weekdays (Mon-Fri)" in (await alice.reply()).result["text"]
    alice.send("/checkin off")
    assert "off" in (await alice.reply()).result["text"]
    bot.clock.advance(timedelta(days=1))
    await sweep(bot.application)  # type: ignore[arg-type]
    assert standups(bot.server, alice.id) == []


async def test_bad_arguments_say_what_is_wrong_and_show_the_form(bot: BotHarness) -> None:
    alice = bot.user()
    for args, expected in (
        ("25:00", "'25:00' is not a time"),
        ("08:30 Mars/Olympus", "'Mars/Olympus' is not a time zone I know"),
        ("08:30 moonday", "'moonday' is neither a time zone"),
        ("pause forever", "'forever' is not a pause"),
        ("pause", "say how long"),
    ):
        text = await set_checkin(bot, alice, args)
        assert expected in text, text
        assert "Usage:" in text and "/checkin HH:MM [Area/City] [days]" in text
    alice.send("/timezone Nowhere/Land")
    assert "is not a time zone I know" in (await alice.reply()).result["text"]
    assert await bot.services.checkins.schedule(alice.id) is None


async def test_the_standup_arrives_at_local_time_with_facts_and_stores_answers(
    bot: BotHarness,
) -> None:
    alice = bot.user()
    alice.send("/quiz democode")
    await alice.reply()
    alice.press("B")  # a wrong answer on Monday
    await alice.reply()
    await set_checkin(bot, alice, "08:30 Europe/Berlin")
    await sweep_every(bot, datetime(2026, 3, 3, 7, 29, tzinfo=UTC), timedelta(minutes=30))
    assert standups(bot.server, alice.id) == []
    bot.clock.set(datetime(2026, 3, 3, 7, 30, 10, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    [standup] = standups(bot.server, alice.id)
    text = standup.result["text"]
    assert "Daily standup · Tue 3 Mar" in text
    assert "Yesterday in the bot: 1 answers, 0% right — Demo code 0/1" in text
    assert "Weakest area: Demo code — /quiz democode" in text
    assert "Roadmap: month 1 — Python, Git, basic SQL, FastAPI" in text
    assert [button["text"] for button in standup.buttons] == ["🎯 Question of the day"]
    alice.cursor = standup.index + 1
    alice.send("Joins and indexes\nWindow functions\nNothing <really>")
    saved = (await alice.reply()).result["text"]
    assert "Check-in saved. Check-in streak: 1 day" in saved
    alice.send("/history")
    history = await alice.reply()
    assert "Tue 3 Mar" in history.result["text"]
    assert "Blockers: Nothing &lt;really&gt;" in history.params["text"]
    alice.press("Question of the day", standup.result["message_id"])
    question = await alice.reply()
    assert "What does this print?" in question.result["text"]


async def test_answers_one_at_a_time(bot: BotHarness) -> None:
    alice = bot.user()
    await set_checkin(bot, alice, "10:30 UTC")
    bot.clock.advance(timedelta(hours=1, minutes=31))
    await sweep(bot.application)  # type: ignore[arg-type]
    await alice.reply()
    alice.send("SQL")
    assert "2. What will you study today?" in (await alice.reply()).result["text"]
    alice.send("Docker")
    assert "3. Anything blocking you?" in (await alice.reply()).result["text"]
    alice.send("no")
    assert "Check-in saved" in (await alice.reply()).result["text"]
    alice.send("more text")
    assert "/help" in (await alice.reply()).result["text"]
    [checkin] = (await bot.services.checkins.history(alice.id))[0]
    assert (checkin.yesterday, checkin.today, checkin.blockers) == ("SQL", "Docker", "no")
    assert checkin.status == SendStatus.ANSWERED


async def test_weekday_filter_and_pause(bot: BotHarness, server: BotApiServer) -> None:
    alice = bot.user()
    await set_checkin(bot, alice, "09:30 UTC weekdays")
    await sweep_every(bot, datetime(2026, 3, 9, 0, 0, tzinfo=UTC), timedelta(hours=1))
    # Mon 2 (09:30 is after the 09:00 start) to Fri 6: five standups, none on the weekend.
    days = [
        call.result["text"].split("·")[1].split("\n")[0].strip()
        for call in standups(server, alice.id)
    ]
    assert days == ["Mon 2 Mar", "Tue 3 Mar", "Wed 4 Mar", "Thu 5 Mar", "Fri 6 Mar"]
    alice.cursor = len(server.calls)
    alice.send("/checkin pause 7d")
    assert "Paused until Mon 16 Mar" in (await alice.reply()).result["text"]
    await sweep_every(bot, datetime(2026, 3, 17, 0, 0, tzinfo=UTC), timedelta(hours=1))
    later = [
        call.result["text"].split("·")[1].split("\n")[0].strip()
        for call in standups(server, alice.id)
    ][5:]
    assert later == ["Mon 16 Mar"]


async def count_standups_over(bot: BotHarness, user: SimUser, start: datetime, hours: int) -> int:
    bot.clock.set(start)
    await sweep_every(bot, start + timedelta(hours=hours), timedelta(minutes=10))
    return len(standups(bot.server, user.id))


async def test_spring_forward_fires_once(bot: BotHarness) -> None:
    alice = bot.user()
    bot.clock.set(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    await set_checkin(bot, alice, "02:30 Europe/Berlin")
    assert await count_standups_over(bot, alice, datetime(2026, 3, 28, 23, 0, tzinfo=UTC), 6) == 1
    [standup] = standups(bot.server, alice.id)
    assert "Sun 29 Mar" in standup.result["text"]


async def test_fall_back_fires_once(bot: BotHarness) -> None:
    alice = bot.user()
    bot.clock.set(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    await set_checkin(bot, alice, "02:30 Europe/Berlin")
    assert await count_standups_over(bot, alice, datetime(2026, 10, 24, 23, 0, tzinfo=UTC), 6) == 1


async def test_downtime_within_grace_is_sent_late_and_older_is_skipped(bot: BotHarness) -> None:
    alice = bot.user()
    await set_checkin(bot, alice, "10:00 UTC")
    bot.clock.set(datetime(2026, 3, 2, 11, 30, tzinfo=UTC))  # 90 minutes late: within 2 h
    await sweep(bot.application)  # type: ignore[arg-type]
    assert len(standups(bot.server, alice.id)) == 1
    bot.clock.set(datetime(2026, 3, 3, 12, 30, tzinfo=UTC))  # 150 minutes late: skipped
    await sweep(bot.application)  # type: ignore[arg-type]
    assert len(standups(bot.server, alice.id)) == 1
    schedule = await bot.services.checkins.schedule(alice.id)
    assert schedule is not None and schedule.next_local == datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    bot.clock.set(datetime(2026, 3, 4, 10, 0, 5, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    assert len(standups(bot.server, alice.id)) == 2


async def test_a_restart_repeats_nothing(bot: BotHarness) -> None:
    alice = bot.user()
    await set_checkin(bot, alice, "10:00 UTC")
    bot.clock.set(datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    await bot.restart()
    await sweep(bot.application)  # type: ignore[arg-type]
    assert len(standups(bot.server, alice.id)) == 1
    # A check-in that was being sent when the bot died is not sent again after a restart.
    bot.clock.set(datetime(2026, 3, 3, 10, 0, 30, tzinfo=UTC))
    await bot.services.checkins.claim_due()
    taken = await bot.services.checkins.outbox.take_pending(10)
    assert len(taken) == 1
    await bot.restart()
    await sweep(bot.application)  # type: ignore[arg-type]
    assert len(standups(bot.server, alice.id)) == 1
    assert await bot.services.checkins.checkins_on(taken[0].schedule_id, taken[0].local_date) == 1


async def test_429_then_success_sends_once(bot: BotHarness, server: BotApiServer) -> None:
    alice = bot.user()
    await set_checkin(bot, alice, "10:00 UTC")
    server.fail("sendMessage", 429, retry_after=1, chat_id=alice.id)
    bot.clock.set(datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    attempts = [
        call
        for call in server.calls_to("sendMessage")
        if call.chat_id == alice.id and "standup" in call.text
    ]
    assert [call.ok for call in attempts] == [False, True]
    assert len(standups(server, alice.id)) == 1


async def test_403_deactivates_and_unblocking_restores(
    bot: BotHarness, server: BotApiServer
) -> None:
    alice = bot.user()
    await set_checkin(bot, alice, "10:00 UTC")
    server.fail("sendMessage", 403, chat_id=alice.id)
    bot.clock.set(datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    user = await bot.services.users.get(alice.id)
    assert user is not None and user.active is False
    bot.clock.set(datetime(2026, 3, 3, 10, 0, 30, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    assert standups(server, alice.id) == [], "no sends to a user who blocked the bot"
    alice.block_bot(blocked=False)
    alice.send("/checkin")
    await alice.reply()
    bot.clock.set(datetime(2026, 3, 4, 10, 0, 30, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    assert len(standups(server, alice.id)) == 1


async def test_one_reminder_when_unanswered(bot: BotHarness, server: BotApiServer) -> None:
    alice = bot.user()
    await set_checkin(bot, alice, "10:00 UTC")
    bot.clock.set(datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC))
    await sweep_every(bot, datetime(2026, 3, 2, 18, 0, tzinfo=UTC), timedelta(minutes=30))
    reminders = [call for call in server.calls_to("sendMessage") if "still open" in call.text]
    assert len(reminders) == 1
    assert (
        reminders[0].params["reply_parameters"]["message_id"]
        == standups(server, alice.id)[0].result["message_id"]
    )


async def test_timezone_command_moves_the_checkin(bot: BotHarness) -> None:
    alice = bot.user()
    await set_checkin(bot, alice, "08:00 UTC")
    alice.send("/timezone America/New_York")
    text = (await alice.reply()).result["text"]
    assert "Your time zone is now America/New_York." in text
    # Monday 09:00 UTC is 04:00 in New York: today's 08:00 there is still ahead.
    assert "Next check-in: Mon 2 Mar 08:00" in text
    schedule = await bot.services.checkins.schedule(alice.id)
    assert schedule is not None and schedule.next_local == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
    alice.send("/timezone")
    assert "America/New_York" in (await alice.reply()).result["text"]
