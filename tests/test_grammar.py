"""The Lark grammar: LALR without conflicts, shipped as package data, tokens lossless."""

from __future__ import annotations

import re

from lark import Lark

from wikiplain import _grammar, _lexer


def test_grammar_is_lalr_without_conflicts() -> None:
    # strict=True turns any shift/reduce conflict into an error instead of a silent choice.
    Lark(_grammar.grammar_text(), parser="lalr", lexer=_lexer.LineLexer, strict=True)


def test_grammar_has_no_ignore() -> None:
    assert not re.search(r"^\s*%ignore", _grammar.grammar_text(), re.MULTILINE)


def test_line_kinds() -> None:
    text = "= T =\n\nInfobox x\n- a: b\n- c\n\nInfobox\n- item\ntext\n== H ==\n=== H3 ==\n= Second =\n"
    runs = [(token.type, len(token.lines), token.blank) for token in _lexer.tokens(text)]  # type: ignore[attr-defined]
    assert runs == [
        ("TITLE", 1, "\n"),
        ("INFOBOX", 1, ""),
        ("FIELDS", 2, "\n"),
        ("PARAGRAPH", 1, ""),  # a second Infobox line is text
        ("BULLET_LIST", 1, ""),
        ("PARAGRAPH", 1, ""),
        ("HEADING", 1, ""),
        ("HEADING", 1, ""),
        ("HEADING", 1, ""),  # a level-1 heading that is not the first line
    ]


def test_only_lf_and_crlf_end_lines() -> None:
    text = "a\x0cb\u2028c\x85d\re\r\nf\n"
    (token,) = _lexer.tokens(text)
    assert token.lines == ["a\x0cb\u2028c\x85d\re\r\n", "f\n"]  # type: ignore[attr-defined]


def test_byte_order_mark_is_a_terminal() -> None:
    assert [t.type for t in _lexer.tokens("\ufeff\n= T =\n")] == ["BOM", "BLANK", "TITLE"]
