"""The composition root: the one place the clock, the random source, the database, the banks
and the rate limiter are chosen and wired together. Tests swap fakes in here."""

from __future__ import annotations

import logging
from datetime import timedelta
from random import Random

from telegram.ext import AIORateLimiter

from bot.adapters.clock import SystemClock
from bot.adapters.sql_sandbox import SqlSandbox
from bot.app import build_application, register_commands
from bot.banks.loader import load_catalog
from bot.config import Settings
from bot.domain.clock import Clock
from bot.scheduling.checkin_sweep import schedule_sweep
from bot.scheduling.rounds import schedule_ticker
from bot.services import BotApplication, Services, services_of
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.unit_of_work import UnitOfWorkFactory
from bot.usecases.chats import ChatService
from bot.usecases.checkins import CheckinService
from bot.usecases.coach import CoachService
from bot.usecases.conversation import ConversationService
from bot.usecases.group_posts import GroupPostService
from bot.usecases.polls import PollService
from bot.usecases.progress import ProgressService
from bot.usecases.quiz import QuizService
from bot.usecases.rounds import RoundService
from bot.usecases.users import UserService

log = logging.getLogger(__name__)


def build_services(
    settings: Settings, clock: Clock | None = None, rng: Random | None = None
) -> Services:
    """Loads the banks (BankError if any is broken) and prepares the database engine."""
    catalog = load_catalog(settings.questions_dir)
    database = Database(settings.database_url)
    uow = UnitOfWorkFactory(database)
    clock = clock or SystemClock()
    rng = rng or Random()
    zone = settings.default_timezone
    grace = timedelta(minutes=settings.checkin_grace_minutes)
    retention = settings.desired_retention
    return Services(
        settings=settings,
        catalog=catalog,
        clock=clock,
        database=database,
        uow=uow,
        users=UserService(uow, clock),
        quiz=QuizService(
            catalog,
            uow,
            clock,
            rng,
            SqlSandbox(dict(catalog.datasets)),
            desired_retention=retention,
            default_timezone=zone,
        ),
        coach=CoachService(uow, catalog, clock, zone),
        progress=ProgressService(uow, clock, zone, catalog),
        checkins=CheckinService(uow, catalog, clock, zone, grace),
        conversation=ConversationService(uow, clock),
        chats=ChatService(uow, clock),
        rounds=RoundService(uow, catalog, clock, rng, zone, retention),
        group_posts=GroupPostService(uow, catalog, clock, rng, zone, grace, retention),
        polls=PollService(uow),
    )


async def on_startup(application: BotApplication) -> None:
    svc = services_of(application)
    await upgrade(svc.database)
    abandoned = await svc.checkins.abandon_sending()
    if abandoned:
        log.warning(
            "%s scheduled sends were under way when the bot stopped; not resending them",
            abandoned,
        )
    await register_commands(application)


async def on_shutdown(application: BotApplication) -> None:
    services = services_of(application)
    services.quiz.sandbox.close()
    await services.database.dispose()


def create_application(
    services: Services,
    *,
    run_sweeps: bool = True,
    rate_limiter: AIORateLimiter | None = None,
    **timeouts: float,
) -> BotApplication:
    """The bot with its start-up and shutdown hooks; `run_sweeps=False` leaves the scheduled
    sweep and the round ticker to the caller (tests call them after moving the clock)."""
    application = build_application(
        services,
        post_init=on_startup,
        post_shutdown=on_shutdown,
        rate_limiter=rate_limiter,
        **timeouts,
    )
    if run_sweeps:
        schedule_sweep(application)
        schedule_ticker(application)
    return application
