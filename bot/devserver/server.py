"""The local Bot API server: aiohttp on 127.0.0.1 speaking Telegram's HTTP API.

It keeps chats, messages and polls, answers long polling (`getUpdates` with offset and
timeout), records every call, checks Telegram's limits on what the bot sends, and injects
updates and faults (429 with retry_after, 403, 5xx, delays) for tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.devserver import telegram_rules as rules

BOT_USER: dict[str, Any] = {
    "id": 700_000_001,
    "is_bot": True,
    "first_name": "Interview Coach",
    "username": "interview_coach_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

# Parameters Telegram takes as plain strings; every other one arrives JSON-encoded.
STRING_PARAMS = {
    "text",
    "question",
    "explanation",
    "parse_mode",
    "callback_query_id",
    "url",
    "caption",
    "explanation_parse_mode",
    "question_parse_mode",
    "type",
    "description",
    "language_code",
    "secret_token",
    "action",
    "emoji",
    "inline_message_id",
    "business_connection_id",
    "message_effect_id",
    "short_description",
    "name",
    "title",
}
# Methods that put a message in a chat: the ones Telegram rate-limits.
SENDING_METHODS = {
    "sendMessage",
    "sendPoll",
    "sendPhoto",
    "sendDocument",
    "copyMessage",
    "forwardMessage",
}
MAX_LONG_POLL = 50.0


@dataclass
class Call:
    index: int
    method: str
    params: dict[str, Any]
    ok: bool
    result: Any
    error: str | None
    at: float

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return (
            int(value)
            if isinstance(value, int | str) and str(value).lstrip("-").isdigit()
            else None
        )

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("question") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class Fault:
    """The next `times` calls of `method` (optionally only to `chat_id`) fail or are delayed."""

    method: str
    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    times: int = 1
    delay: float = 0.0
    chat_id: int | None = None

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.times <= 0 or self.method not in (method, "*"):
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


@dataclass
class _StoredMessage:
    chat_id: int
    payload: dict[str, Any]
    html: str = ""


@dataclass
class _RateWindow:
    per_second: float
    sent: deque[float] = field(default_factory=deque)

    def allow(self, now: float) -> bool:
        while self.sent and now - self.sent[0] >= 1.0:
            self.sent.popleft()
        if len(self.sent) >= self.per_second:
            return False
        self.sent.append(now)
        return True


class TelegramError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


class BotApiServer:
    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, messages_per_second: float | None = None
    ) -> None:
        self.host = host
        self.port = port
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.listeners: list[Callable[[Call], None]] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.chat_members: dict[tuple[int, int], dict[str, Any]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.rate_limited = 0
        self._rate = _RateWindow(messages_per_second) if messages_per_second else None
        self._messages: dict[tuple[int, int], _StoredMessage] = {}
        self._polls: dict[str, tuple[int, int]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._poll_ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._pending: list[dict[str, Any]] = []
        self._new_update = asyncio.Event()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._closing = False

    # -- lifecycle ---------------------------------------------------------------------
    async def start(self) -> BotApiServer:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiServer:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    # -- what tests drive ------------------------------------------------------------------
    def add_chat(self, chat: dict[str, Any]) -> None:
        self.chats[int(chat["id"])] = chat

    def inject(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    def fail(
        self, method: str, status: int = 500, description: str | None = None, **options: Any
    ) -> Fault:
        default = {
            429: "Too Many Requests: retry after {retry_after}",
            403: "Forbidden: bot was blocked by the user",
            400: "Bad Request",
            500: "Internal Server Error",
            502: "Bad Gateway",
            503: "Service Unavailable",
        }.get(status, "Error")
        retry_after = options.get("retry_after", 1 if status == 429 else None)
        options["retry_after"] = retry_after
        fault = Fault(
            method, status, description or default.format(retry_after=retry_after), **options
        )
        self.faults.append(fault)
        return fault

    def delay(self, method: str, seconds: float, times: int = 1) -> Fault:
        fault = Fault(method, status=200, description="", delay=seconds, times=times)
        self.faults.append(fault)
        return fault

    def next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        stored = self._messages.get((chat_id, message_id))
        return stored.payload if stored else None

    def html_of(self, chat_id: int, message_id: int) -> str:
        stored = self._messages.get((chat_id, message_id))
        return stored.html if stored else ""

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(
        self, predicate: Callable[[Call], bool], start: int = 0, timeout: float = 5.0
    ) -> Call:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self._changed:
            while True:
                for call in self.calls[start:]:
                    if predicate(call):
                        return call
                start = len(self.calls)
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError("the bot made no matching call in time")
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    continue

    # -- HTTP ----------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        fault = next((fault for fault in self.faults if fault.matches(method, params)), None)
        if fault is not None:
            fault.times -= 1
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status != 200:
                return await self._record(
                    method,
                    params,
                    TelegramError(fault.status, fault.description, fault.retry_after),
                )
        if method == "getUpdates":
            return await self._get_updates(params)
        if (
            self._rate is not None
            and method in SENDING_METHODS
            and not self._rate.allow(time.monotonic())
        ):
            self.rate_limited += 1
            return await self._record(
                method, params, TelegramError(429, "Too Many Requests: retry after 1", 1)
            )
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return await self._record(
                method, params, TelegramError(404, "Not Found: method not found")
            )
        try:
            result = handler(params)
        except TelegramError as error:
            return await self._record(method, params, error)
        return await self._record(method, params, result)

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body = await request.json()
            return dict(body) if isinstance(body, dict) else {}
        raw = dict(await request.post()) if request.can_read_body else {}
        raw.update(request.query)
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if not isinstance(value, str):
                continue
            if key in STRING_PARAMS:
                params[key] = value
                continue
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    async def _record(self, method: str, params: dict[str, Any], outcome: Any) -> web.Response:
        error = outcome if isinstance(outcome, TelegramError) else None
        call = Call(
            index=len(self.calls),
            method=method,
            params=params,
            ok=error is None,
            result=None if error else outcome,
            error=error.description if error else None,
            at=time.monotonic(),
        )
        self.calls.append(call)
        for listener in self.listeners:
            listener(call)
        async with self._changed:
            self._changed.notify_all()
        if error is None:
            return web.json_response({"ok": True, "result": outcome})
        body: dict[str, Any] = {
            "ok": False,
            "error_code": error.status,
            "description": error.description,
        }
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return web.json_response(body, status=error.status)

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), MAX_LONG_POLL)
        if offset:
            self._pending = [update for update in self._pending if update["update_id"] >= offset]
        if not self._pending and timeout > 0 and not self._closing:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        batch = self._pending[:limit]
        return web.json_response({"ok": True, "result": batch})

    # -- Bot API methods ------------------------------------------------------------------
    def _chat(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise TelegramError(400, "Bad Request: chat_id is empty") from None
        chat = self.chats.get(chat_id)
        if chat is None:
            raise TelegramError(400, "Bad Request: chat not found")
        return chat

    def _stored(self, params: dict[str, Any]) -> _StoredMessage:
        chat = self._chat(params)
        stored = self._messages.get((int(chat["id"]), int(params.get("message_id") or 0)))
        if stored is None:
            raise TelegramError(400, "Bad Request: message to edit not found")
        return stored

    @staticmethod
    def _visible(text: str, parse_mode: str | None) -> str:
        try:
            return rules.visible_text(text, parse_mode)
        except rules.EntityError as error:
            raise TelegramError(400, f"Bad Request: {error}") from None

    def _check_markup(self, params: dict[str, Any]) -> None:
        problem = rules.keyboard_error(params.get("reply_markup"))
        if problem:
            raise TelegramError(400, f"Bad Request: {problem}")

    def _new_message(
        self, chat: dict[str, Any], extra: dict[str, Any], html: str = ""
    ) -> dict[str, Any]:
        chat_id = int(chat["id"])
        message = {
            "message_id": self.next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            **extra,
        }
        self._messages[(chat_id, message["message_id"])] = _StoredMessage(chat_id, message, html)
        return message

    def _api_getMe(self, _params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _api_deleteWebhook(self, _params: dict[str, Any]) -> bool:
        return True

    def _api_setWebhook(self, _params: dict[str, Any]) -> bool:
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        scope = (params.get("scope") or {}).get("type", "default")
        self.commands[scope] = list(params.get("commands") or [])
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get((params.get("scope") or {}).get("type", "default"), [])

    def _api_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop((params.get("scope") or {}).get("type", "default"), None)
        return True

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._chat(params)
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if len(str(params.get("text") or "")) > 200:
            raise TelegramError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._chat(params),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        html = str(params.get("text") or "")
        visible = self._visible(html, params.get("parse_mode"))
        problem = rules.message_text_error(visible)
        if problem:
            raise TelegramError(400, f"Bad Request: {problem}")
        self._check_markup(params)
        extra: dict[str, Any] = {"text": visible}
        if params.get("reply_markup"):
            extra["reply_markup"] = params["reply_markup"]
        return self._new_message(chat, extra, html)

    def _api_sendPoll(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        mode = params.get("question_parse_mode") or params.get("parse_mode")
        question = self._visible(str(params.get("question") or ""), mode)
        raw_options = list(params.get("options") or [])
        options = [
            self._visible(str(option.get("text", "")), option.get("text_parse_mode"))
            if isinstance(option, dict)
            else str(option)
            for option in raw_options
        ]
        explanation = params.get("explanation")
        if explanation is not None:
            explanation = self._visible(str(explanation), params.get("explanation_parse_mode"))
        problem = rules.poll_errors(question, options, explanation)
        if problem:
            raise TelegramError(400, f"Bad Request: {problem}")
        self._check_markup(params)
        poll_id = str(next(self._poll_ids) * 1_000_003)
        poll = {
            "id": poll_id,
            "question": question,
            "options": [
                {"text": text, "voter_count": 0, "persistent_id": str(index)}
                for index, text in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": bool(params.get("is_anonymous", True)),
            "type": params.get("type") or "regular",
            "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
            "allows_revoting": False,
            "members_only": False,
            "correct_option_ids": list(params.get("correct_option_ids") or []),
        }
        if explanation is not None:
            poll["explanation"] = explanation
        extra: dict[str, Any] = {"poll": poll}
        if params.get("reply_markup"):
            extra["reply_markup"] = params["reply_markup"]
        message = self._new_message(chat, extra)
        self._polls[poll_id] = (int(chat["id"]), message["message_id"])
        return message

    def poll_location(self, poll_id: str) -> tuple[int, int] | None:
        return self._polls.get(poll_id)

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._stored(params)
        if "poll" in stored.payload:
            raise TelegramError(400, "Bad Request: there is no text in the message to edit")
        html = str(params.get("text") or "")
        visible = self._visible(html, params.get("parse_mode"))
        problem = rules.message_text_error(visible)
        if problem:
            raise TelegramError(400, f"Bad Request: {problem}")
        self._check_markup(params)
        markup = params.get("reply_markup")
        if html == stored.html and markup == stored.payload.get("reply_markup"):
            raise TelegramError(400, "Bad Request: message is not modified")
        stored.html = html
        stored.payload["text"] = visible
        stored.payload.pop("reply_markup", None)
        if markup:
            stored.payload["reply_markup"] = markup
        stored.payload["edit_date"] = int(time.time())
        return stored.payload

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._stored(params)
        self._check_markup(params)
        markup = params.get("reply_markup")
        if markup == stored.payload.get("reply_markup"):
            raise TelegramError(400, "Bad Request: message is not modified")
        stored.payload.pop("reply_markup", None)
        if markup:
            stored.payload["reply_markup"] = markup
        return stored.payload

    def _api_stopPoll(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._stored(params)
        poll = stored.payload.get("poll")
        if poll is None:
            raise TelegramError(400, "Bad Request: message with poll to stop not found")
        if poll["is_closed"]:
            raise TelegramError(400, "Bad Request: poll has already been closed")
        self._check_markup(params)
        poll["is_closed"] = True
        stored.payload.pop("reply_markup", None)
        if params.get("reply_markup"):
            stored.payload["reply_markup"] = params["reply_markup"]
        return dict(poll)

    def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        stored = self._stored(params)
        self._messages.pop((stored.chat_id, int(stored.payload["message_id"])), None)
        return True

    def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        user_id = int(params.get("user_id") or 0)
        member = self.chat_members.get((int(chat["id"]), user_id))
        if member is None:
            raise TelegramError(400, "Bad Request: member not found")
        return member

    def _api_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat_id = int(self._chat(params)["id"])
        return [
            member
            for (member_chat, _user), member in self.chat_members.items()
            if member_chat == chat_id and member["status"] in ("creator", "administrator")
        ]
