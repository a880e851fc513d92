"""Every chat command the bot answers: the one list behind /help, setMyCommands and the docs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Scope(Enum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    description: str
    scopes: tuple[Scope, ...] = (Scope.PRIVATE,)

    @property
    def form(self) -> str:
        return f"/{self.name} {self.usage}".rstrip()


COMMANDS: tuple[Command, ...] = (
    Command("start", "", "what this bot does and how to begin"),
    Command("help", "", "every command", (Scope.PRIVATE, Scope.GROUP)),
    Command("topics", "", "the areas with their question counts"),
    Command(
        "quiz",
        "[area] [junior|middle|senior]",
        "a question at your level (or the one named): due reviews, new, weak topics",
    ),
    Command("review", "", "the questions due for review, the ones you are forgetting first"),
    Command(
        "stats", "[area]", "accuracy and readiness per area, what to do next; an area in detail"
    ),
    Command("goal", "YYYY-MM-DD", "your interview date: a countdown and a forecast; off"),
    Command(
        "checkin", "HH:MM [Area/City] [days]", "a daily standup check-in; off, pause 7d, resume"
    ),
    Command("timezone", "Area/City", "your time zone, e.g. Europe/Berlin"),
    Command("history", "", "your last check-ins and check-in streak"),
    Command("cancel", "", "skip the current question (not scored)"),
    Command("forget", "", "delete everything stored about you"),
    Command(
        "groupquiz",
        "[area] [count]",
        "a quiz round everyone can answer (default 5)",
        (Scope.GROUP,),
    ),
    Command("stopquiz", "", "end the running round (its starter or an admin)", (Scope.GROUP,)),
    Command("leaderboard", "", "this week's and all-time scores in this group", (Scope.GROUP,)),
    Command(
        "standup", "HH:MM [Area/City] [days]", "a daily group standup (admins); off", (Scope.GROUP,)
    ),
    Command(
        "qotd", "HH:MM [Area/City]", "a daily question of the day (admins); off", (Scope.GROUP,)
    ),
)

BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}


def usage(name: str) -> str:
    return BY_NAME[name].form
