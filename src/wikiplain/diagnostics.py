"""``check``: what docs/format.md calls malformed (errors) or suspicious (warnings).

Parsing never fails; problems are listed here (parso's ``iter_errors``) and
raised only by ``parse(text, strict=True)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ._lines import is_infobox, iter_lines
from ._titles import template_name_problem
from .errors import ParseError
from .nodes import Article, Block, BulletList, Field, Heading, Infobox, Node, Paragraph

__all__ = ["CODES", "Diagnostic", "diagnose", "raise_first_error"]

Severity = Literal["error", "warning"]

#: code -> (severity, short name); docs/format.md explains each.
CODES: dict[str, tuple[Severity, str]] = {
    "E101": ("error", "missing-title"),
    "E102": ("error", "field-without-colon"),
    "E103": ("error", "empty-field-key"),
    "E104": ("error", "duplicate-field"),
    "W201": ("warning", "stray-infobox"),
    "W202": ("warning", "second-title"),
    "W203": ("warning", "unbalanced-heading"),
    "W204": ("warning", "skipped-heading-level"),
    "W205": ("warning", "mixed-newlines"),
    "W206": ("warning", "type-not-a-template-name"),
    # from_wikitext / check_wikitext
    "W301": ("warning", "trivia-comment"),
    "W302": ("warning", "kept-markup"),
    "W303": ("warning", "plain-reading"),
    "W304": ("warning", "dropped-template"),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found by :func:`check`."""

    code: str
    message: str
    line: int
    column: int
    severity: Severity

    @property
    def name(self) -> str:
        return CODES[self.code][1]

    def format(self, path: str = "<string>") -> str:
        """``path:line:col: CODE message`` (the ``wikiplain check`` line)."""
        return f"{path}:{self.line}:{self.column}: {self.code} {self.message}"


def _diagnostic(code: str, message: str, line: int, column: int) -> Diagnostic:
    """A diagnostic with its code's severity."""
    return Diagnostic(code, message, line, column, CODES[code][0])


def _at(code: str, message: str, node: Node, column: int = 1) -> Diagnostic:
    assert node.span is not None
    return _diagnostic(code, message, node.span.start.line, column)


def _field_diagnostics(fields: tuple[Field, ...]) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for f in fields:
        key_column = 1 + len(f.marker) + len(f.pad)
        if f.value is None:
            yield _at("E102", f"field line has no ':' between key and value: {f.key!r}", f, key_column)
        elif not f.key:
            yield _at("E103", "field has an empty key", f, key_column)
        elif f.key in seen:
            yield _at("E104", f"field {f.key!r} appears more than once in the infobox", f, key_column)
        seen.add(f.key)


def _type_diagnostics(box: Infobox) -> Iterator[Diagnostic]:
    if box.type_name is None:
        return
    problem = template_name_problem(f"Infobox {box.type_name}")
    if problem is not None:
        yield _at(
            "W206",
            f"MediaWiki cannot call a template named 'Infobox {box.type_name}' ({problem}); "
            "it would show the infobox's wikitext as text",
            box,
            len("Infobox") + len(box.pad) + 1,
        )


def _unbalanced(heading: Heading) -> Iterator[Diagnostic]:
    # A balanced heading's title cannot touch its '=' runs with another '='.
    title = heading.title
    if (heading.pad_after == "" and title.endswith("=")) or (heading.pad_before == "" and title.startswith("=")):
        yield _at(
            "W203", f"the runs of '=' differ in length; read as level {heading.level} with title {title!r}", heading
        )


def _heading_diagnostics(heading: Heading, previous_level: int) -> Iterator[Diagnostic]:
    yield from _unbalanced(heading)
    if heading.level == 1:
        yield _at("W202", "a level-1 heading after the title is read as a level-1 section", heading)
    elif previous_level and heading.level > previous_level + 1:
        yield _at("W204", f"heading level jumps from {previous_level} to {heading.level}", heading)


def _stray_infoboxes(blocks: tuple[Block, ...]) -> Iterator[Diagnostic]:
    """An Infobox line out of place: a bare ``Infobox``, or one with field lines
    right under it (read as a paragraph followed by a bullet list).  A sentence
    that merely starts with "Infobox" is not reported."""
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if not isinstance(block, Paragraph):
            continue
        for line in block.lines:
            last = line is block.lines[-1]
            fields_follow = last and not block.blank_after and isinstance(following, BulletList)
            if is_infobox(line.text) and (line.text == "Infobox" or fields_follow):
                yield _at(
                    "W201",
                    "an 'Infobox' line that is not the first block after the title is read as paragraph text",
                    line,
                )


def diagnose(article: Article, text: str | None = None) -> list[Diagnostic]:
    """The problems in a parsed article, in source order.

    ``text`` (the article's source) enables the line-ending check.
    """
    out: list[Diagnostic] = []
    if article.title is None:
        first: Node | None = next((n for n in (article.infobox, *article.lead) if n is not None), None)
        if first is None and article.sections:
            first = article.sections[0].heading
        if first is not None:
            out.append(_at("E101", "the article does not start with a '= Title =' line", first))
        else:
            out.append(_diagnostic("E101", "the article is empty: no '= Title =' line", 1, 1))
    else:
        out.extend(_unbalanced(article.title))
    if article.infobox is not None:
        out.extend(_type_diagnostics(article.infobox))
        out.extend(_field_diagnostics(article.infobox.fields))
    containers = [article.lead]
    previous_level = 0
    for section in article.walk_sections():
        out.extend(_heading_diagnostics(section.heading, previous_level))
        previous_level = section.level
        containers.append(section.blocks)
    for blocks in containers:
        out.extend(_stray_infoboxes(blocks))
    if text is not None:
        out.extend(_newline_diagnostics(text))
    out.sort(key=lambda d: (d.line, d.column))
    return out


def _newline_diagnostics(text: str) -> Iterator[Diagnostic]:
    first: str | None = None
    for number, line in enumerate(iter_lines(text), start=1):
        if not line.endswith("\n"):
            return  # the last line, with no line end
        style = "\r\n" if line.endswith("\r\n") else "\n"
        if first is None:
            first = style
        elif style != first:
            names = {"\n": "LF", "\r\n": "CRLF"}
            message = f"line ends with {names[style]} but line 1 ends with {names[first]}"
            yield _diagnostic("W205", message, number, len(line) - len(style) + 1)
            return


def raise_first_error(article: Article, text: str) -> None:
    """Raise the first error-severity diagnostic as a :class:`ParseError`."""
    for d in diagnose(article):  # the line-end check only warns
        if d.severity == "error":
            source_line = text.split("\n")[d.line - 1].rstrip("\r")  # a diagnostic's line is one of the text's
            raise ParseError(d.code, d.message, d.line, d.column, source_line)
