"""The line lexer: splits an article into line tokens and names each line's kind.

The rules are those of docs/format.md; the terminal names are declared in
grammar/article.lark.  Only ``\\n`` and ``\\r\\n`` end a line (``str.splitlines``
would also split at form feeds, U+2028 and others, which are text here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple, TypeVar

from lark import Token
from lark.lexer import Lexer

from ._lines import (
    BLANK,
    BOM,
    CANONICAL_HEADING,
    FIELD,
    HEADING,
    INFOBOX,
    ITEM,
    SECTIONS,
    TEXT,
    TITLE,
    WHITESPACE,
    classify,
    heading_level,
)

_STRIP = WHITESPACE + "\n"
#: After "-", the characters that make a line an item whatever follows (``is_item``).
_ITEM_PAD = (" ", "\t")
#: Whitespace that may make blank lines.
_SPACES = re.compile(r"[ \t\r\n]+")


class LineRun(Token):
    """A terminal: a run of lines of one kind, then the blank lines after it.

    Grouping lines into runs keeps the parser's work per block rather than per
    line (Lark's cost per token dominates otherwise).  ``lines`` are the run's
    lines, each with its line ending; ``blank`` is the blank lines after them.
    """

    __slots__ = ("blank", "lines")

    lines: list[str]
    blank: str


_T = TypeVar("_T", bound=Token)


def _lark_token(cls: type[_T], kind: str, value: str, offset: int, number: int) -> _T:
    # Token.__new__ takes its arguments through *args/**kwargs and costs three
    # times as much; the parser reads only ``type``, the rest is for us.
    token = str.__new__(cls, value)
    token.type = kind
    token.value = value
    token.start_pos = offset
    token.line = number
    token.column = 1
    token.end_line = token.end_column = token.end_pos = None
    return token




class Run(NamedTuple):
    """A run of lines of one kind and the blank lines after it, as
    :func:`line_runs` finds it; a Lark token only when the grammar parses it
    (:class:`LineRun`): the runs inside SECTIONS never are."""

    type: str
    lines: list[str]  #: each with its line ending
    blank: str
    start_pos: int
    line: int
    #: A heading line's match of ``CANONICAL_HEADING`` (level and title), found
    #: when the line was classified; else None (the readers match it again only then).
    heading: re.Match[str] | None


def _line_run(run: Run) -> LineRun:
    """The Lark token of a run the grammar parses."""
    token = _lark_token(LineRun, run.type, "".join(run.lines) + run.blank, run.start_pos, run.line)
    token.lines = run.lines
    token.blank = run.blank
    return token


_new_run = tuple.__new__  # Run(...) goes through a Python-level __new__: a third slower


def tokens(text: str) -> Iterator[Token]:
    """The terminals the grammar parses: a BOM token for a byte order mark at
    the start, then the :func:`line_runs` of the rest up to the first
    heading, then one SECTIONS token for the rest: each heading with the
    runs of the blocks after it, up to the next heading."""
    start = 0
    if text.startswith(BOM):
        yield Token("BOM", BOM, 0, 1, 1)
        start = 1
    runs = line_runs(text, start)
    for run in runs:
        if run.type is HEADING:
            yield _sections(text, run, runs)
            return
        yield _line_run(run)


class Sections(Token):
    """The SECTIONS terminal: every heading from the first one on, each with
    the PARAGRAPH and BULLET_LIST runs after it (``sections``).  Only
    paragraphs and lists can follow a heading, so the sections need no
    grammar rule of their own; one token for them all spares Lark a shift
    and a reduction per section, most of the cost of a short one."""

    __slots__ = ("sections",)

    sections: list[tuple[Run, list[Run]]]


def _sections(text: str, first: Run, runs: Iterator[Run]) -> Sections:
    blocks: list[Run] = []
    sections = [(first, blocks)]
    for run in runs:
        if run.type is HEADING:
            blocks = []
            sections.append((run, blocks))
        else:
            blocks.append(run)
    token = _lark_token(Sections, SECTIONS, text[first.start_pos :], first.start_pos, first.line)
    token.sections = sections
    return token


def line_runs(text: str, pos: int = 0) -> Iterator[Run]:
    """The line runs of ``text`` from ``pos`` on.

    A BLANK token for blank lines before the first other line; then runs of
    TEXT, ITEM or FIELD lines and single TITLE, HEADING and INFOBOX lines,
    each with the blank lines after it.  The context rules: a level-1 heading
    is the TITLE only as the first non-blank line; an Infobox line is INFOBOX
    only as the first block after the title (else TEXT); item lines directly
    under INFOBOX are FIELDs.
    """
    end_of_text = len(text)
    find = text.find
    number = 1
    kind = ""  # the kind of the run being collected ("" before the first line)
    lines: list[str] = []
    blank = ""  # the blank lines after the run (a string: most are one "\n", and += of a short string is cheap)
    run_offset = run_number = 0
    seen_block = False  # a block other than the title came before
    spaces = _SPACES.match
    match = run_match = None
    while pos < end_of_text:
        char = text[pos]
        if char == "\n" and (pos + 1 == end_of_text or text[pos + 1] not in " \t\r\n"):
            # One empty line, the usual one between blocks: without the regex below.
            if not kind:
                kind, run_offset, run_number = BLANK, pos, number
            blank += "\n"
            number += 1
            pos += 1
            continue
        if char in " \t\r\n":
            # Blank lines, as many as follow each other, in one step (a text
            # of a million blank lines otherwise costs a loop turn each): the
            # run of whitespace, up to its last line break (or the end).
            end = spaces(text, pos).end()  # type: ignore[union-attr]
            if end < end_of_text:
                end = text.rfind("\n", pos, end) + 1
            if end > pos:
                if not kind:
                    kind, run_offset, run_number = BLANK, pos, number
                blank += text[pos:end]
                number += text.count("\n", pos, end)  # (at the end of the text, nothing counts any more)
                pos = end
                continue
        newline = find("\n", pos)
        stop = end_of_text if newline < 0 else newline + 1
        line = text[pos:stop]
        first = char
        # Classify the line.  Most lines are paragraph text: decide those from
        # the first character without stripping the (often long) line.
        if first == "=":  # classify(body), without computing the level twice
            match = CANONICAL_HEADING(line, 0, stop - pos - 1) if newline >= 0 else None
            if match is not None:  # most headings: one pattern
                level = len(match[1])
            else:
                body = line.rstrip(_STRIP)
                level = heading_level(body)
            line_kind = TEXT if not level else TITLE if level == 1 and (not kind or kind is BLANK) else HEADING
        elif first in "-I \t\r\n":
            # (an item or field line is known from its second character without stripping it: is_item)
            line_kind = ITEM if first == "-" and line[1:2] in _ITEM_PAD else classify(line.rstrip(_STRIP))
            # The context rules (a level-1 heading is the TITLE as the first non-blank line: above).
            if line_kind is ITEM and (kind is INFOBOX or kind is FIELD) and not blank:
                line_kind = FIELD
            elif line_kind is INFOBOX and seen_block:
                line_kind = TEXT
        else:
            line_kind = TEXT
        # (never a blank line here: a line of nothing but spaces, tabs and CRs
        # is taken whole by the blank-lines step above)
        if line_kind is kind and not blank and (kind is TEXT or kind is ITEM or kind is FIELD):
            lines.append(line)
        else:
            if kind:
                yield _new_run(Run, (kind, lines, blank, run_offset, run_number, run_match))
            if line_kind is not TITLE:
                seen_block = True
            kind, lines, blank, run_offset, run_number = line_kind, [line], "", pos, number
            run_match = match if first == "=" else None  # (a line that is not a heading has none)
        pos = stop
        number += 1
    if kind:
        yield _new_run(Run, (kind, lines, blank, run_offset, run_number, run_match))


class LineLexer(Lexer):
    """The lexer Lark calls (``lexer=LineLexer``)."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]
        return tokens(data)
