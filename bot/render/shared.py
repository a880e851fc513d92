"""Pieces every renderer shares: option letters, clipping, code blocks, fitting a message."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.banks.catalog import Catalog
from bot.banks.limits import MESSAGE_MAX
from bot.banks.schema import Question

LETTERS = "ABCDEFGHIJKL"


def option_label(index: int) -> str:
    return LETTERS[index]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code_block(question: Question) -> str:
    return f"\n<pre>{escape(question.code.rstrip())}</pre>" if question.code else ""


def unknown_area(area: str, catalog: Catalog, usage: str) -> str:
    areas = ", ".join(f"<code>{escape(name)}</code>" for name in catalog.areas)
    return f"There is no area <code>{escape(area)}</code>.\nAreas: {areas}\n{usage}"


def fit(lines: Sequence[str], budget: int = MESSAGE_MAX - 196) -> str:
    """Whole lines only (never a cut tag) until the message budget is spent."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > budget:
            kept.append(f"… and {len(lines) - index} more lines")
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)
