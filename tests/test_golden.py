"""Golden fixtures: each plain article against its .json, each invalid input against its .err.

Test ids are the file stems; a mismatch shows a unified diff.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import jsonschema
import pytest

import wikiplain

from .conftest import FIXTURES, read_text

ARTICLES = sorted((FIXTURES / "articles").glob("*.txt"))
INVALID = sorted((FIXTURES / "invalid").glob("*.txt"))
SEED = FIXTURES / "articles" / "nampala-raid.txt"


def assert_same(expected: str, actual: str, label: str) -> None:
    if expected != actual:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), f"{label} (expected)", "actual"
            )
        )
        pytest.fail(f"{label} differs:\n{diff}", pytrace=False)


def as_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_fixture_set_is_complete() -> None:
    assert len(ARTICLES) >= 16 and SEED in ARTICLES
    for path in ARTICLES:
        assert path.with_suffix(".json").is_file(), f"{path.name} has no golden .json"
        assert path.with_suffix(".check").is_file(), f"{path.name} has no golden .check"
    for path in INVALID:
        assert path.with_suffix(".err").is_file(), f"{path.name} has no golden .err"


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_meaning_matches_golden_json(path: Path) -> None:
    golden = json.loads(read_text(path.with_suffix(".json")))
    assert_same(as_json(golden), as_json(wikiplain.to_dict(wikiplain.parse(read_text(path)))), path.stem + ".json")


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_diagnostics_match_golden_check(path: Path) -> None:
    # Every diagnostic, warnings included, as `wikiplain check NAME.txt` prints it.
    found = "".join(d.format(path.name) + "\n" for d in wikiplain.check(read_text(path)))
    assert_same(read_text(path.with_suffix(".check")), found, path.stem + ".check")


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_text_round_trips(path: Path) -> None:
    text = read_text(path)
    assert_same(text, wikiplain.dumps(wikiplain.parse(text)), path.name)
    canonical = wikiplain.normalize(text)
    assert_same(canonical, wikiplain.normalize(canonical), path.name + " normalized twice")
    assert_same(
        canonical,
        wikiplain.dumps(wikiplain.from_dict(wikiplain.to_dict(wikiplain.parse(text)))),
        path.name + " via JSON",
    )


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_golden_json_is_valid_against_schema(path: Path) -> None:
    jsonschema.Draft202012Validator(wikiplain.json_schema()).validate(json.loads(read_text(path.with_suffix(".json"))))


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_valid_articles_have_no_errors(path: Path) -> None:
    assert [d for d in wikiplain.check(read_text(path)) if d.severity == "error"] == []
    wikiplain.parse(read_text(path), strict=True)


def test_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(wikiplain.json_schema())


def test_seed_is_canonical() -> None:
    seed = read_text(SEED)
    assert wikiplain.normalize(seed) == seed


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_input_strict_error_text(path: Path) -> None:
    text = read_text(path)
    with pytest.raises(wikiplain.ParseError) as info:
        wikiplain.parse(text, strict=True)
    assert_same(read_text(path.with_suffix(".err")), str(info.value) + "\n", path.stem + ".err")
    # Lenient parsing still works and loses nothing.
    assert wikiplain.dumps(wikiplain.parse(text)) == text
