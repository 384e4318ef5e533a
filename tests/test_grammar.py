"""The Lark grammar: LALR without conflicts, shipped as package data, tokens lossless."""

from __future__ import annotations

import re

import pytest
from lark import Lark

import wikiplain
from wikiplain import _grammar, _lexer, _lines


def test_grammar_is_lalr_without_conflicts() -> None:
    # strict=True turns any shift/reduce conflict into an error instead of a silent choice.
    Lark(_grammar.grammar_text(), parser="lalr", lexer=_lexer.LineLexer, strict=True)


def test_grammar_has_no_ignore() -> None:
    assert not re.search(r"^\s*%ignore", _grammar.grammar_text(), re.MULTILINE)


def test_line_kinds() -> None:
    text = "= T =\n\nInfobox x\n- a: b\n- c\n\nInfobox\n- item\ntext\n== H ==\n=== H3 ==\n= Second =\n"
    *runs, sections = _lexer.tokens(text)
    assert [(token.type, len(token.lines), token.blank) for token in runs] == [  # type: ignore[attr-defined]
        ("TITLE", 1, "\n"),
        ("INFOBOX", 1, ""),
        ("FIELDS", 2, "\n"),
        ("PARAGRAPH", 1, ""),  # a second Infobox line is text
        ("BULLET_LIST", 1, ""),
        ("PARAGRAPH", 1, ""),
    ]
    assert sections.type == "SECTIONS"
    headings = [(heading.type, heading.lines, blocks) for heading, blocks in sections.sections]  # type: ignore[attr-defined]
    assert headings == [
        ("HEADING", ["== H ==\n"], []),
        ("HEADING", ["=== H3 ==\n"], []),
        ("HEADING", ["= Second =\n"], []),  # a level-1 heading that is not the first line
    ]


def test_the_sections_token_holds_each_heading_and_the_runs_of_its_blocks() -> None:
    text = "Lead\n== H ==\n\npara\nline\n- a\n\n- b\n=== I ===\n"
    first, second = _lexer.tokens(text)
    assert (first.type, second.type) == ("PARAGRAPH", "SECTIONS")
    (h, blocks), (i, none) = second.sections  # type: ignore[attr-defined]
    assert (h.lines, h.blank, i.lines, i.blank, none) == (["== H ==\n"], "\n", ["=== I ===\n"], "", [])
    assert [(b.type, b.lines, b.blank) for b in blocks] == [
        ("PARAGRAPH", ["para\n", "line\n"], ""), ("BULLET_LIST", ["- a\n"], "\n"), ("BULLET_LIST", ["- b\n"], "")
    ]  # fmt: skip
    assert str(second) == "== H ==\n\npara\nline\n- a\n\n- b\n=== I ===\n"
    assert (second.start_pos, second.line, h.start_pos, h.line, i.start_pos, i.line) == (5, 2, 5, 2, 33, 9)


def test_only_lf_and_crlf_end_lines() -> None:
    text = "a\x0cb\u2028c\x85d\re\r\nf\n"
    (token,) = _lexer.tokens(text)
    assert token.lines == ["a\x0cb\u2028c\x85d\re\r\n", "f\n"]  # type: ignore[attr-defined]


def test_byte_order_mark_is_a_terminal() -> None:
    assert [t.type for t in _lexer.tokens("\ufeff\n= T =\n")] == ["BOM", "BLANK", "TITLE"]


@pytest.mark.parametrize(
    ("body", "level"),
    [
        ("=a=", 1), ("== a ==", 2), ("===a=", 1), ("=a===", 1), ("====== a ======", 6), ("======= a =======", 6),
        ("=a", 0), ("a=", 0), ("=", 0), ("==", 0), ("===", 0), ("= =", 0), ("=\t=", 0), ("", 0),
        ("=\u00a0=", 1),  # a no-break space is a title character
    ],
)  # fmt: skip
def test_heading_level(body: str, level: int) -> None:
    assert _lines.heading_level(body) == level  # 0: not a heading
    assert (_lines.classify(body) == _lines.HEADING) == (level > 0)


@pytest.mark.parametrize(
    ("body", "item", "infobox"),
    [
        ("-", True, False), ("- x", True, False), ("-\tx", True, False), ("-x", False, False), ("-X", False, False),
        ("--", False, False), ("-\u00a0x", False, False), ("", False, False),
        ("Infobox", False, True), ("Infobox x", False, True), ("Infobox\tx", False, True), ("InfoboxX", False, False),
        ("Infoboxes", False, False), ("infobox", False, False), ("Infobox\u00a0x", False, False),
    ],
)  # fmt: skip
def test_item_and_infobox_lines(body: str, item: bool, infobox: bool) -> None:
    assert (_lines.is_item(body), _lines.is_infobox(body)) == (item, infobox)


@pytest.mark.parametrize("end", ["\u00a0", "\x0b", "\x0c", "\x85", "\u2028", "\u3000"])
def test_only_space_tab_and_cr_end_a_line_s_body(end: str) -> None:
    # A line that would be a heading, an item or the infobox but for a last
    # character that is not the format's whitespace is text.
    text = f"= T =\n\nInfobox{end}\n\n== H =={end}\n-{end}\n"
    article = wikiplain.parse(text)
    assert article.infobox is None and article.sections == ()
    assert [line.text for p in article.lead for line in p.lines] == [f"Infobox{end}", f"== H =={end}", f"-{end}"]


def test_tokens_are_lark_tokens_of_whole_runs() -> None:
    text = "\ufeff\n= T =\n\nInfobox\n- a: b\nText\n"
    found = list(_lexer.tokens(text))
    assert [(t.type, str(t), t.value, t.start_pos, t.line, t.column) for t in found] == [
        ("BOM", "\ufeff", "\ufeff", 0, 1, 1),
        ("BLANK", "\n", "\n", 1, 1, 1),
        ("TITLE", "= T =\n\n", "= T =\n\n", 2, 2, 1),
        ("INFOBOX", "Infobox\n", "Infobox\n", 9, 4, 1),
        ("FIELDS", "- a: b\n", "- a: b\n", 17, 5, 1),
        ("PARAGRAPH", "Text\n", "Text\n", 24, 6, 1),
    ]
    assert all(t.end_line is None and t.end_column is None and t.end_pos is None for t in found[1:])  # not computed
    assert "".join(found) == text
