"""Canonical form, by example: a canonical article with every kind of node, and
each single deviation from it (one whitespace change at one place)."""

from __future__ import annotations

import pytest

import wikiplain
from wikiplain.serialize import is_canonical
from wikiplain.wikitext.writer import _render_text

from .conftest import safe_id

CANONICAL = (
    "= Title =\n"
    "\n"
    "Infobox some type\n"
    "- Key: Value\n"
    "- Empty:\n"
    "- No colon here\n"
    "- : empty key\n"
    "-\n"
    "\n"
    "Lead line one.\n"
    "Lead line two.\n"
    "\n"
    "- item\n"
    "-\n"
    "\n"
    "== Section ==\n"
    "Text.\n"
    "\n"
    "=== Sub ===\n"
    "\n"
    "== Next ==\n"
    "- last item\n"
)


def deviations() -> list[tuple[str, str]]:
    """(name, text): the canonical article with one whitespace change."""
    lines = CANONICAL.split("\n")[:-1]
    out: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        if line:
            out.append((f"trailing space on line {i + 1}", "\n".join([*lines[:i], line + " ", *lines[i + 1 :]]) + "\n"))
            out.append((f"trailing tab on line {i + 1}", "\n".join([*lines[:i], line + "\t", *lines[i + 1 :]]) + "\n"))
        out.append((f"CRLF on line {i + 1}", "\n".join([*lines[:i], line + "\r", *lines[i + 1 :]]) + "\n"))
        out.append((f"blank line after line {i + 1}", "\n".join([*lines[: i + 1], "", *lines[i + 1 :]]) + "\n"))
    out += [
        ("blank line first", "\n" + CANONICAL),
        ("no final newline", CANONICAL[:-1]),
        ("byte order mark", "\ufeff" + CANONICAL),
        ("title padded", CANONICAL.replace("= Title =", "=  Title  =")),
        ("title unpadded", CANONICAL.replace("= Title =", "=Title=")),
        ("heading padded", CANONICAL.replace("== Section ==", "==\tSection ==")),
        ("infobox type padded", CANONICAL.replace("Infobox some type", "Infobox\tsome type")),
        ("field padded", CANONICAL.replace("- Key: Value", "-  Key: Value")),
        ("space before colon", CANONICAL.replace("- Key: Value", "- Key : Value")),
        ("no space after colon", CANONICAL.replace("- Key: Value", "- Key:Value")),
        ("two spaces after colon", CANONICAL.replace("- Key: Value", "- Key:  Value")),
        ("space after an empty value", CANONICAL.replace("- Empty:\n", "- Empty: \n")),
        ("malformed field padded", CANONICAL.replace("- No colon here", "-\tNo colon here")),
        ("empty key spaced", CANONICAL.replace("- : empty key", "-  : empty key")),
        ("empty field with a space", CANONICAL.replace("-\n\nLead", "- \n\nLead")),
        ("item padded", CANONICAL.replace("- item", "-\titem")),
        ("empty item with a tab", CANONICAL.replace("- item\n-\n", "- item\n-\t\n")),
        ("no blank line before a heading", CANONICAL.replace("Text.\n\n=== Sub", "Text.\n=== Sub")),
        ("blank line under a heading", CANONICAL.replace("== Section ==\nText.", "== Section ==\n\nText.")),
        ("no blank line after the infobox", CANONICAL.replace("-\n\nLead", "-\nLead")),
    ]
    # Only whitespace that keeps the meaning (a blank line inside the infobox or a
    # paragraph makes another article, itself canonical).
    meaning = wikiplain.to_dict(wikiplain.parse(CANONICAL))
    return [(name, text) for name, text in out if wikiplain.to_dict(wikiplain.parse(text)) == meaning]


DEVIATIONS = deviations()


def test_deviations_cover_every_line() -> None:
    assert len(DEVIATIONS) >= 80


def test_the_canonical_article_is_canonical() -> None:
    article = wikiplain.parse(CANONICAL)
    assert wikiplain.normalize(CANONICAL) == CANONICAL
    assert is_canonical(article)
    wikitext = _render_text(CANONICAL, canonical=False)  # the tree is not built ...
    assert wikitext is not None
    assert wikitext == wikiplain.to_wikitext(article)  # ... and agrees with the tree
    assert "wikiplain-trivia" not in wikitext
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext)) == CANONICAL


@pytest.mark.parametrize(("name", "text"), DEVIATIONS, ids=[safe_id(name) for name, _ in DEVIATIONS])
def test_each_deviation_is_noticed_and_kept(name: str, text: str) -> None:
    article = wikiplain.parse(text)
    canonical = wikiplain.normalize(text)
    assert text != canonical
    assert not is_canonical(article)
    wikitext = wikiplain.to_wikitext(text)
    assert wikitext == wikiplain.to_wikitext(article)
    if not text.startswith("\ufeff") and text.strip(" \t\r\n")[:1] == text[:1]:  # written from the runs
        assert _render_text(text, canonical=False) == wikitext
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext)) == text  # the trivia comment restores it
    assert wikiplain.to_wikitext(text, canonical=True) == wikiplain.to_wikitext(canonical)
    assert is_canonical(wikiplain.parse(canonical)) == (canonical == wikiplain.normalize(canonical))


@pytest.mark.parametrize(
    "text",
    [
        "= T =\n\nEnds with X\n",  # any last character but whitespace
        "= T =\n\nInfobox\n- K: v\n",
        "= T =\n\nInfobox x\n\nText.\n",  # an infobox without fields
        "= T =\n\nInfobox\n",
        "Infobox x\n- K: v\n\nText.\n",  # no title
        "= T =\n\n== A ==\n- x\n",
        "= T =\n",
        "",
    ],
)
def test_canonical_text_takes_the_fast_path(text: str) -> None:
    assert wikiplain.normalize(text) == text
    assert is_canonical(wikiplain.parse(text))
    assert _render_text(text, canonical=False) == wikiplain.to_wikitext(wikiplain.parse(text))


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        # the last node of every shape loses its blank lines; the others keep one
        ("= T =\n\n== A ==\nx\n\n\n== B ==\ny\n\n== C ==\n\n\n", "= T =\n\n== A ==\nx\n\n== B ==\ny\n\n== C ==\n"),
        ("= T =\n\n== A ==\n=== B ===\n\n==== C ====\nz\n\n\n", "= T =\n\n== A ==\n\n=== B ===\n\n==== C ====\nz\n"),
        ("= T =\n\n== A ==\n\n=== B ===\n- x\n\n\n", "= T =\n\n== A ==\n\n=== B ===\n- x\n"),
        (
            "= T =\n\n== A ==\n=== B ===\nb\n=== C ===\n=== D ===\nd\n\n",
            "= T =\n\n== A ==\n\n=== B ===\nb\n\n=== C ===\n\n=== D ===\nd\n",
        ),
        ("= T =\n\nInfobox\n- K: v\n\n\n", "= T =\n\nInfobox\n- K: v\n"),
        ("= T =\n\n\n", "= T =\n"),
        ("\n\nText\n\n\n", "Text\n"),
        # a byte order mark stays only where the first text starts with U+FEFF
        ("\ufeff\ufeffX\n", "\ufeff\ufeffX\n"),
        ("\ufeffX\n", "X\n"),
        ("\ufeff= T =\n\n\ufeffX\n", "= T =\n\n\ufeffX\n"),
        ("\ufeffInfobox\n\n\ufeffX\n", "Infobox\n\n\ufeffX\n"),
        ("\ufeff\ufeff\n", "\ufeff\ufeff\n"),  # U+FEFF is text, not whitespace
    ],
)
def test_normalize(text: str, canonical: str) -> None:
    assert wikiplain.normalize(text) == canonical
    assert is_canonical(wikiplain.parse(canonical))
    assert wikiplain.dumps(wikiplain.from_dict(wikiplain.to_dict(wikiplain.parse(text)))) == canonical


def test_canonical_nodes_have_no_source_position() -> None:
    article = wikiplain.canonicalize(wikiplain.parse("= T =\n\n== A ==\nx\n\n"))
    assert article.span is None and article.sections[0].span is None and article.sections[0].blocks[0].span is None
