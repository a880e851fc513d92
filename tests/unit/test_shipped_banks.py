"""The bundled banks: valid, within Telegram's limits, and checked against what can be run."""

from __future__ import annotations

import re
from collections import Counter
from http import HTTPStatus
from pathlib import Path

import pytest

from bot.adapters.sql_sandbox import QueryResult, SqlSandbox, SqlVerdict
from bot.banks import limits
from bot.banks.catalog import Catalog
from bot.banks.loader import load_banks
from bot.banks.location import bundled_questions_dir
from bot.banks.schema import OPTION_TYPES, Question, QuestionType
from bot.devserver.telegram_rules import visible_text
from bot.domain.self_rating import SelfRating
from bot.render import group_text, keyboards, quiz_text
from bot.render.callbacks import ALL_AREAS, Action, Callback


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_banks(bundled_questions_dir())
    assert result.problems == [], "\n".join(map(str, result.problems))
    return result.catalog


def all_questions(catalog: Catalog) -> list[Question]:
    return list(catalog.questions())


def test_check_banks_passes_on_every_shipped_bank(catalog: Catalog) -> None:
    assert len(catalog) > 0
    for area in ("sql", "docker", "http-status", "git"):
        assert catalog.bank(area) is not None, area


def test_every_question_renders_within_telegram_limits(catalog: Catalog) -> None:
    huge_attempt_id = 2**62
    sandbox = SqlSandbox(dict(catalog.datasets))
    for question in all_questions(catalog):
        title = catalog.bank(question.area).title  # type: ignore[union-attr]
        every_option = frozenset(range(len(question.options)))
        if question.type in OPTION_TYPES:
            rendered = [
                quiz_text.question_message(question, title),
                quiz_text.answered_message(question, title, every_option, correct=False),
                quiz_text.poll_result(question, correct=False),
            ]
            keyboards.question_keyboard(question, huge_attempt_id, every_option)
        else:
            tables = sandbox.describe(question.dataset) if question.dataset else []
            long_answer = "x" * 4000
            rendered = [quiz_text.typed_question_message(question, title, tables)]
            if question.type is QuestionType.OPEN:
                rendered.append(quiz_text.rated(question, title, long_answer, SelfRating.EASY))
                keyboards.rating_keyboard(huge_attempt_id)
            if question.type is QuestionType.TEXT:
                rendered.append(quiz_text.text_verdict(question, long_answer, correct=False))
            if question.type is QuestionType.SQL:
                assert question.dataset and question.solution
                expected = sandbox.run(question.dataset, question.solution)
                wide = QueryResult(("c",) * 20, (("y" * 100,) * 20,) * 50)
                rendered.append(quiz_text.sql_verdict(question, SqlVerdict(False, wide, expected)))
            keyboards.typed_keyboard(question, huge_attempt_id)
        for html in rendered:
            assert len(visible_text(html, "HTML")) <= limits.MESSAGE_MAX, question.id
        if question.fits_poll:
            assert len(quiz_text.poll_question(question, title)) <= limits.POLL_QUESTION_MAX


def test_area_buttons_fit_callback_data(catalog: Catalog) -> None:
    for area in (*catalog.areas, ALL_AREAS):
        Callback(Action.NEXT, (area,)).encode()


def normalised(question_text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", question_text.lower()).strip()


def test_no_two_questions_have_the_same_text(catalog: Catalog) -> None:
    seen: dict[str, str] = {}
    for question in all_questions(catalog):
        key = normalised(question.question + (question.code or ""))
        assert key not in seen, f"{question.id} repeats {seen[key]}"
        seen[key] = question.id


def test_the_right_option_is_not_mostly_in_one_position(catalog: Catalog) -> None:
    for bank in catalog.banks:
        positions = Counter(
            question.answer for question in bank.questions if question.type is QuestionType.CHOICE
        )
        total = sum(positions.values())
        if total >= 8:
            most = positions.most_common(1)[0][1]
            assert most <= total / 2, f"{bank.area}: {dict(positions)}"


CODE_WITH_PHRASE = re.compile(r"\b([1-5]\d\d) ([A-Z][A-Za-z-]*(?: [A-Z][A-Za-z-]*)*)")


def test_http_status_codes_and_phrases_agree_with_python(catalog: Catalog) -> None:
    bank = catalog.bank("http-status")
    assert bank is not None
    known = {status.value: status.phrase for status in HTTPStatus}
    phrase_starts = {phrase.split()[0] for phrase in known.values()}
    for question in bank.questions:
        texts = [question.question, question.explanation, *question.options, *question.accepted]
        for chunk in texts:
            for code_text, phrase in CODE_WITH_PHRASE.findall(chunk):
                code = int(code_text)
                assert code in known, f"{question.id}: {code} is not an HTTP status"
                if phrase.split()[0] in phrase_starts:
                    assert phrase.startswith(known[code]), (
                        f"{question.id}: '{code} {phrase}' but Python says '{code} {known[code]}'"
                    )
        if question.type is QuestionType.TEXT:
            for answer in question.accepted:
                number = re.match(r"\d{3}", answer)
                if number:
                    assert int(number.group()) in known, f"{question.id}: {answer}"


def test_the_phrase_check_catches_a_wrong_phrase() -> None:
    phrases = CODE_WITH_PHRASE.findall("Return 404 Gone here, or 201 Created.")
    assert phrases == [("404", "Gone"), ("201", "Created")]
    assert HTTPStatus(404).phrase != "Gone"


def test_every_sql_question_has_a_plausible_wrong_query(catalog: Catalog) -> None:
    # check-banks (the catalog fixture) already ran each one and saw it graded wrong.
    sql_questions = [
        question for question in all_questions(catalog) if question.type is QuestionType.SQL
    ]
    assert sql_questions, "the sql bank has sql questions"
    for question in sql_questions:
        assert question.wrong_queries, question.id


# The roadmap's "master this" area is the largest; months 1 and 2 are practised the most.
MINIMUM = {
    "python": 120, "git": 60, "sql": 60, "fastapi": 60, "rest-api": 60, "http-status": 60,
    "docker": 60, "auth": 60, "nosql": 60, "system-design": 50, "communication": 30,
}  # fmt: skip
ALL_AREAS_OF_THE_ROADMAP = {
    "python", "sql", "nosql", "rest-api", "http-status", "auth", "fastapi", "django", "graphql",
    "docker", "cicd", "git", "linux", "aws", "testing", "agile", "behavioral", "system-design",
    "communication",
}  # fmt: skip


def test_every_roadmap_area_has_enough_questions(catalog: Catalog) -> None:
    assert set(catalog.areas) == ALL_AREAS_OF_THE_ROADMAP
    for bank in catalog.banks:
        assert len(bank.questions) >= MINIMUM.get(bank.area, 30), bank.area
    assert len(catalog) >= 1200
    assert max(catalog.banks, key=lambda bank: len(bank.questions)).area == "python"


# Areas still short of seniors: new questions there should be senior ones.
FEW_SENIORS: set[str] = set()


@pytest.mark.parametrize("area", sorted(ALL_AREAS_OF_THE_ROADMAP))
def test_every_area_is_about_half_junior_a_third_middle_the_rest_senior(
    catalog: Catalog, area: str
) -> None:
    bank = catalog.bank(area)
    assert bank is not None
    levels = Counter(question.level.value for question in bank.questions)
    share = {level: levels[level] / len(bank.questions) for level in ("junior", "middle", "senior")}
    assert 0.4 <= share["junior"] <= 0.6, share
    assert 0.25 <= share["middle"] <= 0.42, share
    assert share["senior"] >= (0.05 if area in FEW_SENIORS else 0.1), share


def test_every_kind_of_question_ships(catalog: Catalog) -> None:
    assert {question.type for question in catalog.questions()} == set(QuestionType)


def test_readme_lists_every_area_with_its_count(catalog: Catalog) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    listed = dict(
        re.findall(r"^\| `([a-z-]+)` \| [^|]+ \| \d \| (\d+) \|$", readme, flags=re.MULTILINE)
    )
    assert listed == {bank.area: str(len(bank.questions)) for bank in catalog.banks}
    assert f"| | **total** | | **{len(catalog)}** |" in readme


def test_group_messages_fit_even_for_a_big_group(catalog: Catalog) -> None:
    crowd = [f"Member number {index} with a long display name" for index in range(500)]
    for question in catalog.questions():
        if not question.fits_group_round:
            continue
        title = catalog.bank(question.area).title  # type: ignore[union-attr]
        for html in (
            group_text.round_question_message(question, title, 20, 20, 30),
            group_text.closed_question(question, title, crowd, len(crowd), "<b>Question 20/20</b>"),
            group_text.qotd_reveal(question, crowd, len(crowd)),
        ):
            assert len(visible_text(html, "HTML")) <= limits.MESSAGE_MAX, question.id
    assert len(visible_text(group_text.standup_reminder(crowd), "HTML")) <= limits.MESSAGE_MAX
