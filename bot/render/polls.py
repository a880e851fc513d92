"""Quiz polls as plain values: the one place their question, options and key are built."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.banks.limits import POLL_QUESTION_MAX
from bot.banks.schema import Question
from bot.render.markup import plain, rich
from bot.render.quiz_text import poll_question
from bot.render.shared import option_label, question_text

QOTD_POLL_PREFIX = "Question of the day: "


@dataclass(frozen=True)
class QuizPoll:
    """A non-anonymous Telegram quiz poll, its texts escaped for HTML parse mode: the
    question and options plain (Telegram formats neither), the explanation with <code>."""

    question: str
    options: tuple[str, ...]
    correct_option_ids: tuple[int, ...]
    explanation: str
    allows_multiple_answers: bool = False
    open_period: int | None = None


def quiz_poll(question: Question, shown: str, open_period: int | None = None) -> QuizPoll:
    correct = tuple(sorted(question.correct_options))
    return QuizPoll(
        question=escape(shown),
        options=tuple(
            escape(f"{option_label(index)}. {plain(option)}")
            for index, option in enumerate(question.options)
        ),
        correct_option_ids=correct,
        explanation=rich(question.explanation),
        allows_multiple_answers=len(correct) > 1,
        open_period=open_period,
    )


def private_quiz_poll(question: Question, title: str) -> QuizPoll:
    return quiz_poll(question, poll_question(question, title))


def round_quiz_poll(question: Question, number: int, total: int, seconds: int) -> QuizPoll:
    text = question_text(question, poll=True)
    shown = f"[{number}/{total} · {question.level.value}] {text}"
    return quiz_poll(
        question, shown if len(shown) <= POLL_QUESTION_MAX else text, open_period=seconds
    )


def qotd_poll(question: Question) -> QuizPoll | None:
    """The question of the day as a poll, or None when it does not fit one."""
    shown = QOTD_POLL_PREFIX + question_text(question, poll=True)
    if not question.fits_group_poll or len(shown) > POLL_QUESTION_MAX:
        return None
    return quiz_poll(question, shown)
