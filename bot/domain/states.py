"""The states a question, a scheduled send and a group round move through."""

from __future__ import annotations

from enum import StrEnum


class AttemptStatus(StrEnum):
    OPEN = "open"
    REVEALED = "revealed"  # an open question's model answer is shown; it waits for a rating
    ANSWERED = "answered"
    SKIPPED = "skipped"

    @property
    def takes_answers(self) -> bool:
        return self in ANSWERABLE


ANSWERABLE = frozenset({AttemptStatus.OPEN, AttemptStatus.REVEALED})


class DeliveryKind(StrEnum):
    POLL = "poll"
    BUTTONS = "buttons"
    TYPED = "typed"  # text, sql and open questions: the learner types the answer


class SendStatus(StrEnum):
    """A scheduled send (a check-in, a group post) in the outbox."""

    PENDING = "pending"  # claimed, waiting to be sent
    SENDING = "sending"  # taken by a sender; never re-sent if the bot dies now
    SENT = "sent"
    ANSWERED = "answered"
    FAILED = "failed"


class GroupPostKind(StrEnum):
    STANDUP = "standup"
    QOTD = "qotd"


class RoundStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
    STOPPED = "stopped"


class PollOwner(StrEnum):
    """Who a quiz poll belongs to, recorded when it is sent: its answers go there."""

    PRIVATE_QUIZ = "private"
    ROUND = "round"
    QOTD = "qotd"
