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
    kinds = [kind for kind, *_ in _lexer.lex(text)]
    assert kinds == [
        "TITLE",
        "BLANK",
        "INFOBOX",
        "FIELD",
        "FIELD",
        "BLANK",
        "TEXT",
        "ITEM",
        "TEXT",
        "HEADING",
        "HEADING",
        "HEADING",
    ]


def test_only_lf_and_crlf_end_lines() -> None:
    text = "a\x0cb\u2028c\x85d\re\r\nf\n"
    assert [line for _kind, line, *_ in _lexer.lex(text)] == ["a\x0cb\u2028c\x85d\re\r\n", "f\n"]
