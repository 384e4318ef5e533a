"""Finds the Lark grammar and builds the LALR parser once per process.

Building the parser from the grammar's text takes about 35 ms, a third of a
short command's start.  Lark keeps what it built in a cache file, here in the
user's cache folder, and loads it in about 3 ms; the file is named after the
grammar's text (and the Lark and Python versions), and Lark itself checks that
digest again when it loads it, so the grammar in ``grammar/`` stays the one
source: a changed grammar is built anew, never read from a stale cache.
``WIKIPLAIN_CACHE_DIR`` chooses the folder; ``WIKIPLAIN_CACHE_DIR=off``
builds from the text every time.  A folder that cannot be written is no error
(the parser is built from the text).
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from pathlib import Path

import lark
from lark import Lark

from ._lexer import LineLexer

GRAMMAR_NAME = "article.lark"


def grammar_path() -> Path:
    """The grammar file, package data in every install.

    In a checkout ``src/wikiplain/grammar`` is a link to the repository's
    ``grammar/`` folder (the file's one home), and the wheel stores the file
    itself there, so one path serves both.
    """
    return Path(__file__).resolve().parent / "grammar" / GRAMMAR_NAME


def grammar_text() -> str:
    """The grammar's source."""
    return grammar_path().read_text(encoding="utf-8")


def cache_file(text: str) -> Path | None:
    """Where the parser built from ``text`` is cached (None: no cache)."""
    folder = os.environ.get("WIKIPLAIN_CACHE_DIR")
    if folder == "off":
        return None
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "wikiplain")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    digest = hashlib.sha256(text.encode()).hexdigest()[:20]
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return Path(folder) / f"parser-{digest}-lark{lark.__version__}-py{python}.cache"


@functools.cache
def build_parser(transformer: object = None) -> Lark:
    """The LALR parser; with ``transformer``, rules are transformed as they reduce."""
    text = grammar_text()
    cache = cache_file(text)
    if cache is None or cache.is_file():
        return _lark(text, transformer, cache)
    # Lark writes its cache in place: written under a name of its own and
    # renamed, it is never read half-written by another process starting.
    fresh = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    parser = _lark(text, transformer, fresh)
    try:
        os.replace(fresh, cache)
    except OSError:
        fresh.unlink(missing_ok=True)
    return parser


def _lark(text: str, transformer: object, cache: Path | None) -> Lark:
    return Lark(
        text,
        parser="lalr",
        lexer=LineLexer,
        transformer=transformer,
        maybe_placeholders=False,
        cache=str(cache) if cache is not None else False,
    )
