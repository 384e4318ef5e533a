"""Wikitext -> article: ``from_wikitext`` and ``check_wikitext``.

Our own wikitext (what ``to_wikitext`` writes) is read exactly by
``_read_ours``: line by line without the tokenizer as far as the lines are as
written, the rest from mwparserfromhell's tokens; the trivia comment restores
the whitespace.  Real pages are read as MediaWiki reads them, by
:mod:`wikiplain.clean`.  Never raises: what cannot be mapped is kept as text
and reported by ``check_wikitext``."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from mwparserfromhell.nodes import Comment, Heading, HTMLEntity, Tag, Template, Text
from mwparserfromhell.nodes import Node as WikiNode
from mwparserfromhell.parser.builder import Builder as _Builder
from mwparserfromhell.wikicode import Wikicode

from .._entities import entity_at, entity_text, reference_text
from .._gc import collector_paused
from .._lines import (
    HEADING_MARKS,
    WHITESPACE,
    is_heading_title,
    is_infobox,
    misread_kind,
)
from ..data import _USUAL, OutlineBuilder, _obj, _Trivia, from_dict
from ..diagnostics import Diagnostic
from ..errors import DataError
from ..nodes import (
    Article,
    Block,
    Infobox,
    Item,
    Section,
    TextLine,
    check_tree,
    new_article,
    new_bullet_list,
    new_item,
    new_paragraph,
    new_text_line,
)
from ..nodes import Heading as PlainHeading
from ..outline import Outline
from ..parser import parse
from ..serialize import (
    BETWEEN,
    canonical_field,
    canonical_heading,
    canonical_infobox,
    canonical_list,
    canonical_paragraph,
    canonical_section,
    canonicalize,
    layout,
)
from .escape import (
    _NUL,
    _WS,
    _conventional_key,
    _decode,
    _Decoded,
    _escape_heading,
    _key_of,
    _with_nul,
    escape_text,
    escapes_nothing,
    field_key,
    untouched_title,
)
from .tokens import (
    _COMMENT_END,
    _COMMENT_START,
    _ENTITY_END,
    _ENTITY_START,
    _HEADING_END,
    _HEADING_START,
    _REFERENCE,
    _TAG_CLOSE_SELFCLOSE,
    _TAG_OPEN_OPEN,
    _TEMPLATE_CLOSE,
    _TEMPLATE_EQUALS,
    _TEMPLATE_OPEN,
    _TEMPLATE_SEPARATOR,
    _TEXT,
    _decodable,
    _tokenize_decoded,
    tokenize,
)
from .writer import TRIVIA_MARK, WRITTEN_HEADING


@dataclass(slots=True)
class _Line:
    kind: str  # "text", "item", "heading", "infobox"
    text: str = ""
    level: int = 0
    template: Template | None = None
    line: int = 1


@dataclass
class _Reader:
    """Turns mwparserfromhell's top-level nodes into lines, then into data."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    trivia: Any = None
    line_number: int = 1

    def warn(self, code: str, message: str, line: int) -> None:
        self.diagnostics.append(Diagnostic(code, message, line, 1, "warning"))

    def lines(self, code: Wikicode) -> list[_Line]:
        out: list[_Line] = []
        current: _Line | None = None
        infobox_taken = False
        nodes = code.nodes
        for i, node in enumerate(nodes):
            at_line_start = current is None
            if isinstance(node, Text):
                parts = _with_nul(node.value).split("\n")
                for j, part in enumerate(parts):
                    if j:
                        out.append(current if current is not None else _Line("text", line=self.line_number))
                        current = None
                        self.line_number += 1
                    if part:
                        if current is None:
                            current = _Line("text", line=self.line_number)
                        current.text += part
                        if "''" in part:
                            self.warn("W302", "wikitext markup (bold or italic) kept as text", self.line_number)
                continue
            if at_line_start and isinstance(node, Heading):
                title = _decode(node.title)
                self._kept(title, self.line_number)
                current = _Line("heading", title.text.strip(_WS), node.level, line=self.line_number)
                continue
            if at_line_start and isinstance(node, Tag) and node.wiki_markup == "*" and str(node) == "*":
                current = _Line("item", line=self.line_number)
                continue
            if (
                at_line_start
                and not infobox_taken
                and isinstance(node, Template)
                and is_infobox(_decode(node.name).text.strip(_WS))
                and _ends_line(nodes, i)
            ):
                infobox_taken = True
                current = _Line("infobox", template=node, line=self.line_number)
                self.line_number += str(node).count("\n")
                continue
            if isinstance(node, Comment) and node.contents.startswith(f" {TRIVIA_MARK} "):
                try:
                    self.trivia = json.loads(node.contents[len(TRIVIA_MARK) + 2 :])
                except ValueError:
                    self.warn("W301", "the wikiplain-trivia comment is not valid JSON; ignored", self.line_number)
                continue
            if current is None:
                current = _Line("text", line=self.line_number)
            if isinstance(node, HTMLEntity):  # the common case, without the general decoder
                current.text += entity_text(node, ours=True)
                continue
            decoded = _decode(Wikicode([node]))
            self._kept(decoded, self.line_number)
            current.text += decoded.text
            self.line_number += decoded.text.count("\n")
        if current is not None:
            out.append(current)
        return out

    def _kept(self, decoded: _Decoded, line: int) -> None:
        for kind in sorted(set(decoded.kept)):
            self.warn("W302", f"wikitext markup ({kind}) kept as text", line)

    def data(self, lines: list[_Line]) -> dict[str, Any]:
        out = OutlineBuilder()
        seen_block = False
        for line in lines:
            if line.kind == "heading":
                title = line.text.strip(_WS)
                if line.level == 1 and not seen_block and out.data["title"] is None and title:
                    out.end_block()
                    out.data["title"] = title
                    continue
                out.heading(title, line.level)
                seen_block = True
            elif line.kind == "infobox":
                out.end_block()
                assert line.template is not None
                out.data["infobox"] = self.infobox(line.template, line.line)
                seen_block = True
            elif line.kind == "item":
                out.item(line.text.strip(_WS))
                seen_block = True
            else:
                # Multi-line text (a kept comment, say) breaks into lines of its own.
                for text in line.text.split("\n"):
                    text = text.rstrip(_WS)
                    if not text.strip(_WS):
                        out.end_block()
                        continue
                    out.text(text)
                    seen_block = True
        return out.data

    def infobox(self, template: Template, line: int) -> dict[str, Any]:
        name = _decode(template.name)
        self._kept(name, line)
        type_name = name.text.strip(_WS)[len("Infobox") :].strip(_WS) or None
        fields: list[dict[str, str | None]] = []
        for param in template.params:
            value = _decode(param.value)
            self._kept(value, line)
            if param.showkey:
                fields.append({"key": field_key(param.name), "value": value.text.strip(_WS)})
            else:
                fields.append({"key": value.text.strip(_WS), "value": None})
        return {"type": type_name, "fields": fields}


def _ends_line(nodes: list[WikiNode], i: int) -> bool:
    """Nothing but a line break (or the end) follows node ``i`` on its line."""
    if i + 1 >= len(nodes):
        return True
    following = nodes[i + 1]
    return isinstance(following, Text) and following.value.lstrip(" \t").startswith("\n")


Mode = Literal["auto", "exact", "clean"]


class _NotOurs(Exception):
    """The tree holds something to_wikitext does not write (the general reader takes over)."""


def _is_ours(toks: list[Any]) -> bool:
    """Only what to_wikitext writes: headings, one infobox template, ``*`` items,
    text, entities and the trivia comment (so the exact reading applies)."""
    templates = 0
    depth = 0  # inside the infobox template
    i = 0
    n = len(toks)
    while i < n:
        token = toks[i]
        kind = type(token)
        if kind is _TEXT:
            if "''" in token["text"]:  # bold or italic (to_wikitext escapes every '')
                return False
        elif kind is _ENTITY_START:
            while type(toks[i]) is not _ENTITY_END:
                i += 1
        elif kind is _HEADING_START or kind is _HEADING_END:
            if depth:
                return False
        elif kind is _TAG_OPEN_OPEN:
            if depth or token.get("wiki_markup") != "*" or type(toks[i + 2]) is not _TAG_CLOSE_SELFCLOSE:
                return False
            i += 2
        elif kind is _TEMPLATE_OPEN:
            templates += 1
            if templates > 1 or depth:
                return False
            try:
                name = _plain_run(toks, i + 1, _VALUE_STOPS)[0]
            except _NotOurs:
                return False  # markup in the name
            if not is_infobox("".join(name).strip(_WS)):
                return False
            depth = 1
        elif kind is _TEMPLATE_SEPARATOR or kind is _TEMPLATE_EQUALS:
            if not depth:
                return False
        elif kind is _TEMPLATE_CLOSE:
            depth = 0
        elif kind is _COMMENT_START:
            contents = toks[i + 1]
            if depth or type(contents) is not _TEXT or not contents["text"].startswith(f" {TRIVIA_MARK} "):
                return False
            i += 2
        else:
            return False
        i += 1
    return True


# -- reading what to_wikitext writes, from mwparserfromhell's tokens -------------------
#
# mwparserfromhell's tokenizer (C, or pure Python where the extension is
# missing) defines what the wikitext means; building its node tree costs about
# twice as much again, so wikitext that to_wikitext wrote is read straight from
# the token list.  Anything else raises _NotOurs, and the same tokens are then
# built into the tree the general readers walk.


#: Whether our own wikitext is read line by line without the tokenizer as far
#: as its lines are as to_wikitext writes them (_read_ours); tests turn it off.
_READ_WRITTEN_LINES = True


def _tokens_of(text: str) -> tuple[list[Any], bool]:
    """The tokens the walk of _read_ours reads ``text`` from: with its
    references decoded where it is dense with them, else the tokenizer's;
    and whether they are the tokenizer's own (which any reader can use)."""
    toks = _tokenize_decoded(text)
    return (tokenize(text), True) if toks is None else (toks, False)


class _NotWritten(Exception):
    """A line that is not as to_wikitext writes it (see _read_ours)."""


def _decoded_line(line: str) -> str:
    """A written line's text with its references decoded, as the Text tokens
    of _tokenize_decoded hold it (_NotWritten for one that stays a reference)."""
    if "&" not in line:
        return line

    def decoded(match: re.Match[str]) -> str:
        if reference_text(match[0], ours=True) is None:
            return match[0]  # text to the tokenizer too
        char = _decodable(match[0])
        if char is None:
            raise _NotWritten
        return char

    return _REFERENCE.sub(decoded, line)


def _written_text(raw: str, heading: bool = False) -> str:
    """The text that the writer wrote as ``raw`` (a paragraph line, an item's
    text, a heading's title), its references decoded; _NotWritten where it
    would have written that text otherwise.  (Without references, the text
    is ``raw`` itself: a search for what would be escaped decides, where
    escaping a line full of markup would build it anew.)"""
    if "&" not in raw:
        if (heading and raw.endswith("=")) or not escapes_nothing(raw, line_start=True):
            raise _NotWritten
        return raw
    text = _decoded_line(raw)
    if (_escape_heading(text) if heading else escape_text(text, line_start=True)) != raw:
        raise _NotWritten
    return text




def _entity_at(toks: list[Any], i: int) -> tuple[str, int]:
    """The text of the entity whose HTMLEntityStart is at ``i``, and the index
    after its end; a line break (to_wikitext never writes one) is _NotOurs."""
    char, after = entity_at(toks, i, ours=True)
    if "\n" in char:
        raise _NotOurs
    return char, after


def _plain_run(toks: list[Any], i: int, stop: tuple[type, ...]) -> tuple[list[str], int, bool]:
    """The decoded pieces of text and entities from ``i`` to the first token of
    a ``stop`` type (_NotOurs for any other token); its index; and whether the
    first piece that is not blank was an entity (a literal parameter name)."""
    pieces: list[str] = []
    entity_first: bool | None = None
    while True:
        token = toks[i]
        kind = type(token)
        if kind is _TEXT:
            value = _with_nul(token["text"])
            pieces.append(value)
            if entity_first is None and value.strip(_WS):
                entity_first = False
            i += 1
        elif kind is _ENTITY_START:
            char, i = _entity_at(toks, i)
            pieces.append(char)
            if entity_first is None:
                entity_first = True
        elif kind in stop:
            return pieces, i, bool(entity_first)
        else:
            raise _NotOurs


def _param_key_of(pieces: list[str], entity_first: bool) -> str:
    """The infobox key of a parameter name in wikitext that to_wikitext writes."""
    if len(pieces) == 1 and not entity_first:
        return _key_of_text(pieces[0])
    return _key_of("".join(pieces).strip(_WS), entity_first)


@functools.lru_cache(maxsize=4096)
def _key_of_text(raw: str) -> str:
    """The key of a parameter name written as plain text (the same names recur
    page after page, so each is worked out once)."""
    return _conventional_key(raw.strip(_WS))


_PARAM_STOPS = (_TEMPLATE_SEPARATOR, _TEMPLATE_EQUALS, _TEMPLATE_CLOSE)


_VALUE_STOPS = (_TEMPLATE_SEPARATOR, _TEMPLATE_CLOSE)


def _read_infobox(toks: list[Any], i: int) -> tuple[Infobox, int]:
    """The infobox template whose TemplateOpen is at ``i``, and the index after
    its close (_NotOurs unless its name and parameters are text and entities)."""
    pieces, i, _ = _plain_run(toks, i + 1, _VALUE_STOPS)
    name = "".join(pieces).strip(_WS)
    if not is_infobox(name):
        raise _NotOurs
    fields = []
    while type(toks[i]) is _TEMPLATE_SEPARATOR:
        pieces, i, entity_first = _plain_run(toks, i + 1, _PARAM_STOPS)
        if type(toks[i]) is _TEMPLATE_EQUALS:
            key = _param_key_of(pieces, entity_first)
            pieces, i, _ = _plain_run(toks, i + 1, _VALUE_STOPS)
            value = "".join(pieces).strip(_WS)
            if ":" in key:
                raise _NotOurs
            fields.append(canonical_field(key, value))
        else:  # a field line without ':'
            value = "".join(pieces).strip(_WS)
            if ":" in value:
                raise _NotOurs
            fields.append(canonical_field(value, None))
    return canonical_infobox(name[len("Infobox") :].strip(_WS) or None, fields), i + 1






def _usual_line_trivia(texts: list[str], trivia: Any) -> list[tuple[str, str, str]] | None:
    """``(text, trailing, newline)`` of each of a block's lines, when the trivia
    of each holds only the usual values (data._USUAL: CRLF, spaces or a tab
    after the line keep every line as it is); else None."""
    if type(trivia) is not list or len(trivia) != len(texts):
        return None
    out = []
    for text, t in zip(texts, trivia, strict=True):
        if type(t) is not dict:
            return None
        trailing = t.get("trailing", "")
        newline = t.get("newline", "\n")
        if (
            len(t) != ("trailing" in t) + ("newline" in t)
            or type(newline) is not str  # (hashable, and no subclass's equality)
            or type(trailing) is not str
            or ("newline", newline) not in _USUAL
            or ("trailing", trailing) not in _USUAL
        ):
            return None
        out.append((text, trailing, newline))
    return out


def _exact_lines(texts: list[str], trivia: Any) -> tuple[TextLine, ...] | None:
    """A paragraph's lines built with their usual trivia in one step (else None)."""
    lines = _usual_line_trivia(texts, trivia)
    return None if lines is None else tuple([new_text_line(text=t, trailing=tr, newline=nl) for t, tr, nl in lines])


def _exact_items(texts: list[str], trivia: Any) -> tuple[Item, ...] | None:
    """A list's items built with their usual trivia in one step (else None)."""
    lines = _usual_line_trivia(texts, trivia)
    if lines is None:
        return None
    return tuple([new_item(text=t, pad=" " if t else "", trailing=tr, newline=nl) for t, tr, nl in lines])


def _block_trivia(skeletons: Any, index: int) -> Any:
    """The "trivia" member of block ``index`` in a trivia skeleton's list of blocks (or None)."""
    if type(skeletons) is list and index < len(skeletons):
        block = skeletons[index]
        if type(block) is dict:
            return block.get("trivia")
    return None


def _read_ours(
    text: str, title: str | None, skeleton: Any = None, whole: list[list[Any]] | None = None
) -> tuple[Article, Any]:
    """The fast path: wikitext that holds nothing but what to_wikitext writes,
    read into canonical nodes directly.  Raises _NotOurs for anything else,
    and for text a plain article cannot hold, so those get the general reader.

    Two walks feed one builder (the closures below).  The lines as
    to_wikitext writes them are read first, one by one, without the
    tokenizer: each is checked by writing what it reads as again (a heading
    ``== Title ==``, an item ``* text``, a paragraph line, a blank line, the
    infobox template at the top, tokenized alone when it holds nothing that
    starts a construct).  From the first line that is not as written (or
    when ``_READ_WRITTEN_LINES`` is off, from the start), the rest is
    tokenized and walked token by token.  Why the split is exact: a written
    line holds no markup but its own (the writer's contract,
    property-tested against the tokenizer), so nothing in it opens a
    construct that reaches another line, and the tokenizer reads the rest
    as it reads it in the whole text.  Tokenizing was most of the time of
    reading our own wikitext; checking a line by writing it costs less, and
    no tokens are made for it.  (A property test holds the readings with and
    without the line walk equal.)

    ``skeleton`` is the trivia comment's data, when already read: a
    paragraph's lines are then built with their usual trivia in one step (and
    that trivia taken out of the skeleton); the rest is applied after.
    ``whole`` receives the tokenizer's tokens when it tokenized all of
    ``text`` (the general reader can use them)."""
    heading_node: PlainHeading | None = None
    infobox: Infobox | None = None
    lead: list[Block] = []
    outline: Outline[str, Block, Section] = Outline(canonical_section)
    open_section = outline.open
    blocks = lead
    paragraph: list[str] = []
    items: list[str] = []
    pieces: list[str] = []
    line_kind = ""  # "" text, "item", "heading", "infobox"
    seen_block = False
    trivia: Any = None
    # The skeleton's blocks of the lead or section being read, and its
    # sections' skeletons, innermost last (parallel to the open sections).
    has_skeleton = type(skeleton) is dict
    block_skeletons: Any = skeleton.get("lead") if has_skeleton else None
    section_skeletons: list[Any] = []

    def exact_block(texts: list[str], member: str) -> Block | None:
        """The block of ``texts`` built with its usual trivia, taken out of the
        skeleton ("lines" of a paragraph, "items" of a list); else None."""
        block_trivia = _block_trivia(block_skeletons, len(blocks))
        if type(block_trivia) is not dict or member not in block_trivia:
            return None
        if member == "lines":
            lines = _exact_lines(texts, block_trivia[member])
            block: Block | None = None if lines is None else new_paragraph(lines=lines, blank_after=BETWEEN)
        else:
            exact = _exact_items(texts, block_trivia[member])
            block = None if exact is None else new_bullet_list(items=exact, blank_after=BETWEEN)
        if block is not None:
            del block_trivia[member]
        return block

    def close_block() -> None:
        if paragraph:
            block = None if block_skeletons is None else exact_block(paragraph, "lines")
            blocks.append(canonical_paragraph(paragraph) if block is None else block)  # copied into a tuple
            paragraph.clear()
        elif items:
            block = None if block_skeletons is None else exact_block(items, "items")
            blocks.append(canonical_list(items) if block is None else block)
            items.clear()

    def end_line() -> None:
        nonlocal line_kind, seen_block
        text = "".join(pieces)
        pieces.clear()
        kind, line_kind = line_kind, ""
        if kind == "item":
            if paragraph:
                close_block()
            items.append(text.strip(_WS))
            seen_block = True
        elif kind:  # a heading or the infobox: nothing else may stand on its line
            if text.strip(WHITESPACE):
                raise _NotOurs
        else:
            text = text.rstrip(WHITESPACE)
            if not text:
                close_block()
                return
            if misread_kind(text, infobox_is_text=seen_block or bool(paragraph)):
                raise _NotOurs  # the plain format would read this line otherwise
            if items:
                close_block()
            paragraph.append(text)
            seen_block = True

    def heading(level: int, name: str) -> None:
        """A heading line of ``level`` whose text is ``name``: the title, or a section."""
        nonlocal heading_node, blocks, block_skeletons, seen_block
        if paragraph or items:
            close_block()
        if level == 1 and not seen_block and heading_node is None and not outline and name:
            heading_node = canonical_heading(1, name)
            return
        if not name.strip(HEADING_MARKS):  # not is_heading_title(name), inline
            raise _NotOurs
        blocks = []
        open_section(level, name, blocks)
        if has_skeleton:
            # This section's skeleton: the next one of its parent's.
            depth, index = outline.position()
            del section_skeletons[depth:]
            parent = section_skeletons[-1] if section_skeletons else skeleton
            siblings = parent.get("sections") if type(parent) is dict else None
            own = siblings[index] if type(siblings) is list and index < len(siblings) else None
            section_skeletons.append(own)
            block_skeletons = own.get("blocks") if type(own) is dict else None
        seen_block = True

    # -- the lines as written, without the tokenizer ----------------------------
    lines = text.split("\n")
    ended = not lines[-1]  # (the text ends with a line break)
    if ended:
        lines.pop()
    count = len(lines)
    i = 0
    if not _READ_WRITTEN_LINES or "\r" in text or "\x00" in text:
        count = 0  # (a CR or NUL is never written: the tokens read them)
    try:
        while i < count:
            line = lines[i]
            if not line:
                if paragraph or items:
                    close_block()  # an empty line
                i += 1
                continue
            first = line[0]
            if first == "=":
                match = WRITTEN_HEADING(line)
                if match is None:
                    break
                written = match[2]
                if untouched_title(written):
                    name = written  # most titles: _written_text's first case, without its calls
                elif not written.strip(HEADING_MARKS):
                    break
                else:
                    # (_render_heading(level, name) == line + "\n")
                    name = _with_nul(_written_text(written, heading=True))
                heading(len(match[1]), name.strip(_WS))
            elif first == "*":
                if line == "*":
                    item = ""
                elif line[1:2] == " " and len(line) > 2:
                    item = _written_text(line[2:])  # (_render_item(item) == line + "\n")
                else:
                    break
                if paragraph:
                    close_block()
                items.append(_with_nul(item).strip(_WS))
                seen_block = True
            elif first == "{" and line.startswith("{{Infobox") and infobox is None and not seen_block:
                end = i
                if not line.endswith("}}"):
                    while end < count and lines[end] != "}}":
                        end += 1
                    if end == count:
                        break
                region = "\n".join(lines[i : end + 1])
                if "[" in region or "<" in region or "{" in region[2:]:
                    # Only these start a construct that, left open, would
                    # read further in the whole text than in the template
                    # alone: without them, its tokens are the same in both.
                    break
                box_tokens = tokenize(region)
                if type(box_tokens[0]) is not _TEMPLATE_OPEN or type(box_tokens[-1]) is not _TEMPLATE_CLOSE:
                    break
                box_tokens.append(_END)
                try:
                    box, after = _read_infobox(box_tokens, 0)
                except _NotOurs:
                    break  # (the token walk decides)
                if after != len(box_tokens) - 1:
                    break
                infobox = box
                seen_block = True
                i = end
            else:  # a paragraph line: _render_text_line(decoded) == line + "\n", without the copies
                decoded = _with_nul(_written_text(line))
                if decoded[0] not in "=-I" and decoded[-1] not in WHITESPACE:  # (end_line(), without the call)
                    if items:
                        close_block()
                    paragraph.append(decoded)
                    seen_block = True
                else:
                    pieces.append(decoded)
                    end_line()
            i += 1
    except _NotWritten:
        pass
    if i == count == len(lines):
        toks: list[Any] = [_END]
    else:
        rest = text if not i else "\n".join(lines[i:]) + ("\n" if ended else "")
        toks, tokenized = _tokens_of(rest)
        if tokenized and not i and whole is not None:
            whole.append(toks)
        toks.append(_END)  # a sentinel: no index check in the walk

    # -- the rest, token by token -------------------------------------------------
    try:
        i = 0
        while True:
            token = toks[i]
            kind = type(token)
            if kind is _TEXT:
                i += 1
                value = token["text"]
                if value == "\n" and line_kind == "heading" and not pieces:
                    line_kind = ""  # the end of a heading line followed by another heading
                    continue
                if "''" in value:
                    raise _NotOurs  # bold or italic: to_wikitext escapes every ''
                parts = _with_nul(value).split("\n")
                last = parts.pop()
                if parts:
                    lines_of = iter(parts)
                    first = next(lines_of)
                    # The common ends of a heading or item line, without end_line().
                    if line_kind == "heading" and not pieces and not first.strip(WHITESPACE):
                        line_kind = ""
                    elif line_kind == "item" and not pieces and not paragraph:
                        items.append(first.strip(_WS))
                        line_kind = ""
                        seen_block = True
                    elif pieces or line_kind or first:
                        pieces.append(first)
                        end_line()
                    elif paragraph or items:
                        close_block()  # an empty line
                    # Whole lines between the first and the last part: nearly all
                    # are paragraph text or empty, handled here without a call.
                    for line in lines_of:
                        if not line:
                            if paragraph and block_skeletons is None:
                                blocks.append(canonical_paragraph(paragraph))  # copied into a tuple
                                paragraph.clear()
                            elif paragraph or items:
                                close_block()
                        elif line[0] not in "=-I" and line[-1] not in WHITESPACE:
                            if items:
                                close_block()
                            paragraph.append(line)
                            seen_block = True
                        else:
                            pieces.append(line)
                            end_line()
                if last:
                    pieces.append(last)
            elif kind is _ENTITY_START:
                char, i = _entity_at(toks, i)
                pieces.append(char)
            elif kind is _EndToken:
                break
            elif pieces or line_kind:
                raise _NotOurs  # markup inside a line
            elif kind is _TAG_OPEN_OPEN:
                # "*" at a line start: TagOpenOpen(wiki_markup="*"), Text("li"), TagCloseSelfclose.
                if token.get("wiki_markup") != "*" or type(toks[i + 2]) is not _TAG_CLOSE_SELFCLOSE:
                    raise _NotOurs
                line_kind = "item"
                i += 3
            elif kind is _HEADING_START:
                following = toks[i + 1]
                if type(following) is _TEXT and type(toks[i + 2]) is _HEADING_END:  # most titles: one piece of text
                    name = following["text"]
                    name = (name.replace(_NUL, "\x00") if "&" in name else name).strip(_WS)  # _with_nul, inline
                    i += 3
                else:
                    title_pieces, i = _plain_run(toks, i + 1, (_HEADING_END,))[:2]
                    i += 1
                    name = "".join(title_pieces).strip(_WS)
                heading(token["level"], name)
                line_kind = "heading"
            elif kind is _TEMPLATE_OPEN and infobox is None and not seen_block:
                infobox, i = _read_infobox(toks, i)
                following = toks[i]
                if type(following) is _TEXT and not following["text"].lstrip(" \t").startswith("\n"):
                    raise _NotOurs  # the template does not end its line
                line_kind = "infobox"
                seen_block = True
            elif kind is _COMMENT_START and trivia is None:
                contents = toks[i + 1]
                if type(contents) is not _TEXT or type(toks[i + 2]) is not _COMMENT_END:
                    raise _NotOurs
                comment = contents["text"]
                if not comment.startswith(f" {TRIVIA_MARK} "):
                    raise _NotOurs
                try:
                    trivia = json.loads(comment[len(TRIVIA_MARK) + 2 :])
                except ValueError:
                    raise _NotOurs from None
                line_kind = "infobox"  # only a line break may follow
                i += 3
            else:
                raise _NotOurs
    finally:
        toks.pop()  # the sentinel, whether the walk ended or gave up
    if pieces or line_kind:
        end_line()
    close_block()
    sections = outline.close()
    if heading_node is None and title is not None:
        heading_node = canonical_heading(1, title.strip(WHITESPACE))
    article = layout(new_article(title=heading_node, infobox=infobox, lead=tuple(lead), sections=tuple(sections)))
    return article, trivia


class _EndToken:
    """The sentinel after the last token."""


_END = _EndToken()


def _read(
    text: str,
    mode: Mode = "auto",
    title: str | None = None,
    keep_reference_sections: bool = False,
    diagnose: bool = True,
) -> tuple[Article, list[Diagnostic]]:
    # Bold and italic stay text (MediaWiki resolves them line by line; an
    # unclosed '' must not swallow the lines after it, as mwparserfromhell's
    # style tags would).
    toks: list[Any] | None = None
    real = mode == "clean" or (mode == "auto" and _surely_real(text))
    if not real and (title is None or ("\n" not in title and is_heading_title(title))):
        try:
            split = _split_trivia(text)
            if split is not None:
                # Tokenizing the comment would cost a third of the time; the
                # body read alone, then the comment's JSON.
                body, payload = split
                trivia = json.loads(payload)
                article, second = _read_ours(body, title, trivia)
                if second is not None:
                    raise _NotOurs  # a second trivia comment
            else:
                whole: list[list[Any]] = []
                try:
                    article, trivia = _read_ours(text, title, whole=whole)
                finally:
                    if whole:
                        toks = whole[0]  # (the general reader below can use them too)
        except (_NotOurs, ValueError):
            pass
        else:
            if trivia is None:  # a canonical article: nothing more to do or say
                return article, []
            reader = _Reader(trivia=trivia)
            return _with_trivia(article, reader), reader.diagnostics
    if not real:
        if toks is None:
            toks = tokenize(text)
        real = mode == "auto" and not _is_ours(toks)
    if real:
        from ..clean import clean_page, preprocess

        # What clean reading drops anyway (comments, references, ...) is cut
        # out before tokenizing, as MediaWiki's preprocessor does.
        preprocessed = preprocess(text)
        if toks is None or preprocessed.text is not text:
            toks = tokenize(preprocessed.text)
        data, diagnostics = clean_page(
            toks,
            title=title,
            keep_reference_sections=keep_reference_sections,
            preprocessed=preprocessed,
            diagnose=diagnose,
        )
        reader = _Reader(diagnostics=diagnostics)
        return _representable(data, reader), reader.diagnostics
    code: Wikicode = _Builder().build(toks)  # type: ignore[no-untyped-call]  # the tree, from the same tokens
    reader = _Reader()
    data = reader.data(reader.lines(code))
    if title is not None and data["title"] is None:
        data["title"] = title
    return _with_trivia(_representable(data, reader), reader), reader.diagnostics


_TRIVIA_OPEN = f"<!-- {TRIVIA_MARK} "


# Marks of a real page that to_wikitext never writes (it escapes every ''
# and every < before a letter or !): auto mode reads such text clean at once.
# (Case-insensitive after the literal "<" only: the regex engine then skips to each "<" in C.)
_REAL_TAGS = re.compile(rf"<(?:!--(?! {TRIVIA_MARK} )|(?i:ref|references)(?=[\s/>]))")


def _surely_real(text: str) -> bool:
    """Whether ``text`` holds marks of a real page that to_wikitext never
    writes (it escapes every '' and every < before a letter or !): bold or
    italic, a comment, a reference.  (Substring tests first: a regex with
    several first characters scans many times slower.)"""
    return "''" in text or ("<" in text and _REAL_TAGS.search(text) is not None)


def _split_trivia(text: str) -> tuple[str, str] | None:
    """``(body, JSON)`` when ``text`` ends with a trivia comment on a line of
    its own, as to_wikitext writes it (only whitespace after it); else None.
    The body then tokenizes as it does in the whole text: the comment starts
    a line, so no line or heading reaches into it, and nothing left open
    above it can end inside it (checked below); a property test holds the
    two readings equal."""
    start = text.rfind(_TRIVIA_OPEN)
    if start < 0 or (start and text[start - 1] != "\n"):
        return None
    end = text.find("-->", start)
    if end < 0 or text[end + 3 :].strip(" \t\r\n"):
        return None
    payload = text[start + len(_TRIVIA_OPEN) : end]
    # No closing tag in the comment (a <nowiki> or <pre> left open above it
    # would end there), and no other comment left open above it.
    if "<" in payload or text.find("<!--", 0, start) >= 0:
        return None
    return text[:start], payload


def _with_trivia(article: Article, reader: _Reader) -> Article:
    """The article with the whitespace of the trivia comment, where it fits."""
    if reader.trivia is None:
        return article
    try:
        applier = _Trivia()
        exact = applier.article(article, _obj(reader.trivia, "trivia comment"))
        # Whitespace of the wrong kind in the wrong place could join or split
        # lines, or turn one kind of line into another; trivia is used only
        # where the article still reads back as itself, which is what node
        # validation checks.  (Each value is already known to be whitespace of
        # its kind, so the lines' own text cannot change; and the usual values
        # -- CRLF, trailing spaces, more blank lines -- are known to keep every
        # line as it is, so validation runs only for the unusual ones.)
        if not applier.keeps_lines:
            check_tree(exact)
        return exact
    except (DataError, ValueError, TypeError, KeyError, AttributeError) as e:
        reader.warn("W301", f"the wikiplain-trivia comment does not fit the article ({e}); ignored", 1)
        return article


def _representable(data: dict[str, Any], reader: _Reader) -> Article:
    try:
        return from_dict(data)
    except DataError as e:
        reader.warn("W303", f"wikitext that a plain article cannot hold as it is ({e}); read as plain text", 1)
        return _plain_reading(data)


def _plain_reading(data: dict[str, Any]) -> Article:
    """Write the data as plain lines, unchecked, and parse them: what a plain
    reader makes of text the format cannot hold as it was."""
    lines: list[str] = []
    if data["title"] is not None:
        lines += [f"= {data['title']} =", ""]
    if data["infobox"] is not None:
        box = data["infobox"]
        lines.append("Infobox" + (f" {box['type']}" if box["type"] else ""))
        for f in box["fields"]:
            lines.append(f"- {f['key']}" + ("" if f["value"] is None else f": {f['value']}"))
        lines.append("")

    def blocks(items: list[dict[str, Any]]) -> None:
        for b in items:
            if b["type"] == "paragraph":
                lines.extend(b["text"].split("\n"))
            else:
                lines.extend(f"- {t}" for t in b["items"])
            lines.append("")

    def sections(items: list[dict[str, Any]]) -> None:
        for s in items:
            lines.append(f"{'=' * s['level']} {s['title']} {'=' * s['level']}")
            blocks(s["blocks"])
            sections(s["sections"])

    blocks(data["lead"])
    sections(data["sections"])
    return canonicalize(parse("\n".join(line.replace("\n", " ") for line in lines)))


def from_wikitext(
    text: str,
    *,
    mode: Mode = "auto",
    title: str | None = None,
    keep_reference_sections: bool = False,
    diagnostics: list[Diagnostic] | None = None,
) -> Article:
    """Read wikitext into an article.  Never raises on any ``str``.

    ``mode="exact"`` reads wikitext as :func:`to_wikitext` writes it: the
    article comes back exactly (``dumps`` gives the original plain text), and
    other markup is kept as text.  ``mode="clean"`` reads a real Wikipedia page
    into a clean article: links become their labels, references, files,
    categories, tables, hatnotes and maintenance templates go, common inline
    templates are rendered, reference-only sections are dropped (unless
    ``keep_reference_sections``).  ``mode="auto"`` (the default) reads exactly
    when the wikitext holds nothing but what ``to_wikitext`` writes, and cleans
    otherwise.  ``title`` names an article whose wikitext has no ``= Title =``
    line (a real page's title).  :func:`check_wikitext` lists what was kept,
    dropped or could not be mapped.
    """
    if not isinstance(text, str):
        raise TypeError(f"from_wikitext() takes a str, not {type(text).__name__}")
    with collector_paused(len(text)):
        article, found = _read(text, mode, title, keep_reference_sections, diagnose=diagnostics is not None)
    if diagnostics is not None:
        diagnostics.extend(found)
    return article


def check_wikitext(
    text: str, *, mode: Mode = "auto", title: str | None = None, keep_reference_sections: bool = False
) -> list[Diagnostic]:
    """What :func:`from_wikitext` (with the same options) kept, dropped or could not map."""
    with collector_paused(len(text)):
        return _read(text, mode, title, keep_reference_sections)[1]
