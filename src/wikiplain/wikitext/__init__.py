"""Article <-> MediaWiki wikitext, exact for every article.

``to_wikitext`` (:mod:`.writer`) writes the article's meaning as the wikitext
an editor would write, escaping (:mod:`.escape`) exactly where text would
otherwise turn into markup; whitespace the canonical form does not have
travels in one trailing ``<!-- wikiplain-trivia {...} -->`` comment.
``from_wikitext`` (:mod:`.reader`) reads mwparserfromhell's tokens
(:mod:`.tokens`) into an article, our own wikitext byte for byte and real
pages as MediaWiki reads them; it never raises, and ``check_wikitext`` lists
what it could not map.  See docs/format.md ("Wikitext").
"""

from __future__ import annotations

from .escape import escape_text, field_key, param_name
from .reader import check_wikitext, from_wikitext
from .tokens import tokenize
from .writer import TRIVIA_MARK, to_wikitext

__all__ = [
    "TRIVIA_MARK",
    "check_wikitext",
    "escape_text",
    "field_key",
    "from_wikitext",
    "param_name",
    "to_wikitext",
    "tokenize",
]
