"""The checks Telegram applies to what a bot sends: HTML entities and length limits."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.banks import limits

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "a",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}


BARE_LT = re.compile(r"<(?![a-zA-Z/])")


class EntityError(ValueError):
    pass


class _TelegramHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise EntityError(f'can\'t parse entities: unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise EntityError(f'can\'t parse entities: unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible_text(text: str, parse_mode: str | None) -> str:
    """What the user sees; raises EntityError where Telegram answers 400 can't parse entities."""
    if (parse_mode or "").upper() != "HTML":
        return text
    if BARE_LT.search(text):
        raise EntityError('can\'t parse entities: unescaped "<"')
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise EntityError(f'can\'t parse entities: unclosed tag "{parser.stack[-1]}"')
    return "".join(parser.text)


def check_length(text: str, maximum: int, what: str) -> str | None:
    if not text.strip():
        return f"{what} is empty"
    if len(text) > maximum:
        return f"{what} is too long"
    return None


def message_text_error(text: str) -> str | None:
    return check_length(text, limits.MESSAGE_MAX, "message text")


def poll_errors(question: str, options: list[str], explanation: str | None) -> str | None:
    if len(question) > limits.POLL_QUESTION_MAX or not question.strip():
        return "POLL_QUESTION_INVALID"
    if not limits.POLL_OPTIONS_MIN <= len(options) <= limits.POLL_OPTIONS_MAX:
        return "POLL_OPTIONS_COUNT_INVALID"
    if any(len(option) > limits.POLL_OPTION_MAX or not option.strip() for option in options):
        return "POLL_OPTION_INVALID"
    if explanation is not None and len(explanation) > limits.POLL_EXPLANATION_MAX:
        return "POLL_EXPLANATION_TOO_LONG"
    return None


def keyboard_error(markup: object) -> str | None:
    if not isinstance(markup, dict):
        return None
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if (
                data is not None
                and not 1 <= len(str(data).encode()) <= limits.CALLBACK_DATA_MAX_BYTES
            ):
                return "BUTTON_DATA_INVALID"
    return None
