"""Check-in fan-out: N users due in the same minute, sent through a local Bot API server that
allows 30 messages/s and answers 429 beyond that.

    .venv/bin/python bench/checkin_fanout.py [--users 10000] [--database-url URL]

Reports achieved messages/s (goal >= 28.5), 429s received, duplicates (goal 0), missed
(goal 0), wall time and peak memory, and writes them to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._results import write_section
from bot.bootstrap import build_services, create_application, on_shutdown, on_startup
from bot.config import Settings
from bot.devserver import BotApiServer
from bot.domain.clock import FakeClock
from bot.scheduling.checkin_sweep import sweep
from bot.storage.models import CheckinSchedule, User

TELEGRAM_LIMIT = 30.0
DUE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
FIRST_USER = 10_000_000


async def seed(services, users: int) -> None:  # type: ignore[no-untyped-def]
    created = DUE - timedelta(days=40)
    async with services.database.session.begin() as session:
        for start in range(0, users, 2000):
            ids = range(FIRST_USER + start, FIRST_USER + min(start + 2000, users))
            await session.execute(
                insert(User),
                [
                    {
                        "id": user_id,
                        "first_name": f"user{user_id}",
                        "active": True,
                        "created_at": created,
                        "last_seen_at": created,
                        "timezone": "UTC",
                    }
                    for user_id in ids
                ],
            )
            await session.execute(
                insert(CheckinSchedule),
                [
                    {
                        "user_id": user_id,
                        "chat_id": user_id,
                        "hour": 8,
                        "minute": 0,
                        "timezone": "UTC",
                        "days": 0b1111111,
                        "enabled": True,
                        "next_run_at": DUE,
                        "created_at": created,
                    }
                    for user_id in ids
                ],
            )


async def run(users: int, database_url: str | None) -> dict[str, float]:
    async with BotApiServer(messages_per_second=TELEGRAM_LIMIT) as server:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                telegram_bot_token="1:BENCH",
                telegram_api_base_url=server.base_url,
                database_url=database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
                _env_file=None,  # type: ignore[call-arg]
            )
            clock = FakeClock(DUE - timedelta(minutes=1))
            services = build_services(settings, clock=clock, rng=Random(1))
            application = create_application(services, run_sweeps=False)
            await application.initialize()
            await on_startup(application)
            await seed(services, users)
            for user_id in range(FIRST_USER, FIRST_USER + users):
                server.add_chat({"id": user_id, "type": "private", "first_name": f"user{user_id}"})
            clock.set(DUE + timedelta(seconds=20))
            started = time.perf_counter()
            report = await sweep(application)
            wall = time.perf_counter() - started
            await application.shutdown()
            await on_shutdown(application)
    sends = [call for call in server.calls_to("sendMessage") if "Daily standup" in call.text]
    delivered = [call for call in sends if call.ok]
    per_chat = Counter(call.chat_id for call in delivered)
    span = (
        max(call.at for call in delivered) - min(call.at for call in delivered)
        if delivered
        else 0.0
    )
    return {
        "users": users,
        "delivered": len(delivered),
        "rate": len(delivered) / span if span else 0.0,
        "rate_429": sum(1 for call in sends if call.error and call.error.startswith("Too Many")),
        "duplicates": sum(count - 1 for count in per_chat.values() if count > 1),
        "missed": users - len(per_chat),
        "wall": wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "sweep_failed": report.failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    figures = asyncio.run(run(args.users, args.database_url))
    backend = "PostgreSQL" if args.database_url and "postgresql" in args.database_url else "SQLite"
    command = "python bench/checkin_fanout.py" + (
        f" --users {args.users}" if args.users != 10_000 else ""
    )
    if args.database_url:
        command += " --database-url " + args.database_url
    body = f"""Command: `{command}` ({backend}, {time.strftime("%Y-%m-%d")}, 2 cores)

| figure | value | goal |
| --- | --- | --- |
| users due in the same minute | {figures["users"]:,} | |
| check-ins delivered | {figures["delivered"]:,} | all |
| achieved messages/s | {figures["rate"]:.2f} | >= 28.5 (95 % of 30/s) |
| 429 answers received | {figures["rate_429"]:,} | few; each retried after retry_after |
| duplicates | {figures["duplicates"]} | 0 |
| missed | {figures["missed"]} | 0 |
| wall time of the sweep | {figures["wall"]:.1f} s | ~{figures["users"] / TELEGRAM_LIMIT:.0f} s at 30/s |
| peak memory (RSS, bot + local server) | {figures["peak_mb"]:.0f} MiB | small |
"""
    print(body)
    if not args.no_write:
        write_section(f"Check-in fan-out ({backend})", body)


if __name__ == "__main__":
    main()
