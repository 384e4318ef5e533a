"""Which infobox types MediaWiki can call as a template.

``{{Infobox TYPE ...}}`` is a template call only where ``Infobox TYPE`` is a
valid page title; otherwise MediaWiki shows the whole call as text.  This is
MediaWiki 1.39's rule (MediaWikiTitleCodec::splitTitleString), applied to
the name as the template call's reader sees it once our entities are decoded,
which is the type as the article writes it.  Tested against MediaWiki itself
(tests/test_mediawiki.py).
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["template_name_problem"]

@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The patterns of the rule, compiled at first use (their ranges up to
    U+10FFFF take milliseconds to compile: not a cost for every start)."""
    bidi = re.compile("[\u200e\u200f\u202a-\u202e]+")
    spaces = re.compile("[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
    #: Title::legalChars() is " %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~\x80-\xFF+" (bytes:
    #: every non-ASCII character is legal); percent-encodings and entities are not.
    illegal = re.compile(
        r"(?P<char>[^ %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~+\u0080-\U0010ffff])"
        r"|(?P<percent>%[0-9A-Fa-f]{2})"
        r"|(?P<entity>&[A-Za-z0-9\u0080-\U0010ffff]+;)"
    )
    return bidi, spaces, illegal


_MAX_BYTES = 255


def template_name_problem(name: str) -> str | None:
    """Why the template name ``name`` is not a valid MediaWiki page title (so
    that a call of it shows as text), or None."""
    bidi, spaces, illegal_chars = _patterns()
    key = unicodedata.normalize("NFC", name)  # Sanitizer::decodeCharReferencesAndNormalize
    key = spaces.sub("_", bidi.sub("", key)).strip("_")
    if "\ufffd" in key:
        return "it holds U+FFFD"
    key = key.partition("#")[0].rstrip("_")  # a fragment: the call names the page before it
    illegal = illegal_chars.search(key)
    if illegal is not None:
        if illegal.group("char"):
            return f"it holds {illegal.group()!r}, which no page title may"
        return f"it holds {illegal.group()!r}, which reads as an encoded character in a page title"
    if "." in key and (
        key in (".", "..")
        or key.startswith(("./", "../"))
        or "/./" in key
        or "/../" in key
        or key.endswith(("/.", "/.."))
    ):
        return "it holds a relative path ('/./' or '/../', or ends in '/.' or '/..')"
    if "~~~" in key:
        return "it holds '~~~'"
    if len(key.encode("utf-8")) > _MAX_BYTES:
        return f"a page title holds at most {_MAX_BYTES} bytes of UTF-8"
    return None
