"""Pure rules behind a learner's first evening: key points, areas typed loosely, bounded
callbacks, bank Markdown, zones in any case, one area's stats."""

from __future__ import annotations

import pytest

from bot.banks.catalog import Catalog
from bot.banks.loader import load_catalog
from bot.banks.location import bundled_questions_dir
from bot.banks.schema import Level, Question
from bot.domain.areas import AreaArgumentError, parse_area_request, resolve_area
from bot.domain.key_points import carrying_words, check_key_points
from bot.domain.schedule import ScheduleError, parse_zone, zone_name
from bot.domain.self_rating import SelfRating
from bot.domain.stats import area_detail
from bot.render.callbacks import ID_MAX, decode
from bot.render.markup import formatted, paragraphs, plain, rich

POINTS = ("small tables", "low selectivity", "write-heavy tables pay on every write")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(bundled_questions_dir())


# -- key points ---------------------------------------------------------------------------
def test_a_key_point_is_covered_by_its_words_in_any_form() -> None:
    checks = check_key_points("Indexes hurt when writes dominate; tiny or small tables", POINTS)
    assert [check.covered for check in checks] == [True, False, True]
    assert checks[0].found == ("small", "tables")
    assert checks[1].missing == ("low", "selectivity")
    assert checks[2].found == ("write", "tables"), "writes covers write; heavy and pay missing"


def test_half_of_the_carrying_words_cover_a_point() -> None:
    [check] = check_key_points("the rows have low cardinality", ("low selectivity",))
    assert check.covered and check.missing == ("selectivity",)
    [check] = check_key_points("it is slow", ("write-heavy tables pay on every write",))
    assert not check.covered


def test_function_words_carry_no_point() -> None:
    assert carrying_words("The cost of an index is paid on every write") == (
        "cost",
        "index",
        "paid",
        "write",
    )
    [check] = check_key_points("the of and on", ("The cost of an index",))
    assert not check.covered


def test_an_empty_answer_covers_nothing() -> None:
    assert not any(check.covered for check in check_key_points("", POINTS))


# -- areas --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "area"),
    [
        ("behavioural", "behavioral"),
        ("http status", "http-status"),
        ("HTTP_Status", "http-status"),
        ("System Design", "system-design"),
        ("postgres", "sql"),
        ("redis", "nosql"),
        ("SQL & PostgreSQL", "sql"),
        ("ci-cd", "cicd"),
    ],
)
def test_areas_are_found_however_they_are_typed(catalog: Catalog, typed: str, area: str) -> None:
    assert catalog.find_area(typed).area == area


@pytest.mark.parametrize(
    ("typed", "suggestions"),
    [
        ("http", ("http-status",)),
        ("dokcer", ("docker",)),
        ("pyhton", ("python",)),
        ("design", ("system-design", "rest-api")),
        ("xyz", ()),
        ("", ()),
    ],
)
def test_other_names_get_did_you_mean(
    catalog: Catalog, typed: str, suggestions: tuple[str, ...]
) -> None:
    match = catalog.find_area(typed)
    assert match.area is None and match.suggestions == suggestions


def test_an_alias_of_an_area_not_loaded_is_no_alias() -> None:
    assert resolve_area("behavioural", ["sql"]).area is None


def test_the_level_is_split_off_in_any_position() -> None:
    assert parse_area_request(["http", "status", "junior"]).area_text == "http status"
    assert parse_area_request(["Senior"]).level is Level.SENIOR
    assert parse_area_request(["mid", "sql"]) == parse_area_request(["sql", "middle"])
    assert parse_area_request([]).area_text is None
    with pytest.raises(AreaArgumentError):
        parse_area_request(["junior", "senior"])
    with pytest.raises(AreaArgumentError):
        parse_area_request(["x" * 100])


# -- callbacks ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        "k:99999999999999999999",
        f"k:{ID_MAX + 1}",
        "a:1:12",
        "a:1:²",
        "a:-1:0",
        "g:1:0",
        "g:1:5",
        "n:SQL",
        "n:sql:x",
        "n:sql:1:expert",
        "q:-sql",
        "f:maybe",
        "a:1:2:3",
        "k:" + "1" * 70,
    ],
)
def test_callback_fields_out_of_bounds_are_refused(data: str) -> None:
    assert decode(data) is None


def test_callback_fields_within_bounds_decode() -> None:
    assert decode(f"k:{ID_MAX}") is not None
    assert decode("n:sql") is not None, "a Next button of an older version still works"
    next_press = decode("n:http-status:42:junior")
    assert next_press is not None and next_press.arg(2) == "junior"
    topic = decode("q:*:")
    assert topic is not None and topic.arg(1) == ""


# -- bank Markdown ------------------------------------------------------------------------
def test_backticks_become_code_and_the_rest_is_escaped() -> None:
    assert rich("Run `git reset --hard HEAD~1` <now> & `a<b`") == (
        "Run <code>git reset --hard HEAD~1</code> &lt;now&gt; &amp; <code>a&lt;b</code>"
    )
    assert rich("a lone ` stays") == "a lone ` stays"
    assert plain("Only `name` here") == "Only name here"


def test_a_long_model_answer_is_split_into_paragraphs_between_sentences() -> None:
    sentence = "This sentence is about forty characters long. "
    blocks = paragraphs(sentence * 20, width=200)
    assert len(blocks) > 1 and all(len(block) <= 200 for block in blocks)
    assert " ".join(blocks) == (sentence * 20).strip()
    assert paragraphs("First, e.g. this one. Second.", width=10) == [
        "First, e.g. this one.",
        "Second.",
    ]


def test_code_fences_in_a_model_answer_become_pre() -> None:
    text = formatted("Like this:\n\n```python\nx = 1 < 2\n```\nDone.")
    assert text == "Like this:\n\n<pre>x = 1 &lt; 2</pre>\n\nDone."


def test_every_bundled_poll_option_fits_with_its_letter(catalog: Catalog) -> None:
    for question in catalog.questions():
        if question.fits_group_poll:
            assert all(len("A. " + plain(option)) <= 100 for option in question.options)
            assert len(plain(question.explanation)) <= 200


# -- zones, ratings -----------------------------------------------------------------------
def test_zone_names_in_any_case_become_canonical() -> None:
    assert zone_name("europe/london") == "Europe/London"
    assert zone_name("america/new york") == "America/New_York"
    assert str(parse_zone("utc").key) == "UTC"


@pytest.mark.parametrize("hostile", ["x" * 300, "../../etc/passwd", "/etc/localtime", "🕐" * 50])
def test_zone_names_off_the_iana_list_never_reach_zoneinfo(hostile: str) -> None:
    with pytest.raises(ScheduleError):
        parse_zone(hostile)


def test_only_again_is_a_miss() -> None:
    assert [rating.counts_as_correct for rating in SelfRating] == [False, True, True, True]


# -- one area's stats ---------------------------------------------------------------------
def question(question_id: str, level: Level, tags: tuple[str, ...]) -> Question:
    return Question(
        id=question_id,
        type="choice",  # type: ignore[arg-type]
        level=level,
        tags=tags,
        question="Q?",
        options=("a", "b"),
        answer=0,
        explanation="E.",
        area="demo",
    )


def test_area_detail_counts_by_level_and_tag_and_lists_the_last_misses() -> None:
    bank = {
        "q1": question("q1", Level.JUNIOR, ("joins",)),
        "q2": question("q2", Level.MIDDLE, ("joins", "indexes")),
        "q3": question("q3", Level.MIDDLE, ()),
    }
    answers = [("q1", False), ("q2", False), ("q1", True), ("q3", False), ("gone", True)]
    detail = area_detail("demo", answers, bank)
    assert (detail.total.answered, detail.total.correct) == (5, 2)
    assert [(t.name, t.answered, t.correct) for t in detail.by_level] == [
        ("junior", 2, 1),
        ("middle", 2, 0),
    ]
    assert [(t.name, t.answered) for t in detail.by_tag] == [("joins", 3), ("indexes", 1)]
    assert detail.missed == ("q3", "q2"), "latest first; q1 was put right"
    assert (detail.seen, detail.bank_size) == (4, 3)
