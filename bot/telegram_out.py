"""Sending to Telegram, in one place for handlers and scheduled sends alike: the quiz-poll
call, and what a failed send means (blocked, refused, or worth another try)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from enum import Enum

from telegram import Bot, InlineKeyboardMarkup, InputPollOption, Message, Poll
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.render.polls import QuizPoll

log = logging.getLogger(__name__)


class Sent(Enum):
    OK = "ok"
    BLOCKED = "blocked"  # 403: the user blocked the bot, or it was removed from the group
    REFUSED = "refused"  # 400: Telegram will never take this message
    RETRY = "retry"  # 429, timeouts, 5xx: a later try may succeed


@dataclass(frozen=True)
class Delivery:
    outcome: Sent
    message: Message | None = None
    error: str = ""


async def send_quiz_poll(
    bot: Bot, chat_id: int, poll: QuizPoll, reply_markup: InlineKeyboardMarkup | None = None
) -> Message:
    return await bot.send_poll(
        chat_id,
        question=poll.question,
        options=[InputPollOption(option) for option in poll.options],
        type=Poll.QUIZ,
        is_anonymous=False,
        allows_multiple_answers=poll.allows_multiple_answers,
        correct_option_ids=list(poll.correct_option_ids),  # type: ignore[arg-type]  # PTB types 0..11 as Literals
        explanation=poll.explanation,
        open_period=poll.open_period,
        reply_markup=reply_markup,
    )


async def deliver(sending: Awaitable[Message | None]) -> Delivery:
    """Awaits a scheduled send and says what became of it, never raising a Telegram error."""
    try:
        message = await sending
    except Forbidden as error:
        return Delivery(Sent.BLOCKED, error=str(error))
    except BadRequest as error:
        return Delivery(Sent.REFUSED, error=str(error))
    except (RetryAfter, TimedOut, NetworkError) as error:
        return Delivery(Sent.RETRY, error=str(error))
    return Delivery(Sent.OK, message)
