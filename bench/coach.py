"""The coach's queries at scale: /review's next card, /stats with readiness and the check-in's
study facts, with 100,000 users and 1,000,000 answers (and their cards) in SQLite and PostgreSQL.

    .venv/bin/python bench/coach.py [--users 100000] [--answers 1000000] [--samples 1000]
                                    [--backends sqlite,postgresql]

Each backend is filled twice, at a tenth of the size and at full size, with bulk inserts
(executemany in one transaction on SQLite, COPY on PostgreSQL), then the use cases the handlers
call run one at a time for randomly chosen learners. Figures go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._results import write_section
from bot.banks.loader import load_catalog
from bot.banks.location import bundled_questions_dir
from bot.banks.schema import Question
from bot.config import Settings
from bot.domain.clock import FakeClock
from bot.domain.practice import most_at_risk
from bot.domain.spaced_repetition import CardPhase
from bot.domain.states import SendStatus
from bot.runtime import build_services
from bot.services import Services
from bot.storage.migrate import upgrade
from bot.usecases.views import CheckinView

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HISTORY_DAYS = 60
GOAL = 20.0  # ms, the bar for each p99
POSTGRES_ADMIN = os.environ.get("BENCH_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
ZONES = (None, None, "Europe/Berlin", "America/New_York", "Asia/Kolkata")
SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite


@dataclass
class Dataset:
    users: list[tuple[object, ...]]
    attempts: list[tuple[object, ...]]
    cards: list[tuple[object, ...]]
    heaviest: int

    def reviews(self) -> Iterable[tuple[object, ...]]:
        """One review per answer: user, question, rating, duration in ms, time."""
        for _id, user_id, _chat, question_id, _area, correct, asked, answered in self.attempts:
            duration = int((answered - asked).total_seconds() * 1000)
            yield user_id, question_id, 3 if correct else 1, duration, answered


def answers_per_user(users: int, answers: int, rng: Random) -> list[int]:
    """A long tail (most learners answer a few questions, some hundreds) summing to `answers`."""
    raw = [rng.expovariate(1.0) for _ in range(users)]
    scale = answers / sum(raw)
    counts = [max(1, round(value * scale)) for value in raw]
    surplus = sum(counts) - answers
    index = 0
    while surplus:
        step = 1 if surplus > 0 else -1
        if counts[index] - step >= 1:
            counts[index] -= step
            surplus -= step
        index = (index + 1) % users
    return counts


def generate(
    users: int, answers: int, questions_by_area: list[list[Question]], seed: int
) -> Dataset:
    rng = Random(seed)
    start = NOW - timedelta(days=HISTORY_DAYS)
    counts = answers_per_user(users, answers, rng)
    user_rows: list[tuple[object, ...]] = []
    attempt_rows: list[tuple[object, ...]] = []
    card_rows: list[tuple[object, ...]] = []
    attempt_id = 0
    for index, count in enumerate(counts):
        user_id = 10_000_000 + index
        goal = NOW.date() + timedelta(days=rng.randint(5, 90)) if rng.random() < 0.3 else None
        user_rows.append((user_id, f"u{index}", rng.choice(ZONES), start, NOW, goal))
        areas = rng.sample(questions_by_area, k=min(len(questions_by_area), rng.randint(1, 4)))
        pool = [question for area in areas for question in area]
        moments = sorted(
            start + timedelta(seconds=rng.randrange(HISTORY_DAYS * 86400)) for _ in range(count)
        )
        per_card: dict[str, list[tuple[datetime, bool]]] = {}
        for moment in moments:
            question = rng.choice(pool)
            correct = rng.random() < 0.7
            attempt_id += 1
            asked = moment - timedelta(seconds=rng.randint(5, 60))
            attempt_rows.append(
                (
                    attempt_id,
                    user_id,
                    user_id,
                    question.id,
                    question.area,
                    int(correct),
                    asked,
                    moment,
                )
            )
            per_card.setdefault(f"{question.area}\t{question.id}", []).append((moment, correct))
        for key, history in per_card.items():
            area, question_id = key.split("\t")
            last, right = history[-1]
            reps = len(history)
            lapses = sum(1 for _, correct in history if not correct)
            if right:
                stability = max(0.5, rng.lognormvariate(1.0 + 0.4 * (reps - lapses), 0.6))
                phase, step, due = CardPhase.REVIEW, None, last + timedelta(days=stability)
            else:
                stability = rng.uniform(0.2, 1.5)
                phase, step, due = CardPhase.RELEARNING, 0, last + timedelta(minutes=10)
            card_rows.append(
                (
                    user_id,
                    question_id,
                    area,
                    int(phase),
                    step,
                    stability,
                    rng.uniform(2, 9),
                    due,
                    last,
                    reps,
                    lapses,
                )
            )
    heaviest = 10_000_000 + max(range(users), key=counts.__getitem__)
    return Dataset(user_rows, attempt_rows, card_rows, heaviest)


def _sqlite_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).strftime(SQLITE_FORMAT)


def load_sqlite(path: str, data: Dataset) -> None:
    import sqlite3

    t = _sqlite_time
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")
        with connection:
            connection.executemany(
                "INSERT INTO users (id, first_name, timezone, active, created_at, last_seen_at, "
                "goal_date) VALUES (?, ?, ?, 1, ?, ?, ?)",
                (
                    (uid, name, zone, t(created), t(seen), goal.isoformat() if goal else None)
                    for uid, name, zone, created, seen, goal in data.users
                ),
            )
            connection.executemany(
                "INSERT INTO attempts (id, user_id, chat_id, question_id, area, kind, status, "
                "selection, chosen, correct, asked_at, answered_at, review) "
                "VALUES (?, ?, ?, ?, ?, 'buttons', 'answered', '', '0', ?, ?, ?, 0)",
                ((*row[:6], t(row[6]), t(row[7])) for row in data.attempts),
            )
            connection.executemany(
                "INSERT INTO cards (user_id, question_id, area, phase, step, stability, "
                "difficulty, due, last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((*row[:7], t(row[7]), t(row[8]), *row[9:]) for row in data.cards),
            )
            connection.executemany(
                "INSERT INTO card_reviews (user_id, question_id, rating, source, duration_ms, "
                "reviewed_at, due_after) VALUES (?, ?, ?, 'quiz', ?, ?, ?)",
                ((*row[:4], t(row[4]), t(row[4])) for row in data.reviews()),
            )
        connection.execute("ANALYZE")
    finally:
        connection.close()


async def load_postgres(dsn: str, data: Dataset) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        await connection.copy_records_to_table(
            "users",
            records=[(*row[:3], True, *row[3:]) for row in data.users],
            columns=[
                "id",
                "first_name",
                "timezone",
                "active",
                "created_at",
                "last_seen_at",
                "goal_date",
            ],
        )
        await connection.copy_records_to_table(
            "attempts",
            records=[
                (*row[:5], "buttons", "answered", "", "0", *row[5:], False) for row in data.attempts
            ],
            columns=[
                "id",
                "user_id",
                "chat_id",
                "question_id",
                "area",
                "kind",
                "status",
                "selection",
                "chosen",
                "correct",
                "asked_at",
                "answered_at",
                "review",
            ],
        )
        await connection.execute(
            "SELECT setval(pg_get_serial_sequence('attempts', 'id'), (SELECT max(id) FROM attempts))"
        )
        await connection.copy_records_to_table(
            "cards",
            records=data.cards,
            columns=[
                "user_id",
                "question_id",
                "area",
                "phase",
                "step",
                "stability",
                "difficulty",
                "due",
                "last_review",
                "reps",
                "lapses",
            ],
        )
        await connection.copy_records_to_table(
            "card_reviews",
            records=[(*row[:3], "quiz", row[3], row[4], row[4]) for row in data.reviews()],
            columns=[
                "user_id",
                "question_id",
                "rating",
                "source",
                "duration_ms",
                "reviewed_at",
                "due_after",
            ],
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


@dataclass
class Timing:
    name: str
    samples: list[float]  # wall-clock ms per call
    cpu: list[float]  # CPU ms of this process per call (the bot and, on SQLite, the database)
    heaviest: float

    def p(self, share: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        return self.p(0.99)

    @property
    def cpu_p99(self) -> float:
        ordered = sorted(self.cpu)
        return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


async def timed(call: Callable[[int], Awaitable[object]], user_id: int) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    await call(user_id)
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def checkin_of(user_id: int) -> CheckinView:
    return CheckinView(
        id=0,
        schedule_id=0,
        user_id=user_id,
        chat_id=user_id,
        local_date=NOW.date(),
        due_at=NOW,
        status=SendStatus.SENDING,
        tries=0,
        message_id=None,
        sent_at=None,
        answered_at=None,
        yesterday=None,
        today=None,
        blockers=None,
    )


async def next_card(services: Services, user_id: int) -> str | None:
    """/review's next-card query alone: the learner's cards due today, the riskiest due now."""
    async with services.uow() as uow:
        today = await uow.cards.due(user_id, NOW + timedelta(hours=15))
    return most_at_risk({qid: card for qid, card in today.items() if card.is_due(NOW)}, NOW)


async def stats_with_readiness(services: Services, user_id: int) -> None:
    await services.progress.summary_and_plan(user_id)


async def measure(services: Services, user_ids: list[int], heaviest: int) -> list[Timing]:
    cases: dict[str, Callable[[int], Awaitable[object]]] = {
        "/review next-card query": lambda uid: next_card(services, uid),
        "/review (whole use case: also opens the attempt)": lambda uid: services.quiz.next_review(
            uid, uid
        ),
        "/stats with readiness": lambda uid: stats_with_readiness(services, uid),
        "check-in study facts": lambda uid: services.checkins.facts(checkin_of(uid)),
    }
    timings = []
    for name, case in cases.items():
        timings.append(await measure_case(name, case, user_ids, heaviest))
    return timings


async def measure_case(
    name: str, case: Callable[[int], Awaitable[object]], user_ids: list[int], heaviest: int
) -> Timing:
    for uid in user_ids[:50]:  # warm-up: connections, caches
        await case(uid)
    measured = [await timed(case, uid) for uid in user_ids]
    heavy = statistics.median([(await timed(case, heaviest))[0] for _ in range(5)])
    return Timing(name, [wall for wall, _ in measured], [cpu for _, cpu in measured], heavy)


def services_for(url: str, questions_dir: Path) -> Services:
    settings = Settings(
        telegram_bot_token="1:bench",
        database_url=url,
        questions_dir=questions_dir,
        _env_file=None,  # type: ignore[call-arg]
    )
    return build_services(settings, clock=FakeClock(NOW), rng=Random(3))


@dataclass
class Run:
    backend: str
    users: int
    answers: int
    cards: int
    load_seconds: float
    timings: list[Timing]


def postgres_url(dsn: str, name: str) -> tuple[str, str]:
    base = dsn.rsplit("/", 1)[0]
    return f"{base}/{name}", f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"


async def run_one(backend: str, users: int, answers: int, samples: int, seed: int) -> Run:
    questions_dir = bundled_questions_dir()
    by_area = [list(bank.questions) for bank in load_catalog(questions_dir).banks]
    started = time.perf_counter()
    data = generate(users, answers, by_area, seed)
    with tempfile.TemporaryDirectory() as folder:
        if backend == "sqlite":
            path = str(Path(folder) / "coach.db")
            url = f"sqlite+aiosqlite:///{path}"
            services = services_for(url, questions_dir)
            await upgrade(services.database)
            await services.database.dispose()
            load_sqlite(path, data)
            cleanup: Callable[[], Awaitable[None]] | None = None
        else:
            import asyncpg

            name = f"ic_bench_coach_{uuid.uuid4().hex[:8]}"
            admin = await asyncpg.connect(POSTGRES_ADMIN)
            await admin.execute(f'CREATE DATABASE "{name}"')
            await admin.close()
            dsn, url = postgres_url(POSTGRES_ADMIN, name)
            services = services_for(url, questions_dir)
            await upgrade(services.database)
            await services.database.dispose()
            await load_postgres(dsn, data)

            async def drop() -> None:
                admin = await asyncpg.connect(POSTGRES_ADMIN)
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await admin.close()

            cleanup = drop
        load_seconds = time.perf_counter() - started
        cards, heaviest = len(data.cards), data.heaviest
        # The generated rows are millions of objects: a collector pass over them would show up
        # as latency the bot never has (it does not hold them).
        del data
        gc.collect()
        gc.freeze()
        services = services_for(url, questions_dir)
        try:
            rng = Random(seed + 1)
            user_ids = [10_000_000 + rng.randrange(users) for _ in range(samples)]
            timings = await measure(services, user_ids, heaviest)
        finally:
            await services.database.dispose()
            if cleanup is not None:
                await cleanup()
    return Run(backend, users, answers, cards, load_seconds, timings)


def report(runs: list[Run], samples: int, command: str, load: tuple[float, float]) -> str:
    lines = [
        f"Command: `{command}` ({date.today().isoformat()}, {os.cpu_count()} cores, load "
        f"average {load[0]:.1f} at the start and {load[1]:.1f} at the end; {samples} learners "
        "drawn at random per figure, one call at a time; wall-clock latency in ms, including "
        "the unit of work's connection and transaction; CPU is this process's, which on SQLite "
        "includes the database's work)",
        "",
    ]
    for backend in dict.fromkeys(run.backend for run in runs):
        mine = [run for run in runs if run.backend == backend]
        small, large = mine[0], mine[-1]
        lines += [
            f"**{'SQLite' if backend == 'sqlite' else 'PostgreSQL'}** — "
            + "; ".join(
                f"{run.users:,} users, {run.answers:,} answers, {run.cards:,} cards "
                f"(generated and loaded in {run.load_seconds:.0f} s)"
                for run in mine
            ),
            "",
            f"| figure | p50 {small.users // 1000}k | p99 {small.users // 1000}k | p50 {large.users // 1000}k "
            f"| p99 {large.users // 1000}k | p99 growth | CPU p99 {large.users // 1000}k "
            f"| heaviest learner ({large.users // 1000}k) | goal p99 |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for before, after in zip(small.timings, large.timings, strict=True):
            lines.append(
                f"| {after.name} | {before.p50:.2f} | {before.p99:.2f} | {after.p50:.2f} | "
                f"{after.p99:.2f} | ×{after.p99 / before.p99:.2f} | {after.cpu_p99:.2f} | "
                f"{after.heaviest:.2f} | "
                f"< {GOAL:.0f} ms {'✅' if after.p99 < GOAL else '❌'} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md")
    args = parser.parse_args()
    runs: list[Run] = []
    load_at_start = os.getloadavg()[0]
    for backend in args.backends.split(","):
        for scale in (10, 1):
            users, answers = args.users // scale, args.answers // scale
            print(f"{backend}: {users:,} users, {answers:,} answers ...", flush=True)
            run = asyncio.run(run_one(backend, users, answers, args.samples, seed=users))
            for timing in run.timings:
                print(
                    f"  {timing.name}: p50 {timing.p50:.2f} ms, p99 {timing.p99:.2f} ms, "
                    f"CPU p99 {timing.cpu_p99:.2f} ms, heaviest {timing.heaviest:.2f} ms",
                    flush=True,
                )
            runs.append(run)
    command = "python bench/coach.py " + " ".join(sys.argv[1:])
    body = report(runs, args.samples, command.strip(), (load_at_start, os.getloadavg()[0]))
    print(body)
    if not args.no_write:
        write_section("Coach queries at scale (SQLite and PostgreSQL)", body)


if __name__ == "__main__":
    main()
