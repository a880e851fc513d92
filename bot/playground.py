"""Chat with the bot in the terminal through the local Bot API server: offline, no token."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bot.config import Settings
from bot.devserver import BotApiServer, Call, SimUser
from bot.runtime import build_services, create_application, start_polling, stop_polling

PLAYGROUND_TOKEN = "123456:PLAYGROUND-LOCAL-ONLY"
SHOWN_METHODS = {"sendMessage", "sendPoll", "editMessageText", "editMessageReplyMarkup", "stopPoll"}
INTRO = """Interview Coach playground: you are chatting with the real bot through a local server.
Type commands (/start, /quiz, /topics, /stats, /help) or text. Type a number to press that
button or pick that poll option. Ctrl-D or 'quit' leaves. Nothing here reaches Telegram."""

Action = Callable[[SimUser], object]


def _voter(index: int, poll_id: str) -> Action:
    def vote(user: SimUser) -> object:
        return user.vote([index], poll_id)

    return vote


def _presser(data: str, message: dict[str, Any]) -> Action:
    def press(user: SimUser) -> object:
        return user.press_data(data, message)

    return press


class Transcript:
    """Prints what the bot does and remembers which number means which action."""

    def __init__(self, out: TextIO, server: BotApiServer) -> None:
        self.out = out
        self.server = server
        self.choices: dict[int, Action] = {}

    def on_call(self, call: Call) -> None:
        if not call.ok or call.method not in SHOWN_METHODS:
            return
        if call.method == "sendPoll":
            self._show_poll(call.result)
            return
        message_id = call.params.get("message_id") or call.result["message_id"]
        message = self.server.message(int(call.chat_id or 0), int(message_id)) or {}
        if call.method == "stopPoll":
            self._print("Bot: (quiz closed)")
        elif call.method != "editMessageReplyMarkup":
            label = "Bot" if call.method == "sendMessage" else "Bot (edited)"
            self._print(f"{label}: {message.get('text', '')}")
        self._show_buttons(message)

    def _show_poll(self, message: dict[str, Any]) -> None:
        poll = message["poll"]
        self._print(f"Bot (quiz): {poll['question']}")
        self.choices = {}
        for index, option in enumerate(poll["options"]):
            self.choices[index + 1] = _voter(index, str(poll["id"]))
            self._print(f"  {index + 1}) {option['text']}")
        self._show_buttons(message, start=len(poll["options"]) + 1)

    def _show_buttons(self, message: dict[str, Any], start: int = 1) -> None:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        if start == 1:
            self.choices = {}
        labels = []
        number = start
        for row in rows:
            for button in row:
                self.choices[number] = _presser(str(button.get("callback_data")), message)
                labels.append(f"[{number}] {button['text']}")
                number += 1
        if labels:
            self._print("  " + "  ".join(labels))

    def _print(self, line: str) -> None:
        print(line, file=self.out, flush=True)


async def _read_line(prompt: str) -> str | None:
    try:
        return await asyncio.get_running_loop().run_in_executor(None, input, prompt)
    except EOFError:
        return None


async def run_playground(out: TextIO = sys.stdout, questions_dir: Path | None = None) -> None:
    async with BotApiServer() as server:
        with tempfile.TemporaryDirectory(prefix="interview-coach-playground-") as tmp:
            settings = Settings(
                telegram_bot_token=PLAYGROUND_TOKEN,
                telegram_api_base_url=server.base_url,
                database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'playground.db'}",
            )
            if questions_dir is not None:
                settings.questions_dir = questions_dir
            application = create_application(build_services(settings))
            transcript = Transcript(out, server)
            server.listeners.append(transcript.on_call)
            user = SimUser(server, 1, "You", "you")
            await start_polling(application, poll_timeout=1)
            print(INTRO, file=out, flush=True)
            try:
                await _converse(server, user, transcript, out)
            finally:
                await stop_polling(application)
    print("Bye!", file=out, flush=True)


async def _converse(
    server: BotApiServer, user: SimUser, transcript: Transcript, out: TextIO
) -> None:
    while True:
        line = await _read_line("> ")
        if line is None or line.strip().lower() in {"quit", "exit"}:
            return
        line = line.strip()
        if not line:
            continue
        if line.isdigit() and int(line) in transcript.choices:
            transcript.choices[int(line)](user)
        else:
            user.send(line)
        try:
            await user.reply(timeout=5)
        except TimeoutError:
            print("(the bot did not answer)", file=out, flush=True)
        # Let follow-up messages (a verdict after a poll vote) arrive before the next prompt.
        await asyncio.sleep(0.3)
        user.cursor = len(server.calls)
