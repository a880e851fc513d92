"""One repository per aggregate: users and their quiz attempts. SQL lives here and nowhere else."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.selection import QuestionHistory
from bot.domain.stats import AreaScore
from bot.storage.database import Database
from bot.storage.models import Attempt, AttemptStatus, Checkin, CheckinSchedule, DeliveryKind, User

# A user seen this recently, unchanged and active, is not written again: every /quiz would
# otherwise cost a write transaction.
TOUCH_INTERVAL = timedelta(minutes=10)


class UserRepository:
    def __init__(self, database: Database) -> None:
        self._db = database
        self._touched: dict[int, tuple[datetime, str, str | None]] = {}

    async def touch(
        self, user_id: int, first_name: str, username: str | None, now: datetime
    ) -> None:
        """Creates the user on first contact; later contacts refresh the name and reactivate."""
        first_name = first_name[:128]
        seen = self._touched.get(user_id)
        if (
            seen is not None
            and seen[1:] == (first_name, username)
            and now - seen[0] < TOUCH_INTERVAL
        ):
            return
        await self._write_touch(user_id, first_name, username, now)
        self._touched[user_id] = (now, first_name, username)

    async def _write_touch(
        self, user_id: int, first_name: str, username: str | None, now: datetime
    ) -> None:
        async with self._db.session.begin() as session:
            user = await session.get(User, user_id)
            if user is None:
                user = User(
                    id=user_id,
                    first_name=first_name,
                    username=username,
                    active=True,
                    created_at=now,
                    last_seen_at=now,
                )
                session.add(user)
            else:
                user.first_name = first_name
                user.username = username
                user.active = True
                user.last_seen_at = now

    async def get(self, user_id: int) -> User | None:
        async with self._db.session() as session:
            return await session.get(User, user_id)

    async def set_timezone(self, user_id: int, timezone: str) -> None:
        async with self._db.session.begin() as session:
            await session.execute(update(User).where(User.id == user_id).values(timezone=timezone))

    async def set_active(self, user_id: int, active: bool) -> bool:
        self._touched.pop(user_id, None)
        async with self._db.session.begin() as session:
            result = await session.execute(
                update(User).where(User.id == user_id).values(active=active)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def delete_everything(self, user_id: int) -> int:
        """Deletes the user and every attempt; returns how many attempts were removed."""
        self._touched.pop(user_id, None)
        async with self._db.session.begin() as session:
            result = await session.execute(delete(Attempt).where(Attempt.user_id == user_id))
            await session.execute(delete(Checkin).where(Checkin.user_id == user_id))
            await session.execute(delete(CheckinSchedule).where(CheckinSchedule.user_id == user_id))
            await session.execute(delete(User).where(User.id == user_id))
            return int(result.rowcount)  # type: ignore[attr-defined]


class AttemptRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def open_new(
        self,
        *,
        user_id: int,
        chat_id: int,
        question_id: str,
        area: str,
        quiz_area: str | None,
        kind: str,
        now: datetime,
    ) -> tuple[Attempt, list[Attempt]]:
        """Opens an attempt for a known question and skips the chat's earlier open ones."""
        opened = await self.open_next(
            user_id=user_id,
            chat_id=chat_id,
            quiz_area=quiz_area,
            choose=lambda _history: (question_id, area, kind),
            now=now,
        )
        assert opened is not None
        return opened

    async def open_next(
        self,
        *,
        user_id: int,
        chat_id: int,
        quiz_area: str | None,
        choose: Callable[[dict[str, QuestionHistory]], tuple[str, str, str] | None],
        now: datetime,
    ) -> tuple[Attempt, list[Attempt]] | None:
        """Reads the user's history, lets `choose` pick (question id, area, delivery kind), and
        opens that attempt, skipping the chat's open ones: one transaction for all of it."""
        async with self._db.session.begin() as session:
            chosen = choose(await _history_in(session, user_id))
            if chosen is None:
                return None
            question_id, area, kind = chosen
            stale = await _skip_open_in(session, user_id, chat_id, now)
            attempt = Attempt(
                user_id=user_id,
                chat_id=chat_id,
                question_id=question_id,
                area=area,
                quiz_area=quiz_area,
                kind=kind,
                status=AttemptStatus.OPEN.value,
                selection="",
                asked_at=now,
            )
            session.add(attempt)
            await session.flush()
            return attempt, stale

    async def settle(
        self,
        attempt_id: int,
        user_id: int,
        decide: Callable[[Attempt | None], dict[str, object] | None],
    ) -> tuple[Attempt | None, bool]:
        """Reads the attempt, lets `decide` return the values that settle it (None: leave it),
        and writes them only while it is still open, in one transaction. Returns the attempt
        as read and whether this call changed it."""
        async with self._db.session.begin() as session:
            attempt = await session.get(Attempt, attempt_id)
            values = decide(attempt)
            if attempt is None or values is None:
                return attempt, False
            result = await session.execute(
                update(Attempt)
                .where(
                    Attempt.id == attempt_id,
                    Attempt.user_id == user_id,
                    Attempt.status == AttemptStatus.OPEN.value,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            return attempt, bool(result.rowcount)  # type: ignore[attr-defined]

    async def attach_message(self, attempt_id: int, message_id: int, poll_id: str | None) -> None:
        async with self._db.session.begin() as session:
            await session.execute(
                update(Attempt)
                .where(Attempt.id == attempt_id)
                .values(message_id=message_id, poll_id=poll_id)
            )

    async def get(self, attempt_id: int) -> Attempt | None:
        async with self._db.session() as session:
            return await session.get(Attempt, attempt_id)

    async def by_poll_id(self, poll_id: str) -> Attempt | None:
        async with self._db.session() as session:
            return await session.scalar(select(Attempt).where(Attempt.poll_id == poll_id))

    async def record_answer(
        self,
        attempt_id: int,
        user_id: int,
        chosen: str,
        correct: bool,
        now: datetime,
        *,
        response: str | None = None,
        rating: int | None = None,
    ) -> bool:
        """Stores the answer if the attempt is still open; False means it was already settled."""
        extra = {"response": response, "rating": rating}
        return await self._update_open(
            attempt_id,
            user_id,
            status=AttemptStatus.ANSWERED.value,
            chosen=chosen,
            correct=int(correct),
            answered_at=now,
            **{name: value for name, value in extra.items() if value is not None},
        )

    async def _update_open(self, attempt_id: int, user_id: int, **values: object) -> bool:
        """Changes the user's attempt only while it is open: the row count says who won."""
        async with self._db.session.begin() as session:
            result = await session.execute(
                update(Attempt)
                .where(
                    Attempt.id == attempt_id,
                    Attempt.user_id == user_id,
                    Attempt.status == AttemptStatus.OPEN.value,
                )
                .values(**values)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def open_typed(self, user_id: int, chat_id: int) -> Attempt | None:
        """The chat's open question that waits for a typed answer, if any."""
        async with self._db.session() as session:
            return await session.scalar(
                select(Attempt)
                .where(
                    Attempt.user_id == user_id,
                    Attempt.chat_id == chat_id,
                    Attempt.status == AttemptStatus.OPEN.value,
                    Attempt.kind == DeliveryKind.TYPED.value,
                )
                .order_by(Attempt.id.desc())
                .limit(1)
            )

    async def save_response(
        self, attempt_id: int, user_id: int, response: str, selection: str
    ) -> bool:
        return await self._update_open(attempt_id, user_id, response=response, selection=selection)

    async def set_selection(self, attempt_id: int, user_id: int, selection: str) -> bool:
        return await self._update_open(attempt_id, user_id, selection=selection)

    async def skip(self, attempt_id: int, user_id: int, now: datetime) -> bool:
        return await self._update_open(
            attempt_id, user_id, status=AttemptStatus.SKIPPED.value, answered_at=now
        )

    async def skip_open(self, user_id: int, chat_id: int, now: datetime) -> list[Attempt]:
        async with self._db.session.begin() as session:
            return await _skip_open_in(session, user_id, chat_id, now)

    async def history(self, user_id: int) -> dict[str, QuestionHistory]:
        async with self._db.session() as session:
            return await _history_in(session, user_id)

    async def area_scores(
        self, user_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[AreaScore]:
        """Answers and right answers per area (summed as integers), optionally in [since, until)."""
        conditions = [Attempt.user_id == user_id, Attempt.status == AttemptStatus.ANSWERED.value]
        if since is not None:
            conditions.append(Attempt.answered_at >= since)
        if until is not None:
            conditions.append(Attempt.answered_at < until)
        async with self._db.session() as session:
            rows = (
                await session.execute(
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

    async def answer_times(self, user_id: int) -> Sequence[datetime]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(Attempt.answered_at).where(
                    Attempt.user_id == user_id,
                    Attempt.status == AttemptStatus.ANSWERED.value,
                )
            )
            return [moment for moment in rows.all() if moment is not None]

    async def count_for_user(self, user_id: int) -> int:
        async with self._db.session() as session:
            return int(
                await session.scalar(select(func.count()).where(Attempt.user_id == user_id)) or 0
            )


async def _skip_open_in(
    session: AsyncSession, user_id: int, chat_id: int, now: datetime
) -> list[Attempt]:
    attempts = list(
        (
            await session.scalars(
                select(Attempt).where(
                    Attempt.user_id == user_id,
                    Attempt.chat_id == chat_id,
                    Attempt.status == AttemptStatus.OPEN.value,
                )
            )
        ).all()
    )
    for attempt in attempts:
        attempt.status = AttemptStatus.SKIPPED.value
        attempt.answered_at = now
    return attempts


async def _history_in(session: AsyncSession, user_id: int) -> dict[str, QuestionHistory]:
    rows = (
        await session.execute(
            select(Attempt.question_id, Attempt.correct, Attempt.answered_at)
            .where(Attempt.user_id == user_id, Attempt.status == AttemptStatus.ANSWERED.value)
            .order_by(Attempt.answered_at, Attempt.id)
        )
    ).all()
    history: dict[str, QuestionHistory] = {}
    for question_id, correct, answered_at in rows:
        if answered_at is None:
            continue
        earlier = history.get(question_id)
        history[question_id] = QuestionHistory(
            times_answered=(earlier.times_answered if earlier else 0) + 1,
            last_correct=bool(correct),
            last_answered_at=answered_at,
        )
    return history
