"""Tree -> text: the exact text (``dumps``) and the canonical form (``normalize``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from .nodes import (
    Article,
    Block,
    BulletList,
    Field,
    Heading,
    Infobox,
    Item,
    Node,
    Paragraph,
    Section,
    TextLine,
)

__all__ = ["canonicalize", "dumps", "normalize"]

BOM = "\ufeff"


def dumps(node: Node) -> str:
    """The exact text of a node: the concatenation of all its fields."""
    return node.as_string()


# -- canonical nodes: built from meaning alone ---------------------------------
# from_dict builds nodes with these too, so "meaning -> text" has one spelling.


def canonical_heading(level: int, title: str) -> Heading:
    return Heading(level=level, title=title)


def canonical_field(key: str, value: str | None) -> Field:
    if value is None:
        return Field(key=key, value=None, after_colon="", pad=" " if key else "")
    return Field(key=key, value=value, after_colon=" " if value else "")


def canonical_infobox(type_name: str | None, fields: list[Field]) -> Infobox:
    return Infobox(type_name=type_name, fields=tuple(fields), pad=" " if type_name is not None else "")


def canonical_paragraph(lines: list[str]) -> Paragraph:
    return Paragraph(lines=tuple(TextLine(text=line) for line in lines))


def canonical_item(text: str) -> Item:
    return Item(text=text, pad=" " if text else "")


def canonical_list(items: list[str]) -> BulletList:
    return BulletList(items=tuple(canonical_item(t) for t in items))


def _canonical_block(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return canonical_paragraph([line.text for line in block.lines])
    return canonical_list([item.text for item in block.items])


def _canonical_section(section: Section) -> Section:
    return Section(
        heading=canonical_heading(section.level, section.title),
        blocks=tuple(_canonical_block(b) for b in section.blocks),
        sections=tuple(_canonical_section(s) for s in section.sections),
    )


def _order(article: Article) -> Iterator[Heading | Infobox | Block]:
    """The nodes that own blank lines, in document order."""
    if article.title is not None:
        yield article.title
    if article.infobox is not None:
        yield article.infobox
    yield from article.lead
    for section in article.walk_sections():
        yield section.heading
        yield from section.blocks


def layout(article: Article) -> Article:
    """Canonical blank lines: one between blocks and before every heading, none
    after a section heading, none at the start and the end; a final newline."""
    nodes = list(_order(article))
    if not nodes:
        return dataclasses.replace(article, leading_blank="", bom="")
    replacements: dict[int, Node] = {}
    for node, following in zip(nodes, [*nodes[1:], None], strict=True):
        section_heading = isinstance(node, Heading) and node is not article.title
        ends = following is None or (section_heading and not isinstance(following, Heading))
        blank = "" if ends else "\n"
        if node.blank_after != blank:
            replacements[id(node)] = dataclasses.replace(node, blank_after=blank)
    result = _apply(article, replacements)
    if result.as_string().startswith(BOM):
        # Text that itself starts with U+FEFF would be read as a byte order
        # mark; a real BOM in front keeps it text.
        result = dataclasses.replace(result, bom=BOM)
    return result


def _apply(article: Article, replacements: dict[int, Node]) -> Article:
    def sub(node: Node) -> Node:
        return replacements.get(id(node), node)

    def section(s: Section) -> Section:
        heading = sub(s.heading)
        assert isinstance(heading, Heading)
        return dataclasses.replace(
            s,
            heading=heading,
            blocks=tuple(sub(b) for b in s.blocks),  # type: ignore[misc]
            sections=tuple(section(c) for c in s.sections),
        )

    return dataclasses.replace(
        article,
        title=sub(article.title) if article.title is not None else None,  # type: ignore[arg-type]
        infobox=sub(article.infobox) if article.infobox is not None else None,  # type: ignore[arg-type]
        lead=tuple(sub(b) for b in article.lead),  # type: ignore[misc]
        sections=tuple(section(s) for s in article.sections),
        leading_blank="",
        bom="",
    )


def canonicalize(article: Article) -> Article:
    """The same article with every piece of trivia in canonical form."""
    infobox = article.infobox
    canonical = Article(
        title=None if article.title is None else canonical_heading(1, article.title.title),
        infobox=None
        if infobox is None
        else canonical_infobox(infobox.type_name, [canonical_field(f.key, f.value) for f in infobox.fields]),
        lead=tuple(_canonical_block(b) for b in article.lead),
        sections=tuple(_canonical_section(s) for s in article.sections),
    )
    return layout(canonical)


def normalize(text: str) -> str:
    """The canonical form of an article's text.

    ``== X ==`` spacing, ``- Key: Value`` fields, ``\\n`` line endings, one blank
    line between blocks, no trailing whitespace, a final newline.  Idempotent,
    and the meaning (``to_dict``) is unchanged.
    """
    from .parser import parse

    return dumps(canonicalize(parse(text)))
