"""Group standups: the answer window, and reading a member's reply into its parts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

WINDOW: Final = timedelta(hours=3)
REMINDER_AT: Final = 0.8  # of the window
_BLOCKER_LINE = re.compile(
    r"^\s*(?:3[.)]\s*)?(blockers?|blocked|blocking)\b\s*[:\-–]?\s*(.*)$", re.IGNORECASE
)
_NO_BLOCKERS = re.compile(r"^(no(ne|thing)?|n/?a|-|nope|no blockers?)\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class StandupReply:
    update: str
    blockers: str | None


def read_reply(text: str) -> StandupReply:
    """A line starting with "Blockers:" (or the third of three lines) is the blocker part;
    "none", "no", "-" and the like mean no blockers."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    blockers: str | None = None
    rest: list[str] = []
    for line in lines:
        match = _BLOCKER_LINE.match(line)
        if match and blockers is None:
            blockers = match.group(2).strip()
        else:
            rest.append(line)
    if blockers is None and len(lines) == 3:
        blockers, rest = lines[2], lines[:2]
    if blockers is not None and (not blockers or _NO_BLOCKERS.match(blockers)):
        blockers = None
    return StandupReply(" / ".join(rest), blockers)
