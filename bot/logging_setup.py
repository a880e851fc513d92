"""Logging that never prints the bot token (httpx logs request URLs, which contain it)."""

from __future__ import annotations

import logging
import re

TOKEN_PATTERN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")


class RedactTokenFilter(logging.Filter):
    def __init__(self, token: str = "") -> None:
        super().__init__()
        self._token = token

    def _redact(self, message: str) -> str:
        if self._token:
            message = message.replace(self._token, "<token>")
        return TOKEN_PATTERN.sub("<token>", message)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True


def configure_logging(level: str, token: str = "") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokenFilter(token))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # One line per HTTP request is noise at INFO; the filter still guards DEBUG.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("alembic.runtime.plugins").setLevel(max(logging.WARNING, root.level))
