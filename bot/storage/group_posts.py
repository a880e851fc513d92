"""A group's daily schedules (standup, question of the day), their posts and standup replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import GroupPostKind, SendStatus
from bot.storage.models import Chat, GroupPost, GroupSchedule, StandupAnswer
from bot.storage.outbox import Outbox, claim_run


class GroupPostRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.outbox = Outbox(session, GroupPost)

    # -- schedules ---------------------------------------------------------------------------
    async def schedule_of(self, chat_id: int, kind: GroupPostKind) -> GroupSchedule | None:
        return await self._session.scalar(
            select(GroupSchedule).where(
                GroupSchedule.chat_id == chat_id, GroupSchedule.kind == kind
            )
        )

    async def save_schedule(
        self,
        *,
        chat_id: int,
        kind: GroupPostKind,
        hour: int,
        minute: int,
        timezone: str,
        days: int,
        next_run_at: datetime,
        now: datetime,
    ) -> GroupSchedule:
        schedule = await self.schedule_of(chat_id, kind)
        if schedule is None:
            schedule = GroupSchedule(chat_id=chat_id, kind=kind, created_at=now)
            self._session.add(schedule)
        schedule.hour, schedule.minute = hour, minute
        schedule.timezone, schedule.days = timezone, days
        schedule.enabled, schedule.next_run_at = True, next_run_at
        await self._session.flush()
        return schedule

    async def set_schedule(self, schedule_id: int, **values: object) -> None:
        await self._session.execute(
            update(GroupSchedule).where(GroupSchedule.id == schedule_id).values(**values)
        )

    async def due_schedules(self, now: datetime, limit: int) -> Sequence[GroupSchedule]:
        rows = await self._session.scalars(
            select(GroupSchedule)
            .join(Chat, Chat.id == GroupSchedule.chat_id)
            .where(
                GroupSchedule.enabled.is_(True),
                GroupSchedule.next_run_at <= now,
                Chat.active.is_(True),
            )
            .order_by(GroupSchedule.next_run_at)
            .limit(limit)
        )
        return rows.all()

    async def claim_occurrence(
        self,
        schedule: GroupSchedule,
        new_next_run_at: datetime,
        local_date: date | None,
        due_at: datetime | None,
    ) -> bool:
        row = None
        if local_date is not None and due_at is not None:
            row = GroupPost(
                schedule_id=schedule.id,
                chat_id=schedule.chat_id,
                kind=schedule.kind,
                local_date=local_date,
                due_at=due_at,
                status=SendStatus.PENDING,
                tries=0,
            )
        return await claim_run(
            self._session, GroupSchedule, schedule.id, schedule.next_run_at, new_next_run_at, row
        )

    # -- posts -------------------------------------------------------------------------------
    async def get(self, post_id: int) -> GroupPost | None:
        return await self._session.get(GroupPost, post_id)

    async def by_message(self, chat_id: int, message_id: int) -> GroupPost | None:
        return await self._session.scalar(
            select(GroupPost).where(
                GroupPost.chat_id == chat_id, GroupPost.message_id == message_id
            )
        )

    async def open_qotd_before(self, schedule_id: int, local_date: date) -> GroupPost | None:
        """Yesterday's (or the last) question of the day, still to be revealed."""
        return await self._session.scalar(
            select(GroupPost)
            .where(
                GroupPost.schedule_id == schedule_id,
                GroupPost.local_date < local_date,
                GroupPost.status == SendStatus.SENT,
                GroupPost.closed_at.is_(None),
            )
            .order_by(GroupPost.local_date.desc())
            .limit(1)
        )

    async def close(self, post_id: int, now: datetime) -> bool:
        result = await self._session.execute(
            update(GroupPost)
            .where(GroupPost.id == post_id, GroupPost.closed_at.is_(None))
            .values(closed_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def take_standups(
        self, for_reminder: bool, sent_before: datetime, now: datetime
    ) -> Sequence[GroupPost]:
        """Claims sent standups that need their reminder, or (for_reminder False) their summary."""
        column = GroupPost.reminded_at if for_reminder else GroupPost.closed_at
        rows = await self._session.scalars(
            update(GroupPost)
            .where(
                GroupPost.kind == GroupPostKind.STANDUP,
                GroupPost.status == SendStatus.SENT,
                GroupPost.sent_at <= sent_before,
                column.is_(None),
                GroupPost.closed_at.is_(None),
            )
            .values({column.key: now})
            .returning(GroupPost),
            execution_options={"synchronize_session": False},
        )
        return rows.all()

    # -- standup replies ---------------------------------------------------------------------
    async def save_standup_answer(
        self, post_id: int, user_id: int, name: str, text: str, now: datetime
    ) -> None:
        """A member's latest reply is their answer."""
        answer = await self._session.get(StandupAnswer, (post_id, user_id))
        if answer is None:
            self._session.add(
                StandupAnswer(
                    post_id=post_id, user_id=user_id, name=name[:128], text=text, answered_at=now
                )
            )
            await self._session.flush()
        else:
            answer.name, answer.text, answer.answered_at = name[:128], text, now

    async def standup_answers(self, post_id: int) -> Sequence[StandupAnswer]:
        rows = await self._session.scalars(
            select(StandupAnswer)
            .where(StandupAnswer.post_id == post_id)
            .order_by(StandupAnswer.answered_at)
        )
        return rows.all()
