"""Text -> typed tree.  ``parse`` is total: every string parses, losslessly; ``check`` and
``normalize`` are the other entry points that start from plain text."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate, count
from typing import Any, cast

from lark import Token, Transformer

from ._gc import collector_paused
from ._grammar import build_parser
from ._lexer import LineRun, Run, Sections
from ._lines import BLANK, PARAGRAPH
from .diagnostics import Diagnostic, diagnose, raise_first_error
from .nodes import (
    Article,
    Block,
    BulletList,
    Field,
    Heading,
    Infobox,
    Paragraph,
    Section,
    field_from_line,
    heading_from_line,
    infobox_from_line,
    item_from_line,
    new_article,
    new_bullet_list,
    new_heading,
    new_paragraph,
    new_section,
    text_line_from_line,
)
from .outline import Outline
from .serialize import canonicalize, dumps

__all__ = ["parse"]


def _loc(token: Token | Run) -> tuple[int, int]:
    return (token.start_pos, token.line)  # type: ignore[return-value]


def _line_locs(run: LineRun | Run) -> Iterator[tuple[str, tuple[int, int]]]:
    """Each line of a run with where it starts: (offset, line number)."""
    lines: list[str] = run.lines
    # (C iterators: a generator's turn per line showed on infobox-heavy text)
    starts = accumulate(map(len, lines), initial=cast(int, run.start_pos))
    return zip(lines, zip(starts, count(cast(int, run.line))), strict=False)


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
            fields = tuple([field_from_line(line, loc) for line, loc in _line_locs(run)])
            blank_after = run.blank
        infobox = infobox_from_line(head.lines[0], fields, blank_after, _loc(head))
        assert infobox is not None  # the lexer found an Infobox line
        return infobox

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
            return new_paragraph(lines=(text_line_from_line(lines[0], loc),), blank_after=run.blank, loc=loc)
        texts = tuple([text_line_from_line(line, at) for line, at in _line_locs(run)])
        return new_paragraph(lines=texts, blank_after=run.blank, loc=loc)

    @staticmethod
    def bullet_list(run: LineRun | Run) -> BulletList:
        items = tuple([item_from_line(line, loc) for line, loc in _line_locs(run)])
        return new_bullet_list(items=items, blank_after=run.blank, loc=_loc(run))

    def start(self, children: list[Any]) -> Article:
        bom = leading = ""
        title: Heading | None = None
        infobox: Infobox | None = None
        lead: list[Block] = []
        sections: tuple[Section, ...] = ()
        for child in children:
            if type(child) is Sections:
                sections = _sections(child)
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
        return new_article(
            title=title,
            infobox=infobox,
            lead=tuple(lead),
            sections=sections,
            bom=bom,
            leading_blank=leading,
            loc=(0, 1),
        )


def _sections(token: Sections) -> tuple[Section, ...]:
    """The SECTIONS token's headings and blocks as nodes, nested by level."""
    outline: Outline[Heading, Block, Section] = Outline(_parsed_section)
    open_section = outline.open
    paragraph, bullet_list = _ToNodes.paragraph, _ToNodes.bullet_list
    # (heading_from_line inlined for a canonical heading, whose match the
    # lexer found: a section is a few nodes, and a call more showed on short sections)
    for run, runs in token.sections:
        loc = (run.start_pos, run.line)
        match = run.heading
        if match is not None:
            level = len(match[1])
            heading = new_heading(level=level, title=match[2], blank_after=run.blank, loc=loc)
        else:
            heading = heading_from_line(run.lines[0], loc, run.blank)
            level = heading.level
        blocks: list[Block] = [paragraph(b) if b.type is PARAGRAPH else bullet_list(b) for b in runs]
        open_section(level, heading, blocks)
    return tuple(outline.close())


def _parsed_section(level: int, heading: Heading, blocks: list[Block], subsections: list[Section]) -> Section:
    return new_section(
        heading=heading,
        blocks=tuple(blocks),
        sections=tuple(subsections) if subsections else (),  # (most sections have none)
        loc=heading.loc,
    )


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
