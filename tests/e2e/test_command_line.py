"""The `interview-bot` command as a user runs it: in a terminal, with real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect

from tests.conftest import DEMO_BANKS


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DATABASE_", "QUESTIONS_"))
    }
    env.update(extra)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def spawn(args: list[str], tmp_path: Path, **extra: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "bot", *args],
        cwd=str(tmp_path),
        env=clean_env(tmp_path, **extra),
        encoding="utf-8",
        timeout=30,
    )


def test_playground_quiz_through_a_terminal(tmp_path: Path) -> None:
    child = spawn(["playground"], tmp_path, QUESTIONS_DIR=str(DEMO_BANKS))
    child.expect("Interview Coach playground")
    child.expect(r"Your progress is kept in data/playground.db, so it is here next time")
    child.expect("> ")
    child.sendline("/start")
    child.expect("Hi You! I am Interview Coach")
    child.sendline("/quiz democode")
    child.expect(r"What does this print\?")
    child.expect(r"\[1\] A")
    child.expect("> ")
    child.sendline("1")
    child.expect(r"Bot \(notice\): Correct!")
    child.expect("Correct!")
    child.expect(r"\[1\] Next question ▶")
    child.expect("> ")
    child.sendline("/quiz demo")
    child.expect(
        r"Bot \(quiz\): \[Demo <Polls> & Co · junior\] Which HTTP method is defined as safe\?"
    )
    child.expect(r"1\) A\. GET")
    child.expect(r"2\) B\. POST")
    child.expect("> ")
    child.sendline("2")
    child.expect("Not quite. Right answer: A. GET")
    child.sendline("/stats")
    child.expect(r"Total: 1/2 correct \(50%\)")
    child.sendline("quit")
    child.expect("Bye!")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "data" / "playground.db").exists()


def test_playground_shows_notices_and_keeps_progress_until_fresh(tmp_path: Path) -> None:
    child = spawn(["playground"], tmp_path, QUESTIONS_DIR=str(DEMO_BANKS))
    child.expect("> ")
    child.sendline("/quiz demomulti")
    child.expect(r"\[5\] Submit")
    child.expect("> ")
    child.sendline("5")
    child.expect(r"Bot \(notice\): Select at least one option, then Submit\.")
    child.expect("> ")
    child.sendline("1")
    child.expect("> ")
    child.sendline("3")
    child.expect("> ")
    child.sendline("5")
    child.expect("Correct!")
    child.sendline("quit")
    child.expect(pexpect.EOF)

    child = spawn(["playground"], tmp_path, QUESTIONS_DIR=str(DEMO_BANKS))
    child.expect(
        r"Welcome back: your progress is kept in data/playground.db \(--fresh starts over\)"
    )
    child.expect("> ")
    child.sendline("/stats")
    child.expect(r"Total: 1/1 correct \(100%\)")
    child.sendline("quit")
    child.expect(pexpect.EOF)

    child = spawn(["playground", "--fresh"], tmp_path, QUESTIONS_DIR=str(DEMO_BANKS))
    child.expect("Starting afresh")
    child.expect("> ")
    child.sendline("/stats")
    child.expect("No answers yet")
    child.sendline("quit")
    child.expect(pexpect.EOF)


def test_run_without_a_token_explains_and_starts_the_playground(tmp_path: Path) -> None:
    child = spawn(["run"], tmp_path, QUESTIONS_DIR=str(DEMO_BANKS))
    child.expect("TELEGRAM_BOT_TOKEN is not set")
    child.expect("@BotFather")
    child.expect("Interview Coach playground")
    child.sendeof()
    child.expect("Bye!")
    child.expect(pexpect.EOF)


def test_run_refuses_to_start_on_a_broken_bank(tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "demo.yaml").write_text("area: demo\ntitle: Demo\nroadmap_month: 1\nquestions: []\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=clean_env(tmp_path, QUESTIONS_DIR=str(banks), TELEGRAM_BOT_TOKEN="1:x"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "the bot will not start" in result.stderr
    assert "demo.yaml:4: -: `questions` must be a non-empty list" in result.stderr


def test_bad_settings_are_reported(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        cwd=tmp_path,
        env=clean_env(tmp_path, DEFAULT_TIMEZONE="Mars/Olympus"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown time zone 'Mars/Olympus'" in result.stderr


def test_db_upgrade_creates_the_default_sqlite_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        cwd=tmp_path,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "interview_coach.db").exists()
