"""Members' first answers to round questions and questions of the day: scores come from here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.ranking import Score
from bot.storage.models import GroupAnswer, RoundQuestion


class GroupAnswerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self,
        *,
        chat_id: int,
        user_id: int,
        name: str,
        chosen: frozenset[int],
        correct: bool,
        now: datetime,
        round_question_id: int | None = None,
        post_id: int | None = None,
    ) -> bool:
        """Stores a member's first answer; False when they had already answered."""
        try:
            async with self._session.begin_nested():
                self._session.add(
                    GroupAnswer(
                        chat_id=chat_id,
                        user_id=user_id,
                        name=name[:128],
                        round_question_id=round_question_id,
                        post_id=post_id,
                        chosen=chosen,
                        correct=int(correct),
                        answered_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def answers_to(
        self, *, round_question_id: int | None = None, post_id: int | None = None
    ) -> Sequence[GroupAnswer]:
        condition = (
            GroupAnswer.round_question_id == round_question_id
            if round_question_id is not None
            else GroupAnswer.post_id == post_id
        )
        rows = await self._session.scalars(
            select(GroupAnswer).where(condition).order_by(GroupAnswer.answered_at)
        )
        return rows.all()

    async def scores(
        self, chat_id: int, since: datetime | None = None, round_id: int | None = None
    ) -> list[Score]:
        conditions = [GroupAnswer.chat_id == chat_id]
        if since is not None:
            conditions.append(GroupAnswer.answered_at >= since)
        query = select(
            GroupAnswer.user_id,
            func.max(GroupAnswer.name),
            func.coalesce(func.sum(GroupAnswer.correct), 0),
            func.count(),
        )
        if round_id is not None:
            query = query.join(RoundQuestion, RoundQuestion.id == GroupAnswer.round_question_id)
            conditions.append(RoundQuestion.round_id == round_id)
        rows = (
            await self._session.execute(query.where(*conditions).group_by(GroupAnswer.user_id))
        ).all()
        return [
            Score(int(user_id), str(name), int(points), int(count))
            for user_id, name, points, count in rows
        ]
