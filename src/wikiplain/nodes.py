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
import inspect
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias, TypeVar

from ._lines import WHITESPACE, is_heading_title

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


_T = TypeVar("_T")


def _slot_setters(cls: type[Any]) -> tuple[tuple[dataclasses.Field[Any], ...], dict[str, Any]]:
    """The dataclass fields of ``cls`` and a namespace for code written for it:
    ``_set_<name>`` (each slot's own setter), ``_cls`` and ``_unfrozen``."""
    fields = dataclasses.fields(cls)
    namespace: dict[str, Any] = {f"_set_{f.name}": inspect.getattr_static(cls, f.name).__set__ for f in fields}
    namespace.update(_cls=cls, _unfrozen=_unfrozen_twin(cls))
    return fields, namespace


def _unfrozen_twin(cls: type[Any]) -> type[Any]:
    """A private subclass of a frozen node class with the same slots but plain
    attribute assignment, for building new nodes fast.

    A frozen dataclass overrides ``__setattr__``, which makes every field
    store a call.  Code that builds a node allocates the twin, stores the
    fields as plain slot assignments (which CPython runs without a call) and
    then sets ``__class__`` to the frozen class: the layouts are identical, so
    the object is from then on an ordinary frozen node (``type(node) is cls``).
    The twin itself never leaves the function that builds the node.  This
    halves the cost of a node, and reading wikitext builds one per line.
    """
    twin = _TWINS.get(cls)
    if twin is None:
        # object's own __init__: calling the twin then allocates without running
        # Python code, faster than object.__new__(twin).
        namespace = {
            "__slots__": (),
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            "__init__": object.__init__,
        }
        twin = _TWINS[cls] = type(f"_Unfrozen{cls.__name__}", (cls,), namespace)
    return twin


_TWINS: dict[type[Any], type[Any]] = {}


def _fast_init(cls: type[_T]) -> type[_T]:
    """Give a frozen, slotted dataclass a faster ``__init__`` with the same
    signature, and ``Node.replace`` a fast copy.

    The ``__init__`` that ``dataclass(frozen=True)`` writes sets each field with
    ``object.__setattr__(self, name, value)``, a generic attribute lookup per
    field; calling each slot's own setter does the same thing in half the time.
    (``type.__call__`` has already made a frozen instance here, so the
    unfrozen twin of :func:`builder` cannot be used.)  Fields, defaults and
    keyword-only parameters are those of the dataclass; the class stays frozen
    (assignment still raises).
    """
    fields, namespace = _slot_setters(cls)
    params: list[str] = []
    lines: list[str] = []
    namespace["_MISSING"] = dataclasses.MISSING
    for f in fields:
        name = f.name
        if f.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = f.default
            params.append(f"{name}=_default_{name}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{name}"] = f.default_factory
            params.append(f"{name}=_MISSING")
            lines.append(f"    if {name} is _MISSING: {name} = _factory_{name}()")
        else:
            params.append(name)
        lines.append(f"    _set_{name}(self, {name})")
    source = f"def __init__(self, *, {', '.join(params)}):\n" + "\n".join(lines or ["    pass"])
    # Node.replace: a copy with some fields changed, built like builder()'s
    # nodes (dataclasses.replace goes through fields() and keyword
    # arguments, several times slower).
    names = [f.name for f in fields]
    namespace["_names"] = frozenset(names)
    namespace["_dataclass_replace"] = dataclasses.replace
    copy_lines = [
        "    if type(self) is not _cls:  # a user's subclass may add fields: the general way",
        "        return _dataclass_replace(self, **changes)",
        "    if not changes.keys() <= _names:",
        "        raise TypeError(f'{_cls.__name__} has no field(s) {sorted(changes.keys() - _names)}')",
        "    copy = _unfrozen()",
        *[f"    copy.{n} = changes['{n}'] if '{n}' in changes else self.{n}" for n in names],
        "    copy.__class__ = _cls",
        "    return copy",
    ]
    source += "\n\ndef _replace(self, changes):\n" + "\n".join(copy_lines)
    exec(source, namespace)  # how dataclasses itself writes __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    cls._replace = namespace["_replace"]  # type: ignore[attr-defined]
    return cls


def builder(cls: type[_T], *names: str, **fixed: Any) -> Callable[..., _T]:
    """A fast constructor of ``cls`` that takes the fields ``names``
    positionally, sets the fields in ``fixed`` to those values, and gives
    every other field its default.

    For inner loops (the parser, the canonical builders, the wikitext reader):
    it skips ``type.__call__`` and keyword binding, and stores the fields into
    the class's unfrozen twin (see :func:`_unfrozen_twin`), about a third of
    the cost of ``cls(**fields)``.
    ``builder(TextLine, "text")("x") == TextLine(text="x")``.
    """
    fields, namespace = _slot_setters(cls)
    unknown = {*names, *fixed} - {f.name for f in fields}
    if unknown:
        raise TypeError(f"builder({cls.__name__}): no fields {sorted(unknown)}")
    lines = ["    self = _unfrozen()"]
    for f in fields:
        name = f.name
        if name in names:
            value = name
        elif name in fixed:
            namespace[f"_fixed_{name}"] = fixed[name]
            value = f"_fixed_{name}"
        elif f.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = f.default
            value = f"_default_{name}"
        else:
            raise TypeError(f"builder({cls.__name__}): {name} has no plain default; pass it")
        lines.append(f"    self.{name} = {value}")
    lines += ["    self.__class__ = _cls", "    return self"]
    source = f"def build({', '.join(names)}):\n" + "\n".join(lines)
    exec(source, namespace)
    build: Callable[..., _T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    return build


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

    def replace(self: _N, **changes: Any) -> _N:
        """A copy of this node with some fields changed (like LibCST's ``with_changes``)."""
        result: _N = self._replace(changes)  # type: ignore[attr-defined]  # written by _fast_init
        return result

    def trivia(self) -> dict[str, str]:
        """This node's whitespace fields, by name."""
        return {name: getattr(self, name) for name in self.TRIVIA}


@_fast_init
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

    def as_string(self) -> str:
        marks = "=" * self.level
        line = f"{marks}{self.pad_before}{self.title}{self.pad_after}{marks}"
        return f"{line}{self.trailing}{self.newline}{self.blank_after}"

    def unwrap(self) -> str:
        return self.title


@_fast_init
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


@_fast_init
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


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TextLine(Node):
    """One line of a paragraph.  Leading whitespace is part of ``text``."""

    text: str = ""
    trailing: str = ""
    newline: str = "\n"

    TRIVIA = ("trailing", "newline")

    def as_string(self) -> str:
        return self.text + self.trailing + self.newline

    def unwrap(self) -> str:
        return self.text


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph(Node):
    """A run of text lines; ``text`` joins them with ``\\n``."""

    lines: tuple[TextLine, ...] = ()
    blank_after: str = ""

    TRIVIA = ("blank_after",)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def as_string(self) -> str:
        return "".join([line.text + line.trailing + line.newline for line in self.lines]) + self.blank_after

    def unwrap(self) -> dict[str, str]:
        return {"type": "paragraph", "text": self.text}


@_fast_init
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

    def as_string(self) -> str:
        return self.marker + self.pad + self.text + self.trailing + self.newline

    def unwrap(self) -> str:
        return self.text


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class BulletList(Node):
    """Consecutive ``- item`` lines outside the infobox."""

    items: tuple[Item, ...] = ()
    blank_after: str = ""

    TRIVIA = ("blank_after",)

    def as_string(self) -> str:
        return "".join([item.as_string() for item in self.items]) + self.blank_after

    def unwrap(self) -> dict[str, Any]:
        return {"type": "list", "items": [item.text for item in self.items]}


Block: TypeAlias = Paragraph | BulletList


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Section(Node):
    """A heading, the blocks under it, and its deeper sections."""

    heading: Heading = field(default_factory=Heading)
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()

    @property
    def title(self) -> str:
        return self.heading.title

    @property
    def level(self) -> int:
        return self.heading.level

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


@_fast_init
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


#: ``Section(heading=, blocks=, sections=, loc=)`` taking its fields positionally
#: (see :func:`builder`): the parser and the canonical builders both nest sections.
new_section = builder(Section, "heading", "blocks", "sections", "loc")
