#!/usr/bin/env python3
"""The two quick-start commands, on a fresh clone with nothing but Python 3.11+.

    python3 manage.py run     run the bot (the playground when TELEGRAM_BOT_TOKEN is unset)
    python3 manage.py test    lint, type-check and run the whole test suite

Both create ./.venv and install the project into it on first use, and again whenever
pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs before the venv exists
        raise SystemExit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("Installing Interview Coach and its dependencies into .venv ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(_fingerprint())


def run(*command: str) -> int:
    return subprocess.run(command, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "help"
    if action not in {"run", "test"}:
        print(__doc__)
        return 0 if action == "help" else 2
    ensure_environment()
    if action == "run":
        return run(str(BIN / "interview-bot"), "run", *argv[1:])
    for step in (
        [str(PYTHON), "-m", "ruff", "check", "bot", "tests", "bench", "manage.py"],
        [str(PYTHON), "-m", "mypy", "bot"],
        [str(BIN / "lint-imports")],
        [str(PYTHON), "-m", "pytest", *argv[1:]],
    ):
        code = run(*step)
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
