"""Tree <-> JSON-ready dicts (the shape of ``article.schema.json``)."""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from ._lines import BLANK, HEADING, INFOBOX, ITEM, WHITESPACE, is_heading_title, misread_kind
from .errors import DataError
from .nodes import (
    SCHEMA_VERSION,
    Article,
    Block,
    BulletList,
    Field,
    Heading,
    Item,
    Node,
    Paragraph,
    Section,
    TextLine,
    check_tree,
    new_article,
    replace_unchecked,
)
from .outline import Outline
from .serialize import (
    canonical_field,
    canonical_heading,
    canonical_infobox,
    canonical_list,
    canonical_paragraph,
    canonical_section,
    layout,
)

__all__ = [
    "SCHEMA_VERSION",
    "OutlineBuilder",
    "article_trivia",
    "block_trivia",
    "from_dict",
    "json_schema",
    "to_dict",
]

@cache
def json_schema() -> dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of ``to_dict``'s output."""
    text = resources.files("wikiplain").joinpath("article.schema.json").read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


# -- to_dict -----------------------------------------------------------------


def to_dict(article: Article, *, trivia: bool = False) -> dict[str, Any]:
    """The article's meaning as JSON-ready data (see ``article.schema.json``).

    With ``trivia=True`` every object also carries a ``"trivia"`` member with
    the whitespace it owns, and ``from_dict`` then rebuilds the exact text.
    """
    data = article.unwrap()
    if trivia:
        _add_trivia(article, data)
    return data


def article_trivia(article: Article) -> dict[str, Any]:
    """The ``"trivia"`` member of an article's data: its own whitespace and its title's."""
    top: dict[str, Any] = article.trivia()
    if article.title is not None:
        top["title"] = article.title.trivia()
    return top


def block_trivia(block: Block) -> dict[str, Any]:
    """The ``"trivia"`` member of a block's data: its own whitespace and its lines' or items'."""
    t: dict[str, Any] = block.trivia()
    if isinstance(block, Paragraph):
        t["lines"] = [line.trivia() for line in block.lines]
    else:
        t["items"] = [item.trivia() for item in block.items]
    return t


def _add_trivia(article: Article, data: dict[str, Any]) -> None:
    data["trivia"] = article_trivia(article)
    if article.infobox is not None:
        data["infobox"]["trivia"] = article.infobox.trivia()
        for f, fd in zip(article.infobox.fields, data["infobox"]["fields"], strict=True):
            fd["trivia"] = f.trivia()
    _blocks_trivia(article.lead, data["lead"])
    _sections_trivia(article.sections, data["sections"])


def _blocks_trivia(blocks: tuple[Block, ...], out: list[dict[str, Any]]) -> None:
    for block, bd in zip(blocks, out, strict=True):
        bd["trivia"] = block_trivia(block)


def _sections_trivia(sections: tuple[Section, ...], out: list[dict[str, Any]]) -> None:
    for section, sd in zip(sections, out, strict=True):
        sd["trivia"] = section.heading.trivia()
        _blocks_trivia(section.blocks, sd["blocks"])
        _sections_trivia(section.sections, sd["sections"])


# -- building data line by line ------------------------------------------------


class OutlineBuilder:
    """Builds ``to_dict``-shaped data from lines, for the readers of wikitext:
    headings open sections nested by level, a run of text lines is a paragraph,
    a run of items a list, and ``end_block`` (an empty line) ends either."""

    def __init__(self) -> None:
        self._data: dict[str, Any] = {"title": None, "infobox": None, "lead": [], "sections": []}
        self._blocks: list[dict[str, Any]] = self._data["lead"]
        self._outline: Outline[dict[str, Any], dict[str, Any], dict[str, Any]] = Outline(_section_data)
        self._block: dict[str, Any] | None = None
        # The lines of the paragraph being built, joined into its "text" when it
        # ends (adding to one string would copy it at every line).
        self._lines: list[str] = []

    @property
    def data(self) -> dict[str, Any]:
        """The data built: call once, at the end."""
        self._end_paragraph()
        self._data["sections"] = self._outline.close()
        return self._data

    def _end_paragraph(self) -> None:
        if self._lines:
            assert self._block is not None
            self._block["text"] = "\n".join(self._lines)
            self._lines = []

    def heading(self, title: str, level: int) -> None:
        self._end_paragraph()
        self._block = None
        self._blocks = []
        self._outline.open(level, {"title": title, "level": level}, self._blocks)

    def item(self, text: str) -> None:
        if self._block is None or self._block["type"] != "list":
            self._end_paragraph()
            self._block = {"type": "list", "items": []}
            self._blocks.append(self._block)
        self._block["items"].append(text)

    def text(self, line: str) -> None:
        if self._block is None or self._block["type"] != "paragraph":
            self._end_paragraph()
            self._block = {"type": "paragraph", "text": line}
            self._blocks.append(self._block)
        self._lines.append(line)

    def end_block(self) -> None:
        self._end_paragraph()
        self._block = None


def _section_data(level: int, section: dict[str, Any], blocks: list[Any], subsections: list[Any]) -> dict[str, Any]:
    section["blocks"] = blocks
    section["sections"] = subsections
    return section


# -- from_dict ---------------------------------------------------------------


def from_dict(data: Any) -> Article:
    """Build an article from ``to_dict``-shaped data.

    Text is stripped as the parser would strip it, and the article is laid out
    in canonical form (or with the exact ``"trivia"`` where the data has it),
    so ``dumps(from_dict(to_dict(parse(s)))) == normalize(s)``.  Data that no
    article text could express (a line break in a field value, a paragraph
    line that would read as a heading, ...) raises :class:`wikiplain.DataError`.
    """
    builder = _Builder()
    article = layout(builder.article(data))
    if builder.has_trivia:
        trivia = _Trivia()
        article = trivia.article(article, data)
        if not trivia.keeps_lines:  # whitespace that could join, split or change lines: as users' nodes are
            try:
                check_tree(article)
            except ValueError as e:
                raise DataError("trivia", f"the whitespace would not read back as this article: {e}") from None
    return article


def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DataError(path, f"expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise DataError(path, f"expected an array, got {type(value).__name__}")
    return value


def _optional_line(value: Any, path: str) -> str | None:
    return None if value is None else _line(value, path)


def _line(value: Any, path: str) -> str:
    """A single-line string, stripped of the format's whitespace."""
    if not isinstance(value, str):
        raise DataError(path, f"expected a string, got {type(value).__name__}")
    if "\n" in value:
        raise DataError(path, "a line break cannot be written here")
    return value.strip(WHITESPACE)


class _Builder:
    def __init__(self) -> None:
        self.has_trivia = False

    def article(self, data: Any) -> Article:
        data = _obj(data, "")
        self.has_trivia = "trivia" in data
        version = data.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise DataError("schema_version", f"unsupported schema version {version!r} (expected {SCHEMA_VERSION})")
        title = None
        if data.get("title") is not None:
            title = canonical_heading(1, self.heading_title(data["title"], "title"))
        infobox = None
        if data.get("infobox") is not None:
            box = _obj(data["infobox"], "infobox")
            self.has_trivia = self.has_trivia or "trivia" in box
            type_name = _optional_line(box.get("type"), "infobox.type") or None
            fields = [
                self.field(f, f"infobox.fields[{i}]")
                for i, f in enumerate(_list(box.get("fields", []), "infobox.fields"))
            ]
            infobox = canonical_infobox(type_name, fields)
        lead = self.blocks(data.get("lead", []), "lead", first=infobox is None)
        sections = tuple(
            self.section(s, f"sections[{i}]", 0) for i, s in enumerate(_list(data.get("sections", []), "sections"))
        )
        if title is None and infobox is None and not lead and sections and sections[0].level == 1:
            raise DataError(
                "sections[0].level",
                "without a title, the first section cannot have level 1 (its heading would read as the title)",
            )
        return new_article(title=title, infobox=infobox, lead=lead, sections=sections)

    def heading_title(self, value: Any, path: str) -> str:
        title = _line(value, path)
        if not is_heading_title(title):
            raise DataError(path, "a heading needs a character other than '=' and spaces")
        return title

    def field(self, data: Any, path: str) -> Field:
        data = _obj(data, path)
        self.has_trivia = self.has_trivia or "trivia" in data
        key = _line(data.get("key"), f"{path}.key")
        if ":" in key:
            raise DataError(f"{path}.key", "a field key cannot contain ':'")
        return canonical_field(key, _optional_line(data.get("value"), f"{path}.value"))

    def blocks(self, data: Any, path: str, *, first: bool = False) -> tuple[Block, ...]:
        # The hot path of from_dict and from_wikitext: error paths are built
        # only when there is an error.
        out: list[Block] = []
        for i, block in enumerate(_list(data, path)):
            if type(block) is not dict:
                _obj(block, f"{path}[{i}]")
            if "trivia" in block:
                self.has_trivia = True
            kind = block.get("type")
            if kind == "paragraph":
                out.append(self.paragraph(block.get("text"), path, i, first and i == 0))
            elif kind == "list":
                items = block.get("items")
                if type(items) is not list or not all(type(t) is str and "\n" not in t for t in items):
                    checked = _list(items, f"{path}[{i}].items")
                    items = [_line(t, f"{path}[{i}].items[{j}]") for j, t in enumerate(checked)]
                out.append(canonical_list([t.strip(WHITESPACE) for t in items]))
            else:
                raise DataError(f"{path}[{i}].type", f"expected 'paragraph' or 'list', got {kind!r}")
        return tuple(out)

    def paragraph(self, text: Any, path: str, index: int, first_block: bool) -> Paragraph:
        if not isinstance(text, str):
            raise DataError(f"{path}[{index}].text", f"expected a string, got {type(text).__name__}")
        lines = [line.rstrip(WHITESPACE) for line in text.split("\n")]
        for n, line in enumerate(lines, start=1):
            kind = misread_kind(line, infobox_is_text=not (first_block and n == 1))
            if kind is not None:
                what = {
                    BLANK: "an empty line",
                    HEADING: "a heading",
                    ITEM: "a list item",
                    INFOBOX: "the infobox",
                }[kind]
                raise DataError(f"{path}[{index}].text", f"line {n} ({line!r}) would read as {what}")
        return canonical_paragraph(lines)

    def section(self, data: Any, path: str, parent_level: int) -> Section:
        data = _obj(data, path)
        self.has_trivia = self.has_trivia or "trivia" in data
        level = data.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 6:
            raise DataError(f"{path}.level", f"expected a heading level from 1 to 6, got {level!r}")
        if level <= parent_level:
            raise DataError(f"{path}.level", f"a subsection needs a level deeper than {parent_level}")
        title = self.heading_title(data.get("title"), f"{path}.title")
        subsections = _list(data.get("sections", []), f"{path}.sections")
        return canonical_section(
            level,
            title,
            self.blocks(data.get("blocks", []), f"{path}.blocks"),
            tuple([self.section(s, f"{path}.sections[{i}]", level) for i, s in enumerate(subsections)]),
        )


# -- applying "trivia" members -------------------------------------------------

_SPACE = re.compile(r"[ \t\r]*\Z")
_NEWLINE = re.compile(r"(\r?\n)?\Z")
_BLANKS = re.compile(r"([ \t\r]*\n)*[ \t\r]*\Z")


_PLAIN_SPACE = re.compile(r"[ \t]*\Z")
_PLAIN_BLANKS = re.compile(r"([ \t]*\r?\n)*\Z")


_PATTERNS = {
    "newline": _NEWLINE,
    "blank_after": _BLANKS,
    "leading_blank": _BLANKS,
}
# Values that keep every line as it is whatever the canonical value was, and
# those that do so only where the canonical value is empty exactly when this
# one is (see _verdict).
_ALWAYS, _IF_SAME_EMPTINESS, _UNCERTAIN = 0, 1, 2


@lru_cache(maxsize=1024)
def _verdict(name: str, value: str) -> int | None:
    """``None`` if ``value`` is not whitespace that the slot ``name`` can hold;
    otherwise whether it certainly keeps every line of the text its kind and
    its extent: line ends stay line ends, blank lines stay where blank lines
    were, padding stays padding, spaces or tabs anywhere else.  CR alone, a
    missing line end, or blank space where the canonical form has none is not
    certain; the caller checks those against the lexer."""
    if name == "bom":
        return _IF_SAME_EMPTINESS if value in ("", "\ufeff") else None
    if _PATTERNS.get(name, _SPACE).match(value) is None:
        return None
    if name == "newline":
        return _ALWAYS if value else _UNCERTAIN
    if name in ("blank_after", "leading_blank"):
        # More blank lines between nodes never join or split them (only
        # nodes carry blank lines after them, never a line inside one); none
        # where the canonical form has some joins two blocks.
        if _PLAIN_BLANKS.match(value) is None:
            return _UNCERTAIN
        return _ALWAYS if value else _IF_SAME_EMPTINESS
    if _PLAIN_SPACE.match(value) is None:
        return _UNCERTAIN
    return _IF_SAME_EMPTINESS if name in ("pad", "pad_before", "pad_after") else _ALWAYS


# Whitespace that keeps every line as it is wherever it stands (see _verdict),
# by slot: most trivia comments hold only these.
_USUAL = frozenset(
    [("newline", "\n"), ("newline", "\r\n")]
    + [(name, value) for name in ("trailing", "before_colon", "after_colon") for value in ("", " ", "  ", "\t")]
    + [
        (name, value)
        for name in ("blank_after", "leading_blank")
        for value in ("\n", "\r\n", "\n\n", "\r\n\r\n", "\n\n\n", "\r\n\r\n\r\n")
    ]
)
_TRIVIA_NAMES: dict[type[Node], frozenset[str]] = {
    cls: frozenset(cls.TRIVIA) for cls in (Heading, Field, TextLine, Item, Paragraph, BulletList)
}


def _paired(nodes: tuple[Any, ...], data: Any, path: str) -> zip[tuple[Any, Any]]:
    """The nodes with their entries in ``data`` (an array of as many), in order."""
    entries = _list(data, path)
    if len(entries) != len(nodes):
        raise DataError(path, f"{len(entries)} entries for {len(nodes)} in the article")
    return zip(nodes, entries, strict=True)


class _Trivia:
    """Puts the ``"trivia"`` members of the data back into canonical nodes.

    The data may be complete (``from_dict``) or a skeleton holding only the
    "trivia" members and the lists that lead to them (the wikitext trivia
    comment): a missing member leaves its nodes as they are, a list that is
    there must have one entry per node.  ``keeps_lines`` stays true while
    every value applied certainly keeps the lines' kinds (see _verdict).
    """

    def __init__(self) -> None:
        self.keeps_lines = True

    def apply(self, node: Node, trivia: Any, where: str | tuple[str, str, int]) -> Any:
        """``node`` with the whitespace of ``trivia`` (the "trivia" member found
        at ``where``: a path, or a block's path, a member name and an index)."""
        if trivia is None:
            return node
        if type(trivia) is dict:
            # The usual values (CRLF, spaces after a line) in one test each.
            try:
                usual = trivia.items() <= _USUAL and trivia.keys() <= _TRIVIA_NAMES[type(node)]
            except (TypeError, KeyError):  # a list in the trivia, a user's node class
                usual = False
            if usual:
                return replace_unchecked(node, **trivia) if trivia else node
        if isinstance(where, tuple):
            where = f"{where[0]}.trivia.{where[1]}[{where[2]}]"
        trivia = _obj(trivia, where)
        changes: dict[str, Any] = {}
        for name in node.TRIVIA:
            if name in trivia:
                value = trivia[name]
                verdict = _verdict(name, value) if isinstance(value, str) else None
                if verdict is None:
                    raise DataError(f"{where}.{name}", f"not valid whitespace here: {value!r}")
                if verdict and (verdict == _UNCERTAIN or (value == "") != (getattr(node, name) == "")):
                    self.keeps_lines = False
                changes[name] = value
        return replace_unchecked(node, **changes) if changes else node

    def article(self, article: Article, data: dict[str, Any]) -> Article:
        article = self.apply(article, data.get("trivia"), "trivia")
        title = article.title
        top = data.get("trivia")
        if title is not None and isinstance(top, dict):
            title = self.apply(title, top.get("title"), "trivia.title")
        infobox = article.infobox
        box = data.get("infobox")
        if infobox is not None and isinstance(box, dict):
            fields = infobox.fields
            if "fields" in box:
                fields = tuple(
                    self.apply(f, _obj(fd, f"infobox.fields[{i}]").get("trivia"), f"infobox.fields[{i}].trivia")
                    for i, (f, fd) in enumerate(_paired(infobox.fields, box["fields"], "infobox.fields"))
                )
            infobox = self.apply(infobox, box.get("trivia"), "infobox.trivia")
            if fields is not infobox.fields:
                infobox = replace_unchecked(infobox, fields=fields)
        lead = article.lead
        if "lead" in data:
            lead = self.blocks(lead, data["lead"], "lead")
        sections = article.sections
        if "sections" in data:
            sections = self.sections(sections, data["sections"], "sections")
        return replace_unchecked(article, title=title, infobox=infobox, lead=lead, sections=sections)

    def blocks(self, blocks: tuple[Block, ...], data: list[Any], path: str) -> tuple[Block, ...]:
        out: list[Block] = []
        for i, (block, bd) in enumerate(_paired(blocks, data, path)):
            if bd == {}:  # most blocks of a skeleton
                out.append(block)
                continue
            p = f"{path}[{i}]"
            trivia = _obj(bd, p).get("trivia")
            new = self.apply(block, trivia, f"{p}.trivia")
            if isinstance(trivia, dict):
                # a paragraph's lines or a list's items, each with its own trivia
                name = "lines" if isinstance(new, Paragraph) else "items"
                if isinstance(trivia.get(name), list):
                    parts = getattr(new, name)
                    applied = tuple(
                        [
                            self.apply(part, t, (p, name, j))
                            for j, (part, t) in enumerate(zip(parts, trivia[name], strict=False))
                        ]
                    )
                    new = replace_unchecked(new, **{name: applied + parts[len(applied) :]})
            out.append(new)
        if all(new is old for new, old in zip(out, blocks, strict=True)):
            return blocks  # (so that a section none of whose blocks changed is kept as it is)
        return tuple(out)

    def sections(self, sections: tuple[Section, ...], data: list[Any], path: str) -> tuple[Section, ...]:
        out = []
        for i, (section, sd) in enumerate(_paired(sections, data, path)):
            p = f"{path}[{i}]"
            sd = _obj(sd, p)
            heading: Heading = self.apply(section.heading, sd.get("trivia"), f"{p}.trivia")
            blocks = section.blocks
            if "blocks" in sd:
                blocks = self.blocks(blocks, sd["blocks"], f"{p}.blocks")
            subsections = section.sections
            if "sections" in sd:
                subsections = self.sections(subsections, sd["sections"], f"{p}.sections")
            if heading is section.heading and blocks is section.blocks and subsections is section.sections:
                out.append(section)  # (a section whose whitespace is all canonical: most of them)
            else:
                out.append(replace_unchecked(section, heading=heading, blocks=blocks, sections=subsections))
        return tuple(out)
