"""Reads bank files safely and reports every problem as `file:line: question-id: message`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.adapters.sql_sandbox import SandboxError, SqlSandbox
from bot.banks.catalog import Catalog
from bot.banks.schema import Bank, BankHeader, Question, QuestionType
from bot.domain.text_grading import grade_text

MAX_BANK_BYTES = 2_000_000
DATASETS_FOLDER = "datasets"
NO_ID = "-"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    question_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.question_id}: {self.message}"


@dataclass
class LoadResult:
    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class BankError(Exception):
    """Raised when the banks cannot be used; the message lists every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class _Located:
    """A YAML value with the line (1-based) it starts on, and lines of its mapping keys."""

    value: Any
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)


def _reject_anchors(text: str) -> int | None:
    """The line of the first anchor or alias: banks never need them, and aliases can bomb."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            return int(mark.line) + 1 if mark is not None else 1
    return None


def _plain(node: yaml.Node) -> Any:
    # SafeLoader's constructor refuses tags like !!python/object instead of executing them.
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _locate(node: yaml.Node) -> _Located:
    if isinstance(node, yaml.MappingNode):
        key_lines = {str(key.value): int(key.start_mark.line) + 1 for key, _ in node.value}
        return _Located(_plain(node), int(node.start_mark.line) + 1, key_lines)
    return _Located(_plain(node), int(node.start_mark.line) + 1)


def _question_nodes(root: yaml.Node) -> list[yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "questions" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"] if not str(part).startswith("function-"))
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _field_line(located: _Located, error: dict[str, Any]) -> int:
    loc = error["loc"]
    if loc and isinstance(loc[0], str) and loc[0] in located.key_lines:
        return located.key_lines[loc[0]]
    return located.line


def load_bank_file(path: Path, display: str | None = None) -> tuple[Bank | None, list[Problem]]:
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, NO_ID, f"cannot read: {exc.strerror}")]
    if len(raw) > MAX_BANK_BYTES:
        return None, [Problem(name, 1, NO_ID, f"file is larger than {MAX_BANK_BYTES} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(name, 1, NO_ID, "file is not UTF-8 text")]
    try:
        anchor_line = _reject_anchors(text)
        if anchor_line is not None:
            return None, [
                Problem(name, anchor_line, NO_ID, "YAML anchors and aliases are not allowed")
            ]
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is None:
            return None, [Problem(name, 1, NO_ID, "file is empty")]
        located_root = _locate(root)
    except yaml.MarkedYAMLError as exc:
        line = int(exc.problem_mark.line) + 1 if exc.problem_mark else 1
        message = f"YAML syntax error: {exc.problem}"
        if exc.context and exc.context_mark:
            message += f" ({exc.context} at line {int(exc.context_mark.line) + 1})"
        return None, [Problem(name, line, NO_ID, message)]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, NO_ID, f"YAML error: {exc}")]
    return _validate_bank(name, path.stem, root, located_root)


def _validate_bank(
    name: str, stem: str, root: yaml.Node, located_root: _Located
) -> tuple[Bank | None, list[Problem]]:
    data = located_root.value
    if not isinstance(data, dict):
        return None, [
            Problem(
                name, 1, NO_ID, "a bank is a mapping with area, title, roadmap_month, questions"
            )
        ]
    problems: list[Problem] = []
    header_fields = {key: value for key, value in data.items() if key != "questions"}
    try:
        header = BankHeader.model_validate(header_fields)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(
                Problem(name, _field_line(located_root, dict(error)), NO_ID, _describe(dict(error)))
            )
        header = None
    if header is not None and header.area != stem:
        line = located_root.key_lines.get("area", 1)
        problems.append(
            Problem(name, line, NO_ID, f"area {header.area!r} must equal the file name {stem!r}")
        )
    nodes = _question_nodes(root)
    if "questions" not in data or not isinstance(data["questions"], list) or not nodes:
        line = located_root.key_lines.get("questions", 1)
        problems.append(Problem(name, line, NO_ID, "`questions` must be a non-empty list"))
        return None, problems
    questions = list(_validate_questions(name, header.area if header else stem, nodes, problems))
    if problems or header is None:
        return None, problems
    bank = Bank(
        area=header.area,
        title=header.title,
        roadmap_month=header.roadmap_month,
        questions=tuple(questions),
    )
    return bank, problems


def _validate_questions(
    name: str, area: str, nodes: list[yaml.Node], problems: list[Problem]
) -> Iterator[Question]:
    for node in nodes:
        located = _locate(node)
        raw = located.value
        if not isinstance(raw, dict):
            problems.append(Problem(name, located.line, NO_ID, "a question is a mapping of fields"))
            continue
        question_id = str(raw.get("id") or NO_ID)
        if "area" in raw:
            problems.append(
                Problem(
                    name,
                    located.key_lines["area"],
                    question_id,
                    "area is set by the bank, not per question",
                )
            )
            continue
        try:
            question = Question.model_validate({**raw, "area": area})
        except ValidationError as exc:
            for error in exc.errors():
                details = dict(error)
                problems.append(
                    Problem(name, _field_line(located, details), question_id, _describe(details))
                )
            continue
        yield question


def _bank_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.yaml") if path.is_file())


def load_banks(directory: Path) -> LoadResult:
    """Loads every `*.yaml` bank in `directory`; the catalog holds only the valid banks."""
    problems: list[Problem] = []
    banks: list[Bank] = []
    first_seen: dict[str, str] = {}
    if not directory.is_dir():
        problem = Problem(str(directory), 1, NO_ID, "no such directory")
        return LoadResult(Catalog.empty(), [problem])
    files = _bank_files(directory)
    if not files:
        problems.append(Problem(str(directory), 1, NO_ID, "no *.yaml banks found"))
    for path in files:
        bank, bank_problems = load_bank_file(path)
        problems.extend(bank_problems)
        if bank is None:
            continue
        line_of = _question_lines(path)
        duplicate = False
        for question in bank.questions:
            where = f"{path}:{line_of.get(question.id, 1)}"
            if question.id in first_seen:
                problems.append(
                    Problem(
                        str(path),
                        line_of.get(question.id, 1),
                        question.id,
                        f"duplicate id, first defined at {first_seen[question.id]}",
                    )
                )
                duplicate = True
            else:
                first_seen[question.id] = where
        if not duplicate:
            banks.append(bank)
    datasets, dataset_problems = _load_datasets(directory / DATASETS_FOLDER)
    problems.extend(dataset_problems)
    sql_problems = check_sql_questions(banks, datasets, directory)
    text_problems = check_text_questions(banks, directory)
    problems.extend(sql_problems + text_problems)
    broken = {problem.file for problem in sql_problems + text_problems}
    usable = [bank for bank in banks if str(directory / f"{bank.area}.yaml") not in broken]
    return LoadResult(Catalog(usable, datasets), sorted(problems))


def _load_datasets(folder: Path) -> tuple[dict[str, str], list[Problem]]:
    datasets: dict[str, str] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return datasets, problems
    for path in sorted(folder.glob("*.sql")):
        try:
            script = path.read_text(encoding="utf-8")
            SqlSandbox({path.stem: script})
        except (OSError, UnicodeDecodeError, sqlite3.Error) as error:
            problems.append(Problem(str(path), 1, NO_ID, f"dataset does not load: {error}"))
            continue
        datasets[path.stem] = script
    return datasets, problems


def check_sql_questions(
    banks: Iterable[Bank], datasets: dict[str, str], directory: Path
) -> list[Problem]:
    """Every sql question's solution runs on its dataset and returns rows; every listed
    wrong query runs and is graded wrong."""
    problems: list[Problem] = []
    sandbox = SqlSandbox(datasets)
    for bank in banks:
        path = directory / f"{bank.area}.yaml"
        sql_questions = [
            question for question in bank.questions if question.type is QuestionType.SQL
        ]
        if not sql_questions:
            continue
        line_of = _question_lines(path)
        for question in sql_questions:
            line = line_of.get(question.id, 1)

            def report(
                message: str, where: str = str(path), question_id: str = question.id, at: int = line
            ) -> None:
                problems.append(Problem(where, at, question_id, message))

            assert question.dataset is not None and question.solution is not None
            if question.dataset not in datasets:
                report(f"dataset {question.dataset!r} not found in {DATASETS_FOLDER}/")
                continue
            try:
                expected = sandbox.run(question.dataset, question.solution, max_seconds=2.0)
            except SandboxError as error:
                report(f"solution does not run: {error}")
                continue
            if not expected.rows:
                report("solution returns no rows")
            for wrong in question.wrong_queries:
                try:
                    verdict = sandbox.grade(
                        question.dataset, question.solution, wrong, question.ordered
                    )
                except SandboxError as error:
                    report(f"wrong query does not run ({error}): {wrong[:60]}")
                    continue
                if verdict.correct:
                    report(f"wrong query is graded right: {wrong[:60]}")
    return problems


def check_text_questions(banks: Iterable[Bank], directory: Path) -> list[Problem]:
    """Every text question grades its accepted answers right and its `rejects` wrong."""
    problems: list[Problem] = []
    for bank in banks:
        path = directory / f"{bank.area}.yaml"
        text_questions = [
            question for question in bank.questions if question.type is QuestionType.TEXT
        ]
        if not text_questions:
            continue
        line_of = _question_lines(path)
        for question in text_questions:
            line = line_of.get(question.id, 1)
            for accepted in question.accepted:
                if not grade_text(question, accepted):
                    problems.append(
                        Problem(
                            str(path),
                            line,
                            question.id,
                            f"accepted answer is graded wrong: {accepted[:60]}",
                        )
                    )
            for reject in question.rejects:
                if grade_text(question, reject):
                    problems.append(
                        Problem(
                            str(path), line, question.id, f"reject is graded right: {reject[:60]}"
                        )
                    )
    return problems


def _question_lines(path: Path) -> dict[str, int]:
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    lines: dict[str, int] = {}
    if root is None:
        return lines
    for node in _question_nodes(root):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "id" and isinstance(value, yaml.ScalarNode):
                    lines.setdefault(str(value.value), int(node.start_mark.line) + 1)
    return lines


def load_catalog(directory: Path) -> Catalog:
    """The catalog, or BankError listing every problem: the bot never runs on a bad bank."""
    result = load_banks(directory)
    if result.problems:
        raise BankError(result.problems)
    return result.catalog


def format_problems(problems: Iterable[Problem]) -> str:
    return "\n".join(str(problem) for problem in problems)
