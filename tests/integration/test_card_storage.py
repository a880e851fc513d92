"""FSRS cards and their review log on a real database: SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from bot.domain.spaced_repetition import (
    CardPhase,
    CardState,
    ReviewRating,
    ReviewSource,
    review,
)
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.unit_of_work import UnitOfWorkFactory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def add_user(uow: UnitOfWorkFactory, user_id: int) -> None:
    async with uow() as work:
        await work.users.touch(user_id, f"user{user_id}", None, NOW)
        await work.commit()


async def test_a_card_round_trips_and_an_upsert_replaces_it(uow: UnitOfWorkFactory) -> None:
    await add_user(uow, 1)
    first = review(CardState.new(NOW), ReviewRating.AGAIN, NOW)
    second = review(first, ReviewRating.GOOD, NOW + timedelta(minutes=11))
    for card in (first, second):
        async with uow() as work:
            await work.cards.save(1, "sql-joins-001", "sql", card)
            await work.commit()
    async with uow() as work:
        stored = await work.cards.get_for_update(1, "sql-joins-001")
        [studied] = await work.cards.of_user(1)
    assert stored == second
    assert stored is not None and stored.phase is CardPhase.REVIEW
    assert (studied.area, studied.card) == ("sql", second)


async def test_due_cards_of_one_user_longest_overdue_first(uow: UnitOfWorkFactory) -> None:
    for user_id in (1, 2):
        await add_user(uow, user_id)
    async with uow() as work:
        for index, hours in enumerate((3, 1, -2)):
            card = CardState.new(NOW)
            card = CardState(
                card.phase,
                card.step,
                1.0,
                5.0,
                NOW - timedelta(hours=hours),
                NOW - timedelta(days=1),
            )
            await work.cards.save(1, f"q-{index}", "sql", card)
        await work.cards.save(2, "q-0", "sql", CardState.new(NOW - timedelta(days=9)))
        await work.commit()
    async with uow() as work:
        due = await work.cards.due(1, NOW)
        assert list(due) == ["q-0", "q-1"]
        assert await work.cards.count_due(1, NOW + timedelta(hours=3)) == 3
        assert await work.cards.next_due(1) == NOW - timedelta(hours=3)


async def test_review_logs_and_goal_go_with_forget(uow: UnitOfWorkFactory) -> None:
    await add_user(uow, 1)
    card = review(CardState.new(NOW), ReviewRating.GOOD, NOW)
    async with uow() as work:
        await work.users.set_goal(1, date(2026, 6, 1))
        await work.cards.save(1, "q", "sql", card)
        await work.cards.log(
            user_id=1,
            question_id="q",
            rating=ReviewRating.GOOD,
            source=ReviewSource.QUIZ,
            reviewed_at=NOW,
            duration_ms=1500,
            due_after=card.due,
        )
        await work.commit()
    async with uow() as work:
        user = await work.users.get(1)
        [logged] = await work.cards.reviews_of(1)
        assert user is not None and user.goal_date == date(2026, 6, 1)
        assert (logged.rating, logged.source, logged.duration_ms) == (3, ReviewSource.QUIZ, 1500)
        await work.users.delete_everything(1)
        await work.commit()
    async with uow() as work:
        assert await work.cards.of_user(1) == []
        assert await work.cards.reviews_of(1) == []


async def test_answers_stored_before_the_upgrade_are_replayed_into_cards(
    database_url: str,
) -> None:
    from alembic import command

    from bot.storage.migrate import alembic_config

    database = Database(database_url)
    naive = NOW.replace(tzinfo=None)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(
                lambda sync: command.upgrade(alembic_config(sync), "0006_quiz_level")
            )
            await connection.execute(
                text(
                    "INSERT INTO users (id, first_name, active, created_at, last_seen_at) "
                    "VALUES (1, 'A', true, :now, :now)"
                ),
                {"now": naive},
            )
            for row_id, question, correct, rating, minutes in (
                (1, "sql-a", 0, None, 0),
                (2, "sql-a", 1, None, 30),
                (3, "open-b", 1, 4, 5),
            ):
                await connection.execute(
                    text(
                        "INSERT INTO attempts (id, user_id, chat_id, question_id, area, kind, "
                        "status, selection, correct, rating, asked_at, answered_at) VALUES "
                        "(:id, 1, 1, :question, 'sql', 'buttons', 'answered', '', :correct, "
                        ":rating, :asked, :answered)"
                    ),
                    {
                        "id": row_id,
                        "question": question,
                        "correct": correct,
                        "rating": rating,
                        "asked": naive + timedelta(minutes=minutes),
                        "answered": naive + timedelta(minutes=minutes, seconds=20),
                    },
                )
        await upgrade(database)
        async with UnitOfWorkFactory(database)() as work:
            cards = {card.question_id: card.card for card in await work.cards.of_user(1)}
            logs = await work.cards.reviews_of(1)
            attempt = await work.attempts.get(1)
        expected = review(
            review(CardState.new(NOW), ReviewRating.AGAIN, NOW + timedelta(seconds=20)),
            ReviewRating.GOOD,
            NOW + timedelta(minutes=30, seconds=20),
        )
        assert cards["sql-a"] == expected
        assert cards["open-b"].reps == 1
        assert [log.rating for log in logs] == [1, 4, 3]
        assert attempt is not None and attempt.review is False
    finally:
        await database.dispose()
