"""The pydantic schema of a bank file and of each question in it (see docs/banks.md)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)

from bot.banks import limits
from bot.domain.patterns import PatternError, compile_pattern

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class QuestionType(StrEnum):
    CHOICE = "choice"
    MULTI = "multi"
    TEXT = "text"
    SQL = "sql"
    OPEN = "open"


OPTION_TYPES = frozenset({QuestionType.CHOICE, QuestionType.MULTI})


class Level(StrEnum):
    JUNIOR = "junior"
    MIDDLE = "middle"
    SENIOR = "senior"


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Option = Annotated[NonEmpty, Field(max_length=limits.OPTION_MAX)]
ShortText = Annotated[NonEmpty, Field(max_length=limits.OPTION_MAX)]

# Fields that belong to one type only: a question of another type must not carry them.
TYPE_FIELDS: dict[str, frozenset[QuestionType]] = {
    "options": OPTION_TYPES,
    "answer": OPTION_TYPES,
    "accepted": frozenset({QuestionType.TEXT}),
    "patterns": frozenset({QuestionType.TEXT}),
    "case_sensitive": frozenset({QuestionType.TEXT}),
    "rejects": frozenset({QuestionType.TEXT}),
    "dataset": frozenset({QuestionType.SQL}),
    "solution": frozenset({QuestionType.SQL}),
    "ordered": frozenset({QuestionType.SQL}),
    "wrong_queries": frozenset({QuestionType.SQL}),
    "model_answer": frozenset({QuestionType.OPEN}),
    "key_points": frozenset({QuestionType.OPEN}),
}


def _shown(text: str) -> str:
    """What Telegram shows of bank text: its Markdown backticks become formatting or go."""
    return text.replace("`", "")


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=limits.ID_MAX)]
    type: QuestionType
    level: Level = Level.JUNIOR
    tags: tuple[NonEmpty, ...] = ()
    question: Annotated[NonEmpty, Field(max_length=limits.QUESTION_MAX)]
    code: Annotated[str, Field(max_length=limits.CODE_MAX)] | None = None
    explanation: Annotated[NonEmpty, Field(max_length=limits.EXPLANATION_MAX)]
    reference: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    # choice and multi
    options: tuple[Option, ...] = ()
    answer: StrictInt | tuple[StrictInt, ...] | None = None
    # text
    accepted: tuple[ShortText, ...] = ()
    patterns: tuple[NonEmpty, ...] = ()
    case_sensitive: StrictBool = False
    rejects: tuple[ShortText, ...] = ()  # near misses that must be graded wrong
    # sql
    dataset: Annotated[str, StringConstraints(pattern=SLUG_PATTERN)] | None = None
    solution: NonEmpty | None = None
    ordered: StrictBool = False
    wrong_queries: tuple[NonEmpty, ...] = ()
    # open
    model_answer: Annotated[NonEmpty, Field(max_length=limits.MODEL_ANSWER_MAX)] | None = None
    key_points: tuple[Annotated[NonEmpty, Field(max_length=limits.OPTION_MAX)], ...] = ()
    # Filled in by the loader from the bank file, never written in YAML.
    area: str = ""

    @model_validator(mode="after")
    def _fields_match_type(self) -> Question:
        for name, types in TYPE_FIELDS.items():
            if self.type not in types and name in self.model_fields_set:
                raise ValueError(f"`{name}` does not belong on a {self.type.value} question")
        if self.type in OPTION_TYPES:
            self._check_options()
        elif self.type is QuestionType.TEXT:
            self._check_text()
        elif self.type is QuestionType.SQL:
            if not self.dataset or not self.solution:
                raise ValueError("a sql question needs `dataset` and `solution`")
        elif self.type is QuestionType.OPEN and (not self.model_answer or not self.key_points):
            raise ValueError("an open question needs `model_answer` and `key_points`")
        rendered = sum(
            len(part)
            for part in (
                self.question,
                self.code or "",
                self.explanation,
                self.reference or "",
                self.model_answer or "",
                *self.options,
                *self.key_points,
            )
        )
        if rendered + limits.RENDER_OVERHEAD > limits.MESSAGE_MAX:
            raise ValueError(f"too long to fit one Telegram message ({rendered} characters)")
        return self

    def _check_options(self) -> None:
        count = len(self.options)
        if not limits.POLL_OPTIONS_MIN <= count <= limits.POLL_OPTIONS_MAX:
            raise ValueError(
                f"needs {limits.POLL_OPTIONS_MIN} to {limits.POLL_OPTIONS_MAX} options, has {count}"
            )
        if len({option.casefold() for option in self.options}) != count:
            raise ValueError("options repeat")
        if self.type is QuestionType.CHOICE:
            if not isinstance(self.answer, int):
                raise ValueError(
                    "a choice question needs `answer`: the 0-based index of one option"
                )
            if not 0 <= self.answer < count:
                raise ValueError(f"answer {self.answer} is out of range 0..{count - 1}")
            return
        answers = (self.answer,) if isinstance(self.answer, int) else self.answer
        if not answers:
            raise ValueError("a multi question needs `answer`: a list of 0-based option indexes")
        if len(set(answers)) != len(answers):
            raise ValueError("answer lists an option twice")
        if any(not 0 <= index < count for index in answers):
            raise ValueError(f"answer {list(answers)} has an index out of range 0..{count - 1}")

    def _check_text(self) -> None:
        if not self.accepted:
            raise ValueError("a text question needs `accepted`: at least one accepted answer")
        for pattern in self.patterns:
            try:
                compile_pattern(pattern, self.case_sensitive)
            except PatternError as error:
                shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."
                raise ValueError(
                    f"pattern {shown!r} is not a valid RE2 regular expression: {error}"
                    " (RE2 has no lookarounds or backreferences)"
                ) from None

    @property
    def correct_options(self) -> frozenset[int]:
        if isinstance(self.answer, int):
            return frozenset({self.answer})
        return frozenset(self.answer or ())

    @property
    def _within_poll_limits(self) -> bool:
        option_max = limits.POLL_OPTION_MAX - limits.POLL_OPTION_LABEL_CHARS
        return (
            self.code is None
            and len(_shown(self.question)) <= limits.POLL_QUESTION_MAX
            and all(len(_shown(option)) <= option_max for option in self.options)
            and len(_shown(self.explanation)) <= limits.POLL_EXPLANATION_MAX
        )

    @property
    def fits_poll(self) -> bool:
        """A single-answer question without code that fits a Telegram quiz poll's limits."""
        return self.type is QuestionType.CHOICE and self._within_poll_limits

    @property
    def fits_group_poll(self) -> bool:
        """Group rounds also ask multi questions as quiz polls with several right options."""
        return self.type in OPTION_TYPES and self._within_poll_limits

    @property
    def fits_group_round(self) -> bool:
        """Every member answers alone: a poll, or buttons for a single-answer question."""
        return self.type is QuestionType.CHOICE or self.fits_group_poll


class BankHeader(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=limits.AREA_MAX)]
    title: Annotated[NonEmpty, Field(max_length=limits.TITLE_MAX)]
    roadmap_month: Annotated[int, Field(ge=1, le=6)]
    description: str | None = None


class Bank(BaseModel):
    model_config = ConfigDict(frozen=True)

    area: str
    title: str
    roadmap_month: int
    questions: tuple[Question, ...]
