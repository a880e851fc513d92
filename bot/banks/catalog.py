"""The loaded banks, indexed by area and by question id; loaded once and shared."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bot.banks.schema import Bank, Level, Question
from bot.domain.areas import AreaMatch, resolve_area


class Catalog:
    def __init__(self, banks: Iterable[Bank], datasets: Mapping[str, str] | None = None) -> None:
        self.datasets: Mapping[str, str] = dict(datasets or {})
        ordered = sorted(banks, key=lambda bank: (bank.roadmap_month, bank.area))
        self._banks: dict[str, Bank] = {bank.area: bank for bank in ordered}
        self._questions: dict[str, Question] = {
            question.id: question for bank in ordered for question in bank.questions
        }

    @classmethod
    def empty(cls) -> Catalog:
        return cls(())

    @property
    def banks(self) -> Sequence[Bank]:
        return tuple(self._banks.values())

    @property
    def areas(self) -> Sequence[str]:
        return tuple(self._banks)

    def bank(self, area: str) -> Bank | None:
        return self._banks.get(area)

    def title(self, area: str) -> str:
        """The bank's title, or the area's slug when no bank has it (any more)."""
        bank = self._banks.get(area)
        return bank.title if bank else area

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def questions(self, area: str | None = None, level: Level | None = None) -> Sequence[Question]:
        if area is None:
            questions: Sequence[Question] = tuple(self._questions.values())
        else:
            bank = self._banks.get(area)
            questions = bank.questions if bank else ()
        if level is None:
            return questions
        return tuple(question for question in questions if question.level is level)

    def find_area(self, text: str) -> AreaMatch:
        """The area a learner typed, however loosely (see bot.domain.areas)."""
        titles = {bank.area: bank.title for bank in self._banks.values()}
        return resolve_area(text, self.areas, titles)

    def __len__(self) -> int:
        return len(self._questions)
