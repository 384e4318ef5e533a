"""The line lexer: splits an article into line tokens and names each line's kind.

The rules are those of docs/format.md; the terminal names are declared in
grammar/article.lark.  Only ``\\n`` and ``\\r\\n`` end a line (``str.splitlines``
would also split at form feeds, U+2028 and others, which are text here).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lark import Token
from lark.lexer import Lexer

from .nodes import WHITESPACE

BLANK = "BLANK"
TITLE = "TITLE"
HEADING = "HEADING"
INFOBOX = "INFOBOX"
FIELD = "FIELD"
ITEM = "ITEM"
TEXT = "TEXT"

_NOT_TITLE = "= \t\r"


def split_newline(line: str) -> tuple[str, str]:
    """``(content, newline)`` of one line token."""
    if line.endswith("\n"):
        if line.endswith("\r\n"):
            return line[:-2], "\r\n"
        return line[:-1], "\n"
    return line, ""


def heading_level(body: str) -> int:
    """The heading level of a line whose trailing whitespace is stripped, or 0.

    A heading starts and ends with ``=`` and has some character other than
    ``=``, space, tab or CR in between; its level is the shorter run of ``=``
    (at most 6), as in MediaWiki.
    """
    if len(body) < 3 or body[0] != "=" or body[-1] != "=" or not body.strip(_NOT_TITLE):
        return 0
    left = len(body) - len(body.lstrip("="))
    right = len(body) - len(body.rstrip("="))
    return min(left, right, 6)


def is_item(body: str) -> bool:
    """``-`` alone, or ``-`` followed by a space or tab."""
    return body[:1] == "-" and (len(body) == 1 or body[1] in " \t")


def is_infobox(body: str) -> bool:
    """``Infobox`` alone, or followed by a space or tab and a type name."""
    return body.startswith("Infobox") and (len(body) == 7 or body[7] in " \t")


def classify(body: str) -> str:
    """The kind of a line by its own text alone (before context is applied)."""
    if not body:
        return BLANK
    first = body[0]
    if first == "=":
        return HEADING if heading_level(body) else TEXT
    if first == "-":
        return ITEM if is_item(body) else TEXT
    if first == "I" and is_infobox(body):
        return INFOBOX
    return TEXT


def iter_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its line ending."""
    pieces = text.split("\n")
    last = pieces.pop()
    for piece in pieces:
        yield piece + "\n"
    if last:
        yield last


def lex(text: str) -> Iterator[tuple[str, str, int, int]]:
    """``(kind, line, offset, line_number)`` for every line of ``text``.

    The context rules: a level-1 heading is the TITLE only as the first
    non-blank line; an Infobox line is INFOBOX only as the first block after
    the title (else TEXT); an item line directly under INFOBOX or FIELD is a
    FIELD.
    """
    seen_text = False  # a non-blank line came before
    seen_block = False  # a block other than the title came before
    previous = BLANK
    offset = 0
    number = 1
    for line in iter_lines(text):
        body = line.rstrip(WHITESPACE + "\n")
        kind = classify(body)
        if kind == BLANK:
            pass
        elif kind == HEADING:
            if not seen_text and heading_level(body) == 1:
                kind = TITLE
            else:
                seen_block = True
        elif kind == ITEM:
            if previous is INFOBOX or previous is FIELD:
                kind = FIELD
            seen_block = True
        elif kind == INFOBOX:
            if seen_block:
                kind = TEXT
            seen_block = True
        else:
            seen_block = True
        if kind != BLANK:
            seen_text = True
        previous = kind
        yield kind, line, offset, number
        offset += len(line)
        number += 1


class LineLexer(Lexer):
    """The lexer Lark calls (``lexer=LineLexer``): one token per line."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]
        for kind, line, offset, number in lex(data):
            yield Token(kind, line, offset, number, 1)
