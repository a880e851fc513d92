"""Leaderboards: competition ranking where ties share a place (1, 2, 2, 4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Score:
    user_id: int
    name: str
    points: int
    answered: int


@dataclass(frozen=True)
class Placed:
    place: int
    score: Score


def rank(scores: Sequence[Score]) -> list[Placed]:
    """Most points first; equal points share the better place and the next place is skipped.
    Within a tie the order is by fewer answers needed, then by name, so it is stable."""
    ordered = sorted(
        scores,
        key=lambda score: (-score.points, score.answered, score.name.casefold(), score.user_id),
    )
    placed: list[Placed] = []
    for index, score in enumerate(ordered):
        if placed and placed[-1].score.points == score.points:
            placed.append(Placed(placed[-1].place, score))
        else:
            placed.append(Placed(index + 1, score))
    return placed


def top_with_caller(
    placed: Sequence[Placed], caller_id: int | None, size: int = 10
) -> tuple[list[Placed], Placed | None]:
    """The top `size` entries, and the caller's entry when it is not among them."""
    top = list(placed[:size])
    if caller_id is None or any(entry.score.user_id == caller_id for entry in top):
        return top, None
    return top, next((entry for entry in placed if entry.score.user_id == caller_id), None)


def week_start(now: datetime, zone: ZoneInfo) -> datetime:
    """Monday 00:00 of the current week in `zone`, as an aware datetime."""
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tzinfo=zone)
