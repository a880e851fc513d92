"""The pydantic schema of a bank file and of each question in it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, model_validator

from bot.banks import limits

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class QuestionType(StrEnum):
    CHOICE = "choice"
    MULTI = "multi"


class Level(StrEnum):
    JUNIOR = "junior"
    MIDDLE = "middle"
    SENIOR = "senior"


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=limits.ID_MAX)]
    type: QuestionType
    level: Level = Level.JUNIOR
    tags: tuple[NonEmpty, ...] = ()
    question: Annotated[NonEmpty, Field(max_length=limits.QUESTION_MAX)]
    code: Annotated[str, Field(max_length=limits.CODE_MAX)] | None = None
    options: tuple[Annotated[NonEmpty, Field(max_length=limits.OPTION_MAX)], ...] = ()
    answer: StrictInt | tuple[StrictInt, ...] | None = None
    explanation: Annotated[NonEmpty, Field(max_length=limits.EXPLANATION_MAX)]
    reference: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    # Filled in by the loader from the bank file, never written in YAML.
    area: str = ""

    @model_validator(mode="after")
    def _answer_matches_options(self) -> Question:
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
        else:
            answers = (self.answer,) if isinstance(self.answer, int) else self.answer
            if not answers:
                raise ValueError(
                    "a multi question needs `answer`: a list of 0-based option indexes"
                )
            if len(set(answers)) != len(answers):
                raise ValueError("answer lists an option twice")
            if any(not 0 <= index < count for index in answers):
                raise ValueError(f"answer {list(answers)} has an index out of range 0..{count - 1}")
        rendered = len(self.question) + len(self.code or "") + sum(map(len, self.options))
        rendered += len(self.explanation) + len(self.reference or "") + limits.RENDER_OVERHEAD
        if rendered > limits.MESSAGE_MAX:
            raise ValueError(f"too long to fit one Telegram message ({rendered} characters)")
        return self

    @property
    def correct_options(self) -> frozenset[int]:
        if isinstance(self.answer, int):
            return frozenset({self.answer})
        return frozenset(self.answer or ())

    @property
    def fits_poll(self) -> bool:
        """A single-answer question without code that fits a Telegram quiz poll's limits."""
        return (
            self.type is QuestionType.CHOICE
            and self.code is None
            and len(self.question) <= limits.POLL_QUESTION_MAX
            and all(len(option) <= limits.POLL_OPTION_MAX for option in self.options)
            and len(self.explanation) <= limits.POLL_EXPLANATION_MAX
        )


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
