"""Hypothesis strategies: plain articles with hostile text in them."""

from __future__ import annotations

from hypothesis import strategies as st

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
    "Website URL",
]

hostile_fragment = st.sampled_from(HOSTILE)
#: "<" before any character: mwparserfromhell starts a tag name at most of them.
tag_start = st.characters().map(lambda c: "<" + c)
hostile_text = st.lists(st.one_of(hostile_fragment, st.text(max_size=5), tag_start), max_size=12).map("".join)
inline = hostile_text.map(lambda s: s.replace("\n", " ").replace("\r", " "))
newline = st.sampled_from(["\n", "\n", "\n", "\r\n", ""])
space = st.sampled_from(["", "", " ", "  ", "\t", " \t", "\r"])


@st.composite
def article_lines(draw: st.DrawFn) -> str:
    """An article built from plausible lines, each spelled in odd ways."""
    kinds = st.sampled_from(["title", "heading", "infobox", "field", "item", "text", "text", "blank"])
    out = []
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
            line = "-" + sp + key + draw(space) + ":" + draw(space) + draw(inline) + draw(space)
        elif kind == "item":
            line = "-" + sp + draw(inline) + draw(space)
        elif kind == "blank":
            line = sp
        else:
            line = draw(inline) + draw(space)
        out.append(line + draw(newline))
    return "".join(out)


any_text = st.one_of(article_lines(), hostile_text, st.text())
