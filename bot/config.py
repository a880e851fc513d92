"""Settings from the environment and `.env`: the variables documented in the README."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.banks.location import bundled_questions_dir

DEFAULT_DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / 'interview_coach.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    telegram_bot_token: str = Field(default="", repr=False)
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    database_url: str = DEFAULT_DATABASE_URL
    questions_dir: Path = Field(default_factory=bundled_questions_dir)
    default_timezone: str = "UTC"
    webhook_url: str | None = None
    webhook_secret: str | None = Field(default=None, repr=False)
    port: int = 8443
    log_level: str = "INFO"
    # A check-in missed by less than this (downtime, restart) is sent late; older ones are skipped.
    checkin_grace_minutes: int = Field(default=120, ge=0, le=24 * 60)
    # FSRS schedules each review for when recall is predicted to fall to this probability.
    desired_retention: float = Field(default=0.9, gt=0.5, lt=1.0)

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name like Europe/Berlin"
            ) from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _upper_level(cls, value: str) -> str:
        return value.upper()

    @field_validator("webhook_url", "webhook_secret")
    @classmethod
    def _empty_is_unset(cls, value: str | None) -> str | None:
        return value or None
