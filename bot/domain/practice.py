"""Adaptive practice: which question /quiz asks next, from the learner's FSRS cards.

A mix of three pools, drawn by weight among those that are not empty:
due reviews (most at risk first), unseen questions at the learner's level in their area, and
questions on the learner's weak tags. The level of an area rises junior → middle → senior as
the learner masters the level below. The question just asked is never asked again next.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from random import Random

from bot.banks.schema import Level, Question
from bot.domain.spaced_repetition import CardPhase, CardState, recall, retrievability

LEVELS = (Level.JUNIOR, Level.MIDDLE, Level.SENIOR)
# An area's level rises once the learner would recall this share of the level below.
RISE_AT = 0.5
# A tag is weak when at least this share of the answers to its questions were wrong.
WEAK_SHARE = 1 / 3


class Pool(StrEnum):
    DUE = "due"
    NEW = "new"
    WEAK = "weak"
    ANY = "any"  # nothing in the three pools: the least recalled question, or any unseen one


POOL_WEIGHTS: Mapping[Pool, float] = {Pool.DUE: 0.5, Pool.NEW: 0.35, Pool.WEAK: 0.15}


@dataclass(frozen=True)
class Pick:
    question_id: str
    pool: Pool


def mastery(questions: Sequence[Question], cards: Mapping[str, CardState], at: datetime) -> float:
    """The recall FSRS predicts at `at`, summed over `questions` and divided by their number."""
    if not questions:
        return 0.0
    recalled = sum(recall(cards[question.id], at) for question in questions if question.id in cards)
    return recalled / len(questions)


def learner_level(
    area_questions: Sequence[Question], cards: Mapping[str, CardState], at: datetime
) -> Level:
    """Junior until the learner would recall RISE_AT of the area's junior questions, then
    middle until the same holds for its middle ones, then senior. A level the bank lacks is
    passed over."""
    for level in LEVELS[:-1]:
        at_level = [question for question in area_questions if question.level is level]
        if at_level and mastery(at_level, cards, at) < RISE_AT:
            return level
    return LEVELS[-1]


def weak_tags(questions: Sequence[Question], cards: Mapping[str, CardState]) -> frozenset[str]:
    answers: dict[str, int] = defaultdict(int)
    wrong: dict[str, int] = defaultdict(int)
    for question in questions:
        card = cards.get(question.id)
        if card is None:
            continue
        for tag in question.tags:
            answers[tag] += card.reps
            wrong[tag] += card.lapses
    return frozenset(
        tag for tag, count in answers.items() if wrong[tag] and wrong[tag] / count >= WEAK_SHARE
    )


def _risk(card: CardState, now: datetime) -> tuple[float, datetime]:
    return retrievability(card, now), card.due


def _level_distance(question: Question, level: Level) -> int:
    return abs(LEVELS.index(question.level) - LEVELS.index(level))


def choose_practice_question(
    questions: Sequence[Question],
    cards: Mapping[str, CardState],
    now: datetime,
    rng: Random,
    *,
    previous: str | None = None,
    level: Level | None = None,
) -> Pick | None:
    """The next practice question among `questions` (one area's, or every area's).

    `level` overrides the adaptive level of every area (the learner asked for one).
    """
    pool = [question for question in questions if question.id != previous] or list(questions)
    if not pool:
        return None
    by_area: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        by_area[question.area].append(question)
    levels = {
        area: level or learner_level(area_questions, cards, now)
        for area, area_questions in by_area.items()
    }
    unseen = [question for question in pool if question.id not in cards]
    due = sorted(
        (question for question in pool if question.id in cards and cards[question.id].is_due(now)),
        key=lambda question: (*_risk(cards[question.id], now), question.id),
    )
    new = [question for question in unseen if question.level is levels[question.area]]
    tags = weak_tags(questions, cards)
    on_weak_tags = [question for question in pool if tags.intersection(question.tags)]
    weak_unseen = [question for question in on_weak_tags if question.id not in cards]
    # Seen ones only once they graduated: a card still in its learning steps comes back as due.
    weak_seen = sorted(
        (
            question
            for question in on_weak_tags
            if question.id in cards
            and cards[question.id].phase is CardPhase.REVIEW
            and not cards[question.id].is_due(now)
        ),
        key=lambda question: (*_risk(cards[question.id], now), question.id),
    )
    candidates = {
        Pool.DUE: due[:1],
        Pool.NEW: new,
        Pool.WEAK: weak_unseen or weak_seen[:1],
    }
    filled = [name for name, members in candidates.items() if members]
    if filled:
        total = sum(POOL_WEIGHTS[name] for name in filled)
        draw = rng.random() * total
        chosen = filled[-1]
        for name in filled:
            draw -= POOL_WEIGHTS[name]
            if draw < 0:
                chosen = name
                break
        return Pick(rng.choice(candidates[chosen]).id, chosen)
    if unseen:
        # Nothing unseen at the learner's level: the nearest level's unseen questions.
        nearest = min(_level_distance(question, levels[question.area]) for question in unseen)
        closest = [
            question
            for question in unseen
            if _level_distance(question, levels[question.area]) == nearest
        ]
        return Pick(rng.choice(closest).id, Pool.ANY)
    least = min(pool, key=lambda question: (*_risk(cards[question.id], now), question.id))
    return Pick(least.id, Pool.ANY)


def most_at_risk(
    cards: Mapping[str, CardState], now: datetime, previous: str | None = None
) -> str | None:
    """The due card with the lowest recall now (then the longest overdue): what /review asks.
    The question just asked comes last, so it is never served twice in a row while others wait."""
    due = [question_id for question_id, card in cards.items() if card.is_due(now)]
    if not due:
        return None
    return min(
        due,
        key=lambda question_id: (
            question_id == previous,
            *_risk(cards[question_id], now),
            question_id,
        ),
    )
