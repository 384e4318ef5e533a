"""Line rules of the plain article format: what kind a line is by its own
text, how a line ends, and the canonical blank-line rule.

The lowest layer: the lexer, the nodes, the canonical form and the wikitext
reader all take these rules from here, so each is written once
(docs/format.md states them for people).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Characters stripped from the ends of values; see docs/format.md.
WHITESPACE = " \t\r"
_HEADING_MARKS = "=" + WHITESPACE
HEADING_MARKS = "=" + WHITESPACE
#: A UTF-8 byte order mark, kept verbatim at the start of a text.
BOM = "\ufeff"

#: Line kinds (the lexer's token types).
BLANK = "BLANK"
TITLE = "TITLE"
HEADING = "HEADING"
INFOBOX = "INFOBOX"
FIELD = "FIELDS"
ITEM = BULLET_LIST = "BULLET_LIST"
TEXT = PARAGRAPH = "PARAGRAPH"
SECTIONS = "SECTIONS"


#: A heading line in canonical form, without its line end: runs of the same
#: length with one space inside each, and a title that starts and ends with
#: neither "=" nor whitespace (so the runs are the line's own).  Such a line is
#: a heading of that level (``heading_level``), with the canonical trivia.
CANONICAL_HEADING = re.compile(r"(={1,6}) ([^= \t\r](?:.*[^= \t\r])?) \1").fullmatch


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
    if body[:1] != "=" or body[-1:] != "=" or not body.strip(HEADING_MARKS):  # (not is_heading_title)
        return 0
    size = len(body)
    level = min(size - len(body.lstrip("=")), size - len(body.rstrip("=")))
    return level if level < 6 else 6


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


def misread_kind(line: str, infobox_is_text: bool) -> str | None:
    """The kind a paragraph line (trailing whitespace removed) would be read as
    instead of text, or ``None`` when it reads as text.  An Infobox line reads
    as text anywhere but the first line of the first block (``infobox_is_text``)."""
    if line and line[0] not in "=-I":  # most lines are text by their first character
        return None
    kind = classify(line)
    if kind == TEXT or (kind == INFOBOX and infobox_is_text):
        return None
    return kind


def iter_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its line ending."""
    pieces = text.split("\n")
    last = pieces.pop()
    for piece in pieces:
        yield piece + "\n"
    if last:
        yield last


def is_heading_title(text: str) -> bool:
    """Whether ``text`` can stand between runs of ``=`` as a heading: it needs a
    character other than ``=``, space, tab and CR (else the line reads as text)."""
    return bool(text.strip(HEADING_MARKS))


#: The kinds of line that make blocks.
BLOCK_KINDS = (PARAGRAPH, BULLET_LIST)


def canonical_blank(kind: str, following: str | None) -> str:
    """The blank lines that follow a node of ``kind`` in canonical form when a
    node of kind ``following`` comes next (``None``: the end of the article).

    The canonical blank-line rule, stated once: one blank line after every
    title, infobox, block and section heading, except none at the end and none
    between a section heading and its own first block.  Kinds are the line
    kinds (``TITLE``, ``HEADING``, ``INFOBOX``, ``PARAGRAPH``, ``BULLET_LIST``).
    """
    if following is None or (kind == HEADING and following in BLOCK_KINDS):
        return ""
    return "\n"
