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


STRAY = "an 'Infobox' line that is not the first block after the title is read as paragraph text"
UNBALANCED = "the runs of '=' differ in length; read as level {} with title {!r}"
CASES = {
    "empty": ("", [("E101", 1, 1, "the article is empty: no '= Title =' line")]),
    "blank lines only": ("\n \n", [("E101", 1, 1, "the article is empty: no '= Title =' line")]),
    "text first": ("\n\nText.\n", [("E101", 3, 1, "the article does not start with a '= Title =' line")]),
    "infobox first": ("Infobox\n- A: b\n", [("E101", 1, 1, "the article does not start with a '= Title =' line")]),
    "section first": ("\n\n== A ==\nx\n", [("E101", 3, 1, "the article does not start with a '= Title =' line")]),
    "no space inside the runs": ("= T =\n\n==A==\n", []),
    "unbalanced, no space before": ("= T =\n\n==A ===\n", [("W203", 3, 1, UNBALANCED.format(2, "A ="))]),
    "unbalanced, no space after": ("= T =\n\n=== A==\n", [("W203", 3, 1, UNBALANCED.format(2, "= A"))]),
    "unbalanced title": ("== T =\n", [("W203", 1, 1, UNBALANCED.format(1, "= T"))]),
    "first section level 3": ("= T =\n\n=== A ===\n", []),
    "skip after a section": ("= T =\n\n== A ==\n\n==== B ====\n", [("W204", 5, 1, "heading level jumps from 2 to 4")]),
    "back up then skip": ("= T =\n\n=== A ===\n\n== B ==\n\n==== C ====\n", [("W204", 7, 1, "heading level jumps from 2 to 4")]),
    "second title": ("= T =\n\n= U =\n", [("W202", 3, 1, "a level-1 heading after the title is read as a level-1 section")]),
    "bare stray infobox": ("= T =\n\nLead.\n\nInfobox\n\nText.\n", [("W201", 5, 1, STRAY)]),
    "stray infobox after a list": ("= T =\n\n- a\n\nInfobox x\n- A: b\n", [("W201", 5, 1, STRAY)]),
    "stray infobox with fields, mid-paragraph": ("= T =\n\nLead.\n\nText\nInfobox x\n- A: b\n", [("W201", 6, 1, STRAY)]),
    "a sentence starting with Infobox": ("= T =\n\nLead.\n\nInfobox templates are common.\n", []),
    "Infobox with a type, no fields": ("= T =\n\nLead.\n\nInfobox person\n\nText.\n", []),
    "field without colon": ("= T =\n\nInfobox\n-  Units2 Unknown\n", [("E102", 4, 4, "field line has no ':' between key and value: 'Units2 Unknown'")]),
    "empty key": ("= T =\n\nInfobox\n-\t: x\n", [("E103", 4, 3, "field has an empty key")]),
    "duplicate key": ("= T =\n\nInfobox\n- A: 1\n- B: 2\n- A: 3\n", [("E104", 6, 3, "field 'A' appears more than once in the infobox")]),
    "CRLF then LF": ("= T =\r\n\r\nText. \r\nMore\n", [("W205", 4, 5, "line ends with LF but line 1 ends with CRLF")]),
    "LF then CRLF, last line unended": ("= T =\n\nText\r\nx", [("W205", 3, 5, "line ends with CRLF but line 1 ends with LF")]),
    "only the first mismatch": ("= T =\n\na\r\nb\r\n", [("W205", 3, 2, "line ends with CRLF but line 1 ends with LF")]),
}  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_check_finds_exactly(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    found = wikiplain.check(text)
    assert [(d.code, d.line, d.column, d.message) for d in found] == expected
    for d in found:  # E codes are errors, W codes warnings; strict mode raises the first error only
        assert d.severity == ("error" if d.code.startswith("E") else "warning")
        assert d.name == wikiplain.diagnostics.CODES[d.code][1]
    errors = [d for d in found if d.severity == "error"]
    if errors:
        with pytest.raises(wikiplain.ParseError) as caught:
            wikiplain.parse(text, strict=True)
        assert (caught.value.code, caught.value.line, caught.value.column) == (
            errors[0].code,
            errors[0].line,
            errors[0].column,
        )
    else:
        assert wikiplain.dumps(wikiplain.parse(text, strict=True)) == text


def test_diagnostic_format() -> None:
    (d,) = wikiplain.check("x")
    assert d.format() == "<string>:1:1: E101 the article does not start with a '= Title =' line"
    assert d.format("a.txt") == "a.txt:1:1: E101 the article does not start with a '= Title =' line"
    assert d.name == "missing-title"


def test_strict_error_shows_the_line_as_written_with_a_caret() -> None:
    # CRLF and a trailing tab: the shown line ends where the line's text ends,
    # its trailing whitespace kept; the caret follows the tabs before the column.
    text = "= T =\r\n\r\nInfobox\r\n-\t Units2 Unknown \t\r\n"
    with pytest.raises(wikiplain.ParseError) as caught:
        wikiplain.parse(text, strict=True)
    assert str(caught.value) == (
        "E102 field line has no ':' between key and value: 'Units2 Unknown' at line 4, column 4\n"
        "    -\t Units2 Unknown \t\n"
        "     \t ^"
    )
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, wikiplain.WikiplainError)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (".", "it holds a relative path ('/./' or '/../', or ends in '/.' or '/..')"),
        ("..", "it holds a relative path ('/./' or '/../', or ends in '/.' or '/..')"),
        ("./a", "it holds a relative path ('/./' or '/../', or ends in '/.' or '/..')"),
        ("../a", "it holds a relative path ('/./' or '/../', or ends in '/.' or '/..')"),
        ("a/../b", "it holds a relative path ('/./' or '/../', or ends in '/.' or '/..')"),
        ("a/.", "it holds a relative path ('/./' or '/../', or ends in '/.' or '/..')"),
        (".a", None),
        ("a/.b/..c", None),
        # the 255-byte limit counts what remains: trailing underscores and a fragment do not count
        ("Infobox " + "x" * 246 + "X", None),
        ("Infobox " + "x" * 247 + "X", "a page title holds at most 255 bytes of UTF-8"),
        ("Infobox " + "x" * 245 + "\x85", None),  # U+0085 counts: only spaces and underscores are trimmed
        ("Infobox " + "x" * 246 + "\x85", "a page title holds at most 255 bytes of UTF-8"),
        ("Infobox " + "x" * 247 + " #fragment", None),
        ("Infobox " + "x" * 247 + "__ \u3000", None),
        ("Infobox a#b#{", None),  # everything after the first '#' is the fragment
    ],
)
def test_template_name_problem(name: str, problem: str | None) -> None:
    assert template_name_problem(name) == problem


def test_the_caret_line_keeps_the_text_as_written() -> None:
    with pytest.raises(wikiplain.ParseError) as caught:
        wikiplain.parse("= T =\r\n\r\nInfobox\r\n- UnitsX\r\n", strict=True)
    assert caught.value.source_line == "- UnitsX"


def test_errors_keep_their_fields_and_survive_pickling() -> None:
    import pickle

    with pytest.raises(wikiplain.ParseError) as caught:
        wikiplain.parse("x", strict=True)
    error = caught.value
    assert error.args == (str(error),)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.code, copy.line, copy.column, copy.source_line) == (
        wikiplain.ParseError,
        str(error),
        "E101",
        1,
        1,
        "x",
    )
    data_error = wikiplain.DataError("sections[0].title", "a line break")
    assert (str(data_error), data_error.path, data_error.message) == (
        "sections[0].title: a line break",
        "sections[0].title",
        "a line break",
    )
    assert str(wikiplain.DataError("", "no path")) == "no path"
    copy2 = pickle.loads(pickle.dumps(data_error))
    assert (type(copy2), str(copy2), copy2.path, copy2.message) == (
        wikiplain.DataError,
        str(data_error),
        data_error.path,
        data_error.message,
    )


@pytest.mark.parametrize(
    ("codepoint", "valid"),
    [
        (0x08, False), (0x09, True), (0x0A, True), (0x0B, False), (0x0D, False), (0x1F, False), (0x20, True),
        (0x7E, True), (0x7F, False), (0x9F, False), (0xA0, True), (0xD7FF, True), (0xD800, False), (0xDFFF, False),
        (0xE000, True), (0xFFFD, True), (0xFFFE, False), (0xFFFF, False), (0x10000, True), (0x10FFFF, True),
        (0x110000, False), (0, False),
    ],
)  # fmt: skip
def test_which_references_mediawiki_decodes(codepoint: int, valid: bool) -> None:
    from wikiplain._entities import is_valid_codepoint

    assert is_valid_codepoint(codepoint) is valid
