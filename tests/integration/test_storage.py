"""Repositories and migrations on a real database: SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import AttemptStatus, DeliveryKind
from bot.storage.repositories import AttemptRepository, UserRepository

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await upgrade(db)
    yield db
    await db.dispose()


async def open_attempt(
    attempts: AttemptRepository, user_id: int = 1, question: str = "sql-joins-001"
):  # type: ignore[no-untyped-def]
    attempt, _stale = await attempts.open_new(
        user_id=user_id,
        chat_id=user_id,
        question_id=question,
        area=question.split("-")[0],
        quiz_area=None,
        kind=DeliveryKind.BUTTONS.value,
        now=NOW,
    )
    return attempt


async def test_migrations_create_the_tables_and_are_idempotent(database: Database) -> None:
    await upgrade(database)  # a second run changes nothing
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        version = (
            await connection.execute(text("SELECT version_num FROM alembic_version"))
        ).scalar_one()
    assert {"users", "attempts", "alembic_version"} <= tables
    assert version == "0004"


async def test_user_is_created_then_refreshed(database: Database) -> None:
    users = UserRepository(database)
    await users.touch(1, "Alice", "alice", NOW)
    await users.set_active(1, False)
    await users.touch(1, "Alice B", None, NOW + timedelta(days=1))
    user = await users.get(1)
    assert user is not None
    assert (user.first_name, user.username, user.active) == ("Alice B", None, True)
    assert user.created_at == NOW
    assert user.last_seen_at == NOW + timedelta(days=1)
    assert user.last_seen_at.tzinfo is not None


async def test_an_answer_is_recorded_exactly_once_under_concurrent_presses(
    database: Database,
) -> None:
    users, attempts = UserRepository(database), AttemptRepository(database)
    await users.touch(1, "Alice", None, NOW)
    attempt = await open_attempt(attempts)
    results = await asyncio.gather(
        *(
            attempts.record_answer(attempt.id, 1, str(option % 4), option % 2 == 0, NOW)
            for option in range(10)
        )
    )
    assert sum(results) == 1
    stored = await attempts.get(attempt.id)
    assert stored is not None and stored.status == AttemptStatus.ANSWERED.value
    scores = await attempts.area_scores(1)
    assert [(score.area, score.answered) for score in scores] == [("sql", 1)]


async def test_another_user_cannot_answer_and_skipped_cannot_be_answered(
    database: Database,
) -> None:
    users, attempts = UserRepository(database), AttemptRepository(database)
    await users.touch(1, "Alice", None, NOW)
    attempt = await open_attempt(attempts)
    assert await attempts.record_answer(attempt.id, 2, "0", True, NOW) is False
    assert await attempts.skip(attempt.id, 1, NOW) is True
    assert await attempts.record_answer(attempt.id, 1, "0", True, NOW) is False
    assert await attempts.area_scores(1) == []


async def test_opening_a_new_attempt_skips_the_open_one(database: Database) -> None:
    users, attempts = UserRepository(database), AttemptRepository(database)
    await users.touch(1, "Alice", None, NOW)
    first = await open_attempt(attempts)
    second, stale = await attempts.open_new(
        user_id=1,
        chat_id=1,
        question_id="git-x-001",
        area="git",
        quiz_area="git",
        kind="poll",
        now=NOW,
    )
    assert [attempt.id for attempt in stale] == [first.id]
    assert (await attempts.get(first.id)).status == AttemptStatus.SKIPPED.value  # type: ignore[union-attr]
    await attempts.attach_message(second.id, 42, "poll-1")
    found = await attempts.by_poll_id("poll-1")
    assert found is not None and (found.id, found.message_id) == (second.id, 42)


async def test_scores_sum_integers_per_area(database: Database) -> None:
    users, attempts = UserRepository(database), AttemptRepository(database)
    await users.touch(1, "Alice", None, NOW)
    outcomes = [("sql-a-001", True), ("sql-b-001", False), ("git-a-001", True), ("git-b-001", True)]
    for question, correct in outcomes:
        attempt = await open_attempt(attempts, question=question)
        assert await attempts.record_answer(attempt.id, 1, "0", correct, NOW)
    scores = {
        score.area: (score.answered, score.correct) for score in await attempts.area_scores(1)
    }
    assert scores == {"git": (2, 2), "sql": (2, 1)}
    history = await attempts.history(1)
    assert history["sql-b-001"].last_correct is False
    assert history["sql-b-001"].last_answered_at == NOW


async def test_delete_everything_removes_the_user_and_their_attempts_only(
    database: Database,
) -> None:
    users, attempts = UserRepository(database), AttemptRepository(database)
    for user_id in (1, 2):
        await users.touch(user_id, f"user{user_id}", None, NOW)
        await open_attempt(attempts, user_id=user_id)
    assert await users.delete_everything(1) == 1
    assert await users.get(1) is None
    assert await attempts.count_for_user(1) == 0
    assert await attempts.count_for_user(2) == 1


async def test_naive_datetimes_are_refused(database: Database) -> None:
    users = UserRepository(database)
    with pytest.raises(Exception, match="naive datetime"):
        await users.touch(1, "Alice", None, datetime(2026, 1, 1))


async def test_settle_reads_and_writes_once_under_concurrent_presses(database: Database) -> None:
    users, attempts = UserRepository(database), AttemptRepository(database)
    await users.touch(1, "Alice", None, NOW)
    attempt = await open_attempt(attempts)

    def decide(found: object) -> dict[str, object] | None:
        return {
            "status": AttemptStatus.ANSWERED.value,
            "chosen": "0",
            "correct": 1,
            "answered_at": NOW,
        }

    results = await asyncio.gather(*(attempts.settle(attempt.id, 1, decide) for _ in range(10)))
    assert sum(changed for _attempt, changed in results) == 1
    assert [(score.answered, score.correct) for score in await attempts.area_scores(1)] == [(1, 1)]
