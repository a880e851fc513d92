"""Repositories, the unit of work and migrations on a real database: SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from bot.domain.states import AttemptStatus, DeliveryKind, PollOwner
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import Attempt
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def add_user(uow: UnitOfWorkFactory, user_id: int = 1, name: str = "Alice") -> None:
    async with uow() as work:
        await work.users.touch(user_id, name, None, NOW)
        await work.commit()


async def open_attempt(
    uow: UnitOfWorkFactory, user_id: int = 1, question: str = "sql-joins-001"
) -> int:
    async with uow() as work:
        attempt = await work.attempts.add(
            Attempt(
                user_id=user_id,
                chat_id=user_id,
                question_id=question,
                area=question.split("-")[0],
                quiz_area=None,
                kind=DeliveryKind.BUTTONS,
                status=AttemptStatus.OPEN,
                selection=frozenset(),
                asked_at=NOW,
            )
        )
        await work.commit()
        return attempt.id


async def answer(
    uow: UnitOfWorkFactory, attempt_id: int, user_id: int, correct: bool, chosen: int = 0
) -> bool:
    async with uow() as work:
        changed = await work.attempts.change_if(
            attempt_id,
            user_id,
            status=AttemptStatus.ANSWERED,
            chosen=frozenset({chosen}),
            correct=int(correct),
            answered_at=NOW,
        )
        await work.commit()
        return changed


async def test_migrations_create_the_tables_and_are_idempotent(database: Database) -> None:
    await upgrade(database)  # a second run changes nothing
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        version = (
            await connection.execute(text("SELECT version_num FROM alembic_version"))
        ).scalar_one()
    assert {"users", "attempts", "polls", "cards", "card_reviews", "alembic_version"} <= tables
    assert version == "0007"


async def test_user_is_created_then_refreshed(uow: UnitOfWorkFactory) -> None:
    await add_user(uow)
    async with uow() as work:
        await work.users.set_active(1, False)
        await work.commit()
    async with uow() as work:
        await work.users.touch(1, "Alice B", None, NOW + timedelta(days=1))
        await work.commit()
    async with uow() as work:
        user = await work.users.get(1)
    assert user is not None
    assert (user.first_name, user.username, user.active) == ("Alice B", None, True)
    assert user.created_at == NOW
    assert user.last_seen_at == NOW + timedelta(days=1)
    assert user.last_seen_at.tzinfo is not None


async def test_leaving_without_commit_stores_nothing(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        await work.users.touch(1, "Alice", None, NOW)
    async with uow() as work:
        assert await work.users.get(1) is None


async def test_an_error_inside_rolls_the_whole_unit_back(uow: UnitOfWorkFactory) -> None:
    await add_user(uow)
    attempt_id = await open_attempt(uow)
    with pytest.raises(RuntimeError):
        async with uow() as work:
            await work.attempts.change_if(attempt_id, 1, status=AttemptStatus.SKIPPED)
            await work.users.set_active(1, False)
            raise RuntimeError("the rule failed half-way")
    async with uow() as work:
        stored, user = await work.attempts.get(attempt_id), await work.users.get(1)
    assert stored is not None and stored.status is AttemptStatus.OPEN
    assert user is not None and user.active


async def test_an_answer_is_recorded_exactly_once_under_concurrent_presses(
    uow: UnitOfWorkFactory,
) -> None:
    await add_user(uow)
    attempt_id = await open_attempt(uow)
    results = await asyncio.gather(
        *(answer(uow, attempt_id, 1, option % 2 == 0, option % 4) for option in range(10))
    )
    assert sum(results) == 1
    async with uow() as work:
        stored = await work.attempts.get(attempt_id)
        scores = await work.attempts.area_scores(1)
    assert stored is not None and stored.status is AttemptStatus.ANSWERED
    assert stored.chosen is not None and len(stored.chosen) == 1
    assert [(score.area, score.answered) for score in scores] == [("sql", 1)]


async def test_another_user_cannot_answer_and_skipped_cannot_be_answered(
    uow: UnitOfWorkFactory,
) -> None:
    await add_user(uow)
    attempt_id = await open_attempt(uow)
    assert await answer(uow, attempt_id, 2, True) is False
    async with uow() as work:
        assert await work.attempts.change_if(attempt_id, 1, status=AttemptStatus.SKIPPED)
        await work.commit()
    assert await answer(uow, attempt_id, 1, True) is False
    async with uow() as work:
        assert await work.attempts.area_scores(1) == []


async def test_a_revealed_question_still_takes_its_rating(uow: UnitOfWorkFactory) -> None:
    await add_user(uow)
    attempt_id = await open_attempt(uow)
    async with uow() as work:
        only_open = (AttemptStatus.OPEN,)
        assert await work.attempts.change_if(
            attempt_id, 1, states=only_open, status=AttemptStatus.REVEALED
        )
        assert not await work.attempts.change_if(
            attempt_id, 1, states=only_open, status=AttemptStatus.REVEALED
        ), "revealed twice"
        await work.commit()
    assert await answer(uow, attempt_id, 1, True)


async def test_skipping_the_open_ones_and_owning_a_poll(uow: UnitOfWorkFactory) -> None:
    await add_user(uow)
    first = await open_attempt(uow)
    second = await open_attempt(uow, question="git-x-001")
    async with uow() as work:
        stale = await work.attempts.skip_open(1, 1, NOW)
        await work.attempts.attach_message(second, 42, "poll-1")
        await work.polls.record("poll-1", PollOwner.PRIVATE_QUIZ, second, 1, NOW)
        await work.commit()
    assert sorted(attempt.id for attempt in stale) == [first, second]
    async with uow() as work:
        owner = await work.polls.get("poll-1")
        stored = await work.attempts.get(first)
    assert owner is not None and (owner.owner, owner.owner_id) == (PollOwner.PRIVATE_QUIZ, second)
    assert stored is not None and stored.status is AttemptStatus.SKIPPED


async def test_scores_sum_integers_per_area(uow: UnitOfWorkFactory) -> None:
    await add_user(uow)
    outcomes = [("sql-a-001", True), ("sql-b-001", False), ("git-a-001", True), ("git-b-001", True)]
    for question, correct in outcomes:
        assert await answer(uow, await open_attempt(uow, question=question), 1, correct)
    async with uow() as work:
        scores = {
            score.area: (score.answered, score.correct)
            for score in await work.attempts.area_scores(1)
        }
    assert scores == {"git": (2, 2), "sql": (2, 1)}


async def test_delete_everything_removes_the_user_and_their_attempts_only(
    uow: UnitOfWorkFactory,
) -> None:
    for user_id in (1, 2):
        await add_user(uow, user_id, f"user{user_id}")
        await open_attempt(uow, user_id=user_id)
    async with uow() as work:
        assert await work.users.delete_everything(1) == 1
        await work.commit()
    async with uow() as work:
        assert await work.users.get(1) is None
        assert await work.attempts.count_for_user(1) == 0
        assert await work.attempts.count_for_user(2) == 1


async def test_naive_datetimes_are_refused(uow: UnitOfWorkFactory) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with uow() as work:
            await work.users.touch(1, "Alice", None, datetime(2026, 1, 1))
            await work.commit()


async def test_a_unit_of_work_is_only_used_inside_its_block(database: Database) -> None:
    with pytest.raises(RuntimeError, match="outside"):
        await UnitOfWork(database).commit()


async def test_legacy_rows_migrate_to_statuses_and_poll_owners(database_url: str) -> None:
    """A database at 0004 with a revealed open question and a rated one moves to 0005."""
    from alembic import command

    from bot.storage.migrate import alembic_config

    database = Database(database_url)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0004"))
            await connection.execute(
                text(
                    "INSERT INTO users (id, first_name, active, created_at, last_seen_at) "
                    "VALUES (1, 'A', true, :now, :now)"
                ),
                {"now": NOW.replace(tzinfo=None)},
            )
            for row_id, status, selection, chosen, rating, poll in (
                (1, "open", "revealed", None, None, None),
                (2, "answered", "", "good", 3, None),
                (3, "open", "", None, None, "p-9"),
            ):
                await connection.execute(
                    text(
                        "INSERT INTO attempts (id, user_id, chat_id, question_id, area, kind, "
                        "status, selection, chosen, rating, poll_id, asked_at) VALUES "
                        "(:id, 1, 1, 'q', 'a', 'typed', :status, :selection, :chosen, :rating, "
                        ":poll, :now)"
                    ),
                    {
                        "id": row_id,
                        "status": status,
                        "selection": selection,
                        "chosen": chosen,
                        "rating": rating,
                        "poll": poll,
                        "now": NOW.replace(tzinfo=None),
                    },
                )
        await upgrade(database)
        async with UnitOfWorkFactory(database)() as work:
            revealed, rated = await work.attempts.get(1), await work.attempts.get(2)
            owner = await work.polls.get("p-9")
        assert revealed is not None and revealed.status is AttemptStatus.REVEALED
        assert revealed.selection == frozenset()
        assert rated is not None and rated.chosen is None and rated.rating == 3
        assert owner is not None and (owner.owner, owner.owner_id) == (PollOwner.PRIVATE_QUIZ, 3)
    finally:
        await database.dispose()
