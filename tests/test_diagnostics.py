"""check(): diagnostics with code, line and column."""

from __future__ import annotations

import pytest

import wikiplain
from wikiplain._titles import template_name_problem


@pytest.mark.parametrize(
    ("type_name", "problem"),
    [
        ("a{b", "it holds '{', which no page title may"),
        ("a|b", "it holds '|', which no page title may"),
        ("<x>", "it holds '<', which no page title may"),
        ("a%41", "it holds '%41', which reads as an encoded character in a page title"),
        ("a&amp;b", "it holds '&amp;', which reads as an encoded character in a page title"),
        ("a/./b", "it holds a relative path ('/./' or '/../', or ends in '/.' or '/..')"),
        ("a/..", "it holds a relative path ('/./' or '/../', or ends in '/.' or '/..')"),
        ("x~~~", "it holds '~~~'"),
        ("x" * 248, "a page title holds at most 255 bytes of UTF-8"),
        ("é" * 124, "a page title holds at most 255 bytes of UTF-8"),
        ("a\ufffdb", "it holds U+FFFD"),
    ],
)
def test_infobox_type_that_cannot_name_a_template(type_name: str, problem: str) -> None:
    text = f"= T =\n\nInfobox  {type_name}\n- Key: value\n"
    assert template_name_problem(f"Infobox {type_name}") == problem
    (found,) = wikiplain.check(text)
    assert (found.code, found.line, found.column, found.severity) == ("W206", 3, 10, "warning")
    assert found.message == (
        f"MediaWiki cannot call a template named 'Infobox {type_name}' ({problem}); "
        "it would show the infobox's wikitext as text"
    )


@pytest.mark.parametrize(
    "type_name",
    ["military conflict", "a#{b}", "a%4G", "a ~~", "a/.b", "x" * 247, "é" * 123, "a\u200e" * 100, "a   b" + "c" * 243],
)
def test_infobox_type_that_names_a_template(type_name: str) -> None:
    # A fragment after '#' is not part of the page name; bidi marks go, and
    # runs of spaces count once, before the length is measured.
    assert template_name_problem(f"Infobox {type_name}") is None
    assert wikiplain.check(f"= T =\n\nInfobox {type_name}\n- Key: value\n") == []
