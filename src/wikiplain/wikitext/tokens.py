"""Wikitext -> tokens: mwparserfromhell's tokenizer (its C one where built,
else the pure-Python one), guarded against its quadratic cases
(``_unclosable_hidden``), and the character references of reference-dense
text decoded to stand-ins first (``_tokenize_decoded``).  Both readers, of our
wikitext and of real pages, start here."""

from __future__ import annotations

import re
from typing import Any

from mwparserfromhell.definitions import SINGLE, URI_SCHEMES
from mwparserfromhell.parser import tokens as _tokens
from mwparserfromhell.parser.tokenizer import Tokenizer as _PyTokenizer

from .._entities import reference_text
from .escape import _NUL

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
