"""The typed syntax tree of a plain article.

Every node is a frozen, slotted dataclass.  Each byte of the source lives in
exactly one field of one node: the *meaning* fields (``key``, ``value``,
``title``, ``text`` ...) hold stripped text, and the *trivia* fields
(``pad``, ``trailing``, ``newline``, ``blank_after`` ...) hold the whitespace
around it.  ``as_string()`` (also ``str(node)``) concatenates them back into
the exact source text; ``unwrap()`` returns the meaning as plain Python data.

Trivia defaults are the canonical spelling, so nodes built by hand
(``Field(key="Place", value="Mali")``) serialize in canonical form.

Nodes are immutable: edits make new nodes (``node.replace(...)``,
``Infobox.set``, ``Section.renamed``, ``Article.deep_replace``) and leave
every byte that the edit does not concern as it was.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, NoReturn, TypeAlias, TypeVar

from ._construct import copier, unchecked
from ._lines import (
    BOM,
    BULLET_LIST,
    CANONICAL_HEADING,
    HEADING,
    INFOBOX,
    WHITESPACE,
    heading_level,
    is_heading_title,
    is_infobox,
    is_item,
    misread_kind,
    split_newline,
)

__all__ = [
    "Article",
    "Block",
    "BulletList",
    "Field",
    "Heading",
    "Infobox",
    "Item",
    "Node",
    "Paragraph",
    "Position",
    "Section",
    "Span",
    "TextLine",
]

#: The version of the JSON shape ``unwrap()`` gives an article (``to_dict``,
#: ``article.schema.json``, dump records): the one place it is written in code.
SCHEMA_VERSION = 1

_N = TypeVar("_N", bound="Node")

#: The line endings a line may have ("" only at the end of the text).
NEWLINES = ("\n", "\r\n", "")
#: What may end a line's text as trivia (a CR before "\n" ends it as "\r\n").
_LINE_TRIVIA = frozenset(WHITESPACE)
_BLANK_LINES = re.compile(r"(?:[ \t\r]*\n)*[ \t\r]*")


@dataclass(frozen=True, slots=True)
class Position:
    """A place in the source: 1-based line and column, 0-based offset (in code points)."""

    line: int
    column: int
    offset: int


@dataclass(frozen=True, slots=True)
class Span:
    """The source range a node was parsed from; ``end`` is exclusive."""

    start: Position
    end: Position


def _check_line(text: str, what: str) -> None:
    """Reject text that would break the line structure of the article."""
    if "\n" in text:
        raise ValueError(f"{what} must not contain a line break: {text!r}")


# -- validation: what makes a node serialize to itself --------------------------
# A node is valid when its text reads back (by the parser's own line rules,
# below) as the same kind of node with the same meaning.  Whitespace may read
# back owned by a neighbouring field (Field(key="k", value="") writes "- k: "
# whose last space reads back as trailing, not after_colon): the text and the
# meaning are the same, so such a node is accepted.


def _fail(node: Node, name: str, problem: str) -> NoReturn:
    value = getattr(node, name)
    if value is None or isinstance(value, str | int):
        raise ValueError(f"{type(node).__name__}.{name} {problem}: {value!r}")
    raise ValueError(f"{type(node).__name__}.{name} {problem}")  # nodes: their repr would drown the message


def _strings(node: Node, *names: str) -> None:
    """Each field a str on one line."""
    for name in names:
        value = getattr(node, name)
        if type(value) is not str:
            _fail(node, name, f"must be a str, not {type(value).__name__}")
        if "\n" in value:
            _fail(node, name, "must not contain a line break")


def _spaces(node: Node, *names: str) -> None:
    """Each field a str of spaces, tabs and CRs only (trivia within a line)."""
    _strings(node, *names)
    for name in names:
        if getattr(node, name).strip(WHITESPACE):
            _fail(node, name, "must hold only spaces, tabs and carriage returns")


def _line_end(node: Heading | Field | Infobox | TextLine | Item) -> None:
    if node.newline not in NEWLINES:
        _fail(node, "newline", "must be '\\n', '\\r\\n' or '' (the end of the text)")


def _blank_lines(node: Node, name: str, ended: bool) -> None:
    """A field of whole blank lines; only at the end of the text may the last
    lack its line end, and nothing may follow a line that has none (``ended``)."""
    value = getattr(node, name)
    if type(value) is not str or not _BLANK_LINES.fullmatch(value):
        _fail(node, name, "must be blank lines (spaces, tabs and CRs, each line ended by '\\n')")
    if value and not ended:
        _fail(node, name, "must be empty after a line with no line end")


def _members(node: Node, name: str, kinds: type | tuple[type, ...], *, empty: bool) -> tuple[Any, ...]:
    value = getattr(node, name)
    if type(value) is not tuple or not all(isinstance(v, kinds) for v in value):
        names = " or ".join(k.__name__ for k in (kinds if isinstance(kinds, tuple) else (kinds,)))
        _fail(node, name, f"must be a tuple of {names}")
    if not value and not empty:
        _fail(node, name, "must not be empty")
    return value


def _ends_lines(node: Node, name: str, lines: tuple[Any, ...]) -> None:
    """Every line but the last has a line end (else it would join the next)."""
    if any(not line.newline for line in lines[:-1]):
        _fail(node, name, "must have a line end on every line but the last")


_KIND_NAMES = {HEADING: "a heading", BULLET_LIST: "a list item", INFOBOX: "an Infobox line"}


def _dash_line(node: Field | Item, pad_problem: str) -> str:
    """The text of a field or item line, checked to read as a ``- ...`` line."""
    if node.marker != "-":
        _fail(node, "marker", "must be '-'")
    _line_end(node)
    line = node.as_string()
    if not is_item(split_newline(line)[0].rstrip(WHITESPACE)):
        _fail(node, "pad", "must be a space or tab " + pad_problem)
    return line


def _ended(text: str) -> bool:
    return text.endswith("\n")


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """Base class of all nodes."""

    #: ``(offset, line)`` where the node starts in the text it was parsed from;
    #: ``None`` for nodes built by hand.  See :attr:`span`.
    loc: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    #: Names of the fields that hold whitespace only (exported by ``to_dict(trivia=True)``).
    TRIVIA: ClassVar[tuple[str, ...]] = ()

    @property
    def span(self) -> Span | None:
        """The source range of the node: start and (exclusive) end, each with line,
        column and offset; ``None`` for nodes built by hand.

        Positions refer to the text the node was parsed from (computed on
        demand, so parsing stays fast); they go stale after edits.  Columns
        count code points from 1; a byte order mark takes no column.
        """
        if self.loc is None:
            return None
        offset, line = self.loc
        text = self.as_string()
        breaks = text.count("\n")
        end_column = len(text) - text.rfind("\n")  # 1 after a final newline
        return Span(Position(line, 1, offset), Position(line + breaks, end_column, offset + len(text)))

    def as_string(self) -> str:
        """The exact source text of this node (the concatenation of its fields)."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.as_string()

    def unwrap(self) -> Any:
        """The meaning of this node as plain Python data (what JSON exports)."""
        raise NotImplementedError

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:
        """Raise ValueError, naming the field, when this node could not
        serialize to itself: its text would read back as other nodes or
        another meaning (LibCST's ``_validate``)."""

    def replace(self: _N, **changes: Any) -> _N:
        """A copy of this node with some fields changed (like LibCST's ``with_changes``),
        validated like a node built by keyword."""
        copy = _COPIERS.get(type(self))
        if copy is None:  # a user's subclass may add fields: the general way (validated by __post_init__)
            return dataclasses.replace(self, **changes)
        node: _N = copy(self, changes)
        node._validate()
        return node

    def trivia(self) -> dict[str, str]:
        """This node's whitespace fields, by name."""
        return {name: getattr(self, name) for name in self.TRIVIA}


@dataclass(frozen=True, slots=True, kw_only=True)
class Heading(Node):
    """A heading line such as ``== Prelude ==`` (level 1 is the article title).

    The runs of ``=`` are ``"=" * level`` on both sides; where the source runs
    were unequal, the extra ``=`` are part of ``title`` (MediaWiki's rule).
    """

    #: 1 (title) to 6.
    level: int = 2
    #: The heading text, without surrounding whitespace.
    title: str = ""
    #: Whitespace between the opening ``=`` run and the title.
    pad_before: str = " "
    #: Whitespace between the title and the closing ``=`` run.
    pad_after: str = " "
    #: Whitespace after the closing ``=`` run.
    trailing: str = ""
    #: The line ending: ``"\n"``, ``"\r\n"`` or ``""`` at the end of input.
    newline: str = "\n"
    #: Blank lines that follow the heading (each with its newline).
    blank_after: str = ""

    TRIVIA = ("pad_before", "pad_after", "trailing", "newline", "blank_after")

    def _validate(self) -> None:
        if type(self.level) is not int or not 1 <= self.level <= 6:
            _fail(self, "level", "must be an int from 1 to 6")
        _strings(self, "title")
        _spaces(self, "pad_before", "pad_after", "trailing")
        _line_end(self)
        _blank_lines(self, "blank_after", bool(self.newline))
        text = self.as_string()
        line = text[: len(text) - len(self.blank_after)]
        body = split_newline(line)[0].rstrip(WHITESPACE)
        if not heading_level(body):
            _fail(self, "title", "must hold a character other than '=' and spaces (else the line is text)")
        again = heading_from_line(line, None, "")
        if (again.level, again.title) != (self.level, self.title):
            _fail(self, "title", f"would read back as level {again.level}, title {again.title!r}")

    def as_string(self) -> str:
        marks = "=" * self.level
        line = f"{marks}{self.pad_before}{self.title}{self.pad_after}{marks}"
        return f"{line}{self.trailing}{self.newline}{self.blank_after}"

    def unwrap(self) -> str:
        return self.title


@dataclass(frozen=True, slots=True, kw_only=True)
class Field(Node):
    """An infobox field line ``- Key: Value``.

    ``value`` is ``None`` for a malformed field line that has no ``:`` at all.
    """

    key: str = ""
    value: str | None = ""
    #: The dash that starts the line (always ``"-"``; kept so every byte has an owner).
    marker: str = "-"
    #: Whitespace between the dash and the key.
    pad: str = " "
    #: Whitespace between the key and the colon.
    before_colon: str = ""
    #: Whitespace between the colon and the value.
    after_colon: str = " "
    #: Whitespace at the end of the line.
    trailing: str = ""
    newline: str = "\n"

    TRIVIA = ("pad", "before_colon", "after_colon", "trailing", "newline")

    def _validate(self) -> None:
        _strings(self, "key")
        if self.value is not None:
            _strings(self, "value")
        _spaces(self, "pad", "before_colon", "after_colon", "trailing")
        again = field_from_line(_dash_line(self, "before a key (else the line is not a field line)"))
        for name in ("key", "value"):
            if getattr(again, name) != getattr(self, name):
                _fail(self, name, f"would read back as {getattr(again, name)!r}")

    def as_string(self) -> str:
        value = "" if self.value is None else f"{self.before_colon}:{self.after_colon}{self.value}"
        return f"{self.marker}{self.pad}{self.key}{value}{self.trailing}{self.newline}"

    def unwrap(self) -> dict[str, str | None]:
        return {"key": self.key, "value": self.value}

    def with_value(self, value: str) -> Field:
        """This field with another value, keeping its spacing."""
        _check_line(value, "a field value")
        value = value.strip(WHITESPACE)
        after = self.after_colon if self.after_colon or not value else " "
        return dataclasses.replace(self, value=value, after_colon=after if value else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class Infobox(Node):
    """The ``Infobox [type]`` line and the field lines under it."""

    #: ``"military conflict"`` for ``Infobox military conflict``; ``None`` for a bare ``Infobox``.
    type_name: str | None = None
    fields: tuple[Field, ...] = ()
    #: Whitespace between ``Infobox`` and the type name.
    pad: str = " "
    #: Whitespace at the end of the ``Infobox`` line.
    trailing: str = ""
    newline: str = "\n"
    blank_after: str = ""

    TRIVIA = ("pad", "trailing", "newline", "blank_after")

    def _validate(self) -> None:
        if self.type_name is not None:
            _strings(self, "type_name")
        _spaces(self, "pad", "trailing")
        _line_end(self)
        fields = _members(self, "fields", Field, empty=True)
        _ends_lines(self, "fields", fields)
        if fields and not self.newline:
            _fail(self, "newline", "must end the Infobox line when field lines follow")
        type_name = "" if self.type_name is None else self.pad + self.type_name
        again = infobox_from_line("Infobox" + type_name + self.trailing + self.newline, (), "", None)
        if again is None:
            _fail(self, "pad", "must be a space or tab before the type name (else the line is not an Infobox line)")
        if again.type_name != self.type_name:
            _fail(self, "type_name", f"would read back as {again.type_name!r}")
        _blank_lines(self, "blank_after", bool(fields[-1].newline if fields else self.newline))

    def as_string(self) -> str:
        type_name = "" if self.type_name is None else self.pad + self.type_name
        fields = "".join([f.as_string() for f in self.fields])
        return f"Infobox{type_name}{self.trailing}{self.newline}{fields}{self.blank_after}"

    def unwrap(self) -> dict[str, Any]:
        return {"type": self.type_name, "fields": [f.unwrap() for f in self.fields]}

    # -- reading ---------------------------------------------------------
    def field(self, key: str) -> Field | None:
        """The first field with this key (compared after stripping), or ``None``."""
        for f in self.fields:
            if f.key == key:
                return f
        return None

    def __getitem__(self, key: str) -> str | None:
        f = self.field(key)
        if f is None:
            raise KeyError(key)
        return f.value

    def __contains__(self, key: object) -> bool:
        return any(f.key == key for f in self.fields)

    def get(self, key: str, default: str | None = None) -> str | None:
        f = self.field(key)
        return default if f is None else f.value

    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    # -- editing ---------------------------------------------------------
    def set(self, key: str, value: str) -> Infobox:
        """This infobox with ``key`` set to ``value``.

        An existing field keeps its spacing; a new field is appended in the
        style of the last field (its spacing and line ending).
        """
        _check_line(key, "a field key")
        if ":" in key:
            raise ValueError(f"a field key must not contain ':': {key!r}")
        key = key.strip(WHITESPACE)
        fields = list(self.fields)
        for i, f in enumerate(fields):
            if f.key == key:
                fields[i] = f.with_value(value)
                return dataclasses.replace(self, fields=tuple(fields))
        model = fields[-1] if fields else Field()
        # The spacing after ':' is copied from the last field that has a value
        # (an empty value has none to copy).
        style = next((f for f in reversed(fields) if f.value), Field())
        _check_line(value, "a field value")
        value = value.strip(WHITESPACE)
        # (With fields, the Infobox line has a line end.)
        newline = next((f.newline for f in reversed(fields) if f.newline), self.newline)
        new = dataclasses.replace(
            model,
            key=key,
            value=value,
            after_colon=style.after_colon if value else "",
            before_colon=style.before_colon,
            loc=None,
        )
        if fields and not fields[-1].newline:
            # The last line ended the input; it now needs a line break, and the
            # new field inherits the "no final newline" instead.
            fields[-1] = dataclasses.replace(fields[-1], newline=newline)
            return dataclasses.replace(self, fields=(*fields, new))  # new copied the missing line end
        if not fields and not self.newline:
            new = dataclasses.replace(new, newline="")
            return dataclasses.replace(self, fields=(new,), newline="\n")
        new = dataclasses.replace(new, newline=newline)
        return dataclasses.replace(self, fields=(*fields, new))

    def remove(self, key: str) -> Infobox:
        """This infobox without the fields whose key is ``key`` (KeyError if none)."""
        kept = tuple(f for f in self.fields if f.key != key)
        if len(kept) == len(self.fields):
            raise KeyError(key)
        return dataclasses.replace(self, fields=kept)


@dataclass(frozen=True, slots=True, kw_only=True)
class TextLine(Node):
    """One line of a paragraph.  Leading whitespace is part of ``text``."""

    text: str = ""
    trailing: str = ""
    newline: str = "\n"

    TRIVIA = ("trailing", "newline")

    def _validate(self) -> None:
        _strings(self, "text")
        _spaces(self, "trailing")
        _line_end(self)
        if not self.text.strip(WHITESPACE):
            _fail(self, "text", "must not be blank (a blank line ends a paragraph)")
        kind = misread_kind(self.text, True)
        if kind is not None:
            _fail(self, "text", f"would read as {_KIND_NAMES.get(kind, kind)}, not text")
        if text_line_from_line(self.as_string()).text != self.text:
            _fail(self, "text", "must not end with spaces, tabs or carriage returns (they are trailing)")

    def as_string(self) -> str:
        return self.text + self.trailing + self.newline

    def unwrap(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph(Node):
    """A run of text lines; ``text`` joins them with ``\\n``."""

    lines: tuple[TextLine, ...] = ()
    blank_after: str = ""

    TRIVIA = ("blank_after",)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def _validate(self) -> None:
        lines = _members(self, "lines", TextLine, empty=False)
        _ends_lines(self, "lines", lines)
        _blank_lines(self, "blank_after", bool(lines[-1].newline))

    def as_string(self) -> str:
        return "".join([line.text + line.trailing + line.newline for line in self.lines]) + self.blank_after

    def unwrap(self) -> dict[str, str]:
        return {"type": "paragraph", "text": self.text}


@dataclass(frozen=True, slots=True, kw_only=True)
class Item(Node):
    """A bullet list line ``- item``."""

    text: str = ""
    marker: str = "-"
    #: Whitespace between the dash and the text.
    pad: str = " "
    trailing: str = ""
    newline: str = "\n"

    TRIVIA = ("pad", "trailing", "newline")

    def _validate(self) -> None:
        _strings(self, "text")
        _spaces(self, "pad", "trailing")
        again = item_from_line(_dash_line(self, "before the text (else the line is not an item)"))
        if again.text != self.text:
            _fail(self, "text", f"would read back as {again.text!r}")

    def as_string(self) -> str:
        return self.marker + self.pad + self.text + self.trailing + self.newline

    def unwrap(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class BulletList(Node):
    """Consecutive ``- item`` lines outside the infobox."""

    items: tuple[Item, ...] = ()
    blank_after: str = ""

    TRIVIA = ("blank_after",)

    def _validate(self) -> None:
        items = _members(self, "items", Item, empty=False)
        _ends_lines(self, "items", items)
        _blank_lines(self, "blank_after", bool(items[-1].newline))

    def as_string(self) -> str:
        return "".join([item.as_string() for item in self.items]) + self.blank_after

    def unwrap(self) -> dict[str, Any]:
        return {"type": "list", "items": [item.text for item in self.items]}


Block: TypeAlias = Paragraph | BulletList


@dataclass(frozen=True, slots=True, kw_only=True)
class Section(Node):
    """A heading, the blocks under it, and its deeper sections."""

    heading: Heading
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()

    @property
    def title(self) -> str:
        return self.heading.title

    @property
    def level(self) -> int:
        return self.heading.level

    def _validate(self) -> None:
        if not isinstance(self.heading, Heading):
            _fail(self, "heading", "must be a Heading")
        blocks = _members(self, "blocks", (Paragraph, BulletList), empty=True)
        sections = _members(self, "sections", Section, empty=True)
        if any(s.heading.level <= self.heading.level for s in sections):
            _fail(self, "sections", f"must have headings deeper than level {self.heading.level}")
        _siblings(self, sections)
        _sequence(self, "blocks", [self.heading, *blocks, *sections])

    def as_string(self) -> str:
        return (
            self.heading.as_string()
            + "".join([block.as_string() for block in self.blocks])
            + "".join([section.as_string() for section in self.sections])
        )

    def unwrap(self) -> dict[str, Any]:
        return {
            "title": self.heading.title,
            "level": self.heading.level,
            "blocks": [b.unwrap() for b in self.blocks],
            "sections": [s.unwrap() for s in self.sections],
        }

    def renamed(self, title: str) -> Section:
        """This section with another heading text, keeping the heading's spacing."""
        _check_line(title, "a section title")
        title = title.strip(WHITESPACE)
        if not is_heading_title(title):
            raise ValueError(f"a section title needs a character other than '=' and spaces: {title!r}")
        return dataclasses.replace(self, heading=dataclasses.replace(self.heading, title=title))

    def walk(self) -> Iterator[Section]:
        """This section and all sections below it, in document order."""
        yield self
        for s in self.sections:
            yield from s.walk()


@dataclass(frozen=True, slots=True, kw_only=True)
class Article(Node):
    """A whole plain article."""

    #: The ``= Title =`` line, when the article starts with one.
    title: Heading | None = None
    infobox: Infobox | None = None
    #: Blocks before the first section heading.
    lead: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    #: A UTF-8 byte order mark at the very start, kept verbatim.
    bom: str = ""
    #: Blank lines before the first line with text.
    leading_blank: str = ""

    TRIVIA = ("bom", "leading_blank")

    def _validate(self) -> None:
        if self.bom not in ("", BOM):
            _fail(self, "bom", "must be '' or a byte order mark")
        if not self.bom and not self.leading_blank and self.as_string().startswith(BOM):
            _fail(self, "bom", "must be a byte order mark before text that starts with U+FEFF (else it reads as one)")
        _blank_lines(self, "leading_blank", True)
        if self.title is not None and not (isinstance(self.title, Heading) and self.title.level == 1):
            _fail(self, "title", "must be a Heading of level 1")
        if self.infobox is not None and not isinstance(self.infobox, Infobox):
            _fail(self, "infobox", "must be an Infobox")
        lead = _members(self, "lead", (Paragraph, BulletList), empty=True)
        sections = _members(self, "sections", Section, empty=True)
        parts: list[Node] = [*filter(None, [self.title, self.infobox]), *lead, *sections]
        first = parts[0] if parts else None
        if self.leading_blank and first is not None and not _ended(self.leading_blank):
            _fail(self, "leading_blank", "must end with a line end before the text")
        if self.infobox is None and lead and isinstance(lead[0], Paragraph) and is_infobox(lead[0].lines[0].text):
            _fail(self, "lead", "must not start with an Infobox line where there is no infobox (it would be one)")
        top: Section | None = sections[0] if sections else None
        if self.title is None and top is not None and top.level == 1 and first is top:
            _fail(self, "sections", "must not start with a level-1 heading where there is no title (it is the title)")
        _siblings(self, sections)
        _sequence(self, "lead", parts)

    def as_string(self) -> str:
        return "".join(
            [
                self.bom,
                self.leading_blank,
                "" if self.title is None else self.title.as_string(),
                "" if self.infobox is None else self.infobox.as_string(),
                *[block.as_string() for block in self.lead],
                *[section.as_string() for section in self.sections],
            ]
        )

    def unwrap(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "title": None if self.title is None else self.title.title,
            "infobox": None if self.infobox is None else self.infobox.unwrap(),
            "lead": [b.unwrap() for b in self.lead],
            "sections": [s.unwrap() for s in self.sections],
        }

    def walk_sections(self) -> Iterator[Section]:
        """Every section at every depth, in document order."""
        for s in self.sections:
            yield from s.walk()

    def section(self, title: str) -> Section | None:
        """The first section (at any depth) with this title, or ``None``."""
        return next((s for s in self.walk_sections() if s.title == title), None)

    def deep_replace(self, old: Node, new: Node) -> Article:
        """This article with the node ``old`` (found by identity) replaced by ``new``."""
        result = _replace_in(self, old, new)
        if result is self:
            raise ValueError("the node to replace is not part of this article")
        assert isinstance(result, Article)
        return result


def _sequence(node: Node, name: str, parts: list[Node]) -> None:
    """Nodes that follow each other in the text read back as themselves: each
    but the last ends with a line end, two paragraphs (or two lists, or an
    infobox and a list) are parted by a blank line, else they would merge."""
    for before, after in itertools.pairwise(parts):
        # (the part's own text ends as its last line's owner's does: a section
        # is not written out whole for each level it is checked at)
        last = _last_owner(before)
        if not _ended(last.as_string()):
            _fail(node, name, f"must not follow a {type(before).__name__} whose last line has no line end")
        if not getattr(last, "blank_after", "") and _merge(before, after):
            _fail(node, name, f"must part a {type(before).__name__} and a {type(after).__name__} with a blank line")


def _siblings(node: Node, sections: tuple[Section, ...]) -> None:
    """A section after a sibling of a lower level (``==`` then ``===``) would read as nested in it."""
    for before, after in itertools.pairwise(sections):
        if after.level > before.level:
            problem = f"must not follow a level-{before.level} section with a level-{after.level} sibling"
            _fail(node, "sections", problem)


def _last_owner(node: Node) -> Node:
    """The node that owns the last line of ``node``'s text (a section's deepest last block or heading)."""
    while isinstance(node, Section):
        node = node.sections[-1] if node.sections else node.blocks[-1] if node.blocks else node.heading
    return node


def _merge(before: Node, after: Node) -> bool:
    """Whether ``after``, right after ``before`` with no blank line, would be read as part of it."""
    if isinstance(before, Section):
        return False  # a section ends where the next heading starts
    if isinstance(after, Paragraph):
        return isinstance(before, Paragraph)
    if isinstance(after, BulletList):
        return isinstance(before, BulletList | Infobox)
    return False


def check_tree(node: Node) -> None:
    """Validate ``node`` and every node under it, as building each by keyword
    would (ValueError naming the node and the field): for trees built without
    validation from data a user gave (``from_dict`` with trivia, the wikitext
    trivia comment)."""
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, Node):
            check_tree(value)
        elif type(value) is tuple:
            for child in value:
                if isinstance(child, Node):
                    check_tree(child)
    node._validate()


def _replace_in(node: Node, old: Node, new: Node) -> Node:
    """Rebuild the path from ``node`` down to ``old``; untouched subtrees are shared."""
    if node is old:
        return new
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, Node):
            replaced = _replace_in(value, old, new)
            if replaced is not value:
                changes[f.name] = replaced
        elif isinstance(value, tuple) and value and isinstance(value[0], Node):
            items = tuple(_replace_in(v, old, new) for v in value)
            if any(map(operator.is_not, items, value)):
                changes[f.name] = items
    return dataclasses.replace(node, **changes) if changes else node


# -- building nodes fast, and reading one line into its node ----------------------
# The parser, the readers and the canonical builders build nodes with these
# unchecked constructors (see _construct): their nodes are valid by
# construction, and validation is what users' nodes get.

_COPIERS: dict[type[Node], Any] = {
    cls: copier(cls) for cls in (Heading, Field, Infobox, TextLine, Paragraph, Item, BulletList, Section, Article)
}

new_heading = unchecked(Heading)
new_field = unchecked(Field)
new_infobox = unchecked(Infobox)
new_text_line = unchecked(TextLine)
new_paragraph = unchecked(Paragraph)
new_item = unchecked(Item)
new_bullet_list = unchecked(BulletList)
new_section = unchecked(Section)
new_article = unchecked(Article)


def replace_unchecked(node: _N, **changes: Any) -> _N:
    """``node.replace(**changes)`` without validation, for code whose changes
    are valid by construction (the trivia of a reader's nodes)."""
    result: _N = _COPIERS[type(node)](node, changes)
    return result


def heading_from_line(
    line: str, loc: tuple[int, int] | None, blank_after: str, canonical: re.Match[str] | None = None
) -> Heading:
    """The heading of a line (with its line end) that reads as one;
    ``canonical`` is the line's match of ``CANONICAL_HEADING`` when the
    caller has it (the lexer's ``Run.heading``)."""
    if canonical is None and line[-1:] == "\n":
        canonical = CANONICAL_HEADING(line, 0, len(line) - 1)
    if canonical is not None:  # most headings: the trivia is the canonical one
        return new_heading(level=len(canonical[1]), title=canonical[2], blank_after=blank_after, loc=loc)
    return _heading_of_any_line(line, loc, blank_after)


def _heading_of_any_line(line: str, loc: tuple[int, int] | None, blank_after: str) -> Heading:
    """:func:`heading_from_line` of any spelling of a heading line."""
    content, newline = split_newline(line)
    body = content.rstrip(WHITESPACE)
    # heading_level(body) of a line the lexer found to be a heading: only the runs of "=" to measure.
    size = len(body)
    level = min(size - len(body.lstrip("=")), size - len(body.rstrip("=")), 6)
    inner = body[level : size - level]
    rest = inner.lstrip(WHITESPACE)
    title = rest.rstrip(WHITESPACE)
    return new_heading(
        level=level,
        title=title,
        pad_before=inner[: len(inner) - len(rest)],
        pad_after=rest[len(title) :],
        trailing=content[size:],
        newline=newline,
        blank_after=blank_after,
        loc=loc,
    )


def _marker_line(line: str) -> tuple[str, str, str, str]:
    """``(pad, core, trailing, newline)`` of a ``- ...`` line."""
    content, newline = split_newline(line)
    rest = content[1:]
    body = rest.rstrip(WHITESPACE)
    core = body.lstrip(WHITESPACE)
    return body[: len(body) - len(core)], core, rest[len(body) :], newline


def field_from_line(line: str, loc: tuple[int, int] | None = None) -> Field:
    """The field of a ``- Key: Value`` line (with its line end)."""
    pad, core, trailing, newline = _marker_line(line)
    colon = core.find(":")
    if colon < 0:  # a malformed field: the whole line is its key
        return new_field(
            key=core, value=None, pad=pad, before_colon="", after_colon="", trailing=trailing, newline=newline, loc=loc
        )
    key_raw, value_raw = core[:colon], core[colon + 1 :]
    key = key_raw.rstrip(WHITESPACE)
    value = value_raw.lstrip(WHITESPACE)
    after = value_raw[: len(value_raw) - len(value)]
    return new_field(
        key=key,
        value=value,
        pad=pad,
        before_colon=key_raw[len(key) :],
        after_colon=after,
        trailing=trailing,
        newline=newline,
        loc=loc,
    )


def item_from_line(line: str, loc: tuple[int, int] | None = None) -> Item:
    """The item of a ``- text`` line (with its line end)."""
    pad, core, trailing, newline = _marker_line(line)
    return new_item(text=core, pad=pad, trailing=trailing, newline=newline, loc=loc)


def text_line_from_line(line: str, loc: tuple[int, int] | None = None) -> TextLine:
    """The text line of a paragraph line (with its line end)."""
    if line[-1:] == "\n" and line[-2:-1] not in _LINE_TRIVIA:  # most lines: no trailing whitespace to part
        return new_text_line(text=line[:-1], loc=loc)  # (the defaults: no trailing whitespace, "\n")
    text, trailing, newline = _parts_of_any_line(line)
    return new_text_line(text=text, trailing=trailing, newline=newline, loc=loc)


def text_line_parts(line: str) -> tuple[str, str, str]:
    """``(text, trailing, newline)`` of a paragraph line (with its line end):
    the fields of its :class:`TextLine`."""
    if line[-1:] == "\n" and line[-2:-1] not in _LINE_TRIVIA:  # most lines
        return line[:-1], "", "\n"
    if line[-2:] == "\r\n" and line[-3:-2] not in _LINE_TRIVIA:  # most lines of a CRLF file
        return line[:-2], "", "\r\n"
    return _parts_of_any_line(line)


def _parts_of_any_line(line: str) -> tuple[str, str, str]:
    """:func:`text_line_parts` of any line, without its shortcuts."""
    content, newline = split_newline(line)
    text = content.rstrip(WHITESPACE)
    return text, content[len(text) :], newline


def infobox_from_line(
    line: str, fields: tuple[Field, ...], blank_after: str, loc: tuple[int, int] | None
) -> Infobox | None:
    """The infobox of an ``Infobox [type]`` line (with its line end) and its
    fields; None when the line is not an Infobox line."""
    content, newline = split_newline(line)
    body = content.rstrip(WHITESPACE)
    if not is_infobox(body):
        return None
    after = body[7:]  # after the word "Infobox"
    pad = after[: len(after) - len(after.lstrip(WHITESPACE))]
    return new_infobox(
        type_name=after[len(pad) :] or None,
        fields=fields,
        pad=pad,
        trailing=content[len(body) :],
        newline=newline,
        blank_after=blank_after,
        loc=loc,
    )
