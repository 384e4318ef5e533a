"""Character references as MediaWiki reads them.

mwparserfromhell decodes every numeric reference below U+110000 (except
``&#0;``), surrogates included.  MediaWiki 1.39 (``Sanitizer::validateCodepoint``)
decodes only references to characters that HTML5 allows in a document and
keeps any other reference as the literal text it is: ``&#xD800;`` reads as
those eight characters, never as a lone surrogate that no file could hold.

wikiplain's own wikitext writes a carriage return as ``&#13;`` (and NUL as
``&#0;``, which mwparserfromhell leaves as text): characters no MediaWiki page
can hold, which only wikiplain's exact reader decodes.
"""

from __future__ import annotations

import html.entities
from typing import Any

from mwparserfromhell.nodes import HTMLEntity
from mwparserfromhell.parser import tokens as _tokens

__all__ = ["entity_at", "entity_text", "is_valid_codepoint", "reference_text"]

_CR = 0x0D


def is_valid_codepoint(codepoint: int) -> bool:
    """A code point MediaWiki decodes a reference to: tab, LF, U+0020 to
    U+007E, and every one from U+00A0 on but the surrogates, U+FFFE and U+FFFF
    (no other C0 or C1 control, no CR, no DEL)."""
    return (
        codepoint in (0x09, 0x0A)
        or 0x20 <= codepoint <= 0x7E
        or 0xA0 <= codepoint <= 0xD7FF
        or 0xE000 <= codepoint <= 0xFFFD
        or 0x10000 <= codepoint <= 0x10FFFF
    )


def entity_text(node: HTMLEntity, *, ours: bool = False) -> str:
    """The text an entity stands for, or its own source for a reference to a
    code point that is not a valid character.  ``ours``: wikitext that
    wikiplain wrote, where ``&#13;`` is a carriage return."""
    if not node.named:
        codepoint = int(node.value, 16 if node.hexadecimal else 10)
        if not is_valid_codepoint(codepoint) and not (ours and codepoint == _CR):
            return str(node)
    text: str = node.normalize()
    return text


def entity_at(toks: list[Any], i: int, *, ours: bool = False) -> tuple[str, int]:
    """:func:`entity_text` for the entity whose HTMLEntityStart is at ``i`` of
    mwparserfromhell's tokens, and the index after its HTMLEntityEnd."""
    token = toks[i + 1]
    if type(token) is not _tokens.HTMLEntityNumeric:
        return chr(html.entities.name2codepoint[token["text"]]), i + 3
    hexadecimal = type(toks[i + 2]) is _tokens.HTMLEntityHex
    j = i + 3 if hexadecimal else i + 2
    value = toks[j]["text"]
    codepoint = int(value, 16 if hexadecimal else 10)
    if is_valid_codepoint(codepoint) or (ours and codepoint == _CR):
        return chr(codepoint), j + 2
    return "&#" + (toks[i + 2]["char"] if hexadecimal else "") + value + ";", j + 2


def reference_text(spelling: str, *, ours: bool = False) -> str | None:
    """:func:`entity_text` of a reference spelled ``&...;`` when
    mwparserfromhell's tokenizer reads it as an entity (a known name, or a
    number from 1 to U+10FFFF); None when it reads it as plain text."""
    body = spelling[1:-1]
    if body[:1] != "#":
        return chr(html.entities.name2codepoint[body]) if body in html.entities.name2codepoint else None
    hexadecimal = body[1:2] in ("x", "X")
    digits = body[2:] if hexadecimal else body[1:]
    if not digits:
        return None
    try:
        codepoint = int(digits, 16 if hexadecimal else 10)
    except ValueError:
        return None
    if not 1 <= codepoint <= 0x10FFFF:
        return None
    if is_valid_codepoint(codepoint) or (ours and codepoint == _CR):
        return chr(codepoint)
    return spelling
