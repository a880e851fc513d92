"""Adaptive practice: the learner's level per area and which question /quiz and /review ask."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from random import Random

from bot.banks.schema import Level, Question, QuestionType
from bot.domain.practice import (
    Pool,
    choose_practice_question,
    learner_level,
    most_at_risk,
    weak_tags,
)
from bot.domain.spaced_repetition import CardState, ReviewRating, review

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FixedDraw(Random):
    """A random source whose pool draw is fixed (0 picks the first pool that has questions)."""

    def __init__(self, draw: float) -> None:
        super().__init__(1)
        self.draw = draw

    def random(self) -> float:
        return self.draw


def question(
    qid: str, level: Level = Level.JUNIOR, tags: tuple[str, ...] = (), area: str = "sql"
) -> Question:
    return Question(
        id=qid,
        type=QuestionType.CHOICE,
        level=level,
        tags=tags,
        question="q?",
        options=("a", "b"),
        answer=0,
        explanation="e",
        area=area,
    )


def answered(*ratings: ReviewRating, at: datetime = NOW) -> CardState:
    card = CardState.new(at)
    for rating in ratings:
        card = review(card, rating, at)
    return card


def known() -> CardState:
    """A card answered right just now: recalled for sure today, not due."""
    return answered(ReviewRating.GOOD)


JUNIOR = [question(f"j{index}") for index in range(4)]
MIDDLE = [question(f"m{index}", Level.MIDDLE) for index in range(4)]
SENIOR = [question(f"s{index}", Level.SENIOR) for index in range(4)]
BANK = [*JUNIOR, *MIDDLE, *SENIOR]


def test_a_new_learner_is_junior() -> None:
    assert learner_level(BANK, {}, NOW) is Level.JUNIOR


def test_the_level_rises_once_half_the_level_below_is_recalled() -> None:
    cards = {"j0": known()}
    assert learner_level(BANK, cards, NOW) is Level.JUNIOR
    cards["j1"] = known()
    assert learner_level(BANK, cards, NOW) is Level.MIDDLE
    cards.update({"m0": known(), "m1": known()})
    assert learner_level(BANK, cards, NOW) is Level.SENIOR


def test_the_level_falls_back_when_recall_fades() -> None:
    cards = {"j0": known(), "j1": known()}
    assert learner_level(BANK, cards, NOW + timedelta(days=200)) is Level.JUNIOR


def test_a_level_the_bank_lacks_is_passed_over() -> None:
    assert learner_level(MIDDLE, {}, NOW) is Level.MIDDLE
    assert learner_level([*JUNIOR, *SENIOR], {"j0": known(), "j1": known()}, NOW) is Level.SENIOR


def test_a_new_learner_gets_unseen_questions_at_their_level() -> None:
    picks = {choose_practice_question(BANK, {}, NOW, Random(seed)) for seed in range(20)}
    assert {pick.pool for pick in picks if pick} == {Pool.NEW}
    assert {pick.question_id for pick in picks if pick} <= {"j0", "j1", "j2", "j3"}


def test_an_explicit_level_overrides_the_adaptive_one() -> None:
    pick = choose_practice_question(BANK, {}, NOW, Random(3), level=Level.SENIOR)
    assert pick is not None and pick.question_id.startswith("s")


def test_the_most_at_risk_due_review_comes_in_the_due_pool() -> None:
    old = NOW - timedelta(days=30)
    long_forgotten = answered(ReviewRating.GOOD, at=old)
    barely_due = answered(ReviewRating.GOOD, at=NOW - timedelta(days=2))
    cards = {"j0": barely_due, "j1": long_forgotten}
    pick = choose_practice_question(BANK, cards, NOW, FixedDraw(0.0))
    assert pick is not None and (pick.question_id, pick.pool) == ("j1", Pool.DUE)


def test_the_pools_mix_by_weight() -> None:
    cards = {"j0": answered(ReviewRating.GOOD, at=NOW - timedelta(days=5))}
    pools = {
        pick.pool
        for seed in range(60)
        if (pick := choose_practice_question(BANK, cards, NOW, Random(seed)))
    }
    assert pools == {Pool.DUE, Pool.NEW}


def test_weak_tags_are_the_ones_answered_wrong_often() -> None:
    questions = [question("a", tags=("joins",)), question("b", tags=("indexes",))]
    cards = {
        "a": answered(ReviewRating.AGAIN, ReviewRating.GOOD),
        "b": answered(ReviewRating.GOOD, ReviewRating.GOOD, ReviewRating.GOOD),
    }
    assert weak_tags(questions, cards) == frozenset({"joins"})


def test_a_weak_tag_brings_its_unseen_questions_at_any_level() -> None:
    questions = [
        question("j-joins", tags=("joins",)),
        question("m-joins", Level.MIDDLE, tags=("joins",)),
        question("j-other", tags=("other",)),
    ]
    cards = {"j-joins": answered(ReviewRating.AGAIN)}
    pick = choose_practice_question(questions, cards, NOW, FixedDraw(0.99), previous="j-joins")
    assert pick is not None and (pick.question_id, pick.pool) == ("m-joins", Pool.WEAK)


def test_the_same_question_is_never_asked_twice_in_a_row() -> None:
    cards = {"j0": answered(ReviewRating.GOOD, at=NOW - timedelta(days=30))}
    for seed in range(30):
        pick = choose_practice_question(JUNIOR, cards, NOW, Random(seed), previous="j0")
        assert pick is not None and pick.question_id != "j0"


def test_the_only_question_may_be_asked_again() -> None:
    pick = choose_practice_question(JUNIOR[:1], {}, NOW, Random(1), previous="j0")
    assert pick is not None and pick.question_id == "j0"
    assert choose_practice_question([], {}, NOW, Random(1)) is None


def test_with_nothing_unseen_at_the_level_the_nearest_level_comes_next() -> None:
    cards = {q.id: known() for q in JUNIOR[:1]}
    pick = choose_practice_question([JUNIOR[0], *MIDDLE[:1], *SENIOR[:1]], cards, NOW, Random(2))
    # Junior is the level (1 of 1 junior recalled → middle); the middle question is unseen.
    assert pick is not None and pick.question_id == "m0"
    cards = {q.id: known() for q in [*JUNIOR, *MIDDLE]}
    pick = choose_practice_question([*JUNIOR, *MIDDLE, SENIOR[0]], cards, NOW, Random(2))
    assert pick is not None and (pick.question_id, pick.pool) == ("s0", Pool.NEW)


def test_when_everything_is_seen_and_nothing_due_the_least_recalled_comes() -> None:
    cards = {
        "j0": answered(ReviewRating.EASY, at=NOW - timedelta(days=1)),
        "j1": answered(ReviewRating.GOOD, at=NOW - timedelta(days=1)),
    }
    pick = choose_practice_question(JUNIOR[:2], cards, NOW, Random(4))
    assert pick is not None and (pick.question_id, pick.pool) == ("j1", Pool.ANY)


def test_levels_are_per_area_in_a_mixed_quiz() -> None:
    docker = [question("d-j", area="docker"), question("d-m", Level.MIDDLE, area="docker")]
    sql = [question("s-j", area="sql"), question("s-m", Level.MIDDLE, area="sql")]
    cards = {"d-j": known()}
    picks = {
        pick.question_id
        for seed in range(40)
        if (pick := choose_practice_question([*docker, *sql], cards, NOW, Random(seed)))
        and pick.pool is Pool.NEW
    }
    assert picks == {"d-m", "s-j"}


def test_review_serves_the_lowest_recall_first_and_the_previous_question_last() -> None:
    cards = {
        "a": answered(ReviewRating.GOOD, at=NOW - timedelta(days=3)),
        "b": answered(ReviewRating.GOOD, at=NOW - timedelta(days=20)),
        "c": known(),
    }
    assert most_at_risk(cards, NOW) == "b"
    assert most_at_risk(cards, NOW, previous="b") == "a"
    assert most_at_risk({"b": cards["b"]}, NOW, previous="b") == "b"
    assert most_at_risk({"c": cards["c"]}, NOW) is None
