"""A group's scheduled posts: standup and question-of-the-day settings, claiming and sending
them, the reveal of yesterday's question, standup replies, reminders and summaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from random import Random

from bot.banks.catalog import Catalog
from bot.banks.schema import Question
from bot.domain.clock import Clock
from bot.domain.schedule import EVERY_DAY, Days, ScheduleRequest, next_run_after
from bot.domain.spaced_repetition import DEFAULT_RETENTION
from bot.domain.standup import REMINDER_AT, WINDOW
from bot.domain.states import GroupPostKind, PollOwner, SendStatus
from bot.storage.models import GroupPost, GroupSchedule
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.usecases.chats import chat_zone
from bot.usecases.group_answers import GroupAnswerResult, record_group_answer
from bot.usecases.scheduled_runs import SendQueue, claim_due_runs
from bot.usecases.views import GroupPostView, Person


@dataclass(frozen=True)
class GroupScheduleView:
    kind: GroupPostKind
    at: time
    timezone: str
    days: Days
    enabled: bool

    @classmethod
    def of(cls, row: GroupSchedule) -> GroupScheduleView:
        return cls(row.kind, time(row.hour, row.minute), row.timezone, Days(row.days), row.enabled)


@dataclass(frozen=True)
class Reveal:
    """Yesterday's question of the day, closed now: what to show about it."""

    previous: GroupPostView
    question: Question
    right: list[str]
    answered: int


@dataclass(frozen=True)
class StandupRound:
    """A standup whose reminder or summary is due, with who answered what and who did not."""

    post: GroupPostView
    answers: list[tuple[str, str]]
    missing: list[str]


class GroupPostService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        catalog: Catalog,
        clock: Clock,
        rng: Random,
        default_timezone: str,
        grace: timedelta,
        desired_retention: float = DEFAULT_RETENTION,
    ) -> None:
        self._uow = uow
        self._catalog = catalog
        self._clock = clock
        self._rng = rng
        self._default_timezone = default_timezone
        self._retention = desired_retention
        self.grace = grace
        self.outbox = SendQueue(
            uow, lambda work: work.group_posts.outbox, GroupPostView.of, clock, grace
        )

    # -- settings ------------------------------------------------------------------------------
    async def schedule(self, chat_id: int, kind: GroupPostKind) -> GroupScheduleView | None:
        async with self._uow() as uow:
            row = await uow.group_posts.schedule_of(chat_id, kind)
            return GroupScheduleView.of(row) if row else None

    async def set_schedule(
        self, chat_id: int, kind: GroupPostKind, request: ScheduleRequest
    ) -> GroupScheduleView:
        now = self._clock.now()
        async with self._uow() as uow:
            if request.zone is not None:
                await uow.chats.set(chat_id, timezone=str(request.zone.key))
            zone = request.zone or await chat_zone(uow, chat_id, self._default_timezone)
            existing = await uow.group_posts.schedule_of(chat_id, kind)
            days = request.days or (Days(existing.days) if existing else Days(EVERY_DAY))
            row = await uow.group_posts.save_schedule(
                chat_id=chat_id,
                kind=kind,
                hour=request.at.hour,
                minute=request.at.minute,
                timezone=str(zone.key),
                days=days.mask,
                next_run_at=next_run_after(now, request.at, zone, days),
                now=now,
            )
            view = GroupScheduleView.of(row)
            await uow.commit()
        return view

    async def turn_off(self, chat_id: int, kind: GroupPostKind) -> bool:
        async with self._uow() as uow:
            schedule = await uow.group_posts.schedule_of(chat_id, kind)
            if schedule is None or not schedule.enabled:
                return False
            await uow.group_posts.set_schedule(schedule.id, enabled=False)
            await uow.commit()
        return True

    # -- the sweep -------------------------------------------------------------------------------
    async def claim_due(self) -> int:
        """The same claim as private check-ins (see claim_due_runs)."""
        return await claim_due_runs(self._uow, lambda uow: uow.group_posts, self._clock, self.grace)

    async def reveal_previous(self, post: GroupPostView) -> Reveal | None:
        """Closes the last question of the day before this one, once."""
        async with self._uow() as uow:
            previous = await uow.group_posts.open_qotd_before(post.schedule_id, post.local_date)
            if previous is None or not await uow.group_posts.close(previous.id, self._clock.now()):
                return None
            await uow.commit()
            question = self._catalog.question(previous.question_id or "")
            if question is None:
                return None
            answers = await uow.group_answers.answers_to(post_id=previous.id)
        return Reveal(
            GroupPostView.of(previous),
            question,
            [answer.name for answer in answers if answer.correct],
            len(answers),
        )

    def pick_question_of_the_day(self) -> Question | None:
        eligible = [question for question in self._catalog.questions() if question.fits_group_round]
        return self._rng.choice(eligible) if eligible else None

    async def sent(
        self,
        post: GroupPostView,
        message_id: int,
        poll_id: str | None = None,
        question_id: str | None = None,
    ) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.group_posts.outbox.set(
                post.id,
                status=SendStatus.SENT,
                message_id=message_id,
                poll_id=poll_id,
                question_id=question_id,
                sent_at=now,
            )
            if poll_id is not None:
                await uow.polls.record(poll_id, PollOwner.QOTD, post.id, post.chat_id, now)
            await uow.commit()

    # -- answers and replies ------------------------------------------------------------------
    async def answer_qotd(
        self, post_id: int, person: Person, chosen: frozenset[int]
    ) -> GroupAnswerResult:
        async with self._uow() as uow:
            post = await uow.group_posts.get(post_id)
            result = await record_group_answer(
                uow,
                self._catalog,
                chat_id=post.chat_id if post else 0,
                person=person,
                chosen=chosen,
                question_id=post.question_id if post else None,
                closed=post is not None and post.closed_at is not None,
                now=self._clock.now(),
                post_id=post_id,
                asked_at=post.sent_at if post else None,
                desired_retention=self._retention,
            )
            await uow.commit()
        return result

    async def chat_of_post(self, post_id: int) -> int | None:
        async with self._uow() as uow:
            post = await uow.group_posts.get(post_id)
            return post.chat_id if post else None

    async def standup_reply(
        self, chat_id: int, reply_to_message_id: int, person: Person, text: str
    ) -> bool:
        """A reply to the bot's open standup prompt is that member's answer (the latest wins)."""
        async with self._uow() as uow:
            post = await uow.group_posts.by_message(chat_id, reply_to_message_id)
            if post is None or post.kind is not GroupPostKind.STANDUP or post.closed_at is not None:
                return False
            await uow.group_posts.save_standup_answer(
                post.id, person.id, person.display_name, text[:2000], self._clock.now()
            )
            await uow.commit()
        return True

    async def standup_answer_count(self, chat_id: int, message_id: int) -> int:
        async with self._uow() as uow:
            post = await uow.group_posts.by_message(chat_id, message_id)
            return len(await uow.group_posts.standup_answers(post.id)) if post else 0

    async def qotd_answer_count(self, chat_id: int, message_id: int) -> int:
        async with self._uow() as uow:
            post = await uow.group_posts.by_message(chat_id, message_id)
            return len(await uow.group_answers.answers_to(post_id=post.id)) if post else 0

    async def _standup_round(self, uow: UnitOfWork, post: GroupPost) -> StandupRound:
        answers = await uow.group_posts.standup_answers(post.id)
        answered = {answer.user_id for answer in answers}
        members = await uow.chats.members(post.chat_id)
        return StandupRound(
            GroupPostView.of(post),
            [(answer.name, answer.text) for answer in answers],
            [member.name for member in members if member.user_id not in answered],
        )

    async def _take_standups(self, for_reminder: bool, sent_before: datetime) -> list[StandupRound]:
        async with self._uow() as uow:
            posts = await uow.group_posts.take_standups(
                for_reminder, sent_before, self._clock.now()
            )
            rounds = [await self._standup_round(uow, post) for post in posts]
            await uow.commit()
        return rounds

    async def take_reminders(self) -> list[StandupRound]:
        """Standups at 80 % of their window, claimed for their one reminder."""
        reminder_age = timedelta(seconds=WINDOW.total_seconds() * REMINDER_AT)
        return await self._take_standups(True, self._clock.now() - reminder_age)

    async def take_summaries(self) -> list[StandupRound]:
        """Standups whose window is over, claimed (and closed) for their summary."""
        return await self._take_standups(False, self._clock.now() - WINDOW)
