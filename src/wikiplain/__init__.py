"""wikiplain: lossless plain Wikipedia-style articles <-> typed tree <-> JSON.

>>> import wikiplain
>>> article = wikiplain.parse("= T =\\n\\nInfobox\\n- Place: Mali\\n")
>>> article.infobox["Place"]
'Mali'
>>> wikiplain.dumps(article) == "= T =\\n\\nInfobox\\n- Place: Mali\\n"
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import errors
from ._version import __version__
from .errors import DataError, DumpError, MissingExtraError, ParseError, WikiplainError

if TYPE_CHECKING:  # the names below are imported when first used (see __getattr__)
    from . import nodes
    from .data import from_dict, json_schema, to_dict
    from .diagnostics import Diagnostic
    from .dump import DumpPage, iter_dump
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
    from .parser import check, normalize, parse
    from .partitions import ConversionSummary, convert_dump, record_schema
    from .serialize import canonicalize, dumps
    from .wikitext import check_wikitext, from_wikitext, to_wikitext

#: Where each public name lives.  They are imported on first use, so that
#: ``import wikiplain`` (and a command such as ``wikiplain check``) loads only
#: what it needs: the wikitext reader (mwparserfromhell) and the dump tools are
#: not needed to parse a plain article.
_HOMES = {
    **dict.fromkeys(["from_dict", "json_schema", "to_dict"], "data"),
    "Diagnostic": "diagnostics",
    **dict.fromkeys(["DumpPage", "iter_dump"], "dump"),
    **dict.fromkeys(["Article", "BulletList", "Field", "Heading", "Infobox", "Item", "Paragraph"], "nodes"),
    **dict.fromkeys(["Position", "Section", "Span", "TextLine"], "nodes"),
    "nodes": "nodes",
    **dict.fromkeys(["check", "normalize", "parse"], "parser"),
    **dict.fromkeys(["ConversionSummary", "convert_dump", "record_schema"], "partitions"),
    **dict.fromkeys(["canonicalize", "dumps"], "serialize"),
    **dict.fromkeys(["check_wikitext", "from_wikitext", "to_wikitext"], "wikitext"),
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'wikiplain' has no attribute {name!r}")
    from importlib import import_module

    module = import_module(f".{home}", __name__)
    value = module if name == home else getattr(module, name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
