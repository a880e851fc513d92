"""Groups: chats, members, quiz rounds, scheduled group posts and every member's answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.ranking import Score
from bot.storage.database import Database
from bot.storage.models import (
    Chat,
    ChatMember,
    CheckinStatus,
    GroupAnswer,
    GroupPost,
    GroupSchedule,
    Round,
    RoundQuestion,
    RoundStatus,
    StandupAnswer,
)
from bot.storage.outbox import Outbox, claim_run

CHAT_TABLES = (ChatMember, GroupSchedule, GroupPost, Round, GroupAnswer)


class GroupRepository:
    def __init__(self, database: Database) -> None:
        self._db = database
        self.outbox = Outbox(database, GroupPost)

    # -- chats and members ---------------------------------------------------------------
    async def upsert_chat(
        self, chat_id: int, kind: str, title: str, now: datetime, active: bool = True
    ) -> Chat:
        async with self._db.session.begin() as session:
            chat = await session.get(Chat, chat_id)
            if chat is None:
                chat = Chat(id=chat_id, type=kind, title=title[:256], active=active, created_at=now)
                session.add(chat)
            else:
                chat.type, chat.title, chat.active = kind, title[:256], active
            return chat

    async def chat(self, chat_id: int) -> Chat | None:
        async with self._db.session() as session:
            return await session.get(Chat, chat_id)

    async def set_chat(self, chat_id: int, **values: object) -> None:
        async with self._db.session.begin() as session:
            await session.execute(update(Chat).where(Chat.id == chat_id).values(**values))

    async def touch_member(
        self, chat_id: int, user_id: int, name: str, now: datetime, is_member: bool = True
    ) -> None:
        async with self._db.session.begin() as session:
            member = await session.get(ChatMember, (chat_id, user_id))
            if member is None:
                session.add(
                    ChatMember(
                        chat_id=chat_id,
                        user_id=user_id,
                        name=name[:128],
                        is_member=is_member,
                        last_seen_at=now,
                    )
                )
            else:
                member.name, member.is_member, member.last_seen_at = name[:128], is_member, now

    async def member(self, chat_id: int, user_id: int) -> ChatMember | None:
        async with self._db.session() as session:
            return await session.get(ChatMember, (chat_id, user_id))

    async def members(self, chat_id: int) -> Sequence[ChatMember]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(ChatMember)
                .where(ChatMember.chat_id == chat_id, ChatMember.is_member.is_(True))
                .order_by(ChatMember.name)
            )
            return rows.all()

    async def migrate_chat(self, old_id: int, new_id: int) -> bool:
        """A group that became a supergroup keeps everything under its new id."""
        async with self._db.session.begin() as session:
            old = await session.get(Chat, old_id)
            if old is None:
                return False
            # The new id may already have been seen (a message in the new supergroup came
            # first); what was recorded under it is only a shell, and the old group's data wins.
            await session.execute(delete(ChatMember).where(ChatMember.chat_id == new_id))
            await session.execute(delete(Chat).where(Chat.id == new_id))
            for model in CHAT_TABLES:
                await session.execute(
                    update(model).where(model.chat_id == old_id).values(chat_id=new_id)
                )
            await session.execute(
                update(Chat).where(Chat.id == old_id).values(id=new_id, type="supergroup")
            )
            return True

    # -- rounds ----------------------------------------------------------------------------
    async def start_round(
        self,
        *,
        chat_id: int,
        started_by: int,
        area: str | None,
        questions: Sequence[tuple[str, str]],
        seconds: int,
        now: datetime,
    ) -> Round | None:
        """A new running round with its questions, or None when the chat already runs one."""
        try:
            async with self._db.session.begin() as session:
                quiz_round = Round(
                    chat_id=chat_id,
                    started_by=started_by,
                    area=area,
                    total=len(questions),
                    seconds=seconds,
                    status=RoundStatus.RUNNING.value,
                    created_at=now,
                )
                session.add(quiz_round)
                await session.flush()
                for position, (question_id, kind) in enumerate(questions):
                    session.add(
                        RoundQuestion(
                            round_id=quiz_round.id,
                            position=position,
                            question_id=question_id,
                            kind=kind,
                        )
                    )
                return quiz_round
        except IntegrityError:
            return None

    async def running_round(self, chat_id: int) -> Round | None:
        async with self._db.session() as session:
            return await session.scalar(
                select(Round).where(
                    Round.chat_id == chat_id, Round.status == RoundStatus.RUNNING.value
                )
            )

    async def get_round(self, round_id: int) -> Round | None:
        async with self._db.session() as session:
            return await session.get(Round, round_id)

    async def round_question_at(self, round_id: int, position: int) -> RoundQuestion | None:
        async with self._db.session() as session:
            return await session.scalar(
                select(RoundQuestion).where(
                    RoundQuestion.round_id == round_id, RoundQuestion.position == position
                )
            )

    async def round_question(self, round_question_id: int) -> RoundQuestion | None:
        async with self._db.session() as session:
            return await session.get(RoundQuestion, round_question_id)

    async def round_question_by_poll(self, poll_id: str) -> RoundQuestion | None:
        async with self._db.session() as session:
            return await session.scalar(
                select(RoundQuestion).where(RoundQuestion.poll_id == poll_id)
            )

    async def open_round_question(
        self,
        round_question_id: int,
        message_id: int,
        poll_id: str | None,
        now: datetime,
        closes_at: datetime,
    ) -> None:
        async with self._db.session.begin() as session:
            await session.execute(
                update(RoundQuestion)
                .where(RoundQuestion.id == round_question_id)
                .values(message_id=message_id, poll_id=poll_id, opened_at=now, closes_at=closes_at)
            )

    async def due_round_questions(self, now: datetime) -> Sequence[RoundQuestion]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(RoundQuestion)
                .where(RoundQuestion.closes_at <= now, RoundQuestion.closed_at.is_(None))
                .order_by(RoundQuestion.closes_at)
            )
            return rows.all()

    async def close_round_question(self, round_question_id: int, now: datetime) -> bool:
        async with self._db.session.begin() as session:
            result = await session.execute(
                update(RoundQuestion)
                .where(RoundQuestion.id == round_question_id, RoundQuestion.closed_at.is_(None))
                .values(closed_at=now)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def finish_round(self, round_id: int, status: RoundStatus, now: datetime) -> bool:
        async with self._db.session.begin() as session:
            result = await session.execute(
                update(Round)
                .where(Round.id == round_id, Round.status == RoundStatus.RUNNING.value)
                .values(status=status.value, finished_at=now)
            )
            if result.rowcount:  # type: ignore[attr-defined]
                # Questions not yet asked are closed with the round.
                await session.execute(
                    update(RoundQuestion)
                    .where(RoundQuestion.round_id == round_id, RoundQuestion.closed_at.is_(None))
                    .values(closed_at=now)
                )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- answers and scores ------------------------------------------------------------------
    async def record_answer(
        self,
        *,
        chat_id: int,
        user_id: int,
        name: str,
        chosen: str,
        correct: bool,
        now: datetime,
        round_question_id: int | None = None,
        post_id: int | None = None,
    ) -> bool:
        """Stores a member's first answer; False when they had already answered."""
        try:
            async with self._db.session.begin() as session:
                session.add(
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
        async with self._db.session() as session:
            rows = await session.scalars(
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
        async with self._db.session() as session:
            rows = (
                await session.execute(query.where(*conditions).group_by(GroupAnswer.user_id))
            ).all()
        return [
            Score(int(user_id), str(name), int(points), int(count))
            for user_id, name, points, count in rows
        ]

    # -- scheduled group posts -----------------------------------------------------------------
    async def schedule_of(self, chat_id: int, kind: str) -> GroupSchedule | None:
        async with self._db.session() as session:
            return await session.scalar(
                select(GroupSchedule).where(
                    GroupSchedule.chat_id == chat_id, GroupSchedule.kind == kind
                )
            )

    async def save_schedule(
        self,
        *,
        chat_id: int,
        kind: str,
        hour: int,
        minute: int,
        timezone: str,
        days: int,
        next_run_at: datetime,
        now: datetime,
    ) -> GroupSchedule:
        async with self._db.session.begin() as session:
            schedule = await session.scalar(
                select(GroupSchedule).where(
                    GroupSchedule.chat_id == chat_id, GroupSchedule.kind == kind
                )
            )
            if schedule is None:
                schedule = GroupSchedule(chat_id=chat_id, kind=kind, created_at=now)
                session.add(schedule)
            schedule.hour, schedule.minute = hour, minute
            schedule.timezone, schedule.days = timezone, days
            schedule.enabled, schedule.next_run_at = True, next_run_at
            await session.flush()
            return schedule

    async def set_schedule(self, schedule_id: int, **values: object) -> None:
        async with self._db.session.begin() as session:
            await session.execute(
                update(GroupSchedule).where(GroupSchedule.id == schedule_id).values(**values)
            )

    async def due_schedules(self, now: datetime, limit: int) -> Sequence[GroupSchedule]:
        async with self._db.session() as session:
            rows = await session.scalars(
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
                status=CheckinStatus.PENDING.value,
                tries=0,
            )
        async with self._db.session.begin() as session:
            return await claim_run(session, GroupSchedule, schedule, new_next_run_at, row)

    async def post(self, post_id: int) -> GroupPost | None:
        async with self._db.session() as session:
            return await session.get(GroupPost, post_id)

    async def post_by_poll(self, poll_id: str) -> GroupPost | None:
        async with self._db.session() as session:
            return await session.scalar(select(GroupPost).where(GroupPost.poll_id == poll_id))

    async def post_by_message(self, chat_id: int, message_id: int) -> GroupPost | None:
        async with self._db.session() as session:
            return await session.scalar(
                select(GroupPost).where(
                    GroupPost.chat_id == chat_id, GroupPost.message_id == message_id
                )
            )

    async def open_qotd_before(self, schedule_id: int, local_date: date) -> GroupPost | None:
        """Yesterday's (or the last) question of the day, still to be revealed."""
        async with self._db.session() as session:
            return await session.scalar(
                select(GroupPost)
                .where(
                    GroupPost.schedule_id == schedule_id,
                    GroupPost.local_date < local_date,
                    GroupPost.status == CheckinStatus.SENT.value,
                    GroupPost.closed_at.is_(None),
                )
                .order_by(GroupPost.local_date.desc())
                .limit(1)
            )

    async def close_post(self, post_id: int, now: datetime) -> bool:
        async with self._db.session.begin() as session:
            result = await session.execute(
                update(GroupPost)
                .where(GroupPost.id == post_id, GroupPost.closed_at.is_(None))
                .values(closed_at=now)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def take_standups(
        self, kind: str, sent_before: datetime, now: datetime
    ) -> Sequence[GroupPost]:
        """Claims sent standups that need their reminder (`kind` "remind") or summary ("close")."""
        column = GroupPost.reminded_at if kind == "remind" else GroupPost.closed_at
        async with self._db.session.begin() as session:
            rows = await session.scalars(
                update(GroupPost)
                .where(
                    GroupPost.kind == "standup",
                    GroupPost.status == CheckinStatus.SENT.value,
                    GroupPost.sent_at <= sent_before,
                    column.is_(None),
                    GroupPost.closed_at.is_(None),
                )
                .values({column.key: now})
                .returning(GroupPost),
                execution_options={"synchronize_session": False},
            )
            return rows.all()

    async def save_standup_answer(
        self, post_id: int, user_id: int, name: str, text: str, now: datetime
    ) -> None:
        """A member's latest reply is their answer."""
        async with self._db.session.begin() as session:
            answer = await session.get(StandupAnswer, (post_id, user_id))
            if answer is None:
                session.add(
                    StandupAnswer(
                        post_id=post_id,
                        user_id=user_id,
                        name=name[:128],
                        text=text,
                        answered_at=now,
                    )
                )
            else:
                answer.name, answer.text, answer.answered_at = name[:128], text, now

    async def standup_answers(self, post_id: int) -> Sequence[StandupAnswer]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(StandupAnswer)
                .where(StandupAnswer.post_id == post_id)
                .order_by(StandupAnswer.answered_at)
            )
            return rows.all()
