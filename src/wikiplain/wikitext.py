"""Article <-> MediaWiki wikitext, exact for every article.

``to_wikitext`` writes the article's meaning as the wikitext an editor would
write (``= Title =``, one ``{{Infobox ...}}`` template, ``== Heading ==``,
paragraphs, ``* item`` lists), escaping with HTML entities exactly where text
would otherwise turn into markup.  The plain text's whitespace that the
canonical form does not have (trailing spaces, CRLF, extra blank lines, ...)
travels in one trailing comment ``<!-- wikiplain-trivia {...} -->``, so
``from_wikitext`` gives back the plain article byte for byte.

``from_wikitext`` walks the tree ``mwparserfromhell.parse`` builds.  It never
raises: wikitext it cannot map is kept as text and reported by
:func:`check_wikitext`.  See docs/format.md ("Wikitext").
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from mwparserfromhell.definitions import SINGLE, URI_SCHEMES
from mwparserfromhell.nodes import Comment, Heading, HTMLEntity, Tag, Template, Text
from mwparserfromhell.nodes import Node as WikiNode
from mwparserfromhell.parser import tokens as _tokens
from mwparserfromhell.parser.builder import Builder as _Builder
from mwparserfromhell.parser.tokenizer import Tokenizer as _PyTokenizer
from mwparserfromhell.wikicode import Wikicode

from ._entities import entity_at, entity_text, reference_text
from ._gc import collector_paused
from ._lexer import Run, line_runs
from ._lines import (
    BOM,
    BULLET_LIST,
    FIELD,
    HEADING,
    HEADING_MARKS,
    INFOBOX,
    PARAGRAPH,
    TITLE,
    WHITESPACE,
    canonical_blank,
    heading_level,
    is_heading_title,
    is_infobox,
    misread_kind,
)
from .data import _USUAL, OutlineBuilder, _obj, _Trivia, article_trivia, from_dict
from .diagnostics import Diagnostic
from .errors import DataError
from .nodes import (
    Article,
    Block,
    BulletList,
    Infobox,
    Item,
    Paragraph,
    Section,
    TextLine,
    builder,
)
from .nodes import Heading as PlainHeading
from .outline import Outline
from .parser import _ToNodes, parse
from .serialize import (
    _bullet_list,
    _paragraph,
    canonical_blanks,
    canonical_block_trivia,
    canonical_field,
    canonical_heading,
    canonical_infobox,
    canonical_list,
    canonical_paragraph,
    canonical_section,
    canonical_text_line,
    canonicalize,
    dumps,
    is_canonical,
    layout,
)

__all__ = ["check_wikitext", "field_key", "from_wikitext", "param_name", "to_wikitext"]

TRIVIA_MARK = "wikiplain-trivia"

#: mwparserfromhell reads no further than a NUL character and keeps "&#0;" as
#: text, so the reader turns that text back into NUL (a literal "&#0;" in the
#: article is written "&#38;#0;", which never reads as this).
_NUL = "&#0;"


def _with_nul(text: str) -> str:
    """Raw wikitext text with "&#0;" read as NUL."""
    # ("&" in text) is a memchr; replace() would search for the whole needle.
    return text.replace(_NUL, "\x00") if "&" in text else text


#: Stripped from decoded wikitext pieces (template names and values end in line breaks).
_WS = WHITESPACE + "\n"

# -- escaping -------------------------------------------------------------------
# Each rule names a character that starts markup in some context, and is
# escaped only there, as a numeric entity (MediaWiki's own way, cf.
# wfEscapeWikiText; mwparserfromhell reads it as an HTMLEntity node).

_LINE_START = re.compile(r"[*#:; =]|-(?=---)|\{(?=\|)")
#: A table also starts after leading whitespace: MediaWiki trims the line
#: (PHP's trim: space, tab, CR, NUL, vertical tab) and mwparserfromhell allows
#: one run of whitespace (str.isspace) before "{|".
_INDENTED_TABLE = re.compile(r"\s+(\{)(?=\|)")
#: A template value starts a line in most infoboxes: Wikipedia's Module:Infobox
#: puts a value that starts with a list marker or "{|" on a line of its own.
_VALUE_START = re.compile(r"[*#:;]|\{(?=\|)")

# One regex per context finds exactly the characters to escape: every rule
# names a character that starts markup, what must follow it (lookahead), or
# for a colon, the URL scheme before it (lookbehind).
#: URL schemes: mwparserfromhell's and MediaWiki's ($wgUrlProtocols, which adds "matrix:").
_URL_SCHEMES = sorted({*URI_SCHEMES, "matrix"})
_SCHEME_COLON = ":(?:" + "|".join(f"(?<=(?i:{re.escape(s)}):)" for s in _URL_SCHEMES) + ")"
#: MediaWiki's magic links: ISBN, RFC or PMID at a word boundary, then spaces
#: (tab or any Unicode space separator, Zs) and a digit.  The keyword's first
#: letter is escaped: an escaped space would not do, since "&#160;" still
#: counts as a space for MediaWiki.  PCRE's word boundary may count non-ASCII
#: letters as word characters; only an ASCII one is trusted to prevent a link.
_ZS = "\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_MAGIC_WORD = rf"(?<![A-Za-z0-9_])(?:ISBN|RFC|PMID)(?=[\t{_ZS}]+[0-9])"
#: "<" starts a tag for mwparserfromhell unless whitespace (str.isspace) or one
#: of its tokenizer's markers follows; "/" (a closing tag), "!" (a comment) and
#: '"' (a tag name for its C tokenizer, not for the Python one) do start one.
#: MediaWiki is narrower (an ASCII letter, "/" or "!").  Any other character
#: after "<", "é" or "~" say, can begin a tag name that a later "/>" or ">"
#: closes, even lines later.
_TAG_START = r"<(?=[^\s{}\[\]<>|=&'#*;:\-])"
_INLINE_RULES = [
    r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)",  # an entity
    _TAG_START,  # a tag or a comment
    r"\[(?=\[|[A-Za-z][A-Za-z0-9+.-]*:|//)",  # a wikilink or a bracketed external link
    r"\{(?=\{)",  # a template or an argument
    r"(?<=-)\{",  # language-variant markup -{ }- (MediaWiki's preprocessor: a bracket that hides "}}")
    r"'(?=')",  # bold or italic
    r"~(?=~~)",  # a signature (MediaWiki)
    r"_(?=_)",  # a behaviour switch such as __TOC__ (MediaWiki)
    r"[\r\x00]",  # would end the line; mwparserfromhell stops reading at NUL
    _SCHEME_COLON,  # a bare URL
    _MAGIC_WORD,
]
#: Inside a template, '|' separates parameters and '}}' closes the template.
_TEMPLATE_RULES = [*_INLINE_RULES, r"\|", r"\}(?=\})"]
#: In a template or parameter name (or a value without a name), '=' would start
#: the value, and mwparserfromhell rejects names with brackets.
_NAME_RULES = [*_INLINE_RULES, r"[|=\[\]<>{}]"]
_INLINE, _IN_TEMPLATE, _IN_NAME = "inline", "template", "name"
_ESCAPES = {
    context: re.compile("|".join(rules))
    for context, rules in ((_INLINE, _INLINE_RULES), (_IN_TEMPLATE, _TEMPLATE_RULES), (_IN_NAME, _NAME_RULES))
}
# Speed: a regex of many alternatives is tried at every position of the text
# (about 30 ms per MB), while ``part in text`` scans in C at memory speed.  So
# the whole regex runs only on text that holds the start of one of those
# rules; text with none of them needs at most the colon rule and the
# magic-link rule, each a regex that starts with a literal (fast to find).
# (Single characters: ``in`` finds one with memchr; a longer needle costs a
# search set-up per call, slower on lines of ordinary length.)
# ("'", "_" and "~" start a rule only doubled or tripled: tested in escape_text.)
_RULE_STARTS = {_INLINE: "&<[{\r\x00", _IN_TEMPLATE: "&<[{\r\x00|}", _IN_NAME: "&<[{\r\x00|=]>}"}
_SCHEME_COLON_RE = re.compile(_SCHEME_COLON)
_MAGIC_WORD_RE = re.compile(_MAGIC_WORD)


def _entity(match: re.Match[str]) -> str:
    """The match with its first character as a numeric entity."""
    found = match.group()
    return f"&#{ord(found[0])};{found[1:]}"


def _escape_char(text: str, index: int) -> str:
    return f"{text[:index]}&#{ord(text[index])};{text[index + 1 :]}"


def escape_text(text: str, *, line_start: bool = False, chars: str = _INLINE) -> str:
    """``text`` as wikitext that reads back as exactly ``text``, with no markup.

    A character is written as a numeric entity (``&#123;``) only where it would
    start markup: ``{{``, ``-{``, ``[[``, ``[http:``, ``''``, ``<tag``,
    ``&name;``, ``~~~``, ``__``, a URL scheme's colon, the first letter of an
    ISBN/RFC/PMID magic link, and with ``line_start`` the list, indent, pre,
    rule, table and heading markers at the start of a line.  ``chars`` names
    the context: running text, a template value (whose start is escaped as a
    line start for list markers and tables), or a template or parameter name.
    """
    for start in _RULE_STARTS[chars]:
        if start in text:
            text = _ESCAPES[chars].sub(_entity, text)
            break
    else:
        if ("'" in text and "''" in text) or ("_" in text and "__" in text) or ("~" in text and "~~~" in text):
            # (an apostrophe or underscore alone, common in prose, starts no rule)
            return _escape_start(_ESCAPES[chars].sub(_entity, text), line_start, chars)
        if ":" in text:
            text = _SCHEME_COLON_RE.sub(_entity, text)
        if "ISBN" in text or "RFC" in text or "PMID" in text:
            text = _MAGIC_WORD_RE.sub(_entity, text)
    return _escape_start(text, line_start, chars)


def _escape_start(text: str, line_start: bool, chars: str) -> str:
    """Already escaped ``text`` with the markers that only a line's (or a
    template value's) start makes markup escaped too."""
    if line_start and text:
        if text[0] in "*#:; =-{" and _LINE_START.match(text):
            return _escape_char(text, 0)
        if "{" in text and text[0].isspace():
            table = _INDENTED_TABLE.match(text)
            if table:
                return _escape_char(text, table.start(1))
    elif chars == _IN_TEMPLATE and text and text[0] in "*#:;{" and _VALUE_START.match(text):
        return _escape_char(text, 0)
    return text


def _escape_heading(title: str) -> str:
    escaped = escape_text(title, line_start=True)
    if escaped.endswith("="):  # would lengthen the closing run
        escaped = escaped[:-1] + "&#61;"
    return escaped


# -- infobox keys ----------------------------------------------------------------


def _capitalizes(name: str) -> bool:
    """``name`` is a conventional parameter name: ``partof`` for the key ``Partof``."""
    first = name[:1]
    return (
        first.islower() and first.upper().lower() == first and len(first.upper()) == 1 and name[1:] == name[1:].lower()
    )


def param_name(key: str) -> str:
    """The template parameter name of an infobox key (Wikipedia's convention).

    ``Partof`` -> ``partof``, ``Casualties1`` -> ``casualties1``: a key whose
    first letter is a capital and whose other letters are small becomes all
    small.  Other keys (``ISBN``, ``Website URL``) are written as they are; a
    key that would read as a conventional name (``place``) starts with an
    entity (``&#112;lace``), which marks it as literal.
    """
    lowered = key[:1].lower() + key[1:]
    if key and lowered != key and _capitalizes(lowered) and lowered[:1].upper() == key[:1]:
        return escape_text(lowered, chars=_IN_NAME)
    escaped = escape_text(key, chars=_IN_NAME)
    if _capitalizes(key):  # its first character, a letter, is never escaped by a rule
        escaped = f"&#{ord(key[0])};" + escaped[1:]
    return escaped


def field_key(name: Wikicode) -> str:
    """The infobox key of a parameter name (the inverse of :func:`param_name`)."""
    return _key_from(name, _decode(name).text.strip(_WS))


def _key_from(name: Wikicode, text: str) -> str:
    """The key for a name whose decoded, stripped text is ``text``."""
    literal = next((n for n in name.nodes if not (isinstance(n, Text) and not n.value.strip(_WS))), None)
    return _key_of(text, isinstance(literal, HTMLEntity))


def _key_of(text: str, entity_first: bool) -> str:
    """The key for a parameter name whose decoded, stripped text is ``text``:
    an entity first marks the name as literal; else the conventional key."""
    return text if entity_first else _conventional_key(text)


def _conventional_key(text: str) -> str:
    """The key of a name not marked literal: ``partof`` -> ``Partof``."""
    return text[0].upper() + text[1:] if _capitalizes(text) else text


# -- writing ---------------------------------------------------------------------


# Each kind of line has one renderer, used both for a tree (to_wikitext of an
# Article) and for canonical text read straight from the lexer's runs.


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


def _spaced_title(line: str, level: int) -> str | None:
    """The text between the runs of ``=`` of a heading line of ``level``
    (its line ending and trailing space cut off) spelled as the writers write
    one: a single space inside each run of exactly ``level`` "=" (a longer run
    leaves "=" there); else None."""
    size = len(line)
    if not level or line[level : level + 1] != " " or line[size - level - 1 : size - level] != " ":
        return None
    return line[level + 1 : size - level - 1]


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
            level = heading_level(line[:-1])
            title = _spaced_title(line[:-1], level)
            # "== Title ==\n": one space on each side of a stripped title
            # (what heading_from_line and canonical_heading_trivia would find).
            if line[-1:] != "\n" or not title or title[0] in _WS or title[-1] in _WS:
                return None
            out.append(_render_heading(level, title))
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


@dataclass
class _Decoded:
    """Decoded text and what could not be mapped (node kinds kept as text)."""

    text: str = ""
    kept: list[str] = field(default_factory=list)


def _decode(code: Wikicode | None) -> _Decoded:
    """Text as a reader sees it: entities decoded, ``<nowiki>`` unwrapped;
    any other markup is kept as its source text and noted."""
    out = _Decoded()
    if code is None:
        return out
    pieces = []
    for node in code.nodes:
        if isinstance(node, Text):
            pieces.append(_with_nul(node.value))
        elif isinstance(node, HTMLEntity):
            pieces.append(entity_text(node, ours=True))
        elif isinstance(node, Tag) and str(node.tag).lower() == "nowiki" and not node.wiki_markup:
            pieces.append(str(node.contents) if node.contents is not None else "")
        else:
            pieces.append(str(node))
            out.kept.append(type(node).__name__)
    out.text += "".join(pieces)
    return out


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

try:  # mwparserfromhell's C tokenizer, where its extension is built
    from mwparserfromhell.parser._tokenizer import CTokenizer as _CTokenizer
except ImportError:  # pragma: no cover - the pure-Python tokenizer reads the same
    _CTokenizer = None

_TEXT = _tokens.Text
_ENTITY_START = _tokens.HTMLEntityStart
_ENTITY_NUMERIC = _tokens.HTMLEntityNumeric
_ENTITY_HEX = _tokens.HTMLEntityHex
_ENTITY_END = _tokens.HTMLEntityEnd
_HEADING_START = _tokens.HeadingStart
_HEADING_END = _tokens.HeadingEnd
_TAG_OPEN_OPEN = _tokens.TagOpenOpen
_TAG_CLOSE_SELFCLOSE = _tokens.TagCloseSelfclose
_TEMPLATE_OPEN = _tokens.TemplateOpen
_TEMPLATE_SEPARATOR = _tokens.TemplateParamSeparator
_TEMPLATE_EQUALS = _tokens.TemplateParamEquals
_TEMPLATE_CLOSE = _tokens.TemplateClose
_COMMENT_START = _tokens.CommentStart
_COMMENT_END = _tokens.CommentEnd


def tokenize(text: str) -> list[Any]:
    """mwparserfromhell's tokens of ``text``, bold and italic left as text (its
    C tokenizer where built, else its pure-Python one); openings that nothing
    can close hidden from it on pages full of them (see _unclosable_hidden)."""
    tokenizer = _CTokenizer() if _CTokenizer is not None else _PyTokenizer()  # type: ignore[no-untyped-call]
    if "\x00" in text:  # the C tokenizer reads no further than a NUL: give it the spelling we read as NUL
        text = text.replace("\x00", _NUL)
    hidden = _unclosable_hidden(text)
    result: list[Any] = tokenizer.tokenize(text if hidden is None else hidden, 0, True)
    if hidden is not None:  # the hidden openings back in the text that holds them
        for token in result:
            if type(token) is _TEXT and _HIDING_CHARS.intersection(token["text"]):
                token["text"] = token["text"].translate(_UNHIDE)
    return result


_MANY_UNCLOSABLE = 256
# Non-characters stand for the hidden openings while the tokenizer runs.
_HIDE = {"<": "\ufdd0", "[": "\ufdd1", "{": "\ufdd2"}
_HIDE_TABLE = str.maketrans(_HIDE)
_UNHIDE = str.maketrans({hiding: char for char, hiding in _HIDE.items()})
_HIDING_CHARS = frozenset(_HIDE.values())
_LINK_OPENING = re.compile(r"\[(?=//|(?i:" + "|".join(sorted(URI_SCHEMES, key=len, reverse=True)) + r"):)")
_TAG_OPENING = re.compile(r"<([A-Za-z][A-Za-z0-9]*)")
_TAG_CLOSING = re.compile(r"</([A-Za-z][A-Za-z0-9]*)")
_SINGLE_TAGS = frozenset(SINGLE)


def _unclosable_hidden(text: str) -> str | None:
    """``text`` with the openings that nothing after them can close hidden, on
    a page with hundreds of them of one kind (else None): tags whose closing
    tag never follows (not those that stand alone, such as ``<br>``), ``{{``
    after the last ``}}``, ``[[`` after the last ``]]``, ``[`` opening an
    external link after the last ``]``.  mwparserfromhell reads them as text,
    but it looks for the close from each of them to the end of the text,
    which takes quadratic time (its issue #364): a megabyte of them, hours.
    Hidden, they are read as text at once; tokenize puts them back.  Only on
    such pages, because an opening can also spoil a construct around it
    (``{{[[}}`` is text): ordinary pages are read exactly as the tokenizer
    reads them.  A page that holds the hiding characters is left alone."""
    if "\ufdd0" in text or "\ufdd1" in text or "\ufdd2" in text:
        return None
    hidden = text
    # Counting one character is many times faster than finding two: most
    # pages have too few of them to need a look.
    if text.count("<") > _MANY_UNCLOSABLE:
        last_close: dict[str, int] = {}
        for match in _TAG_CLOSING.finditer(text):
            last_close[match.group(1).lower()] = match.start()
        unclosable = [
            match.start()
            for match in _TAG_OPENING.finditer(text)
            if last_close.get(match.group(1).lower(), -1) < match.start() and match.group(1).lower() not in _SINGLE_TAGS
        ]
        if len(unclosable) > _MANY_UNCLOSABLE:
            pieces: list[str] = []
            copied = 0
            for start in unclosable:
                pieces += [hidden[copied:start], _HIDE["<"]]
                copied = start + 1
            hidden = "".join(pieces) + hidden[copied:]
    for opening, closing in (("{{", "}}"), ("[[", "]]")):
        if hidden.count(opening[0]) <= 2 * _MANY_UNCLOSABLE:
            continue
        last = hidden.rfind(closing)
        after = last + 2 if last >= 0 else 0
        if hidden.count(opening, after) > _MANY_UNCLOSABLE:
            hidden = hidden[:after] + hidden[after:].replace(opening, opening.translate(_HIDE_TABLE))
    last = hidden.rfind("]")
    if hidden.count("[", last + 1) > _MANY_UNCLOSABLE:
        hidden = hidden[: last + 1] + _LINK_OPENING.sub(_HIDE["["], hidden[last + 1 :])
    return None if hidden is text else hidden


#: Whether our own wikitext is read line by line without the tokenizer where
#: every line is as to_wikitext writes it (_written_tokens); tests turn it off.
_READ_WRITTEN_LINES = True

#: Wikitext with at least this many "&" has its references decoded before
#: tokenizing on the fast path (see _references_decoded).
MANY_REFERENCES = 64
_REFERENCE = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z0-9]+);")
#: Private-use characters of plane 16 stand for decoded references while the
#: tokenizer runs (a text that holds one is tokenized as it is).
_STAND_IN = 0x100000
_STAND_INS = re.compile("[\U00100000-\U0010FFFF]")
#: Decoded characters that stay references: each would read differently as
#: text in a Text token ("\n" ends a line, "'" can make "''", "&" can make
#: the "&#0;" that reads as NUL).
_KEPT_REFERENCES = frozenset("\n'&")


def _decodable(spelling: str) -> str | None:
    """The character a reference decodes to where the fast paths may put it in
    a Text token; None for one that stays a reference (a character listed in
    _KEPT_REFERENCES, or a reference to no valid character, which reads as its
    own spelling).  ``spelling`` is a reference the tokenizer reads as one."""
    char = reference_text(spelling, ours=True)
    return None if char is None or char in _KEPT_REFERENCES or len(char) > 1 else char


def _references_decoded(text: str) -> tuple[str, dict[int, str]] | None:
    """The text with each character reference that the fast path would decode
    replaced by a stand-in character, and the table from stand-ins to the
    characters they decode to; None for a text with few references.

    mwparserfromhell makes three to five tokens of every reference; in our
    own wikitext a reference is an escaped character and nothing more, and a
    text full of them took the tokenizer and the walk over its tokens four
    times as long as prose.  A stand-in is plain text to the tokenizer, as
    inert as the reference was (it starts no markup and ends none), so the
    text tokenizes alike; the stand-ins are replaced in the Text tokens.
    Only what the walk reads as text is decoded: nothing before the end of
    the last template (a parameter name that starts with a reference is
    literal), and no reference to a character listed in _KEPT_REFERENCES.
    Whatever the walk does not accept is read again from the text as given.
    A property test holds both readings equal."""
    if text.count("&") < MANY_REFERENCES or _STAND_INS.search(text) is not None:
        return None
    stand_ins: dict[str, str] = {}
    table: dict[int, str] = {}

    def stand_in(match: re.Match[str]) -> str:
        spelling = match[0]
        found = stand_ins.get(spelling)
        if found is None:
            char = _decodable(spelling)
            if char is None or len(table) >= 0xFFFE:
                found = spelling
            else:
                found = chr(_STAND_IN + len(table))
                table[ord(found)] = char
            stand_ins[spelling] = found
        return found

    start = text.rfind("}}") + 2 if "}}" in text else 0
    hidden = text[:start] + _REFERENCE.sub(stand_in, text[start:])
    return (hidden, table) if table else None


def _tokenize_decoded(text: str) -> list[Any] | None:
    """The tokens of ``text`` with its references decoded in the Text tokens
    (see _references_decoded), or None for a text with few references."""
    decoded = _references_decoded(text)
    if decoded is None:
        return None
    hidden, table = decoded
    toks = tokenize(hidden)
    for token in toks:
        if type(token) is _TEXT:
            value = token["text"]
            if not value.isascii():  # (stand-ins are not ASCII)
                token["text"] = value.translate(table)
    return toks


def _ours_tokens(text: str) -> tuple[list[Any], bool]:
    """The tokens the fast path reads ``text`` from: built from its written
    lines, else with its references decoded, else the tokenizer's; and
    whether they are the tokenizer's own (which any reader can use)."""
    toks = (_written_tokens(text) if _READ_WRITTEN_LINES else None) or _tokenize_decoded(text)
    return (tokenize(text), True) if toks is None else (toks, False)


class _NotWritten(Exception):
    """A line that is not as to_wikitext writes it (see _written_tokens)."""


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


# Tokens that _written_tokens shares between the places it puts them (the
# walk reads tokens and never changes them): a new one costs a Python call.
_WRITTEN_HEADING_STARTS = {level: _HEADING_START(level=level) for level in range(1, 7)}
_WRITTEN_HEADING_END = _HEADING_END()
_WRITTEN_ITEM = (_TAG_OPEN_OPEN(wiki_markup="*"), _TEXT(text="li"), _TAG_CLOSE_SELFCLOSE())


def _written_tokens(body: str) -> list[Any] | None:
    """mwparserfromhell's tokens of ``body`` with references decoded (as
    _tokenize_decoded makes them), built without its tokenizer, when every
    line of ``body`` is a line as to_wikitext writes it; else None.

    Each line is checked by writing what it reads as again: a heading
    (``== Title ==``), an item (``* text``), a paragraph line, a blank line,
    the infobox template at the top (tokenized alone, when it holds nothing
    that starts a construct: its parameter names need their references).
    A line that to_wikitext wrote holds no markup but its own (the writer's
    contract, property-tested against the tokenizer), so nothing in it can
    open a construct that reaches another line, and its tokens are those of
    its kind of line.  Tokenizing was
    most of the time of reading our own wikitext; checking a line by
    writing it is about a quarter of that.  A property test holds these
    tokens equal to the tokenizer's."""
    if not body.endswith("\n") or "\r" in body or "\x00" in body:
        return None
    lines = body.split("\n")
    lines.pop()  # "" after the last line break
    toks: list[Any] = []
    text: list[str] = []  # the text since the last markup token

    def flush() -> None:
        if text:
            toks.append(_TEXT(text="".join(text)))
            text.clear()

    seen_block = False
    i = 0
    count = len(lines)
    try:
        while i < count:
            line = lines[i]
            i += 1
            if not line:
                text.append("\n")
                continue
            first = line[0]
            if first == "=":
                level = heading_level(line)
                written = _spaced_title(line, level)
                if written is None:
                    return None
                title = _decoded_line(written)
                if _escape_heading(title) != written:  # (_render_heading(level, title) == line + "\n")
                    return None
                flush()
                toks += (_WRITTEN_HEADING_STARTS[level], _TEXT(text=f" {title} "), _WRITTEN_HEADING_END)
                text.append("\n")
                seen_block = seen_block or level > 1
            elif first == "*":
                item = _decoded_line(line[2:])
                if _render_item(item) != line + "\n":
                    return None
                flush()
                toks += _WRITTEN_ITEM
                text.append(f" {item}\n" if item else "\n")
                seen_block = True
            elif first == "{" and line.startswith("{{Infobox") and not seen_block:
                end = i - 1
                if not line.endswith("}}"):
                    while end < count and lines[end] != "}}":
                        end += 1
                    if end == count:
                        return None
                region = "\n".join(lines[i - 1 : end + 1])
                if "[" in region or "<" in region or "{" in region[2:]:
                    # Only these start a construct that, left open, would
                    # read further in the whole text than in the template
                    # alone: without them, its tokens are the same in both.
                    return None
                box_tokens = tokenize(region)
                if type(box_tokens[0]) is not _TEMPLATE_OPEN or type(box_tokens[-1]) is not _TEMPLATE_CLOSE:
                    return None
                flush()
                toks += box_tokens
                text.append("\n")
                i = end + 1
                seen_block = True
            else:  # a paragraph line: _render_text_line(decoded) == line + "\n", without the copies
                decoded = _decoded_line(line)
                if escape_text(decoded, line_start=True) != line:
                    return None
                text += (decoded, "\n")
                seen_block = True
    except (_NotWritten, _NotOurs, IndexError):
        return None
    flush()
    return toks


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


_exact_line = builder(TextLine, "text", "trailing", "newline")
_exact_item = builder(Item, "text", "pad", "trailing", "newline")


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
    return None if lines is None else tuple([_exact_line(*line) for line in lines])


def _exact_items(texts: list[str], trivia: Any) -> tuple[Item, ...] | None:
    """A list's items built with their usual trivia in one step (else None)."""
    lines = _usual_line_trivia(texts, trivia)
    return None if lines is None else tuple([_exact_item(t, " " if t else "", tr, nl) for t, tr, nl in lines])


def _block_trivia(skeletons: Any, index: int) -> Any:
    """The "trivia" member of block ``index`` in a trivia skeleton's list of blocks (or None)."""
    if type(skeletons) is list and index < len(skeletons):
        block = skeletons[index]
        if type(block) is dict:
            return block.get("trivia")
    return None


def _read_ours(toks: list[Any], title: str | None, skeleton: Any = None) -> tuple[Article, Any]:
    """The fast path: one walk over the tokens of wikitext that holds nothing
    but what to_wikitext writes, building canonical nodes directly.  Raises
    _NotOurs for anything else, and for text a plain article cannot hold, so
    those get the general reader.

    ``skeleton`` is the trivia comment's data, when already read: a
    paragraph's lines are then built with their usual trivia in one step (and
    that trivia taken out of the skeleton); the rest is applied after."""
    heading_node: PlainHeading | None = None
    infobox: Infobox | None = None
    lead: list[Block] = []
    outline: Outline[str, Block, Section] = Outline(_canonical_section_of)
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
            block: Block | None = None if lines is None else _paragraph(lines, "\n")
        else:
            exact = _exact_items(texts, block_trivia[member])
            block = None if exact is None else _bullet_list(exact, "\n")
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

    toks.append(_END)  # a sentinel: no index check in the loop
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
                    lines = iter(parts)
                    first = next(lines)
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
                    for line in lines:
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
                if paragraph or items:
                    close_block()
                following = toks[i + 1]
                if type(following) is _TEXT and type(toks[i + 2]) is _HEADING_END:  # most titles: one piece of text
                    name = following["text"]
                    name = (name.replace(_NUL, "\x00") if "&" in name else name).strip(_WS)  # _with_nul, inline
                    i += 3
                else:
                    title_pieces, i = _plain_run(toks, i + 1, (_HEADING_END,))[:2]
                    i += 1
                    name = "".join(title_pieces).strip(_WS)
                line_kind = "heading"
                level = token["level"]
                if level == 1 and not seen_block and heading_node is None and not outline and name:
                    heading_node = canonical_heading(1, name)
                    continue
                if not name.strip(HEADING_MARKS):  # not is_heading_title(name), inline
                    raise _NotOurs
                blocks = []
                outline.open(level, name, blocks)
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
                text = contents["text"]
                if not text.startswith(f" {TRIVIA_MARK} "):
                    raise _NotOurs
                try:
                    trivia = json.loads(text[len(TRIVIA_MARK) + 2 :])
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
    article = layout(Article(title=heading_node, infobox=infobox, lead=tuple(lead), sections=tuple(sections)))
    return article, trivia


def _canonical_section_of(level: int, title: str, blocks: list[Block], subsections: list[Section]) -> Section:
    """A section read from our wikitext, in canonical form (what the outline closes)."""
    return canonical_section(level, title, tuple(blocks), tuple(subsections))


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
                article, second = _read_ours(_ours_tokens(body)[0], title, trivia)
                if second is not None:
                    raise _NotOurs  # a second trivia comment
            else:
                ours, tokenized = _ours_tokens(text)
                if tokenized:
                    toks = ours  # (the general reader below can use them too)
                article, trivia = _read_ours(ours, title)
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
        from .clean import clean_page, preprocess

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
        # where the lines read the same.  (Each value is already known to be
        # whitespace of its kind, so the lines' own text cannot change; and
        # the usual values -- CRLF, trailing spaces, more blank lines -- are
        # known to keep every line as it is, so the lexer runs only for the
        # unusual ones.)
        if not applier.keeps_lines and _structure(dumps(exact)) != _structure(dumps(article)):
            raise DataError("", "it would change the article's structure")
        return exact
    except (DataError, ValueError, TypeError, KeyError, AttributeError) as e:
        reader.warn("W301", f"the wikiplain-trivia comment does not fit the article ({e}); ignored", 1)
        return article


def _structure(text: str) -> list[tuple[str, int, int, str]]:
    """The lines of a plain text as the format reads them: each run's kind and
    number of lines, a heading's level, and the start of each of a
    paragraph's lines (content, where misplaced blank space would show); blank
    lines and the byte order mark are left out, but a byte order mark's
    absence shows in the first character of text."""
    out: list[tuple[str, int, int, str]] = []
    for run in line_runs(text, 1 if text.startswith(BOM) else 0):  # every run, those of the sections too
        if run.type == "BLANK":
            continue
        lines = run.lines
        level = heading_level(lines[0].rstrip(_WS)) if run.type in (TITLE, HEADING) else 0
        starts = "|".join([_start(line) for line in lines]) if run.type == PARAGRAPH or not out else ""
        out.append((run.type, len(lines), level, starts))
    return out


def _start(line: str) -> str:
    """A line's leading spaces and tabs and its first character after them
    (blank space that joins a line's front is content)."""
    return line[: len(line) - len(line.lstrip(" \t")) + 1]


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
