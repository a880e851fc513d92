"""Reads bank files safely and reports every problem as `file:line: question-id: message`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
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


@dataclass(frozen=True)
class LocatedQuestion:
    """A question that passed the schema, with the file and line it is written at."""

    file: str
    line: int
    question: Question


@dataclass
class _BankFile:
    """What one file yields: every problem of its own, the questions that passed the
    schema and every id written in it (valid question or not), each with its line."""

    name: str
    bank: Bank | None = None
    questions: list[LocatedQuestion] = field(default_factory=list)
    ids: list[tuple[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_bank_file(path: Path, display: str | None = None) -> tuple[Bank | None, list[Problem]]:
    """The bank, or None and every problem the file has on its own (ids that repeat across
    files, SQL solutions and typed answers are checked by load_banks)."""
    read = _read_bank_file(path, display or str(path))
    return read.bank, read.problems


def _read_bank_file(path: Path, name: str) -> _BankFile:
    read = _BankFile(name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _failed(read, 1, f"cannot read: {exc.strerror}")
    if len(raw) > MAX_BANK_BYTES:
        return _failed(read, 1, f"file is larger than {MAX_BANK_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _failed(read, 1, "file is not UTF-8 text")
    try:
        anchor_line = _reject_anchors(text)
        if anchor_line is not None:
            return _failed(read, anchor_line, "YAML anchors and aliases are not allowed")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is None:
            return _failed(read, 1, "file is empty")
        located_root = _locate(root)
    except yaml.MarkedYAMLError as exc:
        line = int(exc.problem_mark.line) + 1 if exc.problem_mark else 1
        message = f"YAML syntax error: {exc.problem}"
        if exc.context and exc.context_mark:
            message += f" ({exc.context} at line {int(exc.context_mark.line) + 1})"
        return _failed(read, line, message)
    except yaml.YAMLError as exc:
        return _failed(read, 1, f"YAML error: {exc}")
    _validate_bank(read, path.stem, root, located_root)
    return read


def _failed(read: _BankFile, line: int, message: str) -> _BankFile:
    read.problems.append(Problem(read.name, line, NO_ID, message))
    return read


def _validate_bank(read: _BankFile, stem: str, root: yaml.Node, located_root: _Located) -> None:
    name = read.name
    data = located_root.value
    if not isinstance(data, dict):
        _failed(read, 1, "a bank is a mapping with area, title, roadmap_month, questions")
        return
    problems = read.problems
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
        return
    _validate_questions(read, header.area if header else stem, nodes)
    if problems or header is None:
        return
    read.bank = Bank(
        area=header.area,
        title=header.title,
        roadmap_month=header.roadmap_month,
        questions=tuple(located.question for located in read.questions),
    )


def _validate_questions(read: _BankFile, area: str, nodes: list[yaml.Node]) -> None:
    name = read.name
    for node in nodes:
        located = _locate(node)
        raw = located.value
        if not isinstance(raw, dict):
            read.problems.append(
                Problem(name, located.line, NO_ID, "a question is a mapping of fields")
            )
            continue
        question_id = str(raw.get("id") or NO_ID)
        if isinstance(raw.get("id"), str | int):
            read.ids.append((question_id, located.line))
        if "area" in raw:
            read.problems.append(
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
                read.problems.append(
                    Problem(name, _field_line(located, details), question_id, _describe(details))
                )
            continue
        read.questions.append(LocatedQuestion(name, located.line, question))


def _bank_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.yaml") if path.is_file())


def load_banks(directory: Path) -> LoadResult:
    """Loads every `*.yaml` bank in `directory` and reports every problem of every question
    in every file in one pass: a broken question or file never hides the others' problems.
    The catalog holds only the banks that have no problem at all."""
    if not directory.is_dir():
        problem = Problem(str(directory), 1, NO_ID, "no such directory")
        return LoadResult(Catalog.empty(), [problem])
    files = _bank_files(directory)
    if not files:
        problem = Problem(str(directory), 1, NO_ID, "no *.yaml banks found")
        return LoadResult(Catalog.empty(), [problem])
    read = [_read_bank_file(path, str(path)) for path in files]
    problems = [problem for bank_file in read for problem in bank_file.problems]
    problems += _find_duplicate_ids(read)
    located = [question for bank_file in read for question in bank_file.questions]
    datasets, broken_datasets, dataset_problems = _load_datasets(directory / DATASETS_FOLDER)
    problems += dataset_problems
    problems += check_sql_questions(located, datasets, broken_datasets)
    problems += check_text_questions(located)
    broken = {problem.file for problem in problems}
    usable = [
        bank_file.bank
        for bank_file in read
        if bank_file.bank is not None and bank_file.name not in broken
    ]
    return LoadResult(Catalog(usable, datasets), sorted(problems))


def _find_duplicate_ids(files: Iterable[_BankFile]) -> list[Problem]:
    """Each repeated id, reported where it is written again, naming where it was first."""
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for bank_file in files:
        for question_id, line in bank_file.ids:
            if question_id in first_seen:
                message = f"duplicate id, first defined at {first_seen[question_id]}"
                problems.append(Problem(bank_file.name, line, question_id, message))
            else:
                first_seen[question_id] = f"{bank_file.name}:{line}"
    return problems


def _load_datasets(folder: Path) -> tuple[dict[str, str], set[str], list[Problem]]:
    datasets: dict[str, str] = {}
    broken: set[str] = set()
    problems: list[Problem] = []
    if not folder.is_dir():
        return datasets, broken, problems
    for path in sorted(folder.glob("*.sql")):
        try:
            script = path.read_text(encoding="utf-8")
            SqlSandbox({path.stem: script})
        except (OSError, UnicodeDecodeError, sqlite3.Error) as error:
            problems.append(Problem(str(path), 1, NO_ID, f"dataset does not load: {error}"))
            broken.add(path.stem)
            continue
        datasets[path.stem] = script
    return datasets, broken, problems


def check_sql_questions(
    questions: Iterable[LocatedQuestion],
    datasets: dict[str, str],
    broken_datasets: Iterable[str] = (),
) -> list[Problem]:
    """Every sql question's solution runs on its dataset and returns rows; every listed
    wrong query runs and is graded wrong."""
    problems: list[Problem] = []
    sandbox = SqlSandbox(datasets)
    broken = set(broken_datasets)
    for located in questions:
        question = located.question
        if question.type is not QuestionType.SQL:
            continue

        def report(message: str, at: LocatedQuestion = located) -> None:
            problems.append(Problem(at.file, at.line, at.question.id, message))

        assert question.dataset is not None and question.solution is not None
        if question.dataset in broken:
            report(f"dataset {question.dataset!r} does not load (see {DATASETS_FOLDER}/)")
            continue
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


def check_text_questions(questions: Iterable[LocatedQuestion]) -> list[Problem]:
    """Every text question grades its accepted answers right and its `rejects` wrong."""
    problems: list[Problem] = []
    for located in questions:
        question = located.question
        if question.type is not QuestionType.TEXT:
            continue
        for accepted in question.accepted:
            if not grade_text(question, accepted):
                problems.append(
                    Problem(
                        located.file,
                        located.line,
                        question.id,
                        f"accepted answer is graded wrong: {accepted[:60]}",
                    )
                )
        for reject in question.rejects:
            if grade_text(question, reject):
                problems.append(
                    Problem(
                        located.file,
                        located.line,
                        question.id,
                        f"reject is graded right: {reject[:60]}",
                    )
                )
    return problems


def load_catalog(directory: Path) -> Catalog:
    """The catalog, or BankError listing every problem: the bot never runs on a bad bank."""
    result = load_banks(directory)
    if result.problems:
        raise BankError(result.problems)
    return result.catalog


def format_problems(problems: Iterable[Problem]) -> str:
    return "\n".join(str(problem) for problem in problems)
