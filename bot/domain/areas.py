"""What area a learner meant: slugs typed loosely, aliases, and close misspellings."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.banks.schema import Level

MAX_AREA_TEXT = 64
CLOSE_ENOUGH = 0.6  # difflib's ratio for a misspelling worth suggesting
CLOSE_MARGIN = 0.1
_SEPARATORS = re.compile(r"[\s_/&.,+-]+")
_WORD = re.compile(r"[a-z0-9]+")

# Other names learners use for an area; each applies only when its area is loaded.
ALIASES: Mapping[str, str] = {
    "behavioural": "behavioral",
    "behaviour": "behavioral",
    "behavior": "behavioral",
    "postgres": "sql",
    "postgresql": "sql",
    "sqlite": "sql",
    "ci": "cicd",
    "cd": "cicd",
    "ci-cd": "cicd",
    "github-actions": "cicd",
    "gitlab-ci": "cicd",
    "mongo": "nosql",
    "mongodb": "nosql",
    "redis": "nosql",
    "rest": "rest-api",
    "restful": "rest-api",
    "http-codes": "http-status",
    "status-codes": "http-status",
    "http-status-codes": "http-status",
    "jwt": "auth",
    "oauth": "auth",
    "oauth2": "auth",
    "authentication": "auth",
    "scrum": "agile",
    "test": "testing",
    "tests": "testing",
    "pytest": "testing",
    "shell": "linux",
    "bash": "linux",
    "ec2": "aws",
    "s3": "aws",
    "rds": "aws",
    "gql": "graphql",
    "py": "python",
    "comms": "communication",
    "teamwork": "communication",
}


@dataclass(frozen=True)
class AreaMatch:
    """The area meant when it is certain; otherwise the closest ones to offer."""

    area: str | None
    suggestions: tuple[str, ...] = ()


def normalise_area(text: str) -> str:
    """`HTTP status`, `http_status` and `http-status` all become `http-status`."""
    return _SEPARATORS.sub("-", text[:MAX_AREA_TEXT].strip().lower()).strip("-")


def resolve_area(
    text: str, areas: Sequence[str], titles: Mapping[str, str] | None = None, limit: int = 3
) -> AreaMatch:
    """The area `text` names: its slug however it is spaced or cased, or an alias of it.
    Anything else gets suggestions: areas it starts, words of their titles, close spellings."""
    key = normalise_area(text)
    if not key:
        return AreaMatch(None)
    known = set(areas)
    if key in known:
        return AreaMatch(key)
    squeezed = {area.replace("-", ""): area for area in areas}
    if key.replace("-", "") in squeezed:
        return AreaMatch(squeezed[key.replace("-", "")])
    alias = ALIASES.get(key)
    if alias in known:
        return AreaMatch(alias)
    titles = titles or {}
    for area, title in titles.items():
        if area in known and normalise_area(title) == key:
            return AreaMatch(area)
    return AreaMatch(None, _suggestions(key, areas, titles, limit))


def _suggestions(
    key: str, areas: Sequence[str], titles: Mapping[str, str], limit: int
) -> tuple[str, ...]:
    found: list[str] = []

    def offer(area: str) -> None:
        if area not in found:
            found.append(area)

    for area in areas:
        if area.startswith(key) or key in area.split("-"):
            offer(area)
    for area in areas:
        if key in _WORD.findall(titles.get(area, "").lower()):
            offer(area)
    if found:
        return tuple(found[:limit])
    names: dict[str, str] = {area: area for area in areas}
    names.update({alias: area for alias, area in ALIASES.items() if area in names})
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, name).ratio(), name) for name in names),
        reverse=True,
    )
    # Only the spellings about as close as the closest one: `democod` means democode, not demo.
    best = scored[0][0] if scored else 0.0
    for score, name in scored:
        if score >= max(CLOSE_ENOUGH, best - CLOSE_MARGIN):
            offer(names[name])
    return tuple(found[:limit])


LEVEL_WORDS: Mapping[str, Level] = {
    "junior": Level.JUNIOR,
    "jr": Level.JUNIOR,
    "middle": Level.MIDDLE,
    "mid": Level.MIDDLE,
    "senior": Level.SENIOR,
    "sr": Level.SENIOR,
}


class AreaArgumentError(ValueError):
    """The words do not make `[area] [level]`; the message says why."""


@dataclass(frozen=True)
class AreaRequest:
    """`[area words...] [junior|middle|senior]` as typed: the area still to be resolved."""

    area_text: str | None
    level: Level | None


def parse_area_request(words: Sequence[str]) -> AreaRequest:
    """Splits the level off the words of a command; the rest, in order, names an area."""
    level: Level | None = None
    rest: list[str] = []
    for word in words:
        named = LEVEL_WORDS.get(word.lower())
        if named is None:
            rest.append(word)
        elif level is not None:
            raise AreaArgumentError("give one level: junior, middle or senior")
        else:
            level = named
    text = " ".join(rest)
    if len(text) > MAX_AREA_TEXT:
        raise AreaArgumentError("that is too long for an area name")
    return AreaRequest(text or None, level)
