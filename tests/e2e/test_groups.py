"""Group study mode with several members, through the local Bot API server."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

import pytest

from bot.devserver import BotApiServer, SimGroup, SimUser
from bot.domain.clock import FakeClock
from bot.domain.states import DeliveryKind, GroupPostKind, RoundStatus
from bot.scheduling import rounds
from bot.scheduling.checkin_sweep import sweep
from bot.storage.models import Chat, GroupPost
from bot.storage.unit_of_work import UnitOfWorkFactory
from tests.conftest import DEMO_BANKS
from tests.e2e.harness import BotHarness, eventually


@pytest.fixture
def group(bot: BotHarness) -> SimGroup:
    return bot.group()


@pytest.fixture
def people(bot: BotHarness, group: SimGroup) -> dict[str, SimUser]:
    names = {
        "alice": (1001, "Alice"),
        "bob": (1002, "Bob"),
        "carol": (1003, "Carol"),
        "admin": (1009, "Ada"),
    }
    people = {key: bot.user(user_id, name, key) for key, (user_id, name) in names.items()}
    for key, person in people.items():
        group.set_status(person, "administrator" if key == "admin" else "member")
    return people


async def stored_chat(bot: BotHarness, chat_id: int) -> Chat | None:
    async with bot.services.uow() as uow:
        return await uow.chats.get(chat_id)


async def stored_post(bot: BotHarness, chat_id: int, message_id: int) -> GroupPost | None:
    async with bot.services.uow() as uow:
        return await uow.group_posts.by_message(chat_id, message_id)


async def tick_after(bot: BotHarness, seconds: int) -> None:
    bot.clock.advance(timedelta(seconds=seconds))
    await rounds.tick(bot.application)  # type: ignore[arg-type]


async def test_joining_and_leaving_a_group(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    group.add_bot(people["admin"])
    welcome = (await group.reply()).result["text"]
    assert "Interview Coach" in welcome and "privacy mode" in welcome and "/groupquiz" in welcome
    chat = await stored_chat(bot, group.id)
    assert chat is not None and chat.active and chat.title == "Backend study group"
    group.post(people["alice"], "/groupquiz democode 1")
    await group.reply()
    await group.reply()
    group.remove_bot(people["admin"])
    group.post(people["alice"], "/leaderboard")  # processed after the removal
    await group.reply()
    chat = await stored_chat(bot, group.id)
    assert chat is not None and chat.active is False
    assert await bot.services.rounds.running(group.id) is None, "the round ended with the removal"


async def test_a_round_with_buttons_counts_first_answers_privately(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    group.post(alice, "/groupquiz democode 1")
    assert (
        "Alice started a round of 1 questions on Demo code" in (await group.reply()).result["text"]
    )
    question = await group.reply()
    assert "Question 1/1" in question.result["text"]
    assert [button["text"] for button in question.buttons] == ["A", "B", "C", "D"]
    right = group.press(bob, "A")
    assert (await bob.answer_to(right)).params["text"] == "✅ Right!"
    wrong = group.press(carol, "D")
    assert "Not right" in (await carol.answer_to(wrong)).params["text"]
    again = group.press(bob, "B")
    assert "already answered" in (await bob.answer_to(again)).params["text"]
    edits = [call for call in bot.server.calls_to("editMessageText") if call.chat_id == group.id]
    assert edits == [], "nobody sees the answer before the question closes"
    await tick_after(bot, 31)
    closed = await group.reply()
    assert closed.method == "editMessageText"
    assert "Index -1 is the last element" in closed.result["text"]
    assert "Right: Bob (1 of 2 answers)" in closed.result["text"]
    ranking = (await group.reply()).result["text"]
    assert "Round over!" in ranking
    assert ranking.index("Bob — 1/1") < ranking.index("Carol — 0/1")
    late = group.press(alice, "A", closed.params["message_id"]) if closed.buttons else None
    assert late is None, "the closed question has no buttons left"
    late = alice.press_data(question.buttons[0]["callback_data"], question.result)
    assert "closed" in (await alice.answer_to(late)).params["text"]


async def test_a_round_with_polls_takes_one_vote_per_member(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    alice, bob = people["alice"], people["bob"]
    group.post(alice, "/groupquiz demomulti 1")
    await group.reply()
    poll = await group.reply()
    assert poll.method == "sendPoll"
    assert poll.params["is_anonymous"] is False
    assert poll.params["allows_multiple_answers"] is True
    assert poll.params["correct_option_ids"] == [0, 2]
    poll_id = poll.result["poll"]["id"]
    alice.vote([0, 2], poll_id)
    bob.vote([0], poll_id)
    bob.vote([0, 2], poll_id)  # a second vote never replaces the first

    async def votes_counted() -> bool:
        async with bot.services.uow() as uow:
            owner = await uow.polls.get(poll_id)
            answers = (
                await uow.group_answers.answers_to(round_question_id=owner.owner_id)
                if owner
                else []
            )
        return len(answers) == 2

    await eventually(votes_counted)
    await asyncio.sleep(0.2)  # the ignored second vote has had its chance to be counted
    await tick_after(bot, 31)
    stopped = await group.reply()
    assert stopped.method == "stopPoll"
    ranking = (await group.reply()).result["text"]
    assert "Alice — 1/1" in ranking and "Bob — 0/1" in ranking


async def test_a_non_member_press_is_refused(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    group.post(people["alice"], "/groupquiz democode 1")
    await group.reply()
    await group.reply()
    dave = bot.user(1004, "Dave", "dave")
    group.set_status(dave, "left")
    query = group.press(dave, "A")
    answer = await dave.answer_to(query)
    assert "Only members" in answer.params["text"] and answer.params["show_alert"] is True
    assert (await bot.services.rounds.leaderboard(group.id)).all_time == []


async def test_one_round_at_a_time_and_who_may_stop_it(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    group.post(people["alice"], "/groupquiz democode 1")
    await group.reply()
    await group.reply()
    group.post(people["bob"], "/groupquiz")
    assert "already running" in (await group.reply()).result["text"]
    group.post(people["bob"], "/stopquiz")
    assert "Only whoever started" in (await group.reply()).result["text"]
    group.post(people["admin"], "/stopquiz")
    closed = await group.reply()
    assert closed.method == "editMessageText"
    assert "Round stopped by Ada. Nobody answered" in (await group.reply()).result["text"]
    group.post(people["bob"], "/stopquiz")
    assert "No round is running" in (await group.reply()).result["text"]


async def test_bad_groupquiz_arguments(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    for args, expected in (
        ("50", "A round has 1 to 20 questions."),
        ("0", "A round has 1 to 20 questions."),
        ("nosuch", "There is no area nosuch"),
        ("demo 2 3", "Too many arguments: give the count once."),
    ):
        group.post(people["alice"], f"/groupquiz {args}")
        assert expected in (await group.reply()).result["text"], args
    group.post(people["alice"], "/leaderboard please")
    assert "takes no arguments" in (await group.reply()).result["text"]


async def answered_in_a_round(
    uow_factory: UnitOfWorkFactory,
    chat_id: int,
    user_id: int,
    name: str,
    correct: bool,
    when: datetime,
) -> None:
    """One finished one-question round in which the member answered."""
    async with uow_factory() as uow:
        started = await uow.rounds.start(
            chat_id=chat_id,
            started_by=user_id,
            area=None,
            questions=[("demo-poll-001", DeliveryKind.POLL)],
            seconds=30,
            now=when,
        )
        assert started is not None
        question = await uow.rounds.question_at(started.id, 0)
        assert question is not None
        await uow.group_answers.record(
            chat_id=chat_id, user_id=user_id, name=name, chosen=frozenset({0}), correct=correct,
            now=when, round_question_id=question.id,
        )  # fmt: skip
        await uow.rounds.finish(started.id, RoundStatus.FINISHED, when)
        await uow.commit()


async def test_leaderboard_orders_shares_ties_and_escapes_names(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    group.post(people["alice"], "/leaderboard")
    assert "No answers yet" in (await group.reply()).result["text"]
    now, last_week = bot.clock.now(), bot.clock.now() - timedelta(days=8)
    answers = [
        (1, "Ann", True, last_week), (1, "Ann", True, last_week), (1, "Ann", True, last_week),
        (2, "<b>Eve</b>", True, now), (2, "<b>Eve</b>", True, now),
        (3, "Bo", True, now), (3, "Bo", True, now),
        (4, "Cy", False, now),
    ]  # fmt: skip
    for user_id, name, correct, when in answers:
        await answered_in_a_round(bot.services.uow, group.id, user_id, name, correct, when)
    group.post(people["carol"], "/leaderboard")
    board = await group.reply()
    week, all_time = board.result["text"].split("All time")
    assert "🥇 Bo — 2" in week and "🥇 <b>Eve</b> — 2" in week and "🥉 Cy — 0" in week
    assert "Ann" not in week
    assert "🥇 Ann — 3" in all_time and "🥈 Bo — 2" in all_time and "🥈 <b>Eve</b> — 2" in all_time
    assert "&lt;b&gt;Eve&lt;/b&gt;" in board.params["text"]


async def test_settings_are_for_admins_including_anonymous_ones(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    group.post(people["alice"], "/standup 09:30 Europe/Berlin weekdays")
    assert "Only this group's administrators" in (await group.reply()).result["text"]
    group.post(people["alice"], "/qotd 12:00")
    assert "Only this group's administrators" in (await group.reply()).result["text"]
    group.post(people["admin"], "/standup 09:30 Europe/Berlin weekdays")
    assert (
        "Saved. The group standup: 09:30 Europe/Berlin, on weekdays (Mon-Fri)."
        in (await group.reply()).result["text"]
    )
    group.post(None, "/qotd 12:00", as_group=True)
    assert (
        "Saved. The group question of the day: 12:00 Europe/Berlin, every day."
        in (await group.reply()).result["text"]
    )
    group.post(people["alice"], "/standup")
    assert "09:30 Europe/Berlin, on weekdays (Mon-Fri)" in (await group.reply()).result["text"]
    group.post(people["admin"], "/standup 25:00")
    assert "is not a time" in (await group.reply()).result["text"]
    group.post(people["admin"], "/standup <b>")
    refusal = await group.reply()
    assert "'<b>' is not a time" in refusal.result["text"], "the user's text is shown, escaped"
    group.post(people["admin"], "/standup off")
    assert "Turned off." in (await group.reply()).result["text"]


async def test_a_standup_with_replies_reminder_and_summary(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    alice, bob, carol, admin = people["alice"], people["bob"], people["carol"], people["admin"]
    group.post(admin, "/standup 10:00 UTC")
    await group.reply()
    group.post(carol, "/leaderboard")  # Carol is a member the bot has seen
    await group.reply()
    bot.clock.set(datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    prompt = await group.reply()
    assert "Group standup · Mon 2 Mar" in prompt.result["text"]
    prompt_id = prompt.result["message_id"]
    group.post(
        alice,
        "Finished the joins chapter\nToday: window functions\nBlockers: waiting for review",
        reply_to=prompt_id,
    )
    group.post(bob, "Fixed the flaky test", reply_to=prompt_id)
    group.post(admin, "Read about MVCC\nPractise EXPLAIN\nnone", reply_to=prompt_id)

    async def three_answers() -> bool:
        return await bot.services.group_posts.standup_answer_count(group.id, prompt_id) == 3

    await eventually(three_answers)
    bot.clock.set(datetime(2026, 3, 2, 12, 25, tzinfo=UTC))  # 80 % of the 3 h window
    await sweep(bot.application)  # type: ignore[arg-type]
    reminder = await group.reply()
    assert reminder.params["reply_parameters"]["message_id"] == prompt_id
    assert "Still missing: Carol." in reminder.result["text"]
    bot.clock.set(datetime(2026, 3, 2, 13, 1, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    summary = (await group.reply()).result["text"]
    assert "Standup summary · Mon 2 Mar" in summary
    assert "Alice: Finished the joins chapter / Today: window functions" in summary
    assert "Bob: Fixed the flaky test" in summary
    blockers = summary.split("Blockers")[1].split("Missing")[0]
    assert "Alice: waiting for review" in blockers and "Ada" not in blockers
    assert "Missing: Carol" in summary
    bot.clock.advance(timedelta(hours=3))
    await sweep(bot.application)  # type: ignore[arg-type]
    assert [
        call
        for call in bot.server.calls[group.cursor :]
        if call.chat_id == group.id and call.method == "sendMessage"
    ] == []


async def test_question_of_the_day_reveals_yesterday_first(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    alice, bob, admin = people["alice"], people["bob"], people["admin"]
    group.post(admin, "/qotd 12:00 UTC")
    await group.reply()
    bot.clock.set(datetime(2026, 3, 2, 12, 0, 30, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    first = await group.reply()
    post = await stored_post(bot, group.id, first.result["message_id"])
    assert post is not None and post.question_id
    question = bot.services.catalog.question(post.question_id)
    assert question is not None
    right = min(question.correct_options)
    wrong = next(
        index for index in range(len(question.options)) if index not in question.correct_options
    )
    if first.method == "sendPoll":
        alice.vote(sorted(question.correct_options), first.result["poll"]["id"])
        bob.vote([wrong], first.result["poll"]["id"])

        async def both_voted() -> bool:
            return (
                await bot.services.group_posts.qotd_answer_count(
                    group.id, first.result["message_id"]
                )
                == 2
            )

        await eventually(both_voted)
    else:
        await alice.answer_to(group.press(alice, "ABCD"[right], first.result["message_id"]))
        await bob.answer_to(group.press(bob, "ABCD"[wrong], first.result["message_id"]))
    bot.clock.set(datetime(2026, 3, 3, 12, 0, 30, tzinfo=UTC))
    await sweep(bot.application)  # type: ignore[arg-type]
    calls = [await group.reply(), await group.reply()]
    if calls[0].method == "stopPoll":
        calls = [calls[1], await group.reply()]
    reveal, second = calls
    assert "Yesterday's question" in reveal.result["text"]
    assert "Right: Alice (1 of 2 answers)" in reveal.result["text"]
    assert second.method in ("sendPoll", "sendMessage")


async def test_a_supergroup_migration_keeps_everything(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    alice, bob, admin = people["alice"], people["bob"], people["admin"]
    group.post(alice, "/groupquiz democode 1")
    await group.reply()
    await group.reply()
    await bob.answer_to(group.press(bob, "A"))
    await tick_after(bot, 31)
    await group.reply()
    await group.reply()
    group.post(admin, "/standup 10:00 UTC")
    await group.reply()
    old_id = group.id
    group.migrate_to_supergroup(-1001234567890)
    group.post(alice, "/leaderboard")
    board = (await group.reply()).result["text"]
    assert "Bob — 1" in board
    assert await stored_chat(bot, old_id) is None
    chat = await stored_chat(bot, group.id)
    assert chat is not None and chat.type == "supergroup"
    assert await bot.services.group_posts.schedule(group.id, GroupPostKind.STANDUP) is not None


async def test_a_restart_mid_round_loses_no_answer(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    alice, bob = people["alice"], people["bob"]
    group.post(alice, "/groupquiz democode 1")
    await group.reply()
    await group.reply()
    await bob.answer_to(group.press(bob, "A"))
    await bot.restart()
    await alice.answer_to(group.press(alice, "B"))
    await tick_after(bot, 31)
    closed = await group.reply()
    assert "Right: Bob (1 of 2 answers)" in closed.result["text"]
    ranking = (await group.reply()).result["text"]
    assert "Bob — 1/1" in ranking and "Alice — 0/1" in ranking


async def test_commands_in_the_wrong_kind_of_chat(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    alice = people["alice"]
    alice.send("/groupquiz")
    assert "works in a group" in (await alice.reply()).result["text"]
    group.post(alice, "/stats")
    assert "/stats works in a private chat" in (await group.reply()).result["text"]
    group.post(alice, "/frobnicate")
    assert "I don't know /frobnicate" in (await group.reply()).result["text"]
    group.post(alice, "/start@some_other_bot")
    group.post(alice, "/help")
    help_text = (await group.reply()).result["text"]
    assert "/groupquiz [area] [count]" in help_text and "/standup" in help_text


async def test_group_pacing_never_delays_private_chats(
    server: BotApiServer, clock: FakeClock, sqlite_url: str
) -> None:
    harness = BotHarness(server, clock, sqlite_url, DEMO_BANKS)
    harness.group_messages_per_minute = 20.0  # production pacing
    await harness.start()
    try:
        group = harness.group()
        alice = harness.user()
        group.set_status(alice, "member")
        for _ in range(3):
            group.post(alice, "/leaderboard")
        alice.send("/help")
        private = await alice.reply(timeout=5)
        group_replies = [await group.reply(timeout=15) for _ in range(3)]
        assert private.at < group_replies[1].at, "the private reply did not wait behind the group"
        gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(group_replies)]
        assert all(gap >= 2.9 for gap in gaps), gaps
    finally:
        await harness.stop()


async def test_a_403_in_a_group_deactivates_the_group_not_the_member(
    bot: BotHarness, group: SimGroup, people: dict[str, SimUser]
) -> None:
    alice = people["alice"]
    alice.send("/start")
    await alice.reply()
    bot.server.fail(
        "sendMessage",
        403,
        description="Forbidden: bot was kicked from the group chat",
        chat_id=group.id,
    )
    group.post(alice, "/leaderboard")
    await bot.server.wait_for(lambda call: call.method == "sendMessage" and not call.ok)
    for _ in range(50):  # the error handler runs right after the failed send
        chat = await stored_chat(bot, group.id)
        if chat is not None and not chat.active:
            break
        await asyncio.sleep(0.1)
    assert chat is not None and chat.active is False
    user = await bot.services.users.get(alice.id)
    assert user is not None and user.active is True
    alice.send("/help")
    assert "Commands" in (await alice.reply()).result["text"]
