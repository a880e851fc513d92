"""CPU per answered question: Interview Coach against a bare python-telegram-bot that only
echoes, in one run, through the same local Bot API server; then /stats checked under load.

    .venv/bin/python bench/answer_cost.py [--users 20] [--answers 25]

Each cycle is what a learner does: /quiz, then a tap on an answer button. Both bots make
the same Telegram calls per cycle (send the question; answer the press and edit the
message in place), so the difference is what grading, storage and rendering add.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from random import Random

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bench._results import write_section
from bot.adapters.clock import SystemClock
from bot.app import telegram_rate_limiter
from bot.config import Settings
from bot.devserver import BotApiServer, SimUser
from bot.runtime import build_services, create_application, start_polling, stop_polling
from bot.services import BotApplication

# Pacing is not what is measured here: both bots get the same generous limiter.
WARM_UP = 2
PROFILE = os.environ.get("BENCH_PROFILE")  # a file to write a cProfile of Interview Coach's run to
UNPACED = {"messages_per_second": 100_000, "group_messages_per_minute": 100_000}


def write_bank(folder: Path, count: int) -> None:
    """A bank of code questions, so every question is a message with buttons."""
    questions = [
        {
            "id": f"bench-q-{index:03d}",
            "type": "choice",
            "level": "junior",
            "question": f"What does snippet {index} print?",
            "code": f"print({index} + 1)",
            "options": [str(index + 1), str(index), str(index + 2), "nothing"],
            "answer": 0,
            "explanation": f"{index} + 1 is {index + 1}.",
        }
        for index in range(count)
    ]
    bank = {"area": "bench", "title": "Bench", "roadmap_month": 1, "questions": questions}
    (folder / "bench.yaml").write_text(yaml.safe_dump(bank, sort_keys=False), encoding="utf-8")


def echo_bot(settings: Settings) -> BotApplication:
    async def quiz(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        buttons = [
            [
                InlineKeyboardButton(label, callback_data=f"a:1:{index}")
                for index, label in enumerate("ABCD")
            ]
        ]
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            "What does this print?", reply_markup=InlineKeyboardMarkup(buttons)
        )

    async def press(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("ok")
        await query.edit_message_text(f"You pressed {query.data}")

    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .rate_limiter(telegram_rate_limiter(**UNPACED))
        .build()
    )
    application.add_handler(CommandHandler("quiz", quiz))
    application.add_handler(CallbackQueryHandler(press))
    return application


async def learner(user: SimUser, cycles: int) -> None:
    for _ in range(cycles):
        user.send("/quiz bench")
        await user.reply(timeout=30)
        user.press("A")
        await user.reply(timeout=30)


async def measure(server: BotApiServer, users: int, cycles: int, first_id: int) -> dict[str, float]:
    people = [SimUser(server, first_id + index, f"learner{index}") for index in range(users)]
    # Warm-up: first calls import lazily and fill SQLAlchemy's statement cache.
    await asyncio.gather(*(learner(person, WARM_UP) for person in people))
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(learner(person, cycles) for person in people))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    answers = users * cycles
    return {"answers": answers, "cpu_ms": cpu * 1000 / answers, "per_second": answers / wall}


async def run(users: int, cycles: int, database_url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_bank(folder, 60)
        async with BotApiServer() as server:
            settings = Settings(
                telegram_bot_token="1:BENCH",
                telegram_api_base_url=server.base_url,
                database_url=database_url or f"sqlite+aiosqlite:///{folder / 'bench.db'}",
                questions_dir=folder,
                _env_file=None,  # type: ignore[call-arg]
            )
            echo = echo_bot(settings)
            await start_plain(echo)
            baseline = await measure(server, users, cycles, 1_000_000)
            await stop_polling_plain(echo)

            services = build_services(settings, clock=SystemClock(), rng=Random(3))
            coach = create_application(
                services, run_sweeps=False, rate_limiter=telegram_rate_limiter(**UNPACED)
            )
            await start_polling(coach, poll_timeout=1)
            profiler = cProfile.Profile() if PROFILE else None
            if profiler:
                profiler.enable()
            ours = await measure(server, users, cycles, 2_000_000)
            if profiler:
                profiler.disable()
                profiler.dump_stats(PROFILE)
            mismatches = 0
            for index in range(users):
                person = SimUser(server, 2_000_000 + index, f"learner{index}")
                person.send("/stats")
                text = (await person.reply(timeout=30)).result["text"]
                shown = re.search(r"Total: (\d+)/(\d+) correct", text)
                scores = await services.attempts.area_scores(person.id)
                stored = (
                    sum(score.correct for score in scores),
                    sum(score.answered for score in scores),
                )
                # Every learner answered cycles + WARM_UP questions, all right (option A).
                expected = (cycles + WARM_UP, cycles + WARM_UP)
                if (
                    shown is None
                    or (int(shown.group(1)), int(shown.group(2))) != stored
                    or stored != expected
                ):
                    mismatches += 1
            await stop_polling(coach)
    return {
        "users": users,
        "answers": ours["answers"],
        "echo_cpu_ms": baseline["cpu_ms"],
        "coach_cpu_ms": ours["cpu_ms"],
        "echo_rate": baseline["per_second"],
        "coach_rate": ours["per_second"],
        "stats_mismatches": mismatches,
    }


async def start_plain(application: BotApplication) -> None:
    await application.initialize()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    await application.start()


async def stop_polling_plain(application: BotApplication) -> None:
    assert application.updater is not None
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--answers", type=int, default=25, help="answers per user")
    parser.add_argument("--database-url", default=None, help="an empty database, e.g. PostgreSQL")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    figures = asyncio.run(run(args.users, args.answers, args.database_url))
    backend = "PostgreSQL" if args.database_url and "postgresql" in args.database_url else "SQLite"
    command = "python bench/answer_cost.py" + (
        f" --users {args.users} --answers {args.answers}"
        if (args.users, args.answers) != (20, 25)
        else ""
    )
    if args.database_url:
        command += f" --database-url {args.database_url}"
    where = (
        ""
        if backend == "SQLite"
        else "; PostgreSQL's own CPU is in its server process, not counted"
    )
    added = figures["coach_cpu_ms"] - figures["echo_cpu_ms"]
    body = f"""Command: `{command}` ({backend}, {time.strftime("%Y-%m-%d")}, 2 cores; CPU of the one process
that runs the bot and the local Bot API server, so both rows include the server's share{where})

| figure | bare echo bot | Interview Coach |
| --- | --- | --- |
| answers ({figures["users"]} learners at once) | {figures["answers"]:,} | {figures["answers"]:,} |
| CPU per answer (quiz + tap + verdict) | {figures["echo_cpu_ms"]:.2f} ms | {figures["coach_cpu_ms"]:.2f} ms |
| answers per second (unpaced) | {figures["echo_rate"]:.0f} | {figures["coach_rate"]:.0f} |

Added per answer by grading, storage and rendering: {added:.2f} ms of CPU.
/stats after the load: {figures["stats_mismatches"]} of {figures["users"]} learners differ from what was stored (goal 0).
"""
    print(body)
    if not args.no_write:
        write_section(f"CPU per answer ({backend})", body)


if __name__ == "__main__":
    main()
