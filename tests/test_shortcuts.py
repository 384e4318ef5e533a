"""Every shortcut is taken where it applies.

Each fast path of the readers and writers gives what the general way gives
(property tests beside each); these tests hold that the common input really
takes the fast path, with the general way made to fail: so that a change that
quietly disables a shortcut (correct, but slow) fails a test, and mutation
testing can tell such a change from an equivalent one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wikiplain import _lexer, clean, nodes, parser
from wikiplain.wikitext import escape, reader, writer


def _fail(*args: object, **kwargs: object) -> Any:
    raise AssertionError("the general way was taken")


def _heading_line() -> object:
    return nodes.heading_from_line("== Early life ==\n", (0, 1), "")


def _text_line() -> object:
    return nodes.text_line_from_line("A line of prose.\n", (0, 1))


def _parsed_heading() -> object:
    return parser.parse("Lead.\n\n== Early life ==\nText.\n=== Family ===\n")  # (no title: it is read apart)


def _crlf_line_parts() -> object:
    return [nodes.text_line_parts("A line of prose.\r\n"), nodes.text_line_parts("A line of prose.\n")]


def _lexed_blank_lines() -> object:
    # one blank line between blocks (without the regex); blank lines and trailing whitespace in one step each
    return list(_lexer.line_runs("A.\n\nB.\n  \n\t\n\nC.\n \n  "))


class _NoMatch:
    """Stands for a compiled pattern whose ``match`` must not be called."""

    def match(self, *args: object) -> Any:
        raise AssertionError("the general way was taken")


def _lexed_items() -> object:
    return list(_lexer.line_runs("- an item\n-\tanother\n"))


def _lexed_one_blank_line() -> object:
    return list(_lexer.line_runs("A.\n\nB.\n"))


def _lexed_heading() -> object:
    return list(_lexer.line_runs("= T =\n\n== Early life ==\nText.\n"))


_CANONICAL = "= T =\n\n== Early life ==\nText.\n"  # (its wikitext is itself)


def _written_heading() -> object:
    return writer._render_text(_CANONICAL, canonical=False)


_QUIET = "= T =\n\nA line of prose: plain.\nAnother one.\n"


def _written_quiet_text() -> object:
    return writer._render_text(_QUIET, canonical=False)


def _read_heading() -> object:
    return reader._read_ours("= T =\n\n== Early life ==\n=== Family ===\n", None)


def _escaped_title() -> object:
    return escape.escape_text("Early life", line_start=True)


def _tidied_line() -> object:
    return clean.clean_text("Early life and career")


_RESOLVED = ["a b c d", "a b", "a b", "a b c"]


def _resolved_quotes() -> object:
    # balanced runs; italic left open; bold left open; each beside balanced runs of the other kind
    return [clean.resolve_quotes(line) for line in ("a ''b'' '''c''' d", "a ''b", "'''a''' ''b", "'''a ''b'' c")]


SHORTCUTS: list[tuple[str, object, str, Callable[[], object], object]] = [
    ("canonical heading line, parse", nodes, "_heading_of_any_line", _heading_line, None),
    ("paragraph line without trailing whitespace", nodes, "split_newline", _text_line, None),
    ("paragraph line parts, LF or CRLF", nodes, "split_newline", _crlf_line_parts, None),
    ("canonical heading line, parse by the lexer's match", parser, "heading_from_line", _parsed_heading, None),
    ("canonical heading line, lexer", _lexer, "heading_level", _lexed_heading, None),
    ("blank lines in one step, lexer", _lexer, "classify", _lexed_blank_lines, None),
    ("item lines by their second character, lexer", _lexer, "classify", _lexed_items, None),
    ("one blank line between blocks, lexer", _lexer, "_SPACES", _lexed_one_blank_line, None),
    ("canonical heading, to_wikitext by the lexer's match", writer, "WRITTEN_HEADING", _written_heading, _CANONICAL),
    ("title no rule touches, to_wikitext", writer, "_render_heading", _written_heading, _CANONICAL),
    ("paragraph lines no rule touches, to_wikitext", writer, "_render_text_line", _written_quiet_text, _QUIET),
    ("title no rule touches, reader", reader, "_written_text", _read_heading, None),
    ("text no rule touches, escape_text", escape, "_escaped", _escaped_title, "Early life"),
    ("short line no rule tidies, clean_text", clean, "_tidied", _tidied_line, "Early life and career"),
    ("apostrophes in runs of two and three", clean, "_quotes_by_runs", _resolved_quotes, _RESOLVED),
]


@pytest.mark.parametrize(("what", "module", "general", "call", "expected"), SHORTCUTS, ids=[s[0] for s in SHORTCUTS])
def test_the_shortcut_is_taken(
    what: str,
    module: object,
    general: str,
    call: Callable[[], object],
    expected: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = call()
    monkeypatch.setattr(module, general, _NoMatch() if general == "_SPACES" else _fail)
    after = call()
    if expected is not None:
        assert after == expected
    assert repr(after) == repr(before)


@pytest.mark.parametrize(
    "text",
    [
        "a\r\nb\n",
        "a \nb\n",
        "a\t\nb\n",
        "a\n\n\nb\n",
        "a\nb ",
        "a\nb\t",
        "a\nb\r",
        "= T  =\r\n\r\nInfobox x \r\n- K : v\r\n",
    ],
    ids=[
        "CRLF",
        "space",
        "tab",
        "two blank lines",
        "space at the end",
        "tab at the end",
        "CR at the end",
        "title and infobox",
    ],
)
def test_text_that_is_not_canonical_is_written_without_the_tree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # to_wikitext(str) notes the whitespace from the lexer's runs (the trivia
    # comment), as trivia_diff would from the tree and its canonical copy.
    expected = writer.to_wikitext(text)
    assert writer.TRIVIA_MARK in expected
    monkeypatch.setattr(writer, "parse", _fail)
    monkeypatch.setattr(writer, "canonicalize", _fail)
    assert writer.to_wikitext(text) == expected


class _NoNodes:
    """Stands for the parser's transformer: building an infobox from nodes fails."""

    def infobox(self, children: object) -> Any:
        raise AssertionError("the infobox was read into nodes")


# Each spelling that to_wikitext(str) reads from an infobox's lines: canonical
# lines, and lines that differ from canonical only by their trailing whitespace
# and line end (noted in the trivia comment).
_INFOBOXES = {
    "canonical": "Infobox x\n- Key: Value\n",
    "no type": "Infobox\n- Key: Value\n",
    "no fields": "Infobox x\n\nText.\n",
    "no type, no fields": "Infobox\n",
    "empty value": "Infobox x\n- Key:\n",
    "no colon": "Infobox x\n- Key\n",
    "bare dash": "Infobox x\n-\n",
    "empty key": "Infobox x\n- : v\n",
    "several fields": "Infobox x\n- A: 1\n- B:\n- C\n-\n- D: four words of value\n",
    "a colon in the value": "Infobox x\n- Time: 10: 15\n- Ratio: 1:2\n",
    "trailing spaces": "Infobox x \n- Key: Value  \n- Key:\t\n- Key \n-  \n",
    "CRLF": "Infobox x\r\n- Key: Value\r\n- Key:\r\n- Key\r\n-\r\n",
    "no type, CRLF": "Infobox \r\n- Key: Value \r\n",
    "blank lines after": "Infobox x\n- Key: Value\n\n\n\nText.\n",
    "blank lines after the head": "Infobox x\n\n\nText.\n",
    "no final line break": "Infobox x\n- Key: Value",
}


@pytest.mark.parametrize("text", _INFOBOXES.values(), ids=_INFOBOXES.keys())
def test_an_infobox_is_written_from_its_lines(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "= T =\n\n" + text
    expected = writer.to_wikitext(writer.parse(text))
    monkeypatch.setattr(writer, "_TRANSFORMER", _NoNodes())
    assert writer._render_text(text, canonical=False) == expected


@pytest.mark.parametrize(
    "text",
    ["= T =\n\n== A ==\nx\n", "= T = \n\n== A ==\t\nx\n", "= T =\r\n\r\n== A ==\r\nx\r\n", "= T =\n\n== A ==\n\n\nx"],
    ids=["canonical", "trailing spaces", "CRLF", "blank lines"],
)
def test_a_heading_is_written_from_its_line(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = writer.to_wikitext(writer.parse(text))
    monkeypatch.setattr(writer, "heading_from_line", _fail)
    assert writer._render_text(text, canonical=False) == expected


@pytest.mark.parametrize(
    "text",
    ["= T =\n\nA line.\nAnother line.\n", "= T =\n\nA line. \nAnother line.\t\r\n", "= T =\r\n\r\nA line.\r\n"],
    ids=["canonical", "trailing spaces", "CRLF"],
)
def test_a_quiet_paragraph_line_is_written_as_it_stands(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = writer.to_wikitext(writer.parse(text))
    monkeypatch.setattr(writer, "_render_text_line", _fail)
    assert writer._render_text(text, canonical=False) == expected


def test_canonical_text_is_written_without_noting_its_whitespace(monkeypatch: pytest.MonkeyPatch) -> None:
    # (no diff is looked for in a canonical list or heading, no comment's data is built)
    text = "= T =\n\nInfobox x\n- K: v\n\nLead.\n\n== A ==\n- item\n- other\n\n=== B ===\nText.\n"
    expected = writer.to_wikitext(writer.parse(text))
    for name in ("_text_trivia", "_block_diff", "_changed", "_trivia_comment"):
        monkeypatch.setattr(writer, name, _fail)
    assert writer._render_text(text, canonical=False) == expected
