"""FSRS cards (one per learner and question) and the log of their reviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.readiness import StudiedCard
from bot.domain.spaced_repetition import CardPhase, CardState, ReviewRating, ReviewSource
from bot.storage.models import Card, CardReview

STATE_COLUMNS = (
    Card.phase,
    Card.step,
    Card.stability,
    Card.difficulty,
    Card.due,
    Card.last_review,
    Card.reps,
    Card.lapses,
)
# A learner with more cards due than this is served from the longest overdue ones.
DUE_WINDOW = 500


def _state(row: Any) -> CardState:
    """A row holding STATE_COLUMNS (and possibly more) as a card state."""
    return CardState(
        phase=CardPhase(row.phase),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
        reps=row.reps,
        lapses=row.lapses,
    )


class CardRepository:
    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self._session = session
        self._dialect = dialect

    async def get_for_update(self, user_id: int, question_id: str) -> CardState | None:
        """The card, locked until the transaction ends (on PostgreSQL; SQLite has one writer)."""
        row = (
            await self._session.execute(
                select(*STATE_COLUMNS)
                .where(Card.user_id == user_id, Card.question_id == question_id)
                .with_for_update()
            )
        ).first()
        return _state(row) if row else None

    async def save(self, user_id: int, question_id: str, area: str, card: CardState) -> None:
        values = {
            "phase": int(card.phase),
            "step": card.step,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "due": card.due,
            "last_review": card.last_review,
            "reps": card.reps,
            "lapses": card.lapses,
            "area": area,
        }
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(Card).values(user_id=user_id, question_id=question_id, **values)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["user_id", "question_id"], set_=values)
        )

    async def log(
        self,
        *,
        user_id: int,
        question_id: str,
        rating: ReviewRating,
        source: ReviewSource,
        reviewed_at: datetime,
        duration_ms: int | None,
        due_after: datetime,
    ) -> None:
        self._session.add(
            CardReview(
                user_id=user_id,
                question_id=question_id,
                rating=int(rating),
                source=source,
                reviewed_at=reviewed_at,
                duration_ms=duration_ms,
                due_after=due_after,
            )
        )
        await self._session.flush()

    async def due(self, user_id: int, until: datetime) -> dict[str, CardState]:
        """The learner's cards due by `until`, the longest overdue first (at most DUE_WINDOW):
        one index range of (user_id, due)."""
        rows = await self._session.execute(
            select(Card.question_id, *STATE_COLUMNS)
            .where(Card.user_id == user_id, Card.due <= until)
            .order_by(Card.due)
            .limit(DUE_WINDOW)
        )
        return {row.question_id: _state(row) for row in rows}

    async def count_due(self, user_id: int, until: datetime) -> int:
        count = await self._session.scalar(
            select(func.count()).select_from(Card).where(Card.user_id == user_id, Card.due <= until)
        )
        return int(count or 0)

    async def next_due(self, user_id: int) -> datetime | None:
        return await self._session.scalar(select(func.min(Card.due)).where(Card.user_id == user_id))

    async def of_user(self, user_id: int) -> list[StudiedCard]:
        rows = await self._session.execute(
            select(Card.question_id, Card.area, *STATE_COLUMNS).where(Card.user_id == user_id)
        )
        return [StudiedCard(row.question_id, row.area, _state(row)) for row in rows]

    async def reviews_of(self, user_id: int) -> list[CardReview]:
        rows = await self._session.scalars(
            select(CardReview)
            .where(CardReview.user_id == user_id)
            .order_by(CardReview.reviewed_at, CardReview.id)
        )
        return list(rows.all())
