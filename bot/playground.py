"""Chat with the bot in the terminal through the local Bot API server: offline, no token."""

from __future__ import annotations

import asyncio
import sys
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
DATABASE_FILE = "playground.db"

Action = Callable[[SimUser], object]


def progress_note(database: Path, fresh: bool, existed: bool) -> str:
    if fresh:
        return f"Starting afresh: your progress is kept in {database} from now on."
    if existed:
        return f"Welcome back: your progress is kept in {database} (--fresh starts over)."
    return f"Your progress is kept in {database}, so it is here next time (--fresh starts over)."


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
        if call.ok and call.method == "answerCallbackQuery" and call.params.get("text"):
            kind = "alert" if call.params.get("show_alert") else "notice"
            self._print(f"Bot ({kind}): {call.params['text']}")
            return
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


def _prepare_database(data_dir: Path, fresh: bool) -> tuple[Path, bool]:
    """The playground's database file, and whether it was there before."""
    database = data_dir / DATABASE_FILE
    existed = database.exists()
    if fresh:
        database.unlink(missing_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    return database, existed


async def run_playground(
    out: TextIO = sys.stdout,
    questions_dir: Path | None = None,
    *,
    fresh: bool = False,
    data_dir: Path = Path("data"),
) -> None:
    """The playground keeps the learner's progress in `data_dir`/playground.db between runs;
    `fresh` deletes it first."""
    database, existed = _prepare_database(data_dir, fresh)
    async with BotApiServer() as server:
        settings = Settings(
            telegram_bot_token=PLAYGROUND_TOKEN,
            telegram_api_base_url=server.base_url,
            database_url=f"sqlite+aiosqlite:///{database}",
        )
        if questions_dir is not None:
            settings.questions_dir = questions_dir
        application = create_application(build_services(settings))
        transcript = Transcript(out, server)
        server.listeners.append(transcript.on_call)
        user = SimUser(server, 1, "You", "you")
        await start_polling(application, poll_timeout=1)
        print(INTRO, file=out, flush=True)
        print(progress_note(database, fresh, existed), file=out, flush=True)
        try:
            await _converse(server, user, transcript, out)
        finally:
            await stop_polling(application)
    print("Bye!", file=out, flush=True)


def _answered(user: SimUser) -> Callable[[Call], bool]:
    """A reply in the chat, or a notice answering a press."""

    def seen(call: Call) -> bool:
        if not call.ok:
            return False
        if call.method == "answerCallbackQuery":
            return bool(call.params.get("text"))
        return call.method in SHOWN_METHODS and call.chat_id == user.id

    return seen


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
        start = len(server.calls)
        if line.isdigit() and int(line) in transcript.choices:
            transcript.choices[int(line)](user)
        else:
            user.send(line)
        try:
            await server.wait_for(_answered(user), start=start, timeout=5)
        except TimeoutError:
            print("(the bot did not answer)", file=out, flush=True)
        # Let follow-up messages (a verdict after a poll vote) arrive before the next prompt.
        await asyncio.sleep(0.3)
        user.cursor = len(server.calls)
