"""Group storage on SQLite and PostgreSQL: one running round, first answers, migration."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.domain.states import DeliveryKind, PollOwner, RoundStatus
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import Round
from bot.storage.unit_of_work import UnitOfWorkFactory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GROUP = -100


@pytest.fixture
async def uow(database_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    database = Database(database_url)
    await upgrade(database)
    yield UnitOfWorkFactory(database)
    await database.dispose()


async def start(uow: UnitOfWorkFactory, chat_id: int = GROUP) -> Round | None:
    async with uow() as work:
        started = await work.rounds.start(
            chat_id=chat_id,
            started_by=1,
            area=None,
            questions=[("q-1", DeliveryKind.POLL), ("q-2", DeliveryKind.BUTTONS)],
            seconds=30,
            now=NOW,
        )
        await work.commit()
        return started


async def finish(uow: UnitOfWorkFactory, round_id: int, status: RoundStatus) -> bool:
    async with uow() as work:
        finished = await work.rounds.finish(round_id, status, NOW)
        await work.commit()
        return finished


async def first_question_id(uow: UnitOfWorkFactory, round_id: int) -> int:
    async with uow() as work:
        question = await work.rounds.question_at(round_id, 0)
    assert question is not None
    return question.id


async def record(uow: UnitOfWorkFactory, question_id: int, option: int) -> bool:
    async with uow() as work:
        stored = await work.group_answers.record(
            chat_id=GROUP,
            user_id=7,
            name="Bo",
            chosen=frozenset({option}),
            correct=option == 0,
            now=NOW,
            round_question_id=question_id,
        )
        await work.commit()
        return stored


async def test_only_one_round_runs_per_group(uow: UnitOfWorkFactory) -> None:
    first = await start(uow)
    assert first is not None
    assert await start(uow) is None
    assert await start(uow, chat_id=-200) is not None, "other groups are not affected"
    assert await finish(uow, first.id, RoundStatus.FINISHED)
    assert await finish(uow, first.id, RoundStatus.STOPPED) is False
    assert await start(uow) is not None


async def test_a_members_first_answer_counts_even_under_concurrent_presses(
    uow: UnitOfWorkFactory,
) -> None:
    running = await start(uow)
    assert running is not None
    question_id = await first_question_id(uow, running.id)
    results = await asyncio.gather(*(record(uow, question_id, option) for option in range(4)))
    assert sum(results) == 1
    async with uow() as work:
        [score] = await work.group_answers.scores(GROUP, round_id=running.id)
    assert score.answered == 1


async def test_a_question_closes_once(uow: UnitOfWorkFactory) -> None:
    running = await start(uow)
    assert running is not None
    question_id = await first_question_id(uow, running.id)

    async def close() -> bool:
        async with uow() as work:
            closed = await work.rounds.close_question(question_id, NOW)
            await work.commit()
            return closed

    assert sum(await asyncio.gather(*(close() for _ in range(5)))) == 1


async def test_migration_moves_everything_to_the_new_id(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        await work.chats.upsert(GROUP, "group", "Study", NOW)
        await work.chats.touch_member(GROUP, 7, "Bo", NOW)
        await work.polls.record("poll-7", PollOwner.ROUND, 1, GROUP, NOW)
        await work.commit()
    running = await start(uow)
    assert running is not None
    assert await record(uow, await first_question_id(uow, running.id), 0)
    async with uow() as work:
        await work.chats.upsert(-1009, "supergroup", "Study", NOW)  # the new id spoke first
        await work.commit()
    async with uow() as work:
        assert await work.chats.migrate(GROUP, -1009)
        await work.commit()
    async with uow() as work:
        assert await work.chats.get(GROUP) is None
        assert [member.name for member in await work.chats.members(-1009)] == ["Bo"]
        scores = await work.group_answers.scores(-1009)
        assert [(score.name, score.points) for score in scores] == [("Bo", 1)]
        assert await work.rounds.running(-1009) is not None
        poll = await work.polls.get("poll-7")
        assert poll is not None and poll.chat_id == -1009
        assert await work.chats.migrate(GROUP, -1009) is False, "a second migration changes nothing"
