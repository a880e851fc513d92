"""Group storage on SQLite and PostgreSQL: one running round, first answers, migration."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.storage.database import Database
from bot.storage.groups import GroupRepository
from bot.storage.migrate import upgrade
from bot.storage.models import RoundStatus

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GROUP = -100


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[GroupRepository]:
    database = Database(database_url)
    await upgrade(database)
    yield GroupRepository(database)
    await database.dispose()


async def start(store: GroupRepository, chat_id: int = GROUP):  # type: ignore[no-untyped-def]
    return await store.start_round(
        chat_id=chat_id,
        started_by=1,
        area=None,
        questions=[("q-1", "poll"), ("q-2", "buttons")],
        seconds=30,
        now=NOW,
    )


async def test_only_one_round_runs_per_group(store: GroupRepository) -> None:
    first = await start(store)
    assert first is not None
    assert await start(store) is None
    assert await start(store, chat_id=-200) is not None, "other groups are not affected"
    assert await store.finish_round(first.id, RoundStatus.FINISHED, NOW)
    assert await store.finish_round(first.id, RoundStatus.STOPPED, NOW) is False
    assert await start(store) is not None


async def test_a_members_first_answer_counts_even_under_concurrent_presses(
    store: GroupRepository,
) -> None:
    running = await start(store)
    assert running is not None
    question = await store.round_question_at(running.id, 0)
    assert question is not None
    results = await asyncio.gather(
        *(
            store.record_answer(
                chat_id=GROUP,
                user_id=7,
                name="Bo",
                chosen=str(option),
                correct=option == 0,
                now=NOW,
                round_question_id=question.id,
            )
            for option in range(4)
        )
    )
    assert sum(results) == 1
    [score] = await store.scores(GROUP, round_id=running.id)
    assert score.answered == 1


async def test_migration_moves_everything_to_the_new_id(store: GroupRepository) -> None:
    await store.upsert_chat(GROUP, "group", "Study", NOW)
    await store.touch_member(GROUP, 7, "Bo", NOW)
    running = await start(store)
    assert running is not None
    question = await store.round_question_at(running.id, 0)
    assert question is not None
    await store.record_answer(
        chat_id=GROUP,
        user_id=7,
        name="Bo",
        chosen="0",
        correct=True,
        now=NOW,
        round_question_id=question.id,
    )
    await store.upsert_chat(
        -1009, "supergroup", "Study", NOW
    )  # a message from the new id came first
    assert await store.migrate_chat(GROUP, -1009)
    assert await store.chat(GROUP) is None
    assert [member.name for member in await store.members(-1009)] == ["Bo"]
    assert [(score.name, score.points) for score in await store.scores(-1009)] == [("Bo", 1)]
    assert (await store.running_round(-1009)) is not None
    assert await store.migrate_chat(GROUP, -1009) is False, (
        "the second migration update changes nothing"
    )
