"""wikiplain: lossless plain Wikipedia-style articles <-> typed tree <-> JSON.

>>> import wikiplain
>>> article = wikiplain.parse("= T =\\n\\nInfobox\\n- Place: Mali\\n")
>>> article.infobox["Place"]
'Mali'
>>> wikiplain.dumps(article) == "= T =\\n\\nInfobox\\n- Place: Mali\\n"
True
"""

from __future__ import annotations

from . import errors, nodes
from .data import from_dict, json_schema, to_dict
from .diagnostics import Diagnostic, check
from .dump import DumpError, DumpPage, iter_dump
from .errors import DataError, ParseError, WikiplainError
from .nodes import (
    Article,
    BulletList,
    Field,
    Heading,
    Infobox,
    Item,
    Paragraph,
    Position,
    Section,
    Span,
    TextLine,
)
from .parser import parse
from .partitions import ConversionSummary, MissingExtraError, convert_dump, record_schema
from .serialize import canonicalize, dumps, normalize
from .wikitext import check_wikitext, from_wikitext, to_wikitext

__version__ = "0.1.0"

__all__ = [
    "Article",
    "BulletList",
    "ConversionSummary",
    "DataError",
    "Diagnostic",
    "DumpError",
    "DumpPage",
    "Field",
    "Heading",
    "Infobox",
    "Item",
    "MissingExtraError",
    "Paragraph",
    "ParseError",
    "Position",
    "Section",
    "Span",
    "TextLine",
    "WikiplainError",
    "__version__",
    "canonicalize",
    "check",
    "check_wikitext",
    "convert_dump",
    "dumps",
    "errors",
    "from_dict",
    "from_wikitext",
    "iter_dump",
    "json_schema",
    "nodes",
    "normalize",
    "parse",
    "record_schema",
    "to_dict",
    "to_wikitext",
]
