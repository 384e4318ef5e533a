"""Article -> wikitext: ``to_wikitext``.

Writes the article's meaning as the wikitext an editor would write (``= Title
=``, one ``{{Infobox ...}}`` template, ``== Heading ==``, paragraphs, ``* item``
lists), escaped by :mod:`.escape`.  The plain text's whitespace that the
canonical form does not have travels in one trailing ``<!-- wikiplain-trivia
{...} -->`` comment (``trivia_diff``), so the round trip is exact."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from .._lexer import Run, line_runs
from .._lines import (
    BOM,
    BULLET_LIST,
    FIELD,
    HEADING,
    INFOBOX,
    PARAGRAPH,
    TITLE,
    canonical_blank,
)
from ..data import article_trivia
from ..nodes import (
    Article,
    Block,
    BulletList,
    Infobox,
    Paragraph,
    Section,
)
from ..nodes import Heading as PlainHeading
from ..parser import _ToNodes, parse
from ..serialize import (
    canonical_blanks,
    canonical_block_trivia,
    canonical_text_line,
    canonicalize,
    is_canonical,
)
from .escape import _IN_NAME, _IN_TEMPLATE, _WS, _escape_heading, escape_text, param_name, untouched_title

TRIVIA_MARK = "wikiplain-trivia"


def _render_heading(level: int, title: str) -> str:
    marks = "=" * level
    return f"{marks} {_escape_heading(title)} {marks}\n"


def _render_infobox(box: Infobox) -> str:
    return _render_infobox_of(box.type_name, [(f.key, f.value) for f in box.fields])


def _render_infobox_of(type_name: str | None, fields: list[tuple[str, str | None]]) -> str:
    """The infobox template of a type name and its fields' keys and values."""
    name = "Infobox" + ("" if type_name is None else " " + escape_text(type_name, chars=_IN_NAME))
    if not fields:
        return "{{" + name + "}}\n"
    lines = ["{{" + name + "\n"]
    for key, value in fields:
        if value is None:  # a field line without ':' -> a parameter without a name
            lines.append(f"| {escape_text(key, chars=_IN_NAME)}\n")
        else:
            value = escape_text(value, chars=_IN_TEMPLATE)
            lines.append(f"| {param_name(key)} =" + (f" {value}\n" if value else "\n"))
    lines.append("}}\n")
    return "".join(lines)


def _canonical_infobox_text(head: Run, fields: Run | None, blank: str) -> str | None:
    """The wikitext of an infobox whose lines (the Infobox line ``head``, the
    field lines ``fields``) are canonical, with ``blank`` after them, read
    from the lines as the parser would read them into nodes and
    canonical_infobox_trivia would check them; else None."""
    if (head.blank if fields is None else fields.blank) != blank:
        return None
    body = head.lines[0][:-1]
    if head.lines[0][-1:] != "\n" or not body.startswith("Infobox"):
        return None
    type_name = body[8:] if body[7:8] == " " else None
    if type_name is None and body != "Infobox":
        return None
    if type_name is not None and (not type_name or type_name[0] in _WS or type_name[-1] in _WS):
        return None
    pairs: list[tuple[str, str | None]] = []
    for line in () if fields is None else fields.lines:
        # "- Key: Value", "- Key:" (an empty value), "- Key" (no colon), "-" (bare)
        content = line[:-1]
        if line[-1:] != "\n":
            return None
        if content == "-":
            pairs.append(("", None))
            continue
        core = content[2:]
        if content[:2] != "- " or not core or core[0] in _WS or core[-1] in _WS:
            return None
        colon = core.find(":")
        if colon < 0:
            pairs.append((core, None))
            continue
        key, rest = core[:colon], core[colon + 1 :]
        if key and key[-1] in _WS:
            return None
        if rest and (rest[0] != " " or len(rest) == 1 or rest[1] in _WS):
            return None
        pairs.append((key, rest[1:]))
    return _render_infobox_of(type_name, pairs)


def _render_text_line(text: str) -> str:
    return escape_text(text, line_start=True) + "\n"


def _render_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return "".join([_render_text_line(line.text) for line in block.lines])
    return "".join([_render_item(item.text) for item in block.items])


def _render_item(text: str) -> str:
    return ("* " + escape_text(text, line_start=True) if text else "*") + "\n"


def _render_owner(node: PlainHeading | Infobox | Block) -> str:
    """The canonical wikitext of a node that owns lines, without blank lines after it."""
    if isinstance(node, Paragraph | BulletList):
        return _render_block(node)
    if isinstance(node, Infobox):
        return _render_infobox(node)
    return _render_heading(node.level, node.title)


_TRAILING = (" ", "\t", "\r")


#: A heading line as the writers write one (its line end cut off): runs of the
#: same length (1 to 6) with one space inside each; the title between (group
#: 2) is checked apart.  Of a heading line, the same as the runs of
#: ``heading_level`` with a single space inside each.
WRITTEN_HEADING = re.compile(r"(={1,6}) (.*) \1").fullmatch


def _render_canonical_text(text: str) -> str | None:
    """The wikitext of plain text that is in canonical form, written straight
    from the lexer's line runs without building the tree; ``None`` when the
    text is not canonical (then its whitespace needs the tree and the trivia
    comment).

    Equal to ``to_wikitext(parse(text))`` for canonical text (property-tested):
    the runs carry everything the wikitext needs, since the grammar accepts
    every run sequence and its nesting of sections does not show in wikitext.
    Paragraph lines, most of the text, are checked and written as strings;
    the other lines are read into nodes by the parser's own functions.
    """
    if text.startswith(BOM):  # rare; canonical only in a corner case (serialize.layout_bom)
        return None
    if "\r\n" in text or " \n" in text or "\t\n" in text or "\n\n\n" in text or text[-1:] in _TRAILING:
        # A CRLF, a line that ends in a space or tab, two blank lines in a row
        # or trailing whitespace at the end are never canonical: found in C at
        # once, where the loop below would find them only when it gets there.
        return None
    runs = list(line_runs(text))
    out: list[str] = []
    infobox_run: Run | None = None
    for i, run in enumerate(runs):
        kind = run.type
        following = runs[i + 1].type if i + 1 < len(runs) else None
        blank = canonical_blank(kind, following)
        if kind == PARAGRAPH:
            if run.blank != blank:
                return None
            for line in run.lines:
                if not canonical_text_line(line):
                    return None
                out.append(_render_text_line(line[:-1]))
        elif kind == BULLET_LIST:
            block = _ToNodes.bullet_list(run)
            if not canonical_block_trivia(block, blank):
                return None
            out.append(_render_block(block))
        elif kind in (TITLE, HEADING):
            if run.blank != blank:
                return None
            line = run.lines[0]
            match = WRITTEN_HEADING(line, 0, len(line) - 1) if line[-1:] == "\n" else None
            # "== Title ==\n": one space on each side of a stripped title
            # (what heading_from_line and canonical_heading_trivia would find).
            if match is None:
                return None
            title = match[2]
            if not title or title[0] in _WS or title[-1] in _WS:
                return None
            if untouched_title(title):
                out.append(line)  # most titles: written as they are (_render_heading, without its calls)
            else:
                out.append(_render_heading(len(match[1]), title))
        elif kind == INFOBOX and following == FIELD:
            infobox_run = run  # written with its fields
            continue
        elif kind in (INFOBOX, FIELD):
            written = _canonical_infobox_text(run, None, blank) if infobox_run is None else (
                _canonical_infobox_text(infobox_run, run, blank)
            )
            if written is None:
                return None
            out.append(written)
        else:  # a byte order mark or blank lines before the first line
            return None
        out.append(blank)
    return "".join(out)


def trivia_diff(article: Article, canonical: Article) -> dict[str, Any] | None:
    """The whitespace of ``article`` where it differs from its canonical form
    (same meaning, canonical whitespace): the trivia comment's payload.

    Equal to ``_prune(to_dict(article, trivia=True), to_dict(canonical,
    trivia=True))`` (property-tested), but read from the two trees' trivia
    fields alone, without building both articles' whole data and diffing the
    meaning too (which cost most of writing a non-canonical article)."""
    box = None
    if article.infobox is not None and canonical.infobox is not None:
        box = _members(
            trivia=_changed(article.infobox, canonical.infobox),
            fields=_listed(article.infobox.fields, canonical.infobox.fields, _node_diff),
        )
    return _members(
        trivia=_prune(article_trivia(article), article_trivia(canonical)),
        infobox=box,
        lead=_listed(article.lead, canonical.lead, _block_diff),
        sections=_listed(article.sections, canonical.sections, _section_diff),
    )


def _members(**members: Any) -> dict[str, Any] | None:
    """The members that differ (not None), or None if none does."""
    out = {name: value for name, value in members.items() if value is not None}
    return out or None


def _listed(actual: Sequence[Any], canonical: Sequence[Any], diff: Callable[[Any, Any], Any]) -> Any:
    """A list as ``_prune`` makes it: None if no item differs, else ``{}`` for each item that does not."""
    items = [diff(a, c) for a, c in zip(actual, canonical, strict=True)]
    if all(i is None for i in items):
        return None
    return [{} if i is None else i for i in items]


def _changed(actual: Any, canonical: Any) -> dict[str, str] | None:
    """``_prune(actual.trivia(), canonical.trivia())``, read from the fields."""
    out = {}
    for name in actual.TRIVIA:
        value = getattr(actual, name)
        if value != getattr(canonical, name):
            out[name] = value
    return out or None


def _node_diff(actual: Any, canonical: Any) -> dict[str, Any] | None:
    own = _changed(actual, canonical)
    return None if own is None else {"trivia": own}


def _block_diff(actual: Block, canonical: Block) -> dict[str, Any] | None:
    # The same text means the same whitespace (the two hold the same lines
    # and no two spellings of a line's trailing space and ending join alike),
    # found in C; most blocks of a non-canonical article are canonical.
    if actual.as_string() == canonical.as_string():
        return None
    # _prune(block_trivia(actual), block_trivia(canonical)), without building either.
    own: dict[str, Any] = _changed(actual, canonical) or {}
    if isinstance(actual, Paragraph) and isinstance(canonical, Paragraph):
        parts, name = _listed(actual.lines, canonical.lines, _changed), "lines"
    elif isinstance(actual, BulletList) and isinstance(canonical, BulletList):
        parts, name = _listed(actual.items, canonical.items, _changed), "items"
    else:  # (the same meaning: the same kind of block)
        raise TypeError(f"{type(actual).__name__} beside {type(canonical).__name__}")
    if parts is not None:
        own[name] = parts
    return {"trivia": own} if own else None


def _section_diff(actual: Section, canonical: Section) -> dict[str, Any] | None:
    heading, canonical_one = actual.heading, canonical.heading
    return _members(
        trivia=None
        if heading.as_string() == canonical_one.as_string()  # as in _block_diff
        else _changed(heading, canonical_one),
        blocks=_listed(actual.blocks, canonical.blocks, _block_diff),
        sections=_listed(actual.sections, canonical.sections, _section_diff),
    )


def _prune(actual: Any, canonical: Any) -> Any:
    """The parts of ``actual`` (trivia data) that differ from ``canonical``; None if none."""
    if isinstance(actual, dict):
        out = {}
        for key, value in actual.items():
            pruned = _prune(value, canonical.get(key))
            if pruned is not None:
                out[key] = pruned
        return out or None
    if isinstance(actual, list):
        items = [_prune(a, c) for a, c in zip(actual, canonical, strict=True)]
        if all(i is None for i in items):
            return None
        return [{} if i is None else i for i in items]
    return None if actual == canonical else actual


def to_wikitext(article: Article | str, *, canonical: bool = False) -> str:
    """The article as MediaWiki wikitext; ``from_wikitext`` gives it back exactly.

    ``article`` may also be plain article text: ``to_wikitext(text)`` equals
    ``to_wikitext(parse(text))``, and text already in canonical form is
    written line by line without building the tree (about twice as fast).

    Whitespace that the canonical form does not have (trailing spaces, CRLF,
    extra blank lines, ...) travels in a trailing ``<!-- wikiplain-trivia ...
    -->`` comment, so that the round trip is exact.  ``canonical=True`` writes
    the wikitext of the article's canonical form instead, with no such
    comment: the wikitext to paste or upload (``from_wikitext`` then gives
    ``normalize(text)``).
    """
    if isinstance(article, str):
        wikitext = _render_canonical_text(article)
        if wikitext is not None:
            return wikitext
        article = parse(article)
    elif not isinstance(article, Article):
        raise TypeError(f"to_wikitext() takes an Article or a str, not {type(article).__name__}")
    # Blank lines as in the canonical plain form, whatever the article's own.
    blanks = canonical_blanks(article)
    body = "".join([_render_owner(node) + blank for node, blank in blanks])
    if not canonical and not is_canonical(article, blanks):
        canonical_article = canonicalize(article)
        # The meaning is the same in both, so only whitespace differs.
        trivia = trivia_diff(article, canonical_article)
        if trivia is not None:
            payload = json.dumps(trivia, separators=(",", ":"), sort_keys=True)  # ASCII: no "-->" either
            body += f"<!-- {TRIVIA_MARK} {payload} -->\n"
    return body


# -- reading ---------------------------------------------------------------------
