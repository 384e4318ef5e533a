"""Hypothesis strategies: plain articles with hostile text in them."""

from __future__ import annotations

import html.entities

from hypothesis import strategies as st
from mwparserfromhell.definitions import URI_SCHEMES

#: Fragments that stress the format and wiki markup alike.
HOSTILE = [
    "=",
    "==",
    "===",
    "-",
    "- ",
    ":",
    ": ",
    "::",
    "Infobox",
    "Infobox ",
    " ",
    "  ",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "{{",
    "}}",
    "{{{",
    "}}}",
    "[[",
    "]]",
    "[",
    "]",
    "|",
    "''",
    "'''",
    "<ref>",
    "</ref>",
    "<!--",
    "-->",
    "<nowiki>",
    "</nowiki>",
    "&amp;",
    "&#123;",
    "&nbsp;",
    "*",
    "#",
    ";",
    "----",
    "{|",
    "|}",
    "~~~~",
    "__TOC__",
    "ISBN 978-3-16-148410-0",
    "RFC 1234",
    "http://example.org/a?b=c",
    "[http://x.y z]",
    "é",
    "Ségou",
    "日本",
    "🙂",
    "\u200b",
    "\u2028",
    "\x0c",
    "\x0b",
    "\x85",
    "\ufeff",
    "\x00",
    "a",
    "b c",
    # Issue 9: tag names mwparserfromhell accepts, MediaWiki's own brackets and spaces.
    "<é",
    "<~",
    "<9 ",
    "<\\",
    '<"',
    "/>",
    ">",
    "-{",
    "}-",
    "-{{",
    "ISBN\u00a0978-3-16-148410-0",
    "RFC\u20031234",
    "PMID\t5",
    "\t{|",
    "\u00a0",
    "\u3000",
    "&#xD800;",
    "&#1;",
    "matrix:x",
    "mailto:a@b.c",
    " ?",
    "« ",
]

#: Infobox keys that stress the key <-> parameter-name rule (case mapping, escapes).
ODD_KEYS = [
    "place",
    "Place",
    "ISBN",
    "",
    "a=b",
    "ǅx",
    "ǆx",
    "İx",
    "ßx",
    "Σx",
    "ς",
    "1",
    "&amp;",
    "&#61;x",
    "[x]",
    "{x}",
    "<x>",
    "x|y",
    "}}",
    "ωmega",
    "ﬀx",
    "ŉx",
    "ᾈx",
    "\u2160x",  # ROMAN NUMERAL ONE
    "K\u00a0",
    "\u00a0K",
    "Website URL",
]

#: MediaWiki's behaviour switches (its MagicWordFactory's double-underscore words).
BEHAVIOUR_SWITCHES = [
    "__NOTOC__", "__FORCETOC__", "__TOC__", "__NOEDITSECTION__", "__NEWSECTIONLINK__", "__NONEWSECTIONLINK__",
    "__NOGALLERY__", "__HIDDENCAT__", "__EXPECTUNUSEDCATEGORY__", "__NOCONTENTCONVERT__", "__NOCC__",
    "__NOTITLECONVERT__", "__NOTC__", "__INDEX__", "__NOINDEX__", "__STATICREDIRECT__", "__DISAMBIG__",
    "__EXPECTUNUSEDTEMPLATE__", "__NOGLOBAL__", "__START__", "__END__",
]  # fmt: skip
#: Every URL scheme mwparserfromhell knows, and MediaWiki's "matrix:".
URL_SCHEMES = sorted({*URI_SCHEMES, "matrix"})

hostile_fragment = st.sampled_from(HOSTILE)
#: "<" before any character: mwparserfromhell starts a tag name at most of them.
tag_start = st.characters(codec=None).map(lambda c: "<" + c)
behaviour_switch = st.sampled_from(BEHAVIOUR_SWITCHES)
url = st.tuples(st.sampled_from(URL_SCHEMES), st.booleans(), st.booleans()).map(
    lambda t: (
        (t[0].upper() if t[2] else t[0]) + (":" if URI_SCHEMES.get(t[0]) is False or not t[1] else "://") + "x.y/z"
    )
)
#: Code points of every kind: ASCII, C0 and C1 controls, DEL, the BMP, surrogates,
#: non-characters, the astral planes, and past the last code point.
code_point = st.one_of(
    st.integers(0, 0x7F),
    st.integers(0x80, 0x9F),
    st.integers(0xA0, 0xFFFF),
    st.integers(0xD800, 0xDFFF),
    st.sampled_from([0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFE, 0x10FFFF]),
    st.integers(0x10000, 0x10FFFF),
    st.integers(0x110000, 0x7FFFFFFF),
)
#: Character references as wiki text spells them: decimal, hex (x or X, any case, leading zeros), named.
entity = st.one_of(
    code_point.map(lambda n: f"&#{n};"),
    st.tuples(code_point, st.sampled_from(["x", "X"]), st.booleans(), st.integers(0, 3)).map(
        lambda t: f"&#{t[1]}{'0' * t[3]}{format(t[0], 'X' if t[2] else 'x')};"
    ),
    st.sampled_from(sorted(html.entities.name2codepoint)).map(lambda name: f"&{name};"),
    st.sampled_from(["&apos;", "&lbrace;", "&NotANamedOne;", "&#;", "&#x;", "&amp", "&#12"]),
)
#: Unicode general categories: every one but Cs (surrogates, which no file holds).
CATEGORIES = [
    "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
    "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cn",
]  # fmt: skip
#: The characters a plain text can hold: any (Hypothesis favours ASCII and a
#: few others), one of a category picked first (so that rare categories such
#: as combining marks come up), and the ones that end lines elsewhere.
character = st.one_of(
    st.characters(codec=None),
    st.sampled_from(CATEGORIES).flatmap(lambda c: st.characters(categories=[c])),  # type: ignore[list-item]
    st.sampled_from(["\x85", "\u2028", "\u2029", "\ufeff", "\U0010ffff", "\U0001f600"]),
)
#: No-break and other spaces beside the separators of the format and of wikitext.
odd_spaces = st.tuples(st.sampled_from(["\u00a0", "\u2007", "\u202f", "\u3000"]), st.sampled_from(["=", ":", "|"]))
spaced_separator = odd_spaces.map(lambda t: t[0] + t[1] + t[0])

atom = st.one_of(
    hostile_fragment,
    st.text(character, max_size=5),
    tag_start,
    behaviour_switch,
    url,
    entity,
    spaced_separator,
)
hostile_text = st.lists(atom, max_size=12).map("".join)
inline = hostile_text.map(lambda s: s.replace("\n", " ").replace("\r", " "))
newline = st.sampled_from(["\n", "\n", "\n", "\r\n", ""])
space = st.sampled_from(["", "", " ", "  ", "\t", " \t", "\r"])
#: Lines of up to 100,000 characters: one hostile atom repeated, inside an article.
long_line = st.tuples(atom.filter(bool), st.sampled_from([1_000, 10_000, 100_000]) | st.integers(1_000, 100_000)).map(
    lambda t: "= Long =\n\n" + (t[0].replace("\n", " ") * (t[1] // len(t[0]) + 1))[: t[1]] + "\n"
)


@st.composite
def article_lines(draw: st.DrawFn) -> str:
    """An article built from plausible lines, each spelled in odd ways."""
    kinds = st.sampled_from(["title", "heading", "infobox", "field", "item", "text", "text", "blank"])
    out = ["\ufeff"] if draw(st.integers(0, 9)) == 0 else []  # a byte order mark before the title
    for kind in draw(st.lists(kinds, max_size=20)):
        sp = draw(space)
        if kind == "title" or kind == "heading":
            left = 1 if kind == "title" else draw(st.integers(1, 7))
            right = left if draw(st.booleans()) else draw(st.integers(1, 7))
            line = "=" * left + sp + draw(inline) + draw(space) + "=" * right + draw(space)
        elif kind == "infobox":
            line = "Infobox" + (sp + draw(inline) if draw(st.booleans()) else "") + draw(space)
        elif kind == "field":
            key = draw(st.one_of(inline, st.sampled_from(ODD_KEYS)))
            colon = draw(st.sampled_from([":", ":", ":", "\u00a0:", ":\u00a0", "\u00a0:\u00a0"]))
            line = "-" + sp + key + draw(space) + colon + draw(space) + draw(inline) + draw(space)
        elif kind == "item":
            line = "-" + sp + draw(inline) + draw(space)
        elif kind == "blank":
            line = sp
        else:
            line = draw(inline) + draw(space)
        out.append(line + draw(newline))
    return "".join(out)


#: Any text: plausible articles, hostile strings, any string, and one time in twenty a long line.
any_text = st.integers(0, 19).flatmap(
    lambda i: long_line if i == 0 else st.one_of(article_lines(), hostile_text, st.text(character))
)

#: Wikitext dense with character references, beside the markup each one could
#: stand for: what from_wikitext decodes before tokenizing (MANY_REFERENCES).
#: The references are those of the characters around them, so that a decoded
#: one can join its neighbours ("'" and "&#39;", "&amp;" and "#0;").
_SHARP = ["&amp;", "&#39;", "&#61;", "&#124;", "&#10;", "&#13;", "&#32;", "&#125;", "&lt;", "&#42;", "&#45;", "&#35;"]
_BESIDE = ["&", "'", "=", "|", "\n", "\r\n", " ", "}", "*", "-", "#0;", "x", "{{Infobox x\n| ", "}}", "Infobox", "<!--"]
reference_fragment = st.one_of(st.sampled_from(_SHARP), st.sampled_from(_BESIDE), entity, hostile_fragment)
reference_dense = st.lists(reference_fragment, max_size=30).map("".join)
