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
    heading_from_line,
    replace_unchecked,
    text_line_parts,
)
from ..nodes import Heading as PlainHeading
from ..outline import Outline
from ..parser import _TRANSFORMER, _ToNodes, parse
from ..serialize import (
    canonical_blanks,
    canonical_block_of,
    canonical_block_trivia,
    canonical_heading,
    canonical_infobox_of,
    canonical_text_line,
    canonicalize,
    is_canonical,
)
from .escape import (
    _IN_NAME,
    _IN_TEMPLATE,
    _WS,
    LINE_START_MARKS,
    _escape_heading,
    escape_text,
    param_name,
    quiet_lines,
    untouched_title,
)

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


def _infobox_text(head: Run, fields: Run | None, blank: str) -> tuple[str, dict[str, Any] | None] | None:
    """The wikitext of an infobox whose lines (the Infobox line ``head``, the
    field lines ``fields``) are canonical but perhaps for their trailing
    whitespace and line ends, and the diff of its whitespace (as trivia_diff
    would note it, ``blank`` being the canonical blank lines after it); read
    from the lines as the parser would read them into nodes.  None for any
    other spelling (then the nodes decide)."""
    body, trailing, newline = text_line_parts(head.lines[0])
    if not body.startswith("Infobox"):
        return None
    type_name = body[8:] if body[7:8] == " " else None
    if type_name is None and body != "Infobox":
        return None
    if type_name is not None and (not type_name or type_name[0] in _WS or type_name[-1] in _WS):
        return None
    own = _line_diff(trailing, newline)
    blank_after = head.blank if fields is None else fields.blank
    if blank_after != blank:
        own = {**(own or {}), "blank_after": blank_after}
    pairs: list[tuple[str, str | None]] = []
    lines = () if fields is None else fields.lines
    field_diffs: list[Any] | None = None
    for n, line in enumerate(lines):
        # "- Key: Value", "- Key:" (an empty value), "- Key" (no colon), "-" (bare)
        content, trailing, newline = text_line_parts(line)  # (a field's trailing whitespace is the line's)
        line_diff = _line_diff(trailing, newline)
        if line_diff is not None:
            if field_diffs is None:
                field_diffs = [None] * len(lines)
            field_diffs[n] = {"trivia": line_diff}
        if content == "-":
            pairs.append(("", None))
            continue
        core = content[2:]
        if content[:2] != "- " or not core or core[0] in _WS:
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
    diff = _members(trivia=own, fields=None if field_diffs is None else _listed_diffs(field_diffs))
    return _render_infobox_of(type_name, pairs), diff


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


#: A heading line as the writers write one (its line end cut off): runs of the
#: same length (1 to 6) with one space inside each; the title between (group
#: 2) is checked apart.  Of a heading line, the same as the runs of
#: ``heading_level`` with a single space inside each.
WRITTEN_HEADING = re.compile(r"(={1,6}) (.*) \1").fullmatch


def _render_text(text: str, *, canonical: bool) -> str | None:
    """``to_wikitext(parse(text), canonical=canonical)``, written straight from
    the lexer's line runs without building the tree; ``None`` for the rare
    text that needs the tree (a byte order mark, blank lines before the first
    line).

    The runs carry everything the wikitext needs, since the grammar accepts
    every run sequence and its nesting of sections does not show in wikitext.
    Lines in canonical form, most of them, are checked and written as strings
    (paragraph lines as they stand where no escaping rule can touch them:
    ``quiet_lines``); the others are read into nodes by the parser's own
    functions, and the whitespace they have that the canonical form has not is
    noted where :func:`trivia_diff` of the tree would note it.  Property-tested
    against the tree path, trivia comment included.
    """
    if text.startswith(BOM):  # rare; see serialize.layout_bom
        return None
    runs = list(line_runs(text))
    quiet = quiet_lines(text)
    out: list[str] = []
    # The trivia comment's parts, each None where the whitespace is canonical:
    title_diff: dict[str, str] | None = None
    box_diff: dict[str, Any] | None = None
    lead: list[Any] = []
    sections: list[tuple[int, dict[str, str] | None, list[Any]]] = []  # (level, heading's, blocks'), flat
    blocks = lead  # the block diffs of the part being written
    changed = False
    infobox_run: Run | None = None
    for i, run in enumerate(runs):
        kind = run.type
        following = runs[i + 1].type if i + 1 < len(runs) else None
        blank = canonical_blank(kind, following)
        diff: dict[str, Any] | None = None
        if kind is PARAGRAPH:
            line_diffs: list[dict[str, str] | None] | None = None
            lines = run.lines
            for n, line in enumerate(lines):
                if canonical_text_line(line):
                    if quiet and line[0] not in LINE_START_MARKS:
                        out.append(line)  # most lines: written as they stand
                        continue
                    line_text = line[:-1]
                else:
                    line_text, trailing, newline = text_line_parts(line)
                    if line_diffs is None:
                        line_diffs = [None] * len(lines)
                    line_diffs[n] = _line_diff(trailing, newline)
                    if quiet and line_text[0] not in LINE_START_MARKS:
                        out.append(line_text + "\n")
                        continue
                out.append(_render_text_line(line_text))
            diff = _paragraph_diff(run.blank, blank, line_diffs)
            blocks.append(diff)
        elif kind is BULLET_LIST:
            block = _ToNodes.bullet_list(run)
            if not canonical_block_trivia(block, blank):
                diff = _block_diff(block, replace_unchecked(canonical_block_of(block), blank_after=blank))
            out.append(_render_block(block))
            blocks.append(diff)
        elif kind is TITLE or kind is HEADING:
            line = run.lines[0]
            match = run.heading  # most headings: canonical, the lexer's match
            if match is not None:
                as_written, diff = line, None
            else:  # perhaps canonical but for its trailing whitespace and line end
                body, trailing, newline = text_line_parts(line)
                match = WRITTEN_HEADING(body)
                as_written, diff = body + "\n", _line_diff(trailing, newline)
            # "== Title ==": one space on each side of a stripped title (what
            # heading_from_line and canonical_heading_trivia would find).
            title = "" if match is None else match[2]
            if title and title[0] not in _WS and title[-1] not in _WS:
                level = len(match[1])  # type: ignore[index]
                # most titles: written as they are (_render_heading, without its calls)
                out.append(as_written if untouched_title(title) else _render_heading(level, title))
                if run.blank != blank:
                    diff = {**(diff or {}), "blank_after": run.blank}
            else:
                heading = heading_from_line(line, None, run.blank)
                level = heading.level
                out.append(_render_heading(level, heading.title))
                diff = _changed(heading, replace_unchecked(canonical_heading(level, heading.title), blank_after=blank))
            if kind is TITLE:
                title_diff = diff
            else:
                blocks = []
                sections.append((level, diff, blocks))
        elif kind is INFOBOX and following is FIELD:
            infobox_run = run  # written with its fields
            continue
        elif kind is INFOBOX or kind is FIELD:
            head, fields = (run, None) if infobox_run is None else (infobox_run, run)
            read = _infobox_text(head, fields, blank)
            if read is None:
                box = _TRANSFORMER.infobox([head] if fields is None else [head, fields])
                canonical_box = replace_unchecked(canonical_infobox_of(box), blank_after=blank)
                read = (
                    _render_infobox(box),
                    _members(
                        trivia=_changed(box, canonical_box),
                        fields=_listed(box.fields, canonical_box.fields, _node_diff),
                    ),
                )
            written, diff = read
            box_diff = diff
            out.append(written)
        else:  # blank lines before the first line (Article.leading_blank)
            return None
        if diff is not None:
            changed = True
        out.append(blank)
    body = "".join(out)
    if canonical or not changed:
        return body
    trivia = _text_trivia(title_diff, box_diff, lead, sections)
    assert trivia is not None  # (a part differs)
    return body + _trivia_comment(trivia)


def _line_diff(trailing: str, newline: str) -> dict[str, str] | None:
    """A line's trailing whitespace and line end where they differ from the
    canonical ones (none, "\n"): the ``trailing`` and ``newline`` trivia that
    every node owning a line has (``TextLine.TRIVIA``, ``Heading.TRIVIA``, ...)."""
    diff = {}
    if trailing:
        diff["trailing"] = trailing
    if newline != "\n":
        diff["newline"] = newline
    return diff or None


def _paragraph_diff(blank_after: str, canonical_blank_after: str, lines: list[Any] | None) -> dict[str, Any] | None:
    """:func:`_block_diff` of a paragraph, from its blank lines and its lines' diffs."""
    own: dict[str, Any] = {}
    if blank_after != canonical_blank_after:
        own["blank_after"] = blank_after
    parts = None if lines is None else _listed_diffs(lines)
    if parts is not None:
        own["lines"] = parts
    return {"trivia": own} if own else None


def _text_trivia(
    title: dict[str, str] | None,
    infobox: dict[str, Any] | None,
    lead: list[Any],
    sections: list[tuple[int, dict[str, str] | None, list[Any]]],
) -> dict[str, Any] | None:
    """:func:`trivia_diff`'s shape from the diffs of an article's parts,
    nesting the sections' as the tree nests them."""
    outline: Outline[dict[str, str] | None, Any, Any] = Outline(_section_trivia)
    for level, heading, blocks in sections:
        outline.open(level, heading, blocks)
    return _members(
        trivia=None if title is None else {"title": title},
        infobox=infobox,
        lead=_listed_diffs(lead),
        sections=_listed_diffs(outline.close()),
    )


def _section_trivia(level: int, heading: dict[str, str] | None, blocks: list[Any], subsections: list[Any]) -> Any:
    return _members(trivia=heading, blocks=_listed_diffs(blocks), sections=_listed_diffs(subsections))


def _trivia_comment(trivia: dict[str, Any]) -> str:
    """The comment that carries the whitespace the canonical form has not."""
    payload = json.dumps(trivia, separators=(",", ":"), sort_keys=True)  # ASCII: no "-->" either
    return f"<!-- {TRIVIA_MARK} {payload} -->\n"


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
    return _listed_diffs([diff(a, c) for a, c in zip(actual, canonical, strict=True)])


def _listed_diffs(items: list[Any]) -> list[Any] | None:
    """None if no item differs (is not None), else each item, ``{}`` for each that does not."""
    if not any(items):  # (each is None or a dict that is not empty)
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
        wikitext = _render_text(article, canonical=canonical)
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
            body += _trivia_comment(trivia)
    return body


# -- reading ---------------------------------------------------------------------
