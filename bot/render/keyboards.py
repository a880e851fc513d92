"""Inline keyboards. Callback data always comes from bot.render.callbacks."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.banks.catalog import Catalog
from bot.banks.schema import Level, Question, QuestionType
from bot.domain.self_rating import SelfRating
from bot.render.callbacks import ALL_AREAS, Action, Callback
from bot.render.shared import option_label
from bot.usecases.views import AttemptView

ROW_WIDTH = 4


def _button(text: str, callback: Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback.encode())


def _rows(
    buttons: list[InlineKeyboardButton], width: int = ROW_WIDTH
) -> list[list[InlineKeyboardButton]]:
    return [buttons[start : start + width] for start in range(0, len(buttons), width)]


def question_keyboard(
    question: Question, attempt_id: int, selection: frozenset[int] = frozenset()
) -> InlineKeyboardMarkup:
    attempt = str(attempt_id)
    if question.type is QuestionType.MULTI:
        options = [
            _button(
                f"{'☑' if index in selection else '☐'} {option_label(index)}",
                Callback(Action.TOGGLE, (attempt, str(index))),
            )
            for index in range(len(question.options))
        ]
        last_row = [
            _button("Submit", Callback(Action.SUBMIT, (attempt,))),
            _button("Skip", Callback(Action.SKIP, (attempt,))),
        ]
    else:
        options = [
            _button(option_label(index), Callback(Action.ANSWER, (attempt, str(index))))
            for index in range(len(question.options))
        ]
        last_row = [_button("Skip", Callback(Action.SKIP, (attempt,)))]
    return InlineKeyboardMarkup([*_rows(options), last_row])


def next_keyboard(attempt: AttemptView) -> InlineKeyboardMarkup:
    """Another question like this one (same area and level), or the next due review after a
    /review question; the button names the attempt it follows, so pressing it twice asks one
    question."""
    if attempt.review:
        return InlineKeyboardMarkup(
            [[_button("Next review ▶", Callback(Action.REVIEW, (str(attempt.id),)))]]
        )
    level = attempt.quiz_level.value if attempt.quiz_level else ""
    data = Callback(Action.NEXT, (attempt.quiz_area or ALL_AREAS, str(attempt.id), level))
    return InlineKeyboardMarkup([[_button("Next question ▶", data)]])


def suggestions_keyboard(
    areas: Sequence[str], catalog: Catalog, level: Level | None
) -> InlineKeyboardMarkup | None:
    """A button per area a learner may have meant ("did you mean")."""
    if not areas:
        return None
    level_value = level.value if level else ""
    return InlineKeyboardMarkup(
        [
            [_button(catalog.title(area), Callback(Action.TOPIC, (area, level_value)))]
            for area in areas
        ]
    )


def practice_keyboard() -> InlineKeyboardMarkup:
    """A mixed practice question: what /review offers when nothing is due."""
    return InlineKeyboardMarkup([[_button("Practise ▶", Callback(Action.TOPIC, (ALL_AREAS,)))]])


def topics_keyboard(catalog: Catalog) -> InlineKeyboardMarkup:
    buttons = [
        _button(f"{bank.title} ({len(bank.questions)})", Callback(Action.TOPIC, (bank.area,)))
        for bank in catalog.banks
    ]
    buttons.append(_button("Mixed", Callback(Action.TOPIC, (ALL_AREAS,))))
    return InlineKeyboardMarkup(_rows(buttons, width=2))


def forget_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button("Yes, delete everything", Callback(Action.FORGET, ("yes",))),
                _button("No, keep it", Callback(Action.FORGET, ("no",))),
            ]
        ]
    )


def skip_keyboard(attempt_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button("Skip", Callback(Action.SKIP, (str(attempt_id),)))]])


def typed_keyboard(question: Question, attempt_id: int) -> InlineKeyboardMarkup:
    attempt = str(attempt_id)
    row = [_button("Skip", Callback(Action.SKIP, (attempt,)))]
    if question.type is QuestionType.OPEN:
        row.insert(0, _button("Show answer", Callback(Action.REVEAL, (attempt,))))
    return InlineKeyboardMarkup([row])


def rating_keyboard(attempt_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(rating.label, Callback(Action.RATE, (str(attempt_id), str(rating.value))))
                for rating in SelfRating
            ]
        ]
    )


def question_of_the_day_keyboard(area: str | None) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button("🎯 Question of the day", Callback(Action.NEXT, (area or ALL_AREAS,)))]]
    )


def group_answer_keyboard(question: Question, round_question_id: int) -> InlineKeyboardMarkup:
    return _answer_letters(question, Action.ROUND_ANSWER, round_question_id)


def qotd_keyboard(question: Question, post_id: int) -> InlineKeyboardMarkup:
    return _answer_letters(question, Action.QOTD_ANSWER, post_id)


def _answer_letters(question: Question, action: Action, target: int) -> InlineKeyboardMarkup:
    buttons = [
        _button(option_label(index), Callback(action, (str(target), str(index))))
        for index in range(len(question.options))
    ]
    return InlineKeyboardMarkup(_rows(buttons))
