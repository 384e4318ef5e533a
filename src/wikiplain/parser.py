"""Text -> typed tree.  ``parse`` is total: every string parses, losslessly; ``check`` and
``normalize`` are the other entry points that start from plain text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from lark import Token, Transformer

from ._gc import collector_paused
from ._grammar import build_parser
from ._lexer import LineRun, Run, Sections
from ._lines import BLANK, PARAGRAPH, WHITESPACE, split_newline
from .diagnostics import Diagnostic, diagnose, raise_first_error
from .nodes import (
    Article,
    Block,
    BulletList,
    Field,
    Heading,
    Infobox,
    Item,
    Paragraph,
    Section,
    TextLine,
    builder,
    new_section,
)
from .outline import Outline
from .serialize import canonicalize, dumps

__all__ = ["parse"]


# Positional constructors for the nodes built once per line (see nodes.builder):
# parsing builds a node per line, and these cost about a third of keyword calls.
_new_heading = builder(
    Heading, "level", "title", "pad_before", "pad_after", "trailing", "newline", "blank_after", "loc"
)
_new_field = builder(Field, "key", "value", "pad", "before_colon", "after_colon", "trailing", "newline", "loc")
_new_item = builder(Item, "text", "pad", "trailing", "newline", "loc")
_new_text_line = builder(TextLine, "text", "trailing", "newline", "loc")
_new_paragraph = builder(Paragraph, "lines", "blank_after", "loc")


def _lstrip_len(text: str) -> int:
    return len(text) - len(text.lstrip(WHITESPACE))


def _loc(token: Token | Run) -> tuple[int, int]:
    return (token.start_pos, token.line)  # type: ignore[return-value]


def heading_from_line(line: str, loc: tuple[int, int] | None, blank_after: str) -> Heading:
    content, newline = split_newline(line)
    body = content.rstrip(WHITESPACE)
    # heading_level(body) of a line the lexer found to be a heading: only the runs of "=" to measure.
    size = len(body)
    level = min(size - len(body.lstrip("=")), size - len(body.rstrip("=")), 6)
    inner = body[level : size - level]
    rest = inner.lstrip(WHITESPACE)
    title = rest.rstrip(WHITESPACE)
    return _new_heading(
        level, title, inner[: len(inner) - len(rest)], rest[len(title) :], content[size:], newline, blank_after, loc
    )


def _marker_line(line: str) -> tuple[str, str, str, str]:
    """``(pad, core, trailing, newline)`` of a ``- ...`` line."""
    content, newline = split_newline(line)
    rest = content[1:]
    body = rest.rstrip(WHITESPACE)
    pad_len = _lstrip_len(body)
    return body[:pad_len], body[pad_len:], rest[len(body) :], newline


def field_from_line(line: str, loc: tuple[int, int] | None = None) -> Field:
    pad, core, trailing, newline = _marker_line(line)
    colon = core.find(":")
    if colon < 0:  # a malformed field: the whole line is its key
        return _new_field(core, None, pad, "", "", trailing, newline, loc)
    key_raw, value_raw = core[:colon], core[colon + 1 :]
    key = key_raw.rstrip(WHITESPACE)
    after = value_raw[: _lstrip_len(value_raw)]
    return _new_field(key, value_raw[len(after) :], pad, key_raw[len(key) :], after, trailing, newline, loc)


def item_from_line(line: str, loc: tuple[int, int] | None = None) -> Item:
    pad, core, trailing, newline = _marker_line(line)
    return _new_item(core, pad, trailing, newline, loc)


def text_line_from_line(line: str, loc: tuple[int, int] | None = None) -> TextLine:
    content, newline = split_newline(line)
    text = content.rstrip(WHITESPACE)
    return _new_text_line(text, content[len(text) :], newline, loc)


def _line_locs(run: LineRun | Run) -> Iterator[tuple[str, tuple[int, int]]]:
    """Each line of a run with where it starts."""
    offset: int = run.start_pos  # type: ignore[assignment]
    number: int = run.line  # type: ignore[assignment]
    for line in run.lines:
        yield line, (offset, number)
        offset += len(line)
        number += 1


class _ToNodes(Transformer[LineRun, Any]):
    """Builds nodes as the LALR parser reduces; methods are named after the grammar's rules."""

    def title(self, children: list[LineRun]) -> Heading:
        (run,) = children
        return heading_from_line(run.lines[0], _loc(run), run.blank)

    def infobox(self, children: list[LineRun] | list[Run]) -> Infobox:
        head = children[0]
        fields: tuple[Field, ...] = ()
        blank_after = head.blank
        if len(children) > 1:
            run = children[1]
            fields = tuple(field_from_line(line, loc) for line, loc in _line_locs(run))
            blank_after = run.blank
        content, newline = split_newline(head.lines[0])
        body = content.rstrip(WHITESPACE)
        after = body[7:]  # after the word "Infobox"
        pad = after[: _lstrip_len(after)]
        return Infobox(
            type_name=after[len(pad) :] or None,
            fields=fields,
            pad=pad,
            trailing=content[len(body) :],
            newline=newline,
            blank_after=blank_after,
            loc=_loc(head),
        )

    @staticmethod
    def block(run: LineRun | Run) -> Block:
        """A PARAGRAPH or BULLET_LIST token as a node."""
        if run.type == PARAGRAPH:
            return _ToNodes.paragraph(run)
        return _ToNodes.bullet_list(run)

    @staticmethod
    def paragraph(run: LineRun | Run) -> Paragraph:
        lines = run.lines
        loc = _loc(run)
        if len(lines) == 1:  # the common case, without the generator
            return _new_paragraph((text_line_from_line(lines[0], loc),), run.blank, loc)
        return _new_paragraph(tuple([text_line_from_line(line, at) for line, at in _line_locs(run)]), run.blank, loc)

    @staticmethod
    def bullet_list(run: LineRun | Run) -> BulletList:
        items = tuple(item_from_line(line, loc) for line, loc in _line_locs(run))
        return BulletList(items=items, blank_after=run.blank, loc=_loc(run))

    def start(self, children: list[Any]) -> Article:
        bom = leading = ""
        title: Heading | None = None
        infobox: Infobox | None = None
        lead: list[Block] = []
        flat: list[tuple[Heading, list[Block]]] = []
        for child in children:
            if type(child) is Sections:
                block = self.block
                flat = [
                    (heading_from_line(run.lines[0], _loc(run), run.blank), [block(b) for b in blocks])
                    for run, blocks in child.sections
                ]
            elif isinstance(child, LineRun):
                if child.type == BLANK:
                    leading = child.blank
                else:
                    lead.append(self.block(child))
            elif isinstance(child, Token):
                bom = str(child)
            elif isinstance(child, Heading):
                title = child
            elif isinstance(child, Infobox):
                infobox = child
        return Article(
            title=title,
            infobox=infobox,
            lead=tuple(lead),
            sections=_nest(flat),
            bom=bom,
            leading_blank=leading,
            loc=(0, 1),
        )


def _nest(flat: list[tuple[Heading, list[Block]]]) -> tuple[Section, ...]:
    """Nest flat sections: a section holds the following ones of a deeper level."""
    outline: Outline[Heading, Block, Section] = Outline(_parsed_section)
    for heading, blocks in flat:
        outline.open(heading.level, heading, blocks)
    return tuple(outline.close())


def _parsed_section(level: int, heading: Heading, blocks: list[Block], subsections: list[Section]) -> Section:
    return new_section(heading, tuple(blocks), tuple(subsections), heading.loc)


_TRANSFORMER = _ToNodes()


def parse(text: str, *, strict: bool = False) -> Article:
    """Parse a plain article.

    Never raises on any ``str`` unless ``strict`` is true; ``dumps(parse(s)) == s``
    for every string ``s``.  With ``strict=True``, the first error that
    :func:`wikiplain.check` would report is raised as :class:`wikiplain.ParseError`.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes a str, not {type(text).__name__}")
    with collector_paused(len(text)):
        article = cast(Article, build_parser(_TRANSFORMER).parse(text))
    if strict:
        raise_first_error(article, text)
    return article


def check(text: str) -> list[Diagnostic]:
    """Parse ``text`` and list its problems (errors and warnings), in source order."""
    return diagnose(parse(text), text)


def normalize(text: str) -> str:
    """The canonical form of an article's text.

    ``== X ==`` spacing, ``- Key: Value`` fields, ``\\n`` line endings, one blank
    line between blocks, no trailing whitespace, a final newline.  Idempotent,
    and the meaning (``to_dict``) is unchanged.
    """
    return dumps(canonicalize(parse(text)))
