"""Section nesting, written once: a section holds the sections that follow it
with a deeper level, up to the next heading of its own level or a shallower
one (MediaWiki's outline; levels may skip, ``==`` then ``====``).

Every reader nests with :class:`Outline`: the parser (nodes with source
positions), the reader of our wikitext (canonical nodes) and the reader of
real pages (``to_dict``-shaped data).  What a section is made of is the
caller's: ``close`` turns a heading, its blocks and its subsections into one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Outline"]

_H = TypeVar("_H")
_B = TypeVar("_B")
_S = TypeVar("_S")


class Outline(Generic[_H, _B, _S]):
    """Sections nested by level as their headings arrive in document order.

    ``open(level, heading, blocks)`` starts a section (the caller keeps adding
    its blocks to ``blocks``) after closing the open sections of the same or a
    deeper level; ``close()`` closes the rest and gives the top-level sections.
    A section is made by ``close_section(level, heading, blocks, subsections)``
    once nothing more can nest in it.
    """

    __slots__ = ("_open", "open", "top")

    def __init__(self, close_section: Callable[[int, _H, list[_B], list[_S]], _S]) -> None:
        #: The sections still open, innermost last: (level, heading, blocks, subsections).
        self._open: list[tuple[int, _H, list[_B], list[_S]]] = []
        #: The closed top-level sections, in document order.
        self.top: list[_S] = []
        open_, top = self._open, self.top
        pop, push = open_.pop, open_.append

        # A closure over the two lists rather than a method: a reader calls it
        # once per heading, and 1 MB of headings is 70,000 calls (a method's
        # attribute loads cost 12 % more there, measured alone).
        def open_section(level: int, heading: _H, blocks: list[_B]) -> None:
            """Start a section of ``level`` whose blocks go into ``blocks``."""
            while open_ and open_[-1][0] >= level:
                done = pop()
                (open_[-1][3] if open_ else top).append(close_section(*done))
            push((level, heading, blocks, []))

        self.open = open_section

    def close(self) -> list[_S]:
        """Close every open section; the top-level sections."""
        self.open(0, None, [])  # type: ignore[arg-type]  # level 0 closes all; the sentinel is dropped
        self._open.pop()
        return self.top

    def position(self) -> tuple[int, int]:
        """Where the section opened last stands: its depth (0 at the top) and
        its index among its parent's sections."""
        open_ = self._open
        depth = len(open_) - 1
        return depth, len(open_[-2][3]) if depth else len(self.top)

    def __bool__(self) -> bool:
        """Whether any section has been opened."""
        return bool(self._open or self.top)
