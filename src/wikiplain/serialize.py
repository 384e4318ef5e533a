"""Tree -> text: the exact text (``dumps``) and the canonical form (``canonicalize``,
the canonical builders and the blank-line layout)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ._construct import unchecked
from ._lines import BOM, BULLET_LIST, HEADING, INFOBOX, PARAGRAPH, TITLE, canonical_blank
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
    new_article,
    new_bullet_list,
    new_heading,
    new_infobox,
    new_paragraph,
    new_section,
    new_text_line,
    replace_unchecked,
)

__all__ = ["canonicalize", "dumps"]

_N = TypeVar("_N", bound=Node)


def dumps(node: Node) -> str:
    """The exact text of a node: the concatenation of all its fields."""
    return node.as_string()


# -- canonical nodes: built from meaning alone ---------------------------------
# from_dict builds nodes with these too, so "meaning -> text" has one spelling.


# Canonical nodes carry the blank lines of the rule (_lines.canonical_blank)
# for a node that is not the last; layout() then clears the last node's.
#: After a title, infobox or block, and after a section heading not followed by its own text.
BETWEEN = canonical_blank(PARAGRAPH, HEADING)
#: After a section heading followed by its own first block.
BEFORE_OWN_TEXT = canonical_blank(HEADING, PARAGRAPH)


# The canonical builders run once per line when reading wikitext or JSON:
# they build with the unchecked constructors (nodes are canonical, so valid).


def canonical_heading(level: int, title: str) -> Heading:
    return new_heading(level=level, title=title, blank_after=BETWEEN)


def _field_trivia(key: str, value: str | None) -> dict[str, str]:
    """The canonical whitespace of a field line (do not change the dict: it is shared)."""
    return _FIELD_TRIVIA[value is None and not key, bool(value)]


# Canonical field trivia depends on two facts only, so each spelling is built once.
_FIELD_TRIVIA = {
    (bare, has_value): {
        "pad": "" if bare else " ",
        "before_colon": "",
        "after_colon": " " if has_value else "",
        "trailing": "",
        "newline": "\n",
    }
    for bare in (False, True)
    for has_value in (False, True)
}


#: One constructor per spelling of canonical field trivia.
_CANONICAL_FIELD = {case: unchecked(Field, **trivia) for case, trivia in _FIELD_TRIVIA.items()}


def canonical_field(key: str, value: str | None) -> Field:
    return _CANONICAL_FIELD[value is None and not key, bool(value)](key=key, value=value)


def _infobox_pad(type_name: str | None) -> str:
    return " " if type_name is not None else ""


def canonical_infobox(type_name: str | None, fields: list[Field]) -> Infobox:
    return new_infobox(type_name=type_name, fields=tuple(fields), pad=_infobox_pad(type_name), blank_after=BETWEEN)


def canonical_paragraph(lines: list[str]) -> Paragraph:
    if len(lines) == 1:  # most paragraphs are one line: no list to build
        return new_paragraph(lines=(new_text_line(text=lines[0]),), blank_after=BETWEEN)
    return new_paragraph(lines=tuple([new_text_line(text=line) for line in lines]), blank_after=BETWEEN)


def _item_pad(text: str) -> str:
    return " " if text else ""


_item_with_text = unchecked(Item, pad=_item_pad("text"))
_item_without_text = unchecked(Item, pad=_item_pad(""))


def canonical_item(text: str) -> Item:
    return _item_with_text(text=text) if text else _item_without_text(text=text)


def canonical_list(items: list[str]) -> BulletList:
    return new_bullet_list(items=tuple(map(canonical_item, items)), blank_after=BETWEEN)


def canonical_block_of(block: Block) -> Block:
    """The canonical form of a paragraph or list: the same lines or items, canonical whitespace."""
    if isinstance(block, Paragraph):
        return canonical_paragraph([line.text for line in block.lines])
    return canonical_list([item.text for item in block.items])


def canonical_infobox_of(infobox: Infobox) -> Infobox:
    """The canonical form of an infobox: the same type and fields, canonical whitespace."""
    return canonical_infobox(infobox.type_name, [canonical_field(f.key, f.value) for f in infobox.fields])


def canonical_section(level: int, title: str, blocks: Sequence[Block], sections: Sequence[Section]) -> Section:
    """A section in canonical form (also what an ``Outline`` of canonical sections closes)."""
    heading = new_heading(level=level, title=title, blank_after=BEFORE_OWN_TEXT if blocks else BETWEEN)
    # (no call of tuple() for the empty lists of a heading alone: 1 MB of headings is 70,000 sections)
    return new_section(
        heading=heading, blocks=tuple(blocks) if blocks else (), sections=tuple(sections) if sections else ()
    )


def _canonical_section(section: Section) -> Section:
    return canonical_section(
        section.level,
        section.title,
        tuple([canonical_block_of(b) for b in section.blocks]),
        tuple([_canonical_section(s) for s in section.sections]),
    )


def _without_final_blank(node: _N) -> _N:
    """The node with no blank line after its last line (rebuilds only the last spine)."""
    if isinstance(node, Section):
        heading, blocks, sections = node.heading, node.blocks, node.sections
        if sections:
            sections = (*sections[:-1], _without_final_blank(sections[-1]))
        elif blocks:
            blocks = (*blocks[:-1], _without_final_blank(blocks[-1]))
        else:
            heading = _without_final_blank(heading)
        return new_section(heading=heading, blocks=blocks, sections=sections)  # type: ignore[return-value]
    # A heading, the infobox, a paragraph or a list: each owns its blank lines.
    return replace_unchecked(node, blank_after="") if node.blank_after else node  # type: ignore[attr-defined]


def canonical_blanks(article: Article) -> list[tuple[Heading | Infobox | Block, str]]:
    """Each node that owns lines (title, infobox, blocks, section headings), in
    document order, with the blank lines that follow it in canonical form
    (``_lines.canonical_blank``), whatever the article's own blank lines are."""
    owners: list[tuple[Heading | Infobox | Block, str]] = []
    add = owners.append
    if article.title is not None:
        add((article.title, TITLE))
    if article.infobox is not None:
        add((article.infobox, INFOBOX))
    for block in article.lead:
        add((block, PARAGRAPH if type(block) is Paragraph else BULLET_LIST))
    for section in article.walk_sections():
        add((section.heading, HEADING))
        for block in section.blocks:
            add((block, PARAGRAPH if type(block) is Paragraph else BULLET_LIST))
    kinds: list[str | None] = [kind for _, kind in owners]
    kinds.append(None)  # the end, after the last
    return [(node, canonical_blank(kind, after)) for (node, kind), after in zip(owners, kinds[1:], strict=True)]


def canonical_heading_trivia(heading: Heading, blank_after: str) -> bool:
    """A heading line spelled ``== Title ==`` with ``blank_after`` after it."""
    h = heading
    spaced = h.pad_before == " " and h.pad_after == " "
    return spaced and not h.trailing and h.newline == "\n" and h.blank_after == blank_after


def canonical_text_line(line: str) -> bool:
    """A paragraph line (with its line ending) that is canonical: no trailing
    whitespace, ended by ``\n``.  The same rule as for a TextLine's fields."""
    return line[-1:] == "\n" and line[-2:-1] not in " \t\r\n"


def canonical_block_trivia(block: Block, blank_after: str) -> bool:
    """A block whose lines are canonical, with ``blank_after`` after it."""
    if block.blank_after != blank_after:
        return False
    if isinstance(block, Paragraph):
        return not any(line.trailing or line.newline != "\n" for line in block.lines)
    return not any(i.trailing or i.newline != "\n" or i.pad != _item_pad(i.text) for i in block.items)


def canonical_infobox_trivia(box: Infobox, blank_after: str) -> bool:
    """An infobox whose lines are canonical, with ``blank_after`` after it."""
    if box.trailing or box.newline != "\n" or box.blank_after != blank_after:
        return False
    if box.type_name is not None and box.pad != _infobox_pad(box.type_name):  # a bare Infobox writes no pad
        return False
    return not any(f.marker != "-" or f.trivia() != _field_trivia(f.key, f.value) for f in box.fields)


def is_canonical(article: Article, blanks: list[tuple[Heading | Infobox | Block, str]] | None = None) -> bool:
    """Whether ``article`` is already in canonical form (without building the canonical copy).

    It checks the fields against the same rules the ``canonical_*`` builders use
    (``_field_trivia``, ``_item_pad``, ``_infobox_pad``, the Heading defaults);
    building canonical nodes to compare would cost about 15 % of ``to_wikitext``.
    """
    if article.leading_blank or article.bom != layout_bom(article):
        return False
    for node, blank in canonical_blanks(article) if blanks is None else blanks:
        if isinstance(node, Heading):
            canonical = canonical_heading_trivia(node, blank)
        elif isinstance(node, Infobox):
            canonical = canonical_infobox_trivia(node, blank)
        else:
            canonical = canonical_block_trivia(node, blank)
        if not canonical:
            return False
    return True


def layout_bom(article: Article) -> str:
    """The canonical byte order mark: none, unless the first text itself starts with U+FEFF
    (it would be read as a byte order mark; a real one in front keeps it text)."""
    if article.title is not None or article.infobox is not None or not article.lead:
        return ""  # the text starts with "=" or "Infobox"
    return BOM if article.lead[0].as_string().startswith(BOM) else ""


def layout(article: Article) -> Article:
    """Finish the canonical layout of an article built from canonical nodes.

    Canonical nodes already carry one blank line after them (none after a
    section heading followed by its text); here the last node loses its blank
    line and nothing stays before the first.
    """
    title, infobox, lead, sections = article.title, article.infobox, article.lead, article.sections
    if sections:
        sections = (*sections[:-1], _without_final_blank(sections[-1]))
    elif lead:
        lead = (*lead[:-1], _without_final_blank(lead[-1]))
    elif infobox is not None:
        infobox = _without_final_blank(infobox)
    elif title is not None:
        title = _without_final_blank(title)
    # Built directly rather than by dataclasses.replace, which is slow enough
    # to show when reading many small articles.
    return new_article(
        title=title,
        infobox=infobox,
        lead=lead,
        sections=sections,
        bom=layout_bom(article),
    )  # canonical nodes have no source position


def canonicalize(article: Article) -> Article:
    """The same article with every piece of trivia in canonical form."""
    infobox = article.infobox
    canonical = new_article(
        title=None if article.title is None else canonical_heading(1, article.title.title),
        infobox=None if infobox is None else canonical_infobox_of(infobox),
        lead=tuple([canonical_block_of(b) for b in article.lead]),
        sections=tuple([_canonical_section(s) for s in article.sections]),
    )
    return layout(canonical)
