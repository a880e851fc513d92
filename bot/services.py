"""Everything a handler needs, built once at start-up and shared through `bot_data`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from random import Random
from typing import Any, TypeAlias

from telegram.ext import Application, ContextTypes

from bot.banks.catalog import Catalog
from bot.config import Settings
from bot.domain.clock import Clock
from bot.storage.checkins import CheckinRepository
from bot.storage.database import Database
from bot.storage.groups import GroupRepository
from bot.storage.repositories import AttemptRepository, UserRepository
from bot.usecases.checkins import CheckinService
from bot.usecases.groups import GroupService
from bot.usecases.progress import ProgressService
from bot.usecases.quiz import QuizService

SERVICES_KEY = "services"
BotApplication: TypeAlias = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Services:
    settings: Settings
    catalog: Catalog
    database: Database
    clock: Clock
    users: UserRepository
    attempts: AttemptRepository
    quiz: QuizService
    progress: ProgressService
    checkin_store: CheckinRepository
    checkins: CheckinService
    groups: GroupService

    @classmethod
    def build(
        cls,
        settings: Settings,
        catalog: Catalog,
        database: Database,
        clock: Clock,
        rng: Random | None = None,
    ) -> Services:
        users = UserRepository(database)
        attempts = AttemptRepository(database)
        checkin_store = CheckinRepository(database)
        rng = rng or Random()
        return cls(
            settings=settings,
            catalog=catalog,
            database=database,
            clock=clock,
            users=users,
            attempts=attempts,
            quiz=QuizService(catalog, attempts, clock, rng),
            progress=ProgressService(attempts, users, clock, settings.default_timezone),
            checkin_store=checkin_store,
            checkins=CheckinService(
                checkin_store,
                users,
                attempts,
                catalog,
                clock,
                settings.default_timezone,
                timedelta(minutes=settings.checkin_grace_minutes),
            ),
            groups=GroupService(
                GroupRepository(database),
                catalog,
                clock,
                rng,
                settings.default_timezone,
                timedelta(minutes=settings.checkin_grace_minutes),
            ),
        )


def services_of(application: BotApplication) -> Services:
    found = application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return services_of(context.application)
