"""Escaping for MediaWiki wikitext: where text would turn into markup, the
characters that would start it are written as HTML entities, and nowhere
else (``escape_text``); template parameter names and field keys
(``param_name``, ``field_key``).  See docs/format.md ("Wikitext")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mwparserfromhell.definitions import URI_SCHEMES
from mwparserfromhell.nodes import HTMLEntity, Tag, Text
from mwparserfromhell.wikicode import Wikicode

from .._entities import entity_text
from .._lines import (
    WHITESPACE,
)

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
#: Running text's rule starts but CR, for a whole text whose lines are taken
#: apart from their line ends (quiet_lines counts its CRs apart).
_LINES_APART = "lines apart"
_RULE_STARTS[_LINES_APART] = _RULE_STARTS[_INLINE].replace("\r", "")


_SCHEME_COLON_RE = re.compile(_SCHEME_COLON)


_MAGIC_WORD_RE = re.compile(_MAGIC_WORD)


def _entity(match: re.Match[str]) -> str:
    """The match with its first character as a numeric entity."""
    found = match.group()
    return f"&#{ord(found[0])};{found[1:]}"


def _escape_char(text: str, index: int) -> str:
    return f"{text[:index]}&#{ord(text[index])};{text[index + 1 :]}"


#: Running text that no rule touches: a letter first (no line-start marker),
#: then none of the characters that start a rule.  (Digits are left out too:
#: a magic link needs one.)  A regex tries this character by character, so
#: only short text is tested: headings, items, names.
_UNTOUCHED = re.compile(r"[^\W\d_][^&<\[{'~_\r\x00:0-9]*").fullmatch
_SHORT = 48


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
    if chars == _INLINE and len(text) < _SHORT and _UNTOUCHED(text):
        return text  # (most headings and items: the same as the rules give, property-tested)
    return _escaped(text, line_start, chars)


def _escaped(text: str, line_start: bool, chars: str) -> str:
    """:func:`escape_text` by its rules."""
    if _any_rule_starts(text, chars):
        text = _ESCAPES[chars].sub(_entity, text)
    else:
        if ":" in text:
            text = _SCHEME_COLON_RE.sub(_entity, text)
        if "ISBN" in text or "RFC" in text or "PMID" in text:
            text = _MAGIC_WORD_RE.sub(_entity, text)
    return _escape_start(text, line_start, chars)


def _any_rule_starts(text: str, chars: str) -> bool:
    """Whether ``text`` holds the start of a rule other than the colon and
    magic-link rules (those start with a literal that a regex finds fast),
    so that the whole regex must run."""
    for start in _RULE_STARTS[chars]:
        if start in text:
            return True
    # (an apostrophe or underscore alone, common in prose, starts no rule)
    return ("'" in text and "''" in text) or ("_" in text and "__" in text) or ("~" in text and "~~~" in text)


def _literal_rule_found(text: str) -> bool:
    """Whether the colon rule or the magic-link rule holds in ``text`` (each
    starts with a literal that a search finds fast)."""
    return (":" in text and _SCHEME_COLON_RE.search(text) is not None) or (
        ("ISBN" in text or "RFC" in text or "PMID" in text) and _MAGIC_WORD_RE.search(text) is not None
    )


def quiet_lines(text: str) -> bool:
    """Whether no rule of running text touches any line of ``text`` but at
    its start: then ``escape_text(line, line_start=True)`` of each of its
    lines (without trailing whitespace and line end) is the line itself
    unless it starts with one of ``LINE_START_MARKS`` (property-tested).

    Searched over the whole text at once, in C: no character that starts a
    rule, no CR but in a CRLF line end, no URL scheme's colon, no magic link.
    No rule reaches across a line break, so none that fails on the whole
    text holds on one of its lines.  Most articles are quiet: plain prose."""
    crs = text.count("\r")
    if crs and crs != text.count("\r\n"):
        return False
    return not (_any_rule_starts(text, _LINES_APART) or _literal_rule_found(text))


def escapes_nothing(text: str, *, line_start: bool) -> bool:
    """Whether ``escape_text(text, line_start=line_start)`` is ``text`` itself,
    found without escaping it: a search stops at the first character to
    escape, where escaping a line full of markup would build it anew."""
    if len(text) < _SHORT and _UNTOUCHED(text):
        return True
    if _any_rule_starts(text, _INLINE):
        if _ESCAPES[_INLINE].search(text):
            return False
    elif _literal_rule_found(text):
        return False
    return _escape_start(text, line_start, _INLINE) == text


#: The first characters of a line that a line-start rule may escape (``_LINE_START``).
LINE_START_MARKS = "*#:; =-{"


def _escape_start(text: str, line_start: bool, chars: str) -> str:
    """Already escaped ``text`` with the markers that only a line's (or a
    template value's) start makes markup escaped too."""
    if line_start and text:
        if text[0] in LINE_START_MARKS and _LINE_START.match(text):
            return _escape_char(text, 0)
        if "{" in text and text[0].isspace():
            table = _INDENTED_TABLE.match(text)
            if table:
                return _escape_char(text, table.start(1))
    elif chars == _IN_TEMPLATE and text and text[0] in "*#:;{" and _VALUE_START.match(text):
        return _escape_char(text, 0)
    return text


def untouched_title(title: str) -> bool:
    """Whether a heading title is written as it stands, known without the
    rules: short text that no rule touches (:func:`escape_text`'s shortcut)
    and that does not end with "=" (``_escape_heading`` escapes that one).
    False says nothing: the rules decide."""
    return len(title) < _SHORT and _UNTOUCHED(title) is not None and title[-1] != "="


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
