"""Property tests for the wikitext bridge."""

from __future__ import annotations

import re

import mwparserfromhell
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from mwparserfromhell.definitions import URI_SCHEMES
from mwparserfromhell.nodes import Comment, Heading, HTMLEntity, Tag, Template, Text
from mwparserfromhell.wikicode import Wikicode

import wikiplain
from wikiplain._lexer import line_runs
from wikiplain._lines import BLANK, iter_lines
from wikiplain.nodes import text_line_parts
from wikiplain.wikitext import escape, reader, tokens, writer
from wikiplain.wikitext.writer import TRIVIA_MARK, _render_text

from .strategies import any_text, article_lines, hostile_text, reference_dense

PLAIN_NODES = (Text, HTMLEntity)
_SCHEME = re.compile(rf"(?i)(?:{'|'.join(URI_SCHEMES)}):")
_MEDIAWIKI_ONLY = [
    (re.compile(r"~~~"), "signature"),
    (re.compile(r"__[A-Za-z]+__"), "behaviour switch"),
    (re.compile(r"\b(?:ISBN|RFC|PMID)[ \t]+[0-9]"), "magic link"),
    (re.compile(r"(?m)^ "), "preformatted line"),
]


def assert_plain(code: Wikicode, where: str) -> None:
    """Only text and the entities we escape with."""
    for node in code.nodes:
        assert isinstance(node, PLAIN_NODES), f"{where}: unexpected {type(node).__name__} {str(node)!r}"
    raw = "".join(n.value for n in code.nodes if isinstance(n, Text))
    assert not _SCHEME.search(raw), f"{where}: bare URL in {raw!r}"


def assert_no_accidental_markup(article: wikiplain.Article, wikitext: str) -> None:
    code = mwparserfromhell.parse(wikitext)
    headings = templates = comments = 0
    items = 0
    at_line_start = True
    for node in code.nodes:
        if isinstance(node, Heading):
            headings += 1
            assert_plain(node.title, "heading")
        elif isinstance(node, Template):
            templates += 1
            assert_plain(node.name, "template name")
            for param in node.params:
                assert_plain(param.name, "parameter name")
                assert_plain(param.value, "parameter value")
        elif isinstance(node, Comment):
            comments += 1
            assert node.contents.startswith(f" {TRIVIA_MARK} ")
        elif isinstance(node, Tag):
            assert node.wiki_markup == "*" and str(node) == "*" and at_line_start, f"unexpected tag {str(node)!r}"
            items += 1
        else:
            assert isinstance(node, PLAIN_NODES), f"unexpected {type(node).__name__} {str(node)!r}"
        at_line_start = node.value.endswith("\n") if isinstance(node, Text) else False
    expected_headings = (article.title is not None) + sum(1 for _ in article.walk_sections())
    assert headings == expected_headings
    assert templates == (article.infobox is not None)
    assert comments <= 1
    lists = [
        b
        for b in (*article.lead, *(b for s in article.walk_sections() for b in s.blocks))
        if isinstance(b, wikiplain.BulletList)
    ]
    assert items == sum(len(b.items) for b in lists)
    assert_plain(Wikicode([n for n in code.nodes if isinstance(n, PLAIN_NODES)]), "text")
    # MediaWiki finds these in the source text, where a reference is still
    # spelled out ("~~&#126;" is no signature); the text nodes joined across
    # the references between them would show ones that are not there.
    body = wikitext.split(f"<!-- {TRIVIA_MARK}")[0]
    for pattern, what in _MEDIAWIKI_ONLY:
        assert not pattern.search(body), f"{what} in {body!r}"


@given(any_text)
@example("-\n=-=\n")  # an empty item, then a level-1 section heading (not the title)
def test_plain_to_wikitext_and_back_is_exact(text: str) -> None:
    article = wikiplain.parse(text)
    wikitext = wikiplain.to_wikitext(article)
    back = wikiplain.from_wikitext(wikitext)
    assert wikiplain.dumps(back) == text
    assert wikiplain.check_wikitext(wikitext) == []


@given(any_text)
def test_canonical_wikitext_is_the_canonical_forms_and_has_no_comment(text: str) -> None:
    canonical = wikiplain.to_wikitext(text, canonical=True)
    assert canonical == wikiplain.to_wikitext(wikiplain.normalize(text))
    assert canonical == wikiplain.to_wikitext(wikiplain.parse(text), canonical=True)
    assert TRIVIA_MARK not in canonical
    assert wikiplain.dumps(wikiplain.from_wikitext(canonical)) == wikiplain.normalize(text)
    # the default writes the same body, plus the comment where there is trivia
    assert wikiplain.to_wikitext(text).startswith(canonical)


@given(any_text)
def test_the_trivia_comment_is_the_data_s_whitespace_where_it_differs(text: str) -> None:
    # trivia_diff reads the trees' whitespace fields; its definition is the
    # difference of the two articles' whole data with trivia.
    article = wikiplain.parse(text)
    canonical = wikiplain.canonicalize(article)
    expected = writer._prune(wikiplain.to_dict(article, trivia=True), wikiplain.to_dict(canonical, trivia=True))
    assert writer.trivia_diff(article, canonical) == expected


@given(any_text)
@example("Infobox  x\n- a: b\n")  # (canonical lines are recognised from their text: each spelling that is not)
@example("Infobox\tx\n- a: b\n")
@example("Infobox x\n- a : b\n- c:  d\n- e:\n-\n- f\n- :g\n")
@example("Infobox x\n\n== H ==\n")
@example("= T =\n\n== x ===")  # heading lines that are not canonical, beside the canonical pattern
@example("= T =\n\n==  x ==\n")
@example("= T =\n\n== x  ==\n")
@example("= T =\n\n== x= ==\n")
@example("= T =\n\n== =x ==\n")
@example("a\r\nb \n\n\n== H ==  \r\nx\n- a \n-  b\n")  # non-canonical whitespace: diffs in every part
@example("= T  =\r\n\r\nInfobox x \r\n- K : v\r\n\r\nText\r\n")
@example("= T =\n\nInfobox x \n- K: v\r\n- L: w\n-\t\n- M\n\n\nText\n")  # an infobox's diffs read from its lines
@example("= T =\n\nInfobox\tx\n\nText\n")  # an infobox without fields, read into nodes
@example("= T =\n\nInfobox  x\n- a: b\n")
@example("= T =\n\n== A ==\n=== B ===\nb \n== C ==\n==== D ====\n- d\t\n=== E ===\ne")  # nested diffs
@example("= T =\n\n== A ==\n\n\n== B ==\n")  # a heading's blank lines alone
@example("x\r\n*y\r\n")  # a CRLF line that a line-start rule escapes
def test_text_to_wikitext_equals_the_tree_path(text: str) -> None:
    # to_wikitext(str) writes text straight from the lexer's runs, trivia
    # comment included; it must agree with the tree path, for canonical text
    # and all other text, with and without the comment.
    canonical = wikiplain.normalize(text)
    for source in (text, canonical):
        article = wikiplain.parse(source)
        assert wikiplain.to_wikitext(source) == wikiplain.to_wikitext(article)
        assert wikiplain.to_wikitext(source, canonical=True) == wikiplain.to_wikitext(article, canonical=True)
    # the tree is built only for a byte order mark or blank lines before the first line
    first = next(line_runs(text), None)
    declined = text.startswith("\ufeff") or (first is not None and first.type == BLANK)
    assert _render_text(text, canonical=False) is not None or declined


@given(any_text)
def test_wikitext_we_write_is_canonical(text: str) -> None:
    wikitext = wikiplain.to_wikitext(wikiplain.parse(text))
    assert wikiplain.to_wikitext(wikiplain.from_wikitext(wikitext)) == wikitext


@given(any_text)
@example("~~~~<~")  # "&#126;&#126;~~&#60;~": no "~~~" in the source (the text nodes joined have one)
def test_no_accidental_markup(text: str) -> None:
    article = wikiplain.parse(text)
    assert_no_accidental_markup(article, wikiplain.to_wikitext(article))


foreign = st.one_of(
    hostile_text,
    st.text(),
    st.lists(
        st.sampled_from(
            [
                "{{Infobox x\n| a = b\n}}\n",
                "== H ==\n",
                "= T =\n",
                "* i\n",
                "# n\n",
                "text\n",
                "\n",
                "[[l|x]]",
                "''i''",
                "<ref>r</ref>",
                "<!-- c -->",
                "{{t|1}}",
                "&amp;",
                "&#10;",
                "&#x0A;x",
                "- dash\n",
                "Infobox y\n",
                "{| \n|}\n",
                " pre\n",
            ]
        ),
        max_size=12,
    ).map("".join),
)


@given(foreign)
def test_from_wikitext_is_total_and_reaches_a_fixpoint(wikitext: str) -> None:
    article = wikiplain.from_wikitext(wikitext)
    wikiplain.check_wikitext(wikitext)
    once = wikiplain.to_wikitext(article)
    assert wikiplain.to_wikitext(wikiplain.from_wikitext(once)) == once
    # whatever came in, the result is a plain article that reads back the same
    assert wikiplain.to_dict(wikiplain.parse(wikiplain.dumps(article))) == wikiplain.to_dict(article)


real_markup = st.lists(
    st.sampled_from(
        [
            "{{Infobox x\n| a = [[b|c]]\n| d = {{convert|1|km}}\n}}\n",
            "== H ==\n",
            "'''Bold''' text ",
            "[[File:x.jpg|thumb]]",
            "{{cite web|url=x}}",
            "<ref>r</ref>",
            "<ref name=a/>",
            "[[Category:C]]",
            "[[de:X]]",
            "{{Reflist}}\n",
            "== References ==\n",
            "* item\n",
            "# n\n",
            ": indent\n",
            "{|\n|-\n| a || b\n|}\n",
            "<br>",
            "&nbsp;",
            "\n",
            "- dash\n",
            "= T =\n",
            "Infobox y\n",
            "{{hlist|a|b}}",
            "[http://x.org label]",
            "<!-- c -->",
            "{{unknown}}",
        ]
    ),
    max_size=15,
).map("".join)


@given(st.one_of(real_markup, foreign))
def test_clean_mode_gives_a_clean_canonical_article(wikitext: str) -> None:
    article = wikiplain.from_wikitext(wikitext, mode="clean", title="T")
    text = wikiplain.dumps(article)
    assert wikiplain.normalize(text) == text
    assert wikiplain.dumps(wikiplain.from_wikitext(wikiplain.to_wikitext(article))) == text


contexts = st.sampled_from(["inline", "template", "name"])
# Short strings of one or two markup starts, so that each rule is met alone.
markup_starts = st.lists(
    st.sampled_from(
        [
            *("&amp;", "&#91;", "<b>", "<!--", "[[", "[http://x", "{{", "}}", "''", "~~~~", "__TOC__", "http:"),
            *("ISBN 1", "\r", "\x00", "|", "=", "]", ">", "{", "x", " ", "*"),
        ]
    ),
    max_size=3,
).map("".join)


#: Short text that starts with a letter, as most headings and items do (escape_text
#: returns these as they are when no rule can touch them, without its rules).
letter_first = st.tuples(
    st.characters(categories=["L"]), st.one_of(markup_starts, hostile_text, st.text(max_size=50))
).map("".join)


@given(st.one_of(markup_starts, hostile_text, st.text(), letter_first), contexts, st.booleans())
@example("Heading", "inline", True)
@example("Early life", "inline", True)
@example("Abc http", "inline", False)
@example("xISBN 1", "inline", True)
@example("a-{b", "inline", False)
@example("a __TOC__ b", "inline", False)
@example("a ~~~~ b", "inline", False)
@example("a ''b'' c", "inline", False)
def test_escaping_prefilter_only_saves_time(text: str, context: str, line_start: bool) -> None:
    # escape_text runs its full regex only on text holding one of _RULE_STARTS,
    # and none on short text no rule can touch (_UNTOUCHED); the result must
    # be what the full regex gives on every text.
    full = escape._escape_start(escape._ESCAPES[context].sub(escape._entity, text), line_start, context)
    assert escape.escape_text(text, line_start=line_start, chars=context) == full


@given(st.one_of(markup_starts, hostile_text, st.text(), letter_first), st.booleans())
@example("[[{{" * 100, False)
@example("Heading", True)
@example("see http://x", False)
@example("Time: 10 a.m.", False)
@example("ISBN 1", False)
@example("ISBN x", False)
@example("ISBN: x", False)  # (not short plain text: the magic-link rule decides)
@example("x" * 50 + " ISBN x", False)
@example("RFC 1", False)
@example("PMID 1", False)
@example("a __TOC__ b", False)
@example("a ~~~~ b", False)
@example("a ''b'' c", False)
@example(" x", True)
@example("=" + "x" * 60, True)
def test_escapes_nothing_is_escaping_to_itself(text: str, line_start: bool) -> None:
    # (the reader of our wikitext asks this of every line, without escaping it)
    expected = escape.escape_text(text, line_start=line_start) == text
    assert escape.escapes_nothing(text, line_start=line_start) == expected


@given(any_text)
@example("a: b\r\nc\n")
@example("x\n*y\n")
@example("x\n y\n")
def test_quiet_text_needs_escaping_only_at_line_starts(text: str) -> None:
    # (to_wikitext writes the paragraph lines of quiet text as they stand)
    if not escape.quiet_lines(text):
        return
    for line in iter_lines(text):
        stripped = text_line_parts(line)[0]
        if stripped and stripped[0] not in escape.LINE_START_MARKS:
            assert escape.escape_text(stripped, line_start=True) == stripped


def test_quiet_lines_tells_prose_from_text_a_rule_may_touch() -> None:
    # (what to_wikitext writes as it stands: most prose; one character of a rule is enough to say no)
    assert escape.quiet_lines("It's 3:15 on 4 May, a_b, c~~d; ISBNs and RFCs, PMID x.\r\nNext line.\n")
    assert escape.quiet_lines("")
    for text in ["a&b", "a<b", "a[b", "a{b", "a\x00b", "a\rb\n", "a\r\r\n", "a''b", "a__b", "a~~~b"]:
        assert not escape.quiet_lines(text), text
    for text in ["see http://x", "ISBN 1", "RFC 1", "PMID 1", "x\r\nISBN\t2\r\n"]:
        assert not escape.quiet_lines(text), text


def test_short_plain_text_is_not_run_through_the_rules() -> None:
    # (so that the property above meets the shortcut: most headings take it)
    assert escape._UNTOUCHED("Early life and career") and escape._UNTOUCHED("Children’s books")
    for text in ("Heading 2", "x''", "a:b", "a_b", "[x", "*x", " x", "x&y"):
        assert not escape._UNTOUCHED(text)


@pytest.mark.parametrize("context", ["inline", "template", "name"])
def test_ordinary_text_is_escaped_without_the_whole_regex(context: str) -> None:
    # The prefilter's promise (README, "Escaping"): an apostrophe, underscore
    # or tilde alone starts no rule, so prose with them costs a few scans in C.
    assert not escape._any_rule_starts("It's a_b, c~d: the end.", context)
    for text in ("a''b", "a__b", "a~~~b", "a&b", "a<b", "a[b", "a{b", "a\rb", "a\x00b"):
        assert escape._any_rule_starts(text, context)


@given(st.one_of(any_text.map(wikiplain.to_wikitext), foreign))
def test_both_tokenizers_read_alike(wikitext: str) -> None:
    # mwparserfromhell's C tokenizer and its pure-Python one (used where the
    # extension is missing) must give the same article.
    from wikiplain.wikitext import tokens as module

    fast = wikiplain.to_dict(wikiplain.from_wikitext(wikitext), trivia=True)
    saved = module._CTokenizer
    module._CTokenizer = None
    try:
        slow = wikiplain.to_dict(wikiplain.from_wikitext(wikitext), trivia=True)
    finally:
        module._CTokenizer = saved
    assert fast == slow


_WHITESPACE_VALUES = ["", " ", "  ", "\t", "\r", "\n", "\r\n", " \n", "\n\n", "\t\r\n", "\n \n", "\ufeff", "x"]


@given(any_text, st.data())
def test_a_trivia_comment_never_changes_the_meaning(text: str, data: st.DataObject) -> None:
    # Whatever whitespace a (hand-edited) trivia comment holds, the article read
    # has the meaning of the wikitext's body, and its text reads back as itself.
    import json

    article = wikiplain.parse(text)
    canonical = wikiplain.to_wikitext(article, canonical=True)

    def scramble(node: object, in_trivia: bool = False) -> object:
        """The to_dict skeleton with every whitespace value under "trivia" drawn anew."""
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if in_trivia and isinstance(value, str):
                    out[key] = data.draw(st.sampled_from(_WHITESPACE_VALUES))
                elif isinstance(value, dict) or (
                    isinstance(value, list) and not all(isinstance(item, str) for item in value)  # not the meaning
                ):
                    out[key] = scramble(value, in_trivia or key == "trivia")
            return out
        if isinstance(node, list):
            return [scramble(item, in_trivia) for item in node]
        return node

    trivia = scramble(wikiplain.to_dict(article, trivia=True))
    wikitext = canonical + f"<!-- {TRIVIA_MARK} {json.dumps(trivia)} -->\n"
    read = wikiplain.from_wikitext(wikitext)
    assert wikiplain.to_dict(read) == wikiplain.to_dict(wikiplain.from_wikitext(canonical))
    assert wikiplain.to_dict(wikiplain.parse(wikiplain.dumps(read))) == wikiplain.to_dict(read)


_COMMENT_TAILS = st.sampled_from(
    [
        '{"trivia":{"leading_blank":"\\n"}}',
        '{"lead":[{"trivia":{"blank_after":"\\n\\n"}}]}',
        '{"x":"</nowiki>"}',
        '{"x":"</pre>}}]]"}',
        "not json",
        "{}",
    ]
)


@given(
    st.one_of(any_text.map(wikiplain.to_wikitext), foreign, hostile_text),
    _COMMENT_TAILS,
    st.sampled_from(["", "\n", " \n\n"]),
)
def test_reading_the_body_before_a_trivia_comment_is_reading_the_whole(body: str, payload: str, after: str) -> None:
    # from_wikitext tokenizes the text before a trailing trivia comment alone
    # (the comment is most of the tokenizer's time); what it reads must be what
    # tokenizing the whole text gives.
    if body and not body.endswith("\n"):
        body += "\n"
    text = body + f"<!-- {TRIVIA_MARK} {payload} -->" + after
    fast = reader._read(text)
    saved = reader._split_trivia
    reader._split_trivia = lambda text: None  # type: ignore[assignment]
    try:
        whole = reader._read(text)
    finally:
        reader._split_trivia = saved
    assert wikiplain.dumps(fast[0]) == wikiplain.dumps(whole[0])
    assert fast[1] == whole[1]


@given(any_text)
def test_wikitext_we_write_never_looks_like_a_real_page(text: str) -> None:
    # auto mode reads text with these marks (bold or italic, a comment, a
    # reference) as a real page at once, so ours must never hold them.
    for wikitext_ in (wikiplain.to_wikitext(text), wikiplain.to_wikitext(text, canonical=True)):
        assert not reader._surely_real(wikitext_), wikitext_


@given(st.one_of(reference_dense, any_text.map(wikiplain.to_wikitext), hostile_text))
@example("= T =\n\n&#61;= x ==\n")
@example("&amp;#0;")  # "&" + "#0;" would read as NUL
@example("a'&#39;b")  # "''" would be bold or italic
@example("a&#10;b\n- &#10;")  # a line break as text
@example("{{Infobox x\n| &#98;irth_date = 1\n}}\nSee &amp; this.\n")
def test_references_decoded_before_tokenizing_read_alike(text: str) -> None:
    # Texts with many references have them decoded to stand-ins before
    # tokenizing (the tokenizer makes three to five tokens of each); what is
    # read must be what reading the references as tokens gives, in every mode.
    assert_read_alike(text, tokens, "MANY_REFERENCES", 0, 10**9)


def assert_read_alike(text: str, module: object, setting: str, fast: object, slow: object) -> None:
    """Reading ``text`` in every mode with ``module.<setting>`` set to
    ``fast`` (a fast path on) and to ``slow`` gives the same articles and
    diagnostics."""
    saved = getattr(module, setting)
    try:
        setattr(module, setting, fast)
        fast_readings = [reader._read(text, mode) for mode in ("auto", "exact")]
        setattr(module, setting, slow)
        slow_readings = [reader._read(text, mode) for mode in ("auto", "exact")]
    finally:
        setattr(module, setting, saved)
    for (one, one_diagnostics), (other, other_diagnostics) in zip(fast_readings, slow_readings, strict=True):
        assert one == other
        assert wikiplain.dumps(one) == wikiplain.dumps(other)
        assert one_diagnostics == other_diagnostics


_WRITTEN = wikiplain.to_wikitext(
    "= T & U =\n\nInfobox x\n- A: b & c\n- Birth: 1 [a]\n- Place\n\nPara <b> x\nline ' two\n\n- item\n-\n"
    "- {{x}}\n\n== H = ==\nText\n=== = ===\n"
)
_WRITTEN_LINES = _WRITTEN.split("\n")
#: Lines of wikitext that end in a line break, as written lines do: written
#: ones, and lines that start like them with hostile text in them.
_written_like = st.lists(
    st.one_of(
        st.sampled_from(_WRITTEN_LINES),
        st.tuples(
            st.sampled_from(["", "* ", "*", "= ", "== ", "=== ", "{{Infobox x", "| a = "]),
            st.one_of(reference_dense, hostile_text),
            st.sampled_from(["", " =", " ==", " ===", "}}"]),
        ).map("".join),
    )
).map(lambda lines: "".join(line + "\n" for line in lines))


def _tokenized_part(text: str) -> str | None:
    """The part of ``text`` that _read_ours tokenized to walk token by token
    (None: every line was read as written, without the tokenizer)."""
    seen: list[str] = []
    tokens_of = reader._tokens_of

    def recording(part: str) -> tuple[list[object], bool]:
        seen.append(part)
        return tokens_of(part)

    reader._tokens_of = recording  # type: ignore[assignment]
    try:
        reader._read_ours(text, None)
    except reader._NotOurs:
        pass
    finally:
        reader._tokens_of = tokens_of  # type: ignore[assignment]
    assert len(seen) <= 1
    return seen[0] if seen else None


@given(
    st.one_of(
        article_lines().map(lambda t: wikiplain.to_wikitext(t, canonical=True)),
        _written_like,
        st.tuples(_written_like, hostile_text).map("".join),
    )
)
@example(_WRITTEN)
@example("== a &#61; ==\n}}\nx\n")
def test_the_tokenizer_reads_from_the_first_line_not_as_written(text: str) -> None:
    # The line walk hands over at a line start: the tokenized part is the
    # rest of the text from the start of a line, and the lines before it
    # are as written (each one, alone, is read without the tokenizer).
    part = _tokenized_part(text)
    if part is None:
        return
    assert text.endswith(part)
    start = len(text) - len(part)
    assert start == 0 or text[start - 1] == "\n"
    if start:
        assert _tokenized_part(text[:start]) is None


@pytest.mark.parametrize(
    "text",
    [
        "[[x]]\n",  # a paragraph line with markup
        "a <b>\n",  # to_wikitext writes "&#60;b>"
        "* [[x]]\n",  # an item with markup
        "== [[x]] ==\n",  # a heading with markup
        "==  x ==\n",  # not spaced as written
        "===x ==\n",  # runs of "=" of two lengths: the title holds one
        "==x==\n",
        "== \t ==\n",  # no title: a paragraph line, whose "=" the writer escapes
        "a &#39;'\n",  # a reference to "'" beside "'": read by the tokenizer
        "a &#10;b\n",  # a reference to a line break
        "{{Infobox x\n| a = [[b\n}}\n",  # a construct in the infobox
        "* \n",  # an empty item is written "*"
        "*x\n",
        "[[{{" * 1000 + "\n",  # (found at the first "[[", not escaped whole)
        "== x = ==\n",  # the writer escapes a title's last "="
    ],
)
def test_lines_not_as_written_are_tokenized(text: str) -> None:
    assert _tokenized_part(text) == text
    # ... also after written lines, from their own line on
    assert _tokenized_part("= T =\n\nText\n\n== H ==\n" + text) == text


@pytest.mark.parametrize("text", ["a\r\n", "= T =\n\nText\r\n", "a\x00\n", "a\n\nb\x00\n"])
def test_text_with_a_cr_or_nul_is_tokenized_whole(text: str) -> None:
    # The writer writes neither (a CR is "&#13;", a NUL "&#0;"); the tokenizer
    # stops at a NUL, so such text is read from the tokens of the whole.
    assert _tokenized_part(text) == text


def test_written_lines_are_read_without_the_tokenizer() -> None:
    # (so that the properties are not met by declining everything)
    assert _tokenized_part(_WRITTEN.replace("[a]", "a")) is None
    assert _tokenized_part("== Early life (1950) ==\nA line: it ends with =\n* An item =\n") is None
    assert _tokenized_part(_WRITTEN.replace("[a]", "a").rstrip("\n")) is None  # no final line break
    assert _tokenized_part("== Heading ==\n" * 3 + "* x") is None
    assert _tokenized_part("== Heading ==\n" * 3 + "== Head") == "== Head"  # (the writer escapes its "=")
    infobox = _WRITTEN.index("{{Infobox")
    assert _tokenized_part(_WRITTEN) == _WRITTEN[infobox:]  # "[" in the infobox: tokenized from there


@given(
    st.one_of(
        article_lines().map(wikiplain.to_wikitext),
        any_text.map(wikiplain.to_wikitext),
        _written_like,
        st.tuples(_written_like, hostile_text).map("".join),  # handed over to the tokens mid-text
        _written_like.map(lambda t: t[:-1]),  # no final line break
    )
)
@example(_WRITTEN)
@example(_WRITTEN.replace("[a]", "a"))
@example("== Heading ==\n== Head")
@example("= T =\n{{Infobox x\n| a = b\n}}\n[[x]]\n")
def test_reading_written_lines_is_reading_tokens(text: str) -> None:
    assert_read_alike(text, reader, "_READ_WRITTEN_LINES", True, False)
