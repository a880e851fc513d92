"""Bank text, written with Markdown backticks, for where it is shown: Telegram HTML with
<code> and <pre> in messages and explanations, plain text in poll questions and options."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

_FENCE = re.compile(r"```[\w+-]*\n?(.*?)\n?```", re.S)
_INLINE = re.compile(r"`([^`\n]+)`")
# A sentence ends at . ! or ? followed by a capital, unless it ends an abbreviation.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "etc.", "cf.", "approx.", "Mr.", "Dr.")
PARAGRAPH_CHARS = 320


def _wrapped(pattern: re.Pattern[str], text: str, tag: str, between: Callable[[str], str]) -> str:
    """`text` with each match of `pattern` as <tag>its group</tag>; `between` renders the rest."""
    parts = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(between(text[position : match.start()]))
        parts.append(f"<{tag}>{escape(match.group(1))}</{tag}>")
        position = match.end()
    parts.append(between(text[position:]))
    return "".join(parts)


def _inline(text: str) -> str:
    return _wrapped(_INLINE, text, "code", escape)


def rich(text: str) -> str:
    """Escaped HTML: `code` becomes <code>, a ```fenced block``` becomes <pre>."""
    return _wrapped(_FENCE, text, "pre", _inline)


def plain(text: str) -> str:
    """The text without its backticks, for the places Telegram shows no formatting."""
    return _INLINE.sub(r"\1", _FENCE.sub(r"\1", text))


def _sentences(paragraph: str) -> list[str]:
    pieces = _SENTENCE_END.split(paragraph)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and sentences[-1].endswith(_ABBREVIATIONS):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


def paragraphs(text: str, width: int = PARAGRAPH_CHARS) -> list[str]:
    """The author's paragraphs (blank lines) and code blocks; a long paragraph is split
    between sentences into parts of about `width` characters."""
    blocks: list[str] = []
    position = 0
    for match in _FENCE.finditer(text):
        blocks.extend(_prose(text[position : match.start()], width))
        blocks.append(match.group(0))
        position = match.end()
    blocks.extend(_prose(text[position:], width))
    return blocks


def _prose(text: str, width: int) -> list[str]:
    result: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        current = ""
        for sentence in _sentences(paragraph):
            if current and len(current) + 1 + len(sentence) > width:
                result.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            result.append(current)
    return result


def formatted(text: str, width: int = PARAGRAPH_CHARS) -> str:
    """A long bank text (a model answer) as HTML paragraphs with its code blocks."""
    return "\n\n".join(rich(block) for block in paragraphs(text, width))
