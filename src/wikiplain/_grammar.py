"""Finds the Lark grammar and builds the LALR parser once per process."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from lark import Lark

from ._lexer import LineLexer

GRAMMAR_NAME = "article.lark"


def grammar_text() -> str:
    """The grammar's source: package data in a wheel, ``grammar/`` in a checkout."""
    packaged = resources.files("wikiplain").joinpath("grammar", GRAMMAR_NAME)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # An editable install or a source checkout: the grammar lives at the top of the repo.
    checkout = Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_NAME
    return checkout.read_text(encoding="utf-8")


@functools.cache
def build_parser(transformer: object = None) -> Lark:
    """The LALR parser; with ``transformer``, rules are transformed as they reduce."""
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer=LineLexer,
        transformer=transformer,
        maybe_placeholders=False,
    )
