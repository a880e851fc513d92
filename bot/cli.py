"""The `interview-bot` command: run, check-banks, playground, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.banks.loader import BankError, format_problems, load_banks
from bot.config import Settings
from bot.logging_setup import configure_logging

NO_TOKEN = """TELEGRAM_BOT_TOKEN is not set, so the bot cannot reach Telegram.
To get a token: open Telegram, talk to @BotFather, send /newbot, pick a name and a username,
and copy the token it gives you. Then either
    export TELEGRAM_BOT_TOKEN=123456:ABC...    or put that line in a file named .env here
and run this command again.

Meanwhile, here is the playground: the same bot, offline, in your terminal.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="interview-bot", description="Interview Coach Telegram bot"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "run", help="run the bot (long polling, or a webhook when WEBHOOK_URL is set)"
    )
    check = commands.add_parser("check-banks", help="validate every question bank")
    check.add_argument(
        "directory", nargs="?", type=Path, help="folder of *.yaml banks (default: QUESTIONS_DIR)"
    )
    playground = commands.add_parser(
        "playground",
        help="chat with the bot in this terminal, offline (progress kept in ./data/playground.db)",
    )
    playground.add_argument(
        "--fresh", action="store_true", help="start over: delete the playground's progress first"
    )
    database = commands.add_parser("db", help="database maintenance")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser("upgrade", help="apply the migrations")
    return parser


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        print(f"Bad settings:\n{error}", file=sys.stderr)
        raise SystemExit(2) from None


def check_banks(directory: Path) -> int:
    result = load_banks(directory)
    if result.problems:
        print(format_problems(result.problems))
        count, files = len(result.problems), len({problem.file for problem in result.problems})
        print(
            f"{count} {'problem' if count == 1 else 'problems'} in "
            f"{files} {'file' if files == 1 else 'files'}",
            file=sys.stderr,
        )
        return 1
    for bank in result.catalog.banks:
        levels = Counter(question.level.value for question in bank.questions)
        types = Counter(question.type.value for question in bank.questions)
        print(
            f"{bank.area}: {len(bank.questions)} questions "
            f"(junior {levels['junior']}, middle {levels['middle']}, senior {levels['senior']}; "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(types.items()))
            + ")"
        )
    print(f"total: {len(result.catalog)} questions in {len(result.catalog.areas)} areas, all valid")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check-banks":
        return check_banks(args.directory or _settings().questions_dir)
    settings = _settings()
    configure_logging(settings.log_level, settings.telegram_bot_token)
    if args.command == "db":
        from bot.storage.database import Database
        from bot.storage.migrate import upgrade

        async def _upgrade() -> None:
            database = Database(settings.database_url)
            try:
                await upgrade(database)
            finally:
                await database.dispose()

        asyncio.run(_upgrade())
        print("database is up to date")
        return 0
    if args.command == "playground" or not settings.telegram_bot_token:
        from bot.playground import run_playground

        if args.command == "run":
            print(NO_TOKEN)
        configure_logging("WARNING")
        try:
            fresh = bool(getattr(args, "fresh", False))
            asyncio.run(run_playground(questions_dir=settings.questions_dir, fresh=fresh))
        except BankError as error:
            print(
                f"The question banks have problems, so the bot will not start:\n{error}",
                file=sys.stderr,
            )
            return 1
        except KeyboardInterrupt:
            pass
        return 0
    from bot.runtime import run

    try:
        run(settings)
    except BankError as error:
        print(
            f"The question banks have problems, so the bot will not start:\n{error}",
            file=sys.stderr,
        )
        return 1
    return 0
