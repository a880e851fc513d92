"""Quiz attempts: one row per question sent to a learner, settled once by a conditional update."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import ANSWERABLE, AttemptStatus, DeliveryKind
from bot.domain.stats import AreaScore
from bot.storage.models import Attempt


class AttemptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, attempt: Attempt) -> Attempt:
        self._session.add(attempt)
        await self._session.flush()
        return attempt

    async def get(self, attempt_id: int) -> Attempt | None:
        return await self._session.get(Attempt, attempt_id)

    async def change_if(
        self,
        attempt_id: int,
        user_id: int,
        *,
        states: Iterable[AttemptStatus] = ANSWERABLE,
        **values: object,
    ) -> bool:
        """Changes the learner's attempt only while it is in one of `states`: the row count
        says whether this call won against a concurrent press."""
        result = await self._session.execute(
            update(Attempt)
            .where(
                Attempt.id == attempt_id,
                Attempt.user_id == user_id,
                Attempt.status.in_(list(states)),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def attach_message(self, attempt_id: int, message_id: int, poll_id: str | None) -> None:
        await self._session.execute(
            update(Attempt)
            .where(Attempt.id == attempt_id)
            .values(message_id=message_id, poll_id=poll_id)
        )

    async def open_in_chat(self, user_id: int, chat_id: int) -> Sequence[Attempt]:
        rows = await self._session.scalars(
            select(Attempt).where(
                Attempt.user_id == user_id,
                Attempt.chat_id == chat_id,
                Attempt.status.in_(list(ANSWERABLE)),
            )
        )
        return rows.all()

    async def skip_open(self, user_id: int, chat_id: int, now: datetime) -> list[Attempt]:
        attempts = list(await self.open_in_chat(user_id, chat_id))
        for attempt in attempts:
            attempt.status = AttemptStatus.SKIPPED
            attempt.answered_at = now
        await self._session.flush()
        return attempts

    async def newer_in_chat(self, user_id: int, chat_id: int, attempt_id: int) -> bool:
        """Whether the learner was asked anything in the chat after `attempt_id`."""
        newer = await self._session.scalar(
            select(Attempt.id)
            .where(Attempt.user_id == user_id, Attempt.chat_id == chat_id, Attempt.id > attempt_id)
            .limit(1)
        )
        return newer is not None

    async def open_typed(self, user_id: int, chat_id: int) -> Attempt | None:
        """The chat's newest open question that waits for a typed answer, if any."""
        return await self._session.scalar(
            select(Attempt)
            .where(
                Attempt.user_id == user_id,
                Attempt.chat_id == chat_id,
                Attempt.status.in_(list(ANSWERABLE)),
                Attempt.kind == DeliveryKind.TYPED,
            )
            .order_by(Attempt.id.desc())
            .limit(1)
        )

    async def last_question(self, user_id: int) -> str | None:
        """The question last sent to the learner, answered or not."""
        return await self._session.scalar(
            select(Attempt.question_id)
            .where(Attempt.user_id == user_id)
            .order_by(Attempt.id.desc())
            .limit(1)
        )

    async def area_scores(
        self, user_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[AreaScore]:
        """Answers and right answers per area (summed as integers), optionally in [since, until)."""
        conditions = [Attempt.user_id == user_id, Attempt.status == AttemptStatus.ANSWERED]
        if since is not None:
            conditions.append(Attempt.answered_at >= since)
        if until is not None:
            conditions.append(Attempt.answered_at < until)
        rows = (
            await self._session.execute(
                select(Attempt.area, func.count(), func.coalesce(func.sum(Attempt.correct), 0))
                .where(*conditions)
                .group_by(Attempt.area)
                .order_by(Attempt.area)
            )
        ).all()
        return [
            AreaScore(area=area, answered=int(count), correct=int(right or 0))
            for area, count, right in rows
        ]

    async def answers_in_area(self, user_id: int, area: str) -> list[tuple[str, bool]]:
        """The learner's answers in one area, oldest first: (question id, right)."""
        rows = (
            await self._session.execute(
                select(Attempt.question_id, Attempt.correct)
                .where(
                    Attempt.user_id == user_id,
                    Attempt.area == area,
                    Attempt.status == AttemptStatus.ANSWERED,
                )
                .order_by(Attempt.answered_at, Attempt.id)
            )
        ).all()
        return [(question_id, bool(correct)) for question_id, correct in rows]

    async def answer_times(self, user_id: int) -> list[datetime]:
        rows = await self._session.scalars(
            select(Attempt.answered_at).where(
                Attempt.user_id == user_id, Attempt.status == AttemptStatus.ANSWERED
            )
        )
        return [moment for moment in rows.all() if moment is not None]

    async def count_for_user(self, user_id: int) -> int:
        count = await self._session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.user_id == user_id)
        )
        return int(count or 0)
