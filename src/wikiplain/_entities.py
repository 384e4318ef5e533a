"""Character references as MediaWiki reads them.

mwparserfromhell decodes every numeric reference below U+110000 (except
``&#0;``), surrogates included.  MediaWiki (``Sanitizer::validateCodepoint``)
decodes only references to characters that may stand in a document and keeps
any other reference as the literal text it is: ``&#xD800;`` reads as those
eight characters, never as a lone surrogate that no file could hold.
"""

from __future__ import annotations

from mwparserfromhell.nodes import HTMLEntity

__all__ = ["entity_text", "is_valid_codepoint"]


def is_valid_codepoint(codepoint: int) -> bool:
    """A code point MediaWiki decodes a reference to: tab, LF, CR, and every
    other one from U+0020 on except the surrogates and U+FFFE, U+FFFF."""
    return (
        codepoint in (0x09, 0x0A, 0x0D)
        or 0x20 <= codepoint <= 0xD7FF
        or 0xE000 <= codepoint <= 0xFFFD
        or 0x10000 <= codepoint <= 0x10FFFF
    )


def entity_text(node: HTMLEntity) -> str:
    """The text an entity stands for, or its own source for a reference to a
    code point that is not a valid character."""
    if not node.named:
        codepoint = int(node.value, 16 if node.hexadecimal else 10)
        if not is_valid_codepoint(codepoint):
            return str(node)
    text: str = node.normalize()
    return text
