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
        """Good and Easy mean the learner could answer in an interview."""
        return self >= SelfRating.GOOD
