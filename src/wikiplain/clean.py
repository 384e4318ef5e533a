"""Real Wikipedia wikitext -> the structured data of a clean plain article.

Used by ``from_wikitext(text, mode="clean")`` (and by ``mode="auto"`` for any
wikitext that ``to_wikitext`` could not have written).  Links become their
labels, formatting and references go, list templates and ``<br>`` become
``, ``-joined items, the common inline templates are rendered to the text a
reader sees, and everything else that is not prose (hatnotes, maintenance
templates, files, categories, interlanguage links, tables, navboxes,
reference-only sections) leaves no residue.  See docs/format.md ("Real pages").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mwparserfromhell.parser import tokens as T

from ._entities import entity_at
from ._lines import is_heading_title
from .data import OutlineBuilder
from .diagnostics import Diagnostic
from .nodes import SCHEMA_VERSION
from .wikitext.tokens import tokenize

__all__ = ["REFERENCE_SECTIONS", "Preprocessed", "clean_page", "infobox_type", "preprocess", "template_name"]

#: Sections dropped unless ``keep_reference_sections``: (lower-case) titles.
REFERENCE_SECTIONS = frozenset(
    {
        "references", "notes", "footnotes", "citations", "sources", "bibliography", "external links",
        "see also", "further reading", "notes and references", "references and notes", "works cited",
        "explanatory notes", "general references", "reference", "note", "external link", "literature",
        "other websites", "related pages", "sources and further reading", "selected bibliography",
    }
)  # fmt: skip

#: Infobox equivalents by (normalized) template name.
INFOBOX_EQUIVALENTS = frozenset({"taxobox", "speciesbox", "automatic taxobox", "subspeciesbox", "infraspeciesbox"})

_NAMESPACES_DROPPED = frozenset({"file", "image", "category", "media"})
_INTERLANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$|^simple$")
_DROPPED_TAGS = frozenset(
    {"ref", "references", "gallery", "imagemap", "timeline", "math", "chem", "score", "graph", "mapframe",
     "maplink", "templatestyles", "syntaxhighlight", "source", "hiero", "inputbox", "noinclude", "categorytree",
     "section", "table"}
)  # fmt: skip
_BREAK_TAGS = frozenset({"br", "wbr", "hr"})
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]  # fmt: skip
_SPACES = re.compile(r"[ \t\u00a0]+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +([,.;:!?)\]])")
_SPACE_AFTER_OPENING = re.compile(r"([(\[]) +")
_EMPTY_BRACKETS = re.compile(r"\(\s*[,;]?\s*\)|\[\s*\]")
_DANGLING_SEPARATOR = re.compile(r"\s*[,;]\s*\)")
_SEPARATOR_BEFORE_CLOSE = re.compile(r"[,;]\s*\)")
_SPACE_THEN_PUNCTUATION = re.compile(r" [,.;:!?)\]]")  # starts with a literal: a fast scan
_RESIDUE = re.compile(r"\{\{+|\}\}+|\[\[+|\]\]+|<ref[^>]*>.*?(?:</ref\s*>|$)|<ref[^>]*/>|<!--.*?(?:-->|$)|</?ref\b")
_QUOTES = re.compile(r"('{2,})")
_DOUBLE_COMMA = re.compile(r"(?:,\s*){2,}")


# -- MediaWiki's preprocessor, for what clean reading drops anyway --------------------------
#
# MediaWiki takes comments and extension tags out of the text before anything
# else is parsed (Preprocessor_Hash, one scan from left to right); on real
# pages references and comments are about a quarter of the bytes and most of
# the templates.  Clean reading drops them all, so they are cut out before the
# tokenizer ever sees them; the cuts are remembered to report true line numbers.

#: Extension tags whose whole element clean reading drops (content included).
_CUT_EXTENSION_TAGS = ("ref", "references", "gallery", "imagemap", "timeline", "math", "chem", "score",
                       "graph", "mapframe", "maplink", "templatestyles", "syntaxhighlight", "source", "hiero",
                       "inputbox", "categorytree", "section", "templatedata")  # fmt: skip
#: Extension tags whose content is raw text: nothing inside them is cut.
_RAW_EXTENSION_TAGS = ("nowiki", "pre")
_PREPROCESSOR_START = re.compile(
    # One literal "<" first and case-insensitive parts after it: the regex
    # engine then skips to each "<" in C (with re.IGNORECASE on the whole
    # pattern it tried every character, ten times slower).
    r"<(?:!--|(?i:(" + "|".join(_CUT_EXTENSION_TAGS + _RAW_EXTENSION_TAGS) + r"))(?=[\s/>])"
    # A line break however it is spelled: MediaWiki's Sanitizer reads <br/ >,
    # </br>, <br/x> as <br> (mwparserfromhell leaves some of them as text).
    r"|(?i:(/?br(?![A-Za-z0-9])[^>\n]*>)))"
)
# (Case-insensitive after the literal "<" only, as above.)
_CLOSING_TAG = {name: re.compile(rf"</(?i:{name})\s*>") for name in _CUT_EXTENSION_TAGS + _RAW_EXTENSION_TAGS}


#: What a cut extension tag leaves, like MediaWiki's strip markers (which
#: start with the same character): the tag was something, so a parameter that
#: held only a reference has a value, and a heading line that ends with one is
#: no heading.  clean_text removes it (and with it a DEL the page itself held,
#: which MediaWiki would show as "?").
_MARKER = "\x7f"


@dataclass(frozen=True)
class Preprocessed:
    """The text with comments and dropped extension tags cut out, and where:
    ``cuts`` holds, per cut that took line breaks with it, the last line of
    the cut text not moved by it (1-based) and the number of line breaks."""

    text: str
    cuts: tuple[tuple[int, int], ...] = ()
    #: The same for the tables cut out after that (lines of the text after the first cuts).
    table_cuts: tuple[tuple[int, int], ...] = ()

    def original_line(self, line: int) -> int:
        """The line of the original text that ``line`` of the cut text was."""
        for cuts in (self.table_cuts, self.cuts):
            shift = 0
            for at, breaks in cuts:  # ``at`` counts lines of the cut text, as ``line`` does
                if at >= line:
                    break
                shift += breaks
            line += shift
        return line


def preprocess(text: str) -> Preprocessed:
    """Comments and the extension tags clean reading drops, cut out as
    MediaWiki's preprocessor finds them: scanning left to right, a comment
    runs to ``-->`` (or the end), an extension tag to its closing tag (``/>``
    closes it at once; with no closing tag it is text, and no later tag of its
    name is looked for); nothing inside a nowiki or pre is cut.  A line that
    holds only comments and spaces goes with its line break, as in MediaWiki
    (so the paragraph around it stays one).  A cut extension tag leaves
    ``_MARKER``."""
    out: list[str] = []
    cuts: list[tuple[int, int]] = []
    line = 1  # the current line of ``out``
    copied = 0  # text[:copied] is in out, or cut
    unclosed: set[str] = set()
    no_angle = False
    n = len(text)
    search = _PREPROCESSOR_START.search
    i = 0
    while True:
        match = search(text, i)
        if match is None:
            break
        start = match.start()
        name = match.group(1)
        replacement = _MARKER  # what a cut extension tag leaves
        if match.group(2) is not None:  # a line break tag (no line break in it)
            if match.group() in ("<br>", "<br/>", "<br />"):
                i = match.end()
                continue
            end, replacement = match.end(), "<br>"
        elif name is None:  # a comment: leaves nothing
            replacement = ""
            end = text.find("-->", start + 4)
            end = n if end < 0 else end + 3
            # Only comments and spaces on their line: the line goes, with its break.
            before = start
            while before > 0 and text[before - 1] in " \t":
                before -= 1
            after = end
            while after < n and text[after] in " \t":
                after += 1
            while text.startswith("<!--", after):
                more = text.find("-->", after + 4)
                if more < 0:
                    break
                after = more + 3
                while after < n and text[after] in " \t":
                    after += 1
            if before > 0 and text[before - 1] == "\n" and text[after : after + 1] == "\n":
                start, end = before, after + 1
        else:
            name = name.lower()
            close_angle = -1 if no_angle else text.find(">", match.end())
            if close_angle < 0:  # no tag can end any more; a comment still can
                no_angle = True
                i = match.end()
                continue
            if text[close_angle - 1] == "/":
                end = close_angle + 1
            else:
                closing = None if name in unclosed else _CLOSING_TAG[name].search(text, close_angle + 1)
                if closing is None:
                    unclosed.add(name)
                    i = match.end()
                    continue
                end = closing.end()
            if name in _RAW_EXTENSION_TAGS:
                i = end  # kept, content and all
                continue
        kept = text[copied:start]
        out += [kept, replacement]
        line += kept.count("\n")
        breaks = text.count("\n", start, end)
        if breaks:
            # Lines after the cut were ``breaks`` lines further down; so was the
            # line it ends on, when it starts a line.
            cuts.append((line - 1 if start == 0 or text[start - 1] == "\n" else line, breaks))
        copied = i = end
    if copied:
        out.append(text[copied:])
        text = "".join(out)
    text, table_cuts = _cut_tables(text)
    return Preprocessed(text, tuple(cuts), table_cuts)


def _cut_tables(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Tables cut out, each leaving one line with ``_MARKER`` (and what
    followed its closing ``|}``), and the cuts as Preprocessed.cuts has them.

    As MediaWiki reads tables (Parser::handleTables, line by line): a line
    that starts with ``{|`` once trimmed opens one, ``|}`` closes the
    innermost, and one left open ends with the text.  Clean reading drops
    tables whole, so they need never be tokenized (about a tenth of a real
    page).  A table whose lines hold unbalanced ``{{``/``}}`` (a table that
    a template opens or closes) or a nowiki or pre is left to the tokenizer."""
    if "{|" not in text:
        return text, ()
    lines = text.split("\n")
    out: list[str] = []
    cuts: list[tuple[int, int]] = []
    changed = False
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.lstrip().startswith("{|"):
            out.append(line)
            i += 1
            continue
        depth, j, rest = 0, i, ""
        while j < n:
            trimmed = lines[j].strip()
            if trimmed.startswith("{|"):
                depth += 1
            elif trimmed.startswith("|}"):
                depth -= 1
                if not depth:
                    rest = trimmed[2:]
                    break
            j += 1
        j = min(j, n - 1)
        region = "\n".join(lines[i : j + 1])
        lowered = region.lower()
        if region.count("{{") != region.count("}}") or "<nowiki" in lowered or "<pre" in lowered:
            out.append(line)
            i += 1
            continue
        out.append(_MARKER + rest)
        changed = True
        if j > i:
            cuts.append((len(out), j - i))
        i = j + 1
    if not changed:
        return text, ()
    return "\n".join(out), tuple(cuts)


def template_name(template: Any) -> str:
    """The normalized name: lower case, ``_`` as space, no ``Template:`` prefix."""
    return _normalized_name(str(template.name))


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_WHITESPACE_RUN = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)
def _normalized_name(raw: str) -> str:
    """template_name of a raw name (the same few names recur page after page)."""
    name = raw.strip().replace("_", " ")
    if "<" in name:
        name = _COMMENT.sub("", name)
    name = _WHITESPACE_RUN.sub(" ", name).strip().lower()
    return name[len("template:") :].strip() if name.startswith("template:") else name


def infobox_type(template: Any) -> str | bool | None:
    """``False`` if the template is not an infobox; else its type name (``None`` for a bare Infobox)."""
    name = template_name(template)
    if name == "infobox" or name.startswith("infobox "):
        original = re.sub(r"<!--.*?-->", "", str(template.name), flags=re.S).strip().replace("_", " ")
        rest = re.sub(r"\s+", " ", original[len("infobox") :]).strip()
        return rest or None
    if name in INFOBOX_EQUIVALENTS:
        return name
    return False


# -- the tokens, as a tree of slices ------------------------------------------------------
#
# The page is read from mwparserfromhell's token list (bold and italic left as
# text for resolve_quotes), without its node tree: every construct is a slice
# of the list, and one pass finds where each ends.

_OPENERS = {
    T.TemplateOpen: T.TemplateClose,
    T.ArgumentOpen: T.ArgumentClose,
    T.WikilinkOpen: T.WikilinkClose,
    T.ExternalLinkOpen: T.ExternalLinkClose,
    T.HeadingStart: T.HeadingEnd,
    T.CommentStart: T.CommentEnd,
    T.HTMLEntityStart: T.HTMLEntityEnd,
}
_CLOSERS = frozenset(_OPENERS.values())
_OPENING_KINDS = frozenset([*_OPENERS, T.TagOpenOpen])
_CLOSING_KINDS = frozenset([*_CLOSERS, T.TagCloseSelfclose, T.TagCloseClose])


def _matches(toks: list[Any]) -> list[int]:
    """For each token that opens a construct, the index of the token that ends
    it (for a tag: its TagCloseSelfclose or TagCloseClose); -1 for the others.
    mwparserfromhell's token lists nest properly."""
    ends = [-1] * len(toks)
    stack: list[int] = []
    push, pop = stack.append, stack.pop
    opening, closing, text = _OPENING_KINDS, _CLOSING_KINDS, T.Text
    for i, token in enumerate(toks):
        kind = type(token)
        if kind is text:  # most tokens
            continue
        if kind in opening:
            push(i)
        elif kind in closing:
            ends[pop()] = i
    return ends


class Piece:
    """A parameter's name or value: a slice of tokens, rendered on demand."""

    __slots__ = ("_text", "page", "start", "stop")

    def __init__(self, page: _Tokens, start: int, stop: int) -> None:
        self.page, self.start, self.stop = page, start, stop
        self._text: str | None = None

    def blank(self) -> bool:
        """Nothing but whitespace and comments (an infobox parameter left empty)."""
        toks, ends = self.page.toks, self.page.ends
        i = self.start
        while i < self.stop:
            token = toks[i]
            if type(token) is T.Text:
                if token["text"].strip():
                    return False
                i += 1
            elif type(token) is T.CommentStart:
                i = ends[i] + 1
            else:
                return False
        return True

    def __str__(self) -> str:  # the plain text (a throw-away context: nothing reported)
        if self._text is None:
            self._text = self.page.render(self.start, self.stop, self.page.scratch)
        return self._text


class Param:
    __slots__ = ("name", "showkey", "value")

    def __init__(self, name: Piece | str, value: Piece, showkey: bool) -> None:
        self.name, self.value, self.showkey = name, value, showkey


class Template:
    """A template call: its name and parameters, as mwparserfromhell's Template has them."""

    __slots__ = ("name", "params")

    def __init__(self, name: str, params: list[Param]) -> None:
        self.name, self.params = name, params

    def has(self, key: str) -> bool:
        return any(str(p.name).strip() == key for p in self.params)

    def get(self, key: str) -> Param:
        return next(p for p in reversed(self.params) if str(p.name).strip() == key)


@dataclass
class _Context:
    dropped: Counter[str] = field(default_factory=Counter)
    # template name -> the token where it was first used (its line is counted
    # only if diagnostics are asked for)
    first_seen: dict[str, int] = field(default_factory=dict)
    at: int = 0  # the token where the top-level construct being rendered starts
    anchor: int = -1  # where the construct is reported instead, if set (the infobox's token)
    in_value: bool = False  # rendering an infobox value: line breaks become ", "

    def where(self) -> int:
        return self.anchor if self.anchor >= 0 else self.at


def _rendered_param(template: Template, ctx: _Context, *names: str | int) -> str:
    for name in names:
        key = str(name)
        if template.has(key):
            return render(template.get(key).value, ctx).strip()
    return ""


def _positional(template: Template, ctx: _Context) -> list[str]:
    return [render(p.value, ctx).strip() for p in template.params if not p.showkey]


def _date(template: Template, offset: int = 0) -> str:
    """``{{start date|1950|5|3}}``-style dates: year, month, day positional parameters."""
    parts = [p for p in (str(p.value).strip() for p in template.params if not p.showkey)][offset : offset + 3]
    if not parts or not parts[0].lstrip("-").isdigit():
        return " ".join(parts)
    year = parts[0]
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12 else None
    day = parts[2] if len(parts) > 2 and parts[2].isdigit() else None
    day_first = any(str(p.name).strip() in ("df", "day first") and str(p.value).strip() for p in template.params)
    if month is None:
        return year
    if day is None:
        return f"{_MONTHS[month - 1]} {year}"
    return f"{int(day)} {_MONTHS[month - 1]} {year}" if day_first else f"{_MONTHS[month - 1]} {int(day)}, {year}"


def _age(template: Template, first: int, second: int) -> str:
    """Whole years between the dates at positional parameters first.. and second.. ."""
    values = [str(p.value).strip() for p in template.params if not p.showkey]
    try:
        y1, m1, d1 = (int(v) for v in values[first : first + 3])
        y2, m2, d2 = (int(v) for v in values[second : second + 3])
    except ValueError:
        return ""
    return str(y1 - y2 - ((m1, d1) < (m2, d2)))


_UNITS = {
    "km": "km", "m": "m", "cm": "cm", "mm": "mm", "mi": "mi", "ft": "ft", "in": "in", "yd": "yd", "nmi": "nmi",
    "km2": "km²", "sqkm": "km²", "m2": "m²", "sqm": "m²", "mi2": "sq mi", "sqmi": "sq mi", "sqft": "sq ft",
    "ha": "ha", "acre": "acres", "acres": "acres", "kg": "kg", "g": "g", "t": "t", "lb": "lb", "st": "st",
    "oz": "oz", "c": "°C", "f": "°F", "k": "K", "km/h": "km/h", "mph": "mph", "kn": "kn", "l": "L", "ml": "mL",
    "usgal": "US gal", "impgal": "imp gal", "hp": "hp", "kw": "kW", "mw": "MW", "m3": "m³", "cuft": "cu ft",
    "ft2": "sq ft", "in2": "sq in", "lbf": "lbf", "n": "N", "kn·m": "kN·m", "mpg": "mpg", "kpa": "kPa", "psi": "psi",
}  # fmt: skip
_RANGE_WORDS = {"-", "–", "to", "and", "or", "by", "x", "×", "+", "to(-)", "+/-", "±", "and(-)"}


def _convert(template: Template, ctx: _Context) -> str:
    """``{{convert|12|km|mi}}`` -> ``12 km`` (the value as written, not the conversion)."""
    values = [str(p.value).strip() for p in template.params if not p.showkey]
    out: list[str] = []
    i = 0
    while i < len(values):
        out.append(values[i])
        if i + 1 < len(values) and values[i + 1].lower() in _RANGE_WORDS and i + 2 < len(values):
            word = values[i + 1]
            out.append("–" if word in ("-", "–") else word if word in ("×", "x", "±", "+") else f" {word} ")
            i += 2
            continue
        break
    unit = values[i + 1] if i + 1 < len(values) else ""
    number = "".join(out).replace("  ", " ")
    if not unit:
        return number
    return f"{number} {_UNITS.get(unit.lower(), unit)}"


def _list_items(template: Template, ctx: _Context) -> str:
    items = _positional(template, ctx)
    if len(items) == 1 and "\n" in items[0]:  # {{plainlist|\n* a\n* b}}
        items = [line.lstrip("*#: ").strip() for line in items[0].split("\n")]
    return ", ".join(item for item in items if item)


def _first(template: Template, ctx: _Context) -> str:
    items = _positional(template, ctx)
    return items[0] if items else ""


def _second(template: Template, ctx: _Context) -> str:
    items = _positional(template, ctx)
    return items[1] if len(items) > 1 else (items[0] if items else "")


def _lang(template: Template, ctx: _Context) -> str:
    return _rendered_param(template, ctx, "text", 2) or _second(template, ctx)


#: Inline templates rendered to what a reader sees.  Measured on the shared
#: corpus (58 pages): after citation templates (inside <ref>, dropped with
#: it), the most used are convert, flag/flagicon, lang, dts, birth/death
#: dates, list templates, nowrap, cvt, as of, circa, sortname, URL, ISBN.
RENDERERS: dict[str, Callable[[Template, _Context], str]] = {
    "convert": _convert,
    "cvt": _convert,
    "flag": _first,
    "flagcountry": _first,
    "flagu": _first,
    "flag country": _first,
    "country": _first,
    "lang": _lang,
    "langx": lambda t, c: _rendered_param(t, c, 2),
    "nowrap": _first,
    "nobr": _first,
    "small": _first,
    "smaller": _first,
    "big": _first,
    "larger": _first,
    "smallsup": _first,
    "sup": _first,
    "sub": _first,
    "resize": lambda t, c: _second(t, c),
    "abbr": _first,
    "abbrlink": _first,
    "nbsp": lambda t, c: " ",
    "ndash": lambda t, c: "–",
    "mdash": lambda t, c: "—",
    "snd": lambda t, c: " – ",
    "spaced ndash": lambda t, c: " – ",
    "spnd": lambda t, c: " – ",
    "'": lambda t, c: "'",
    "hlist": _list_items,
    "flatlist": _list_items,
    "plainlist": _list_items,
    "plain list": _list_items,
    "ubl": _list_items,
    "ublist": _list_items,
    "unbulleted list": _list_items,
    "bulleted list": _list_items,
    "collapsible list": lambda t, c: ", ".join(i for i in _positional(t, c) if i),
    "start date": lambda t, c: _date(t),
    "start date and age": lambda t, c: _date(t),
    "end date": lambda t, c: _date(t),
    "birth date": lambda t, c: _date(t),
    "birth date and age": lambda t, c: _date(t),
    "birth year and age": _first,
    "death date": lambda t, c: _date(t),
    "death date and age": lambda t, c: _date(t) + (f" (aged {a})" if (a := _age(t, 0, 3)) else ""),
    "dts": lambda t, c: _date(t),
    "film date": lambda t, c: _date(t),
    "as of": lambda t, c: f"As of {_date(t)}",
    "circa": lambda t, c: f"c. {_first(t, c)}",
    "c.": lambda t, c: f"c. {_first(t, c)}",
    "baseball year": _first,
    "sortname": lambda t, c: " ".join(_positional(t, c)[:2]),
    "url": lambda t, c: re.sub(r"^https?://", "", _first(t, c)).rstrip("/"),
    "isbn": lambda t, c: "ISBN " + _first(t, c),
    "quote": lambda t, c: _rendered_param(t, c, "text", "quote", 1),
    "blockquote": lambda t, c: _rendered_param(t, c, "text", "quote", 1),
    "marriage": lambda t, c: _first(t, c) + (f" (m. {_second(t, c)})" if len(_positional(t, c)) > 1 else ""),
    "coord": lambda t, c: "",
}


def render(code: Piece | None, ctx: _Context) -> str:
    """The text a reader sees of a parameter's name or value (line breaks kept as ``\\n``)."""
    if code is None:
        return ""
    return code.page.render(code.start, code.stop, ctx)


class _Tokens:
    """A page's token list and where each construct in it ends."""

    def __init__(self, toks: list[Any], preprocessed: Preprocessed | None = None) -> None:
        self.toks = toks
        self.ends = _matches(toks)
        self.preprocessed = preprocessed
        # For text rendered only to be looked at (a link target, a template
        # name): what it drops is not reported.
        self.scratch = _Context()
        # Token indices whose line is known, and those lines: counting goes on
        # from the nearest one before (lines are asked for out of order when
        # templates nest, so restarting from the top would be quadratic).
        self._indices = [0]
        self._lines = [1]

    def line_of(self, index: int) -> int:
        """The line (of the original text) on which the token at ``index`` starts."""
        k = bisect.bisect_right(self._indices, index) - 1
        start, line = self._indices[k], self._lines[k]
        for token in self.toks[start:index]:
            if type(token) is T.Text:
                line += token["text"].count("\n")
            elif token:  # line breaks in a tag's padding or a table's markup
                line += sum(value.count("\n") for value in token.values() if type(value) is str)
        if index != start:
            self._indices.insert(k + 1, index)
            self._lines.insert(k + 1, line)
        return line if self.preprocessed is None else self.preprocessed.original_line(line)

    def render(self, start: int, stop: int, ctx: _Context) -> str:
        out: list[str] = []
        i = start
        toks = self.toks
        while i < stop:
            token = toks[i]
            if type(token) is T.Text:
                out.append(token["text"])
                i += 1
            else:
                text, i = self.construct(i, ctx)
                out.append(text)
        return "".join(out)

    def construct(self, i: int, ctx: _Context) -> tuple[str, int]:
        """The text of the construct that starts at ``i``, and the index after it."""
        token = self.toks[i]
        kind, end = type(token), self.ends[i]
        if kind is T.HTMLEntityStart:
            return self.entity(i), end + 1
        if kind is T.WikilinkOpen:
            return self.wikilink(i, end, ctx), end + 1
        if kind is T.ExternalLinkOpen:
            split = self.find(i + 1, end, T.ExternalLinkSeparator)
            if split < end:
                return self.render(split + 1, end, ctx), end + 1
            return ("" if token.get("brackets") else self.render(i + 1, end, ctx)), end + 1
        if kind is T.TemplateOpen:
            return self.template(i, end, ctx), end + 1
        if kind is T.TagOpenOpen:
            return self.tag(i, end, ctx), end + 1
        if kind is T.HeadingStart:
            return self.render(i + 1, end, ctx), end + 1
        if kind is T.CommentStart or kind is T.ArgumentOpen:
            return "", end + 1
        return "", i + 1  # a stray separator or close (none in a well-formed list)

    def find(self, i: int, stop: int, kind: type) -> int:
        """The first token of ``kind`` at this level between ``i`` and ``stop`` (else ``stop``)."""
        toks, ends = self.toks, self.ends
        while i < stop:
            if type(toks[i]) is kind:
                return i
            i = ends[i] + 1 if ends[i] > 0 else i + 1
        return stop

    def entity(self, i: int) -> str:
        char = entity_at(self.toks, i)[0]
        return " " if char == "\u00a0" else char

    def wikilink(self, i: int, end: int, ctx: _Context) -> str:
        toks = self.toks
        first = toks[i + 1]
        if type(first) is T.Text:
            # Most links: [[Target]] or [[Target|label]], the target one piece of
            # text with no namespace, interlanguage prefix or anchor (no ":" or
            # "#"): what the general way below gives, without its searches.
            raw: str = first["text"]
            if ":" not in raw and "#" not in raw:
                if i + 2 == end:
                    return raw
                if type(toks[i + 2]) is T.WikilinkSeparator:
                    return self.render(i + 3, end, ctx)
        split = self.find(i + 1, end, T.WikilinkSeparator)
        target = self.render(i + 1, split, self.scratch).strip()
        prefix = target.split(":", 1)[0].strip().lower() if ":" in target else ""
        if not target.startswith(":") and prefix.lstrip(":") in _NAMESPACES_DROPPED:
            return ""
        if prefix and _INTERLANGUAGE.match(prefix) and not target.startswith(":"):
            return ""  # an interlanguage link
        if split < end:
            return self.render(split + 1, end, ctx)
        if target.startswith("#"):
            return target.lstrip("#")
        return self.render(i + 1, split, ctx).lstrip(":").split("#")[0]

    def call(self, i: int, end: int) -> Template:
        """The template call whose TemplateOpen is at ``i``."""
        split = self.find(i + 1, end, T.TemplateParamSeparator)
        name = self.render(i + 1, split, self.scratch)
        params: list[Param] = []
        positional = 0
        while split < end:
            start = split + 1
            split = self.find(start, end, T.TemplateParamSeparator)
            equals = self.find(start, split, T.TemplateParamEquals)
            if equals < split:
                params.append(Param(Piece(self, start, equals), Piece(self, equals + 1, split), True))
            else:
                positional += 1
                params.append(Param(str(positional), Piece(self, start, split), False))
        return Template(name, params)

    def raw_name(self, i: int, end: int) -> str:
        """The name of the template call whose TemplateOpen is at ``i``, as :meth:`call` reads it."""
        return self.render(i + 1, self.find(i + 1, end, T.TemplateParamSeparator), self.scratch)

    def template(self, i: int, end: int, ctx: _Context) -> str:
        # The name first: most templates are dropped, and their parameters need not be read.
        name = _normalized_name(self.raw_name(i, end))
        renderer = RENDERERS.get(name)
        if renderer is None and name.startswith("lang-"):  # {{lang-de|text}}: the text
            renderer = _first
        if renderer is None:
            ctx.dropped[name] += 1
            if name not in ctx.first_seen:
                ctx.first_seen[name] = ctx.where()
            return ""
        return renderer(self.call(i, end), ctx)

    def tag(self, i: int, end: int, ctx: _Context) -> str:
        toks = self.toks
        markup = toks[i].get("wiki_markup")
        name = toks[i + 1]["text"].strip().lower() if type(toks[i + 1]) is T.Text else ""
        if type(toks[end]) is T.TagCloseSelfclose:  # <br/>, or a list marker at a line start
            if name in _BREAK_TAGS:
                return ", " if ctx.in_value else "\n"
            if markup in ("*", "#", ":", ";"):
                return "\n• " if ctx.in_value else ""  # list markers inside a value (or a tag's contents)
            return ""
        if markup == "{|" or name in _DROPPED_TAGS:
            return ""
        body = self.find(i + 1, end, T.TagCloseOpen) + 1
        close = end
        while type(toks[close]) is not T.TagOpenClose:
            close -= 1
        if name == "nowiki":
            return "".join(t["text"] for t in toks[body:close] if type(t) is T.Text)
        return self.render(body, close, ctx)


def resolve_quotes(line: str) -> str:
    """One line's text with its bold and italic markup gone, as MediaWiki reads
    it (Parser::doQuotes): runs of apostrophes are resolved line by line, so an
    unclosed ``''`` never runs on past the line.  Four apostrophes are an
    apostrophe and bold, more than five are apostrophes and bold italic; with
    an odd number of both bold and italic runs, one bold run is read as an
    apostrophe and italic (the first after a one-letter word, else after a
    longer word, else after a space; the letters are counted in UTF-8 bytes,
    as MediaWiki does)."""
    if "''''" not in line:  # (the common line: every run is two or three long, counted in C)
        runs = line.count("''")  # (a run of three holds one "''" too)
        if not runs:
            return line
        bold = line.count("'''")
        if not (bold % 2 and (runs - bold) % 2):
            return _QUOTES.sub("", line)  # no run is read otherwise: all are markup
    return _quotes_by_runs(line)


def _quotes_by_runs(line: str) -> str:
    """:func:`resolve_quotes` run by run, as MediaWiki's doQuotes goes."""
    parts = _QUOTES.split(line)
    if len(parts) == 1:
        return line
    bold = italic = 0
    for i in range(1, len(parts), 2):
        run = len(parts[i])
        if run == 4:
            parts[i - 1] += "'"
            parts[i], run = "'''", 3
        elif run > 5:
            parts[i - 1] += "'" * (run - 5)
            parts[i], run = "'''''", 5
        italic += run in (2, 5)
        bold += run in (3, 5)
    if bold % 2 and italic % 2:
        single = multi = space = -1
        for i in range(1, len(parts), 2):
            if len(parts[i]) == 3:
                before = parts[i - 1].encode()
                if before[-1:] == b" ":
                    space = i if space < 0 else space
                elif before[-2:-1] == b" ":
                    single = i
                    break
                elif multi < 0:
                    multi = i
        chosen = single if single > -1 else multi if multi > -1 else space
        if chosen > -1:
            parts[chosen] = "''"
            parts[chosen - 1] += "'"
    return "".join(parts[0::2])


#: What some rule of clean_text needs in a line, after the quotes: a short
#: line with none of it is only stripped.  (One regex instead of a dozen
#: substring tests, but a regex tries every character: for short lines only,
#: the values, items and headings of real pages.)
_TIDYING = re.compile(r"[{}\[\]<&\t\u00a0\x7f)]|  |\( | [,.;:!?]").search
_SHORT_LINE = 64


def clean_text(text: str, *, quotes: bool = True) -> str:
    """Tidy one line of rendered text: bold and italic markup resolved (unless
    ``quotes`` is false: already done), no markup residue, single spaces, no
    space before punctuation, no empty brackets left by removed parts."""
    if quotes and "''" in text:
        text = resolve_quotes(text)
    if len(text) < _SHORT_LINE and _TIDYING(text) is None:
        return text.strip(" \t\r")  # (what the rules below give it: property-tested)
    return _tidied(text)


def _tidied(text: str) -> str:
    """:func:`clean_text` of a line whose quotes are resolved, by its rules."""
    if _MARKER in text:  # where preprocess cut an extension tag out
        text = text.replace(_MARKER, "")
    # Each rule runs only where the characters it needs occur (most lines need
    # few): a regex call costs more than the test.
    if "{" in text or "}" in text or "[" in text or "]" in text or "<" in text:
        text = _RESIDUE.sub("", text)
    if "&" in text:
        text = text.replace("&nbsp;", " ")  # an escaped &nbsp; meant a space
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = _SPACES.sub(" ", text)
    if " " in text:
        # (a regex that starts with " +" tries at every space: the substring
        # tests first are many times faster on long lines)
        if _SPACE_THEN_PUNCTUATION.search(text):
            text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
        if "( " in text or "[ " in text:
            text = _SPACE_AFTER_OPENING.sub(r"\1", text)
    if ")" in text or "]" in text:
        text = _EMPTY_BRACKETS.sub("", text)
        if _SEPARATOR_BEFORE_CLOSE.search(text):
            text = _DANGLING_SEPARATOR.sub(")", text)  # "(x; )" once the second part is gone
        if "  " in text or "\t" in text or "\u00a0" in text:
            text = _SPACES.sub(" ", text)
    return text.strip(" \t\r")


def _value(code: Piece, ctx: _Context) -> str:
    ctx.in_value = True
    try:
        raw = render(code, ctx)
    finally:
        ctx.in_value = False
    parts = [clean_text(p.lstrip("•* ")) for p in re.split(r"\n+|•", raw)]
    joined = ", ".join(p for p in parts if p and p != ",")
    return _DOUBLE_COMMA.sub(", ", clean_text(joined, quotes=False)).strip(", ")


def _key(name: str) -> str:
    """A parameter name as a field key in the seed's style: ``partof`` -> ``Partof``."""
    key = re.sub(r"\s+", " ", name.replace("_", " ").replace(":", " ")).strip()
    return key[:1].upper() + key[1:]


@dataclass
class _Page:
    ctx: _Context = field(default_factory=_Context)
    lines: list[list[Any]] = field(default_factory=list)  # [kind, text, level]
    infobox: Template | None = None
    infobox_kind: str | bool | None = False
    infobox_at: int = 0  # its token

    # The line being built is kept in pieces (``current``), joined when the
    # next one starts: adding to one long string would copy it every time.
    current: list[str] = field(default_factory=list)
    blank: bool = True  # nothing but whitespace on the current line so far

    def new_line(self, kind: str = "text", text: str = "", level: int = 0) -> None:
        self.end_line()
        self.lines.append([kind, "", level])
        self.blank = True
        if text:
            self.current.append(text)
            self.blank = text.isspace()

    def end_line(self) -> None:
        if self.current:
            self.lines[-1][1] += "".join(self.current)
            self.current.clear()

    def at_line_start(self) -> bool:
        """Only whitespace so far on the current text line."""
        return self.blank and self.lines[-1][0] == "text"

    def add(self, text: str) -> None:
        if "\n" not in text:
            if text:
                self.current.append(text)
                if self.blank and not text.isspace():
                    self.blank = False
            return
        parts = text.split("\n")
        self.add(parts[0])
        last = parts.pop()
        if len(parts) > 1:  # whole text lines between the first and the last part, without a call each
            self.end_line()
            self.lines += [["text", part, 0] for part in parts[1:]]
        self.new_line("text", last)


def _ends_its_line(toks: list[Any], i: int) -> bool:
    """Whether nothing but spaces and tabs stand between token ``i`` and the end of its line."""
    if i >= len(toks):
        return True
    token = toks[i]
    return type(token) is T.Text and not token["text"].split("\n", 1)[0].strip(" \t")


def clean_page(
    text: str | list[Any],
    *,
    title: str | None = None,
    keep_reference_sections: bool = False,
    preprocessed: Preprocessed | None = None,
    diagnose: bool = True,
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The structured data (``to_dict`` shape) of a real page, and what was
    dropped.  ``text`` is the wikitext, or the tokens (wikitext.tokenize) of
    ``preprocessed``'s text, or of text with nothing to preprocess.  Without
    ``diagnose`` the list is empty (and no lines are counted)."""
    page = _Page()
    if isinstance(text, str):
        preprocessed = preprocess(text)
        text = tokenize(preprocessed.text)
    tokens = _Tokens(text, preprocessed)
    toks, ends = tokens.toks, tokens.ends
    page.new_line()
    i = 0
    while i < len(toks):
        token = toks[i]
        kind = type(token)
        if kind is T.Text:
            page.add(token["text"])
            i += 1
            continue
        page.ctx.at = i
        end = ends[i]

        if kind is T.HeadingStart and not _ends_its_line(toks, end + 1):
            # mwparserfromhell ends a heading at its last "=" run whatever
            # follows; MediaWiki only where nothing but spaces and tabs (and
            # comments, already cut) follow on the line: else it is text.
            marks = "=" * token["level"]
            page.add(marks + tokens.render(i + 1, end, page.ctx) + marks)
            i = end + 1
            continue
        if kind is T.HeadingStart:
            title_text = clean_text(tokens.render(i + 1, end, page.ctx).replace("\n", " "))
            page.new_line("heading", title_text, token["level"])
            page.new_line()
            i = end + 1
            continue
        if kind is T.TemplateOpen and page.infobox is None:
            kind_of_box = infobox_type(Template(tokens.raw_name(i, end), []))  # (its name decides)
            if kind_of_box is not False:
                page.infobox, page.infobox_kind, page.infobox_at = tokens.call(i, end), kind_of_box, i
                i = end + 1
                continue
        if kind is T.TagOpenOpen and type(toks[end]) is T.TagCloseSelfclose and page.at_line_start():
            markup = token.get("wiki_markup")
            if markup in ("*", "#"):
                page.lines[-1][0] = "item"
                i = end + 1
                continue
            if markup in (":", ";"):
                i = end + 1  # indentation and definition terms read as text
                continue
        text, i = tokens.construct(i, page.ctx)
        page.add(text)
    data = _assemble(page, title, keep_reference_sections)
    if not diagnose:
        return data, []
    seen = {name: tokens.line_of(at) for name, at in page.ctx.first_seen.items()}
    diagnostics = [
        Diagnostic(
            "W304",
            f"template {{{{{name}}}}} dropped ({count} time{'s' if count > 1 else ''})",
            seen[name],
            1,
            "warning",
        )
        for name, count in sorted(page.ctx.dropped.items(), key=lambda item: (seen[item[0]], item[0]))
    ]
    return data, diagnostics


def _appendices(lines: list[tuple[str, str, int]]) -> set[int]:
    """The headings (their indices) of reference sections to drop: a title such
    as References or Literature (``REFERENCE_SECTIONS``) and, up to the next
    heading of its level or above, nothing but lists (citations, links, works)
    and dropped templates.  A section with a line of prose is kept, whatever
    its title: "Literature" is a culture section in country articles."""
    out = set()
    for i, (kind, text, level) in enumerate(lines):
        if kind != "heading" or text.lower().strip(" :") not in REFERENCE_SECTIONS:
            continue
        for later_kind, later_text, later_level in lines[i + 1 :]:
            if later_kind == "heading" and later_level <= level:
                out.add(i)
                break
            if later_kind == "text" and later_text:
                break  # prose
        else:
            out.add(i)
    return out


def _assemble(page: _Page, title: str | None, keep_reference_sections: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "title": title,
        "infobox": None,
        "lead": [],
        "sections": [],
    }
    if page.infobox is not None:
        page.ctx.anchor = page.infobox_at  # where templates dropped from its values are reported
        fields: list[dict[str, str | None]] = []
        seen: set[str] = set()
        for param in page.infobox.params:
            if not param.showkey:
                continue
            name = param.name
            key = _key(clean_text(render(name, page.ctx) if isinstance(name, Piece) else name))
            if param.value.blank() or not key or key in seen:
                continue
            seen.add(key)
            fields.append({"key": key, "value": _value(param.value, page.ctx)})
        kind = page.infobox_kind
        data["infobox"] = {"type": kind if isinstance(kind, str) else None, "fields": fields}
    page.end_line()
    lines = page.lines
    first = next((i for i, line in enumerate(lines) if line[0] != "text" or clean_text(line[1])), None)
    if first is not None and lines[first][0] == "heading" and lines[first][2] == 1 and lines[first][1]:
        # A level-1 heading before anything else names the article, as in the plain format.
        if title is None:
            data["title"] = lines[first][1]
        lines = lines[first + 1 :]
    cleaned: list[tuple[str, str, int]] = []  # (kind, text, level); text "" for a blank line
    for kind, text, level in lines:
        if kind == "heading":
            cleaned.append((kind, text if is_heading_title(text) else "Untitled section", level))
            continue
        line = clean_text(text)
        if kind == "text" and line[:2] in ("- ", "* ", "• "):
            kind, line = "item", line[2:].strip()
        if not line or line in (",", "•") or ((kind == "text" and line[:1] in ("|", "!")) or line[:2] == "{|"):
            if kind == "text" and not line:
                cleaned.append(("text", "", 0))  # a blank line ends the paragraph
            continue
        cleaned.append((kind, line, level))
    dropped = set() if keep_reference_sections else _appendices(cleaned)
    out = OutlineBuilder()
    skipping_level = 0  # inside a dropped reference section of this level
    for i, (kind, line, level) in enumerate(cleaned):
        if kind == "heading":
            out.end_block()
            if skipping_level and level > skipping_level:
                continue
            skipping_level = 0
            if i in dropped:
                skipping_level = level
                continue
            out.heading(line, level)
        elif skipping_level:
            continue
        elif not line:
            out.end_block()
        elif kind == "item":
            out.item(line)
        else:
            out.text(line)
    built = out.data
    data["lead"], data["sections"] = built["lead"], built["sections"]
    if data["title"] is None and data["infobox"] is not None:
        names = ("Name", "Title", "Official name", "Conventional long name", "Common name")
        valued: list[dict[str, str]] = [f for f in data["infobox"]["fields"] if f["value"]]
        data["title"] = next((f["value"] for f in valued if f["key"] in names), None) or next(
            (f["value"] for f in valued if f["key"].endswith(" name")), None
        )
    return data
