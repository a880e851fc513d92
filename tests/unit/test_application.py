"""How the Application is assembled: scheduled jobs, pacing, commands per scope."""

from __future__ import annotations

from pathlib import Path

from bot.app import GROUP_MESSAGES_PER_MINUTE, MESSAGES_PER_SECOND, telegram_rate_limiter
from bot.commands import COMMANDS, Scope
from bot.config import Settings
from bot.runtime import build_services, create_application
from bot.scheduling import checkin_sweep, rounds
from tests.conftest import DEMO_BANKS


def test_one_sweep_job_and_one_round_ticker_are_scheduled(tmp_path: Path) -> None:
    settings = Settings(
        telegram_bot_token="1:TEST",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        questions_dir=DEMO_BANKS,
        _env_file=None,  # type: ignore[call-arg]
    )
    application = create_application(build_services(settings))
    assert application.job_queue is not None
    jobs = {job.name: job for job in application.job_queue.jobs()}
    assert set(jobs) == {checkin_sweep.JOB_NAME, rounds.JOB_NAME}
    assert checkin_sweep.SWEEP_INTERVAL_SECONDS <= 30
    assert rounds.TICK_SECONDS <= 5


def test_the_rate_limiter_never_bursts() -> None:
    limiter = telegram_rate_limiter()
    overall = limiter._base_limiter  # one token per 1/30 s: no burst above Telegram's 30/s
    assert overall is not None
    assert overall.max_rate == 1 and overall.time_period == 1 / MESSAGES_PER_SECOND
    assert limiter._group_max_rate == 1
    assert limiter._group_time_period == 60 / GROUP_MESSAGES_PER_MINUTE


def test_every_command_has_a_scope_and_a_description_telegram_accepts() -> None:
    names = [command.name for command in COMMANDS]
    assert len(names) == len(set(names))
    for command in COMMANDS:
        assert command.scopes and set(command.scopes) <= {Scope.PRIVATE, Scope.GROUP}
        assert command.name.islower() and 1 <= len(command.name) <= 32
        assert 3 <= len(command.description) <= 256
