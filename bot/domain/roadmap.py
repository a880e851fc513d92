"""The 6-month backend roadmap: what each month focuses on, and where a learner is now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final


@dataclass(frozen=True)
class RoadmapMonth:
    number: int
    focus: str
    areas: tuple[str, ...]


ROADMAP: Final = (
    RoadmapMonth(1, "Python, Git, basic SQL, FastAPI", ("python", "git", "sql", "fastapi")),
    RoadmapMonth(
        2,
        "PostgreSQL, REST APIs, Docker",
        ("sql", "rest-api", "http-status", "docker", "auth", "nosql"),
    ),
    RoadmapMonth(3, "Django basics, pytest, GitHub Actions (CI/CD)", ("django", "testing", "cicd")),
    RoadmapMonth(4, "AWS (EC2, S3, RDS), deployment", ("aws", "linux")),
    RoadmapMonth(
        5,
        "a full project: API + DB + tests + Docker + deployment",
        ("graphql", "docker", "testing"),
    ),
    RoadmapMonth(
        6,
        "mock interviews, documentation practice, real-world contribution",
        ("behavioral", "agile"),
    ),
)
DAYS_PER_MONTH: Final = 30


def month_on(started: date, today: date) -> RoadmapMonth:
    """The roadmap month a learner who started on `started` is in; month 6 after that."""
    elapsed = max(0, (today - started).days)
    return ROADMAP[min(elapsed // DAYS_PER_MONTH, len(ROADMAP) - 1)]
