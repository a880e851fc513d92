"""Starting and stopping the bot: shared by `run`, the playground and the tests."""

from __future__ import annotations

import logging
from urllib.parse import urlparse

from telegram import Update

from bot.bootstrap import build_services, create_application, on_shutdown, on_startup
from bot.config import Settings
from bot.services import BotApplication

log = logging.getLogger(__name__)

__all__ = ["build_services", "create_application", "run", "start_polling", "stop_polling"]


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
