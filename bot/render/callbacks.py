"""Callback data of inline buttons: short, typed, and always within Telegram's 64 bytes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.banks.limits import CALLBACK_DATA_MAX_BYTES


class Action(StrEnum):
    ANSWER = "a"  # choice: attempt, option
    TOGGLE = "t"  # multi: attempt, option
    SUBMIT = "s"  # multi: attempt
    SKIP = "k"  # attempt
    NEXT = "n"  # area or "*"
    REVIEW = "v"  # the next due review
    TOPIC = "q"  # area
    FORGET = "f"  # "yes" or "no"
    REVEAL = "r"  # open question: attempt
    RATE = "g"  # open question: attempt, SelfRating value
    ROUND_ANSWER = "ga"  # group round: round question, option
    QOTD_ANSWER = "qa"  # question of the day: group post, option


@dataclass(frozen=True)
class Callback:
    action: Action
    args: tuple[str, ...] = ()

    def encode(self) -> str:
        data = ":".join((self.action.value, *self.args))
        if len(data.encode()) > CALLBACK_DATA_MAX_BYTES:
            raise ValueError(f"callback data over {CALLBACK_DATA_MAX_BYTES} bytes: {data!r}")
        return data

    def int_arg(self, index: int) -> int:
        return int(self.args[index])


def pattern(action: Action) -> str:
    """The regular expression python-telegram-bot routes this action's presses by."""
    return f"^{action.value}(:|$)"


def decode(data: str | None) -> Callback | None:
    """The callback, or None for data this bot did not make (old versions, forged presses)."""
    if not data:
        return None
    action, *args = data.split(":")
    try:
        callback = Callback(Action(action), tuple(args))
    except ValueError:
        return None
    expected_args = {
        Action.ANSWER: 2,
        Action.TOGGLE: 2,
        Action.SUBMIT: 1,
        Action.SKIP: 1,
        Action.NEXT: 1,
        Action.REVIEW: 0,
        Action.TOPIC: 1,
        Action.FORGET: 1,
        Action.REVEAL: 1,
        Action.RATE: 2,
        Action.ROUND_ANSWER: 2,
        Action.QOTD_ANSWER: 2,
    }[callback.action]
    if len(args) != expected_args:
        return None
    numeric = (
        Action.ANSWER,
        Action.TOGGLE,
        Action.SUBMIT,
        Action.SKIP,
        Action.REVEAL,
        Action.RATE,
        Action.ROUND_ANSWER,
        Action.QOTD_ANSWER,
    )
    if callback.action in numeric and not all(arg.isdigit() for arg in args):
        return None
    return callback


ALL_AREAS = "*"
