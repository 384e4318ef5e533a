"""Readers for the shared corpora (../shared/corpus); tests skip where it is absent."""

from __future__ import annotations

from pathlib import Path

from .conftest import SHARED

WIKITEXT = SHARED / "corpus" / "wikitext"
MWTEST = SHARED / "corpus" / "mwtest"


def wikitext_pages() -> list[Path]:
    return sorted(WIKITEXT.glob("*.wikitext")) if WIKITEXT.is_dir() else []


def mwtest_inputs() -> list[tuple[str, str]]:
    """``(file:name, input)`` for every case of mwparserfromhell's tokenizer tests."""
    cases: list[tuple[str, str]] = []
    if not MWTEST.is_dir():
        return cases
    for path in sorted(MWTEST.glob("*.mwtest")):
        for block in path.read_text(encoding="utf-8").split("\n---\n"):
            fields: dict[str, str] = {}
            for line in block.strip().splitlines():
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
            if "input" in fields:
                # As mwparserfromhell's own test loader reads it: quotes inside are not escaped.
                raw = fields["input"][1:-1]
                text = raw.encode("raw_unicode_escape").decode("unicode_escape")
                cases.append((f"{path.stem}:{fields.get('name', '?')}", text))
    return cases
