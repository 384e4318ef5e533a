"""Tree -> text: the exact text (``dumps``) and the canonical form (``normalize``)."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

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

_N = TypeVar("_N", bound=Node)


def dumps(node: Node) -> str:
    """The exact text of a node: the concatenation of all its fields."""
    return node.as_string()


# -- canonical nodes: built from meaning alone ---------------------------------
# from_dict builds nodes with these too, so "meaning -> text" has one spelling.


# Canonical nodes carry one blank line after them, the common case; layout()
# then changes only the exceptions (a section heading before its text, the end).


def canonical_heading(level: int, title: str) -> Heading:
    return Heading(level=level, title=title, blank_after="\n")


def canonical_field(key: str, value: str | None) -> Field:
    if value is None:
        return Field(key=key, value=None, after_colon="", pad=" " if key else "")
    return Field(key=key, value=value, after_colon=" " if value else "")


def canonical_infobox(type_name: str | None, fields: list[Field]) -> Infobox:
    pad = " " if type_name is not None else ""
    return Infobox(type_name=type_name, fields=tuple(fields), pad=pad, blank_after="\n")


def canonical_paragraph(lines: list[str]) -> Paragraph:
    return Paragraph(lines=tuple([TextLine(text=line) for line in lines]), blank_after="\n")


def canonical_item(text: str) -> Item:
    return Item(text=text, pad=" " if text else "")


def canonical_list(items: list[str]) -> BulletList:
    return BulletList(items=tuple([canonical_item(t) for t in items]), blank_after="\n")


def _canonical_block(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return canonical_paragraph([line.text for line in block.lines])
    return canonical_list([item.text for item in block.items])


def canonical_section(level: int, title: str, blocks: tuple[Block, ...], sections: tuple[Section, ...]) -> Section:
    # No blank line between a heading and its own text; one before the next heading.
    heading = Heading(level=level, title=title, blank_after="" if blocks else "\n")
    return Section(heading=heading, blocks=blocks, sections=sections)


def _canonical_section(section: Section) -> Section:
    return canonical_section(
        section.level,
        section.title,
        tuple([_canonical_block(b) for b in section.blocks]),
        tuple([_canonical_section(s) for s in section.sections]),
    )


def _without_final_blank(node: _N) -> _N:
    """The node with no blank line after its last line (rebuilds only the last spine)."""
    if isinstance(node, Section):
        if node.sections:
            changes: dict[str, Any] = {"sections": (*node.sections[:-1], _without_final_blank(node.sections[-1]))}
        elif node.blocks:
            changes = {"blocks": (*node.blocks[:-1], _without_final_blank(node.blocks[-1]))}
        else:
            changes = {"heading": _without_final_blank(node.heading)}
        return dataclasses.replace(node, **changes)
    if getattr(node, "blank_after", "") == "":
        return node
    return dataclasses.replace(node, blank_after="")  # type: ignore[call-arg]


def layout(article: Article) -> Article:
    """Finish the canonical layout of an article built from canonical nodes.

    Canonical nodes already carry one blank line after them (none after a
    section heading followed by its text); here the last node loses its blank
    line and nothing stays before the first.
    """
    changes: dict[str, Any] = {}
    if article.sections:
        changes["sections"] = (*article.sections[:-1], _without_final_blank(article.sections[-1]))
    elif article.lead:
        changes["lead"] = (*article.lead[:-1], _without_final_blank(article.lead[-1]))
    elif article.infobox is not None:
        changes["infobox"] = _without_final_blank(article.infobox)
    elif article.title is not None:
        changes["title"] = _without_final_blank(article.title)
    first = next((n for n in (article.title, article.infobox, *article.lead, *article.sections[:1]) if n), None)
    # Text that itself starts with U+FEFF would be read as a byte order mark;
    # a real BOM in front keeps it text.
    changes["bom"] = BOM if first is not None and first.as_string().startswith(BOM) else ""
    changes["leading_blank"] = ""
    return dataclasses.replace(article, **changes)


def canonicalize(article: Article) -> Article:
    """The same article with every piece of trivia in canonical form."""
    infobox = article.infobox
    canonical = Article(
        title=None if article.title is None else canonical_heading(1, article.title.title),
        infobox=None
        if infobox is None
        else canonical_infobox(infobox.type_name, [canonical_field(f.key, f.value) for f in infobox.fields]),
        lead=tuple([_canonical_block(b) for b in article.lead]),
        sections=tuple([_canonical_section(s) for s in article.sections]),
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
