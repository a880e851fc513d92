"""What a learner's plain text in the private chat answers: a standup or a typed question."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.domain.clock import Clock
from bot.storage.unit_of_work import UnitOfWorkFactory
from bot.usecases.checkins import ANSWER_WINDOW
from bot.usecases.views import CheckinView


@dataclass(frozen=True)
class TextTarget:
    checkin: CheckinView | None  # the standup it answers, if any
    question: bool  # otherwise: whether a typed question waits for it


class ConversationService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def target_of_text(self, user_id: int, chat_id: int) -> TextTarget:
        """Whichever the bot asked last is what the learner is answering."""
        window: timedelta = ANSWER_WINDOW
        async with self._uow() as uow:
            checkin = await uow.checkins.awaiting_answer(
                user_id, chat_id, self._clock.now() - window
            )
            typed = await uow.attempts.open_typed(user_id, chat_id)
        if checkin is not None and (
            typed is None or (checkin.sent_at or checkin.due_at) > typed.asked_at
        ):
            return TextTarget(CheckinView.of(checkin), False)
        return TextTarget(None, typed is not None)
