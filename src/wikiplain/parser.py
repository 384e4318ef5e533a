"""Text -> typed tree.  ``parse`` is total: every string parses, losslessly."""

from __future__ import annotations

from typing import Any, cast

from lark import Token, Transformer

from ._grammar import build_parser
from ._lexer import heading_level, split_newline
from .nodes import (
    WHITESPACE,
    Article,
    Block,
    BulletList,
    Field,
    Heading,
    Infobox,
    Item,
    Paragraph,
    Position,
    Section,
    Span,
    TextLine,
)
from .serialize import BOM

__all__ = ["parse"]


def _lstrip_len(text: str) -> int:
    return len(text) - len(text.lstrip(WHITESPACE))


def _end(token: Token) -> Position:
    """The position just after a line token."""
    assert token.start_pos is not None and token.line is not None
    offset = token.start_pos + len(token)
    if token.endswith("\n"):
        return Position(token.line + 1, 1, offset)
    return Position(token.line, len(token) + 1, offset)


def _span(first: Token, last: Token) -> Span:
    assert first.start_pos is not None and first.line is not None
    return Span(Position(first.line, 1, first.start_pos), _end(last))


def _blanks(children: list[Any], start: int) -> str:
    return "".join(children[start:])


def heading_from_line(line: str, span: Span | None = None, blank_after: str = "") -> Heading:
    content, newline = split_newline(line)
    body = content.rstrip(WHITESPACE)
    level = heading_level(body)
    inner = body[level : len(body) - level]
    pad_before = inner[: _lstrip_len(inner)]
    title = inner[len(pad_before) :].rstrip(WHITESPACE)
    return Heading(
        level=level,
        title=title,
        pad_before=pad_before,
        pad_after=inner[len(pad_before) + len(title) :],
        trailing=content[len(body) :],
        newline=newline,
        blank_after=blank_after,
        span=span,
    )


def _marker_line(line: str) -> tuple[str, str, str, str]:
    """``(pad, core, trailing, newline)`` of a ``- ...`` line."""
    content, newline = split_newline(line)
    rest = content[1:]
    body = rest.rstrip(WHITESPACE)
    pad_len = _lstrip_len(body)
    return body[:pad_len], body[pad_len:], rest[len(body) :], newline


def field_from_line(line: str, span: Span | None = None) -> Field:
    pad, core, trailing, newline = _marker_line(line)
    colon = core.find(":")
    if colon < 0:
        return Field(
            key=core,
            value=None,
            pad=pad,
            before_colon="",
            after_colon="",
            trailing=trailing,
            newline=newline,
            span=span,
        )
    key_raw, value_raw = core[:colon], core[colon + 1 :]
    key = key_raw.rstrip(WHITESPACE)
    after = value_raw[: _lstrip_len(value_raw)]
    return Field(
        key=key,
        value=value_raw[len(after) :],
        pad=pad,
        before_colon=key_raw[len(key) :],
        after_colon=after,
        trailing=trailing,
        newline=newline,
        span=span,
    )


def item_from_line(line: str, span: Span | None = None) -> Item:
    pad, core, trailing, newline = _marker_line(line)
    return Item(text=core, pad=pad, trailing=trailing, newline=newline, span=span)


def text_line_from_line(line: str, span: Span | None = None) -> TextLine:
    content, newline = split_newline(line)
    text = content.rstrip(WHITESPACE)
    return TextLine(text=text, trailing=content[len(text) :], newline=newline, span=span)


class _ToNodes(Transformer[Token, Any]):
    """Builds nodes as the LALR parser reduces; methods are named after the grammar's rules."""

    def title(self, children: list[Token]) -> Heading:
        return heading_from_line(children[0], _span(children[0], children[-1]), _blanks(children, 1))

    def infobox(self, children: list[Token]) -> Infobox:
        head = children[0]
        fields: list[Field] = []
        i = 1
        while i < len(children) and children[i].type == "FIELD":
            tok = children[i]
            fields.append(field_from_line(tok, _span(tok, tok)))
            i += 1
        content, newline = split_newline(head)
        body = content.rstrip(WHITESPACE)
        after = body[7:]
        pad = after[: _lstrip_len(after)]
        return Infobox(
            type_name=after[len(pad) :] or None,
            fields=tuple(fields),
            pad=pad,
            trailing=content[len(body) :],
            newline=newline,
            blank_after=_blanks(children, i),
            span=_span(head, children[-1]),
        )

    def paragraph(self, children: list[Token]) -> Paragraph:
        lines: list[TextLine] = []
        i = 0
        while i < len(children) and children[i].type == "TEXT":
            tok = children[i]
            lines.append(text_line_from_line(tok, _span(tok, tok)))
            i += 1
        return Paragraph(lines=tuple(lines), blank_after=_blanks(children, i), span=_span(children[0], children[-1]))

    def bullet_list(self, children: list[Token]) -> BulletList:
        items: list[Item] = []
        i = 0
        while i < len(children) and children[i].type == "ITEM":
            tok = children[i]
            items.append(item_from_line(tok, _span(tok, tok)))
            i += 1
        return BulletList(items=tuple(items), blank_after=_blanks(children, i), span=_span(children[0], children[-1]))

    def section(self, children: list[Any]) -> tuple[Heading, list[Block], Position]:
        # Blank lines come right after the heading token; blocks follow them.
        i = 1
        while i < len(children) and isinstance(children[i], Token):
            i += 1
        heading = heading_from_line(children[0], _span(children[0], children[i - 1]), _blanks(children[:i], 1))
        blocks = children[i:]
        end = blocks[-1].span.end if blocks else heading.span.end  # type: ignore[union-attr]
        return heading, blocks, end

    def start(self, children: list[Any]) -> Article:
        i = 0
        while i < len(children) and isinstance(children[i], Token):
            i += 1
        leading = "".join(children[:i])
        title: Heading | None = None
        infobox: Infobox | None = None
        lead: list[Block] = []
        flat: list[tuple[Heading, list[Block], Position]] = []
        for child in children[i:]:
            if isinstance(child, tuple):
                flat.append(child)
            elif isinstance(child, Heading):
                title = child
            elif isinstance(child, Infobox):
                infobox = child
            else:
                lead.append(child)
        return Article(title=title, infobox=infobox, lead=tuple(lead), sections=_nest(flat), leading_blank=leading)


def _nest(flat: list[tuple[Heading, list[Block], Position]]) -> tuple[Section, ...]:
    """Nest flat sections: a section holds the following ones of a deeper level."""

    def build(start: int, level: int) -> tuple[list[Section], int]:
        out: list[Section] = []
        i = start
        while i < len(flat) and flat[i][0].level > level:
            heading, blocks, end = flat[i]
            children, i = build(i + 1, heading.level)
            if children:
                end = children[-1].span.end  # type: ignore[union-attr]
            span = Span(heading.span.start, end) if heading.span else None
            out.append(Section(heading=heading, blocks=tuple(blocks), sections=tuple(children), span=span))
        return out, i

    sections, _ = build(0, 0)
    return tuple(sections)


_TRANSFORMER = _ToNodes()


def _shift(article: Article, by: int) -> Article:
    """Only used with a BOM: positions are reported against the text with it."""
    import dataclasses

    from .nodes import Node

    def move(p: Position) -> Position:
        return Position(p.line, p.column, p.offset + by)

    def fix(node: Node) -> Node:
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if isinstance(value, Node):
                changes[f.name] = fix(value)
            elif isinstance(value, tuple) and value and isinstance(value[0], Node):
                changes[f.name] = tuple(fix(v) for v in value)
        if node.span is not None:
            changes["span"] = Span(move(node.span.start), move(node.span.end))
        return dataclasses.replace(node, **changes)

    result = fix(article)
    assert isinstance(result, Article)
    return result


def parse(text: str, *, strict: bool = False) -> Article:
    """Parse a plain article.

    Never raises on any ``str`` unless ``strict`` is true; ``dumps(parse(s)) == s``
    for every string ``s``.  With ``strict=True``, the first error that
    :func:`wikiplain.check` would report is raised as :class:`wikiplain.ParseError`.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes a str, not {type(text).__name__}")
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom) :]
    article = cast(Article, build_parser(_TRANSFORMER).parse(body))
    if bom:
        article = _shift(article, len(bom)).replace(bom=bom)
    if strict:
        from .diagnostics import raise_first_error

        raise_first_error(article, text)
    return article
