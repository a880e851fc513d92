"""Which key points of an open question a typed answer covers, by the words that carry them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+")
# Words that carry no point of their own: an answer is not judged by them.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "doing",
        "done",
        "each",
        "e",
        "eg",
        "either",
        "etc",
        "even",
        "every",
        "few",
        "for",
        "from",
        "g",
        "get",
        "gets",
        "has",
        "have",
        "having",
        "how",
        "i",
        "ie",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "let",
        "like",
        "may",
        "more",
        "most",
        "much",
        "must",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "per",
        "same",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "us",
        "use",
        "used",
        "uses",
        "using",
        "very",
        "via",
        "vs",
        "was",
        "way",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "without",
        "would",
        "yes",
        "you",
        "your",
    ]
)
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def carrying_words(text: str) -> tuple[str, ...]:
    """The words of `text` that carry meaning, in order, once each (lower case)."""
    seen: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        if word not in STOP_WORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(_stem(word), word)
    return tuple(seen.values())


def _stems(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_stem(word) for word in words)


@dataclass(frozen=True)
class KeyPointCheck:
    point: str
    covered: bool
    found: tuple[str, ...]  # the point's carrying words that the answer uses
    missing: tuple[str, ...]  # the ones it does not


def check_key_points(answer: str, key_points: Sequence[str]) -> tuple[KeyPointCheck, ...]:
    """Each key point is covered when the answer uses at least half of its carrying words
    (in any form: `indexes` covers `index`); the words found and missing say why."""
    said = _stems(_WORD.findall(answer.lower()))
    checks = []
    for point in key_points:
        words = carrying_words(point)
        found = tuple(word for word in words if _stem(word) in said)
        missing = tuple(word for word in words if _stem(word) not in said)
        needed = max(1, math.ceil(len(words) / 2))
        checks.append(KeyPointCheck(point, bool(words) and len(found) >= needed, found, missing))
    return tuple(checks)
