"""Group quiz rounds and their questions, with deadlines stored beside them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import DeliveryKind, RoundStatus
from bot.storage.models import Round, RoundQuestion


class RoundRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def start(
        self,
        *,
        chat_id: int,
        started_by: int,
        area: str | None,
        questions: Sequence[tuple[str, DeliveryKind]],
        seconds: int,
        now: datetime,
    ) -> Round | None:
        """A new running round with its questions, or None when the chat already runs one."""
        quiz_round = Round(
            chat_id=chat_id,
            started_by=started_by,
            area=area,
            total=len(questions),
            seconds=seconds,
            status=RoundStatus.RUNNING,
            created_at=now,
        )
        try:
            async with self._session.begin_nested():
                self._session.add(quiz_round)
                await self._session.flush()
        except IntegrityError:
            return None
        for position, (question_id, kind) in enumerate(questions):
            self._session.add(
                RoundQuestion(
                    round_id=quiz_round.id, position=position, question_id=question_id, kind=kind
                )
            )
        await self._session.flush()
        return quiz_round

    async def running(self, chat_id: int) -> Round | None:
        return await self._session.scalar(
            select(Round).where(Round.chat_id == chat_id, Round.status == RoundStatus.RUNNING)
        )

    async def get(self, round_id: int) -> Round | None:
        return await self._session.get(Round, round_id)

    async def question_at(self, round_id: int, position: int) -> RoundQuestion | None:
        return await self._session.scalar(
            select(RoundQuestion).where(
                RoundQuestion.round_id == round_id, RoundQuestion.position == position
            )
        )

    async def questions_of(self, round_id: int) -> Sequence[RoundQuestion]:
        rows = await self._session.scalars(
            select(RoundQuestion)
            .where(RoundQuestion.round_id == round_id)
            .order_by(RoundQuestion.position)
        )
        return rows.all()

    async def question(self, round_question_id: int) -> RoundQuestion | None:
        return await self._session.get(RoundQuestion, round_question_id)

    async def open_question(
        self,
        round_question_id: int,
        message_id: int,
        poll_id: str | None,
        now: datetime,
        closes_at: datetime,
    ) -> None:
        await self._session.execute(
            update(RoundQuestion)
            .where(RoundQuestion.id == round_question_id)
            .values(message_id=message_id, poll_id=poll_id, opened_at=now, closes_at=closes_at)
        )

    async def due_questions(self, now: datetime) -> Sequence[RoundQuestion]:
        rows = await self._session.scalars(
            select(RoundQuestion)
            .where(RoundQuestion.closes_at <= now, RoundQuestion.closed_at.is_(None))
            .order_by(RoundQuestion.closes_at)
        )
        return rows.all()

    async def close_question(self, round_question_id: int, now: datetime) -> bool:
        result = await self._session.execute(
            update(RoundQuestion)
            .where(RoundQuestion.id == round_question_id, RoundQuestion.closed_at.is_(None))
            .values(closed_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def finish(self, round_id: int, status: RoundStatus, now: datetime) -> bool:
        result = await self._session.execute(
            update(Round)
            .where(Round.id == round_id, Round.status == RoundStatus.RUNNING)
            .values(status=status, finished_at=now)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return False
        # Questions not yet asked are closed with the round.
        await self._session.execute(
            update(RoundQuestion)
            .where(RoundQuestion.round_id == round_id, RoundQuestion.closed_at.is_(None))
            .values(closed_at=now)
        )
        return True
