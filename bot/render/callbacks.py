"""Callback data of inline buttons: short, typed, always within Telegram's 64 bytes, and
decoded into bounded values only (a forged or stale press never reaches storage as garbage)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.banks.limits import AREA_MAX, CALLBACK_DATA_MAX_BYTES, POLL_OPTIONS_MAX
from bot.banks.schema import Level
from bot.domain.self_rating import SelfRating

# Attempts, round questions and group posts have INTEGER keys: PostgreSQL's int4 is the
# narrowest column a callback number is compared with.
ID_MAX = 2**31 - 1
ALL_AREAS = "*"
_DIGITS = re.compile(r"[0-9]{1,10}")
_SLUG = re.compile(rf"[a-z0-9](?:-?[a-z0-9]){{0,{AREA_MAX - 1}}}")


class Action(StrEnum):
    ANSWER = "a"  # choice: attempt, option
    TOGGLE = "t"  # multi: attempt, option
    SUBMIT = "s"  # multi: attempt
    SKIP = "k"  # attempt
    NEXT = "n"  # area or "*", [the attempt it follows, [level]]
    REVIEW = "v"  # [the attempt it follows]: the next due review
    TOPIC = "q"  # area or "*", [level]
    FORGET = "f"  # "yes" or "no"
    REVEAL = "r"  # open question: attempt
    RATE = "g"  # open question: attempt, SelfRating value
    ROUND_ANSWER = "ga"  # group round: round question, option
    QOTD_ANSWER = "qa"  # question of the day: group post, option


def _is_id(text: str) -> bool:
    return bool(_DIGITS.fullmatch(text)) and int(text) <= ID_MAX


def _is_option(text: str) -> bool:
    return bool(_DIGITS.fullmatch(text)) and int(text) < POLL_OPTIONS_MAX


def _is_rating(text: str) -> bool:
    return text in {str(rating.value) for rating in SelfRating}


def _is_area(text: str) -> bool:
    return text == ALL_AREAS or bool(_SLUG.fullmatch(text))


def _is_optional_id(text: str) -> bool:
    return text == "" or _is_id(text)


def _is_optional_level(text: str) -> bool:
    return text == "" or text in {level.value for level in Level}


def _is_yes_no(text: str) -> bool:
    return text in {"yes", "no"}


Check = Callable[[str], bool]
# Each action's fields, and how many of them (from the left) a press must carry.
FIELDS: dict[Action, tuple[tuple[Check, ...], int]] = {
    Action.ANSWER: ((_is_id, _is_option), 2),
    Action.TOGGLE: ((_is_id, _is_option), 2),
    Action.SUBMIT: ((_is_id,), 1),
    Action.SKIP: ((_is_id,), 1),
    Action.NEXT: ((_is_area, _is_optional_id, _is_optional_level), 1),
    Action.REVIEW: ((_is_optional_id,), 0),
    Action.TOPIC: ((_is_area, _is_optional_level), 1),
    Action.FORGET: ((_is_yes_no,), 1),
    Action.REVEAL: ((_is_id,), 1),
    Action.RATE: ((_is_id, _is_rating), 2),
    Action.ROUND_ANSWER: ((_is_id, _is_option), 2),
    Action.QOTD_ANSWER: ((_is_id, _is_option), 2),
}


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

    def arg(self, index: int) -> str:
        """The field at `index`, or "" when the press carries fewer fields (older buttons)."""
        return self.args[index] if index < len(self.args) else ""


def pattern(action: Action) -> str:
    """The regular expression python-telegram-bot routes this action's presses by."""
    return f"^{action.value}(:|$)"


def decode(data: str | None) -> Callback | None:
    """The callback with every field checked and bounded, or None for data this bot did not
    make (old versions, forged presses, numbers no column can hold)."""
    if not data or len(data.encode()) > CALLBACK_DATA_MAX_BYTES:
        return None
    action_name, *args = data.split(":")
    try:
        action = Action(action_name)
    except ValueError:
        return None
    checks, required = FIELDS[action]
    if not required <= len(args) <= len(checks):
        return None
    if not all(check(arg) for check, arg in zip(checks, args, strict=False)):
        return None
    return Callback(action, tuple(args))
