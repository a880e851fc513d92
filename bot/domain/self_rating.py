"""Self-rating of open questions, on the same four grades as Anki and FSRS."""

from __future__ import annotations

from enum import IntEnum


class SelfRating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @property
    def counts_as_correct(self) -> bool:
        """As in Anki and FSRS, Hard is a recall, with effort: only Again is a miss."""
        return self is not SelfRating.AGAIN
