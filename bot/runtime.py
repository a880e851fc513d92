"""Starting and stopping the bot: shared by `run`, the playground and the tests."""

from __future__ import annotations

import logging
from random import Random
from urllib.parse import urlparse

from telegram import Update
from telegram.ext import AIORateLimiter

from bot.adapters.clock import SystemClock
from bot.app import build_application, register_commands
from bot.banks.loader import load_catalog
from bot.config import Settings
from bot.domain.clock import Clock
from bot.scheduling.checkin_sweep import schedule_sweep
from bot.scheduling.rounds import schedule_ticker
from bot.services import BotApplication, Services, services_of
from bot.storage.database import Database
from bot.storage.migrate import upgrade

log = logging.getLogger(__name__)


def build_services(
    settings: Settings, clock: Clock | None = None, rng: Random | None = None
) -> Services:
    """Loads the banks (BankError if any is broken) and prepares the database engine."""
    catalog = load_catalog(settings.questions_dir)
    return Services.build(
        settings, catalog, Database(settings.database_url), clock or SystemClock(), rng
    )


async def on_startup(application: BotApplication) -> None:
    svc = services_of(application)
    await upgrade(svc.database)
    abandoned = (
        await svc.checkin_store.abandon_sending() + await svc.groups.store.outbox.abandon_sending()
    )
    if abandoned:
        log.warning(
            "%s check-ins were being sent when the bot stopped; not resending them", abandoned
        )
    await register_commands(application)


async def on_shutdown(application: BotApplication) -> None:
    await services_of(application).database.dispose()


def create_application(
    services: Services,
    *,
    run_sweeps: bool = True,
    rate_limiter: AIORateLimiter | None = None,
    **timeouts: float,
) -> BotApplication:
    """The bot with its start-up and shutdown hooks; `run_sweeps=False` leaves the scheduled
    sweep and the round ticker to the caller (tests call them after moving the clock)."""
    application = build_application(services, rate_limiter=rate_limiter, **timeouts)
    application.post_init = on_startup
    application.post_shutdown = on_shutdown
    if run_sweeps:
        schedule_sweep(application)
        schedule_ticker(application)
    return application


async def start_polling(application: BotApplication, poll_timeout: float = 10.0) -> None:
    """What `run_polling` does, but inside a running event loop (tests, the playground)."""
    await application.initialize()
    await on_startup(application)
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0.0,
        timeout=int(poll_timeout),
        allowed_updates=Update.ALL_TYPES,
        drop_pending_updates=False,
    )
    await application.start()


async def stop_polling(application: BotApplication) -> None:
    assert application.updater is not None
    if application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    await on_shutdown(application)


def run(settings: Settings) -> None:
    """Serves Telegram until interrupted: long polling, or a webhook when WEBHOOK_URL is set."""
    application = create_application(build_services(settings))
    if settings.webhook_url:
        log.info("serving a webhook on port %s", settings.port)
        application.run_webhook(
            listen="0.0.0.0",
            port=settings.port,
            url_path=urlparse(settings.webhook_url).path.strip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("polling Telegram for updates")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
