"""Bank validation: every kind of problem is reported as file:line: id: message."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

from bot.banks.loader import load_bank_file, load_banks
from bot.cli import main

GOOD_QUESTION = """\
  - id: demo-ok-001
    type: choice
    question: Which HTTP method is safe?
    options: [GET, POST]
    answer: 0
    explanation: GET only reads.
"""


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def bank(questions: str, area: str = "demo") -> str:
    return f"area: {area}\ntitle: Demo\nroadmap_month: 1\nquestions:\n{questions}"


def problems_of(tmp_path: Path, body: str, name: str = "demo.yaml") -> list[str]:
    path = write(tmp_path, name, body)
    _bank, problems = load_bank_file(path)
    return [str(problem).replace(str(tmp_path) + "/", "") for problem in problems]


def test_a_valid_bank_has_no_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "demo.yaml", bank(GOOD_QUESTION))
    loaded, problems = load_bank_file(path)
    assert problems == []
    assert loaded is not None and loaded.questions[0].area == "demo"


def test_answer_out_of_range_names_file_line_and_id(tmp_path: Path) -> None:
    body = bank(GOOD_QUESTION.replace("answer: 0", "answer: 2"))
    assert problems_of(tmp_path, body) == [
        "demo.yaml:5: demo-ok-001: answer 2 is out of range 0..1"
    ]


def test_missing_required_fields(tmp_path: Path) -> None:
    body = bank("  - id: demo-bad-001\n    type: choice\n    options: [a, b]\n    answer: 0\n")
    problems = problems_of(tmp_path, body)
    assert "demo.yaml:5: demo-bad-001: question: Field required" in problems
    assert "demo.yaml:5: demo-bad-001: explanation: Field required" in problems


def test_unknown_type_and_unknown_field_point_at_their_lines(tmp_path: Path) -> None:
    body = bank(GOOD_QUESTION.replace("type: choice", "type: essay") + "    colour: red\n")
    problems = problems_of(tmp_path, body)
    assert any(
        line.startswith("demo.yaml:6: demo-ok-001: type: Input should be") for line in problems
    )
    assert "demo.yaml:11: demo-ok-001: colour: Extra inputs are not permitted" in problems


def test_repeated_options_and_bad_multi_answer(tmp_path: Path) -> None:
    repeated = GOOD_QUESTION.replace("[GET, POST]", "[GET, get]")
    multi = (
        GOOD_QUESTION.replace("demo-ok-001", "demo-multi-001")
        .replace("type: choice", "type: multi")
        .replace("answer: 0", "answer: [0, 0]")
    )
    problems = problems_of(tmp_path, bank(repeated + multi))
    assert "demo.yaml:5: demo-ok-001: options repeat" in problems
    assert "demo.yaml:11: demo-multi-001: answer lists an option twice" in problems


def test_telegram_limits_are_enforced(tmp_path: Path) -> None:
    long_option = "x" * 201
    body = bank(GOOD_QUESTION.replace("[GET, POST]", f"[GET, {long_option}]"))
    assert any("at most 200 characters" in line for line in problems_of(tmp_path, body))
    thirteen = "[" + ", ".join(f"o{index}" for index in range(13)) + "]"
    body = bank(GOOD_QUESTION.replace("[GET, POST]", thirteen))
    assert any("needs 2 to 12 options, has 13" in line for line in problems_of(tmp_path, body))


def test_bad_id_and_area_mismatch(tmp_path: Path) -> None:
    body = bank(GOOD_QUESTION.replace("demo-ok-001", "Demo OK"), area="other")
    problems = problems_of(tmp_path, body)
    assert "demo.yaml:1: -: area 'other' must equal the file name 'demo'" in problems
    assert any(
        line.startswith("demo.yaml:5: Demo OK: id: String should match pattern")
        for line in problems
    )


def test_yaml_syntax_error_reports_its_line(tmp_path: Path) -> None:
    body = bank(GOOD_QUESTION) + "  - id: [unclosed\n"
    problems = problems_of(tmp_path, body)
    assert len(problems) == 1
    assert problems[0].startswith("demo.yaml:12: -: YAML syntax error: expected ',' or ']'")
    assert "flow sequence at line 11" in problems[0]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    started = time.monotonic()
    problems = problems_of(tmp_path, "\n".join(levels) + "\n")
    assert problems == ["demo.yaml:1: -: YAML anchors and aliases are not allowed"]
    assert time.monotonic() - started < 5


def test_python_tags_are_not_executed(tmp_path: Path) -> None:
    body = "!!python/object/apply:os.system ['echo pwned']\n"
    problems = problems_of(tmp_path, body)
    assert len(problems) == 1 and "could not determine a constructor" in problems[0]


def test_empty_file_and_non_mapping(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "") == ["demo.yaml:1: -: file is empty"]
    assert problems_of(tmp_path, "- just\n- a list\n") == [
        "demo.yaml:1: -: a bank is a mapping with area, title, roadmap_month, questions"
    ]


def test_duplicate_ids_across_banks(tmp_path: Path) -> None:
    write(tmp_path, "alpha.yaml", bank(GOOD_QUESTION, area="alpha"))
    write(tmp_path, "beta.yaml", bank(GOOD_QUESTION, area="beta"))
    result = load_banks(tmp_path)
    assert [str(problem).replace(str(tmp_path) + "/", "") for problem in result.problems] == [
        "beta.yaml:5: demo-ok-001: duplicate id, first defined at alpha.yaml:5"
    ]
    assert result.catalog.areas == ("alpha",)


def test_type_specific_fields_are_checked(tmp_path: Path) -> None:
    text_question = """\
  - id: demo-text-001
    type: text
    question: Which status code means Not Found?
    explanation: 404 is Not Found.
    options: [a, b]
"""
    problems = problems_of(tmp_path, bank(text_question))
    assert "demo.yaml:5: demo-text-001: `options` does not belong on a text question" in problems


def test_check_banks_command_exit_codes(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "demo.yaml", bank(GOOD_QUESTION))
    assert main(["check-banks", str(tmp_path)]) == 0
    assert "demo: 1 questions" in capsys.readouterr().out
    write(
        tmp_path,
        "broken.yaml",
        bank(GOOD_QUESTION.replace("answer: 0", "answer: 9"), area="broken"),
    )
    assert main(["check-banks", str(tmp_path)]) == 1
    output = capsys.readouterr().out
    assert f"{tmp_path}/broken.yaml:5: demo-ok-001: answer 9 is out of range 0..1" in output


def test_check_banks_on_a_missing_directory(tmp_path: Path) -> None:
    assert main(["check-banks", str(tmp_path / "nope")]) == 1
