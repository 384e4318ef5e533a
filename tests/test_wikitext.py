"""The wikitext bridge: golden .wiki files, escapes, keys, foreign wikitext, the CLI."""

from __future__ import annotations

from pathlib import Path

import mwparserfromhell
import pytest

import wikiplain
from wikiplain.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, main
from wikiplain.wikitext import escape_text, field_key, param_name

from .conftest import FIXTURES, read_text
from .corpus import mwtest_inputs, wikitext_pages
from .test_golden import ARTICLES, assert_same
from .test_wikitext_properties import assert_no_accidental_markup

SEED = FIXTURES / "articles" / "nampala-raid.txt"


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_wikitext_matches_golden(path: Path) -> None:
    text = read_text(path)
    article = wikiplain.parse(text)
    wikitext = wikiplain.to_wikitext(article)
    assert_same(read_text(path.with_suffix(".wiki")), wikitext, path.stem + ".wiki")
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext)) == text
    assert_no_accidental_markup(article, wikitext)


def test_seed_wikitext_looks_like_wikipedia() -> None:
    wikitext = wikiplain.to_wikitext(wikiplain.parse(read_text(SEED)))
    assert wikitext.startswith(
        "= 2015 Nampala raid =\n\n{{Infobox\n| conflict = Nampala raid\n| place = Nampalari, Mali\n"
    )
    assert "| partof = the Mali War\n" in wikitext and "| casualties1 = 11 killed" in wikitext
    assert "\n== Prelude ==\nKatiba Macina" in wikitext
    assert "<!--" not in wikitext and "&#" not in wikitext  # canonical text needs no trivia and no escapes
    template = mwparserfromhell.parse(wikitext).filter_templates()[0]
    assert str(template.name).strip() == "Infobox"
    assert [str(p.name).strip() for p in template.params][:3] == ["conflict", "place", "date"]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words, 3:2 and a|b = c", "plain words, 3:2 and a|b = c"),
        ("{{t}} {{{a}}}", "&#123;{t}} &#123;&#123;{a}}}"),
        ("[[x]] [http://e.org y] see https://e.org", "&#91;[x]] &#91;http&#58;//e.org y] see https&#58;//e.org"),
        ("''i'' '''b'''", "&#39;'i&#39;' &#39;&#39;'b&#39;&#39;'"),
        ("<ref>r</ref> <!-- c --> a < b", "&#60;ref>r&#60;/ref> &#60;!-- c --> a < b"),
        ("&amp; &#123; & ;", "&#38;amp; &#38;#123; & ;"),
        ("~~~~ and __TOC__", "&#126;&#126;~~ and &#95;_TOC&#95;_"),
        ("ISBN 978-0 RFC 1234 PMID 5", "&#73;SBN 978-0 &#82;FC 1234 &#80;MID 5"),
        # Any Unicode space separator or a tab makes a magic link in MediaWiki;
        # "&#160;" would too, so the keyword is escaped, not the space.
        ("ISBN\u00a0978 RFC\u2003\t1 PMID\u30002", "&#73;SBN\u00a0978 &#82;FC\u2003\t1 &#80;MID\u30002"),
        ("xISBN 1, ISBN_1, RFC x, PMID", "xISBN 1, ISBN_1, RFC x, PMID"),  # no word boundary or no number
        ("éRFC 1", "é&#82;FC 1"),  # PCRE may not count é as a word character: escaped to be safe
        # "<" starts a tag for mwparserfromhell before any character but whitespace and its markers.
        ('<é/> <~/> <9  { /> <\\x/> <"x/>', '&#60;é/> &#60;~/> &#60;9  { /> &#60;\\x/> &#60;"x/>'),
        ("a < b, a <= b, <- <| <{ <* <: <'", "a < b, a <= b, <- <| <{ <* <: <'"),
        ("a\u00a0<\u00a0b <\u3000c", "a\u00a0<\u00a0b <\u3000c"),
        # -{ is a bracket of MediaWiki's preprocessor (language variants): it hides a template's "}}".
        ("a -{b}- c -{{d}}", "a -&#123;b}- c -&#123;{d}}"),
        ("matrix:x mailto:y", "matrix&#58;x mailto&#58;y"),  # MediaWiki's URL schemes add matrix:
    ],
)
def test_escapes_only_where_needed(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


@pytest.mark.parametrize(
    ("line", "escaped"),
    [
        ("* x", "&#42; x"),
        ("# x", "&#35; x"),
        (": x", "&#58; x"),
        ("; x", "&#59; x"),
        (" x", "&#32;x"),
        ("----", "&#45;---"),
        ("{| x", "&#123;| x"),
        ("= x =", "&#61; x ="),
        # MediaWiki trims a line before looking for "{|"; mwparserfromhell allows whitespace before it.
        ("\t{| x", "\t&#123;| x"),
        ("\t \u3000{| x", "\t \u3000&#123;| x"),
        (" \t{| x", "&#32;\t{| x"),  # the escaped space already stops both
        ("\tx {| y", "\tx {| y"),
    ],
)
def test_line_start_escapes(line: str, escaped: str) -> None:
    assert escape_text(line, line_start=True) == escaped


@pytest.mark.parametrize(
    ("text", "wikitext"),
    [
        # a field line without ':' is a parameter without a name: '=' and '|' are escaped as in names
        ("Infobox\n- a=b|c\n", "{{Infobox\n| a&#61;b&#124;c\n}}\n"),
        ("Infobox\n- [x] {y} <z>\n", "{{Infobox\n| &#91;x&#93; &#123;y&#125; &#60;z&#62;\n}}\n"),
        ("Infobox\n- K: a=b [x]\n", "{{Infobox\n| k = a=b [x]\n}}\n"),  # a value may hold both
    ],
)
def test_parameters_without_a_name(text: str, wikitext: str) -> None:
    assert wikiplain.to_wikitext(text) == wikitext
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext)) == text


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("* x", "&#42; x"),
        ("# x", "&#35; x"),
        (": x", "&#58; x"),
        ("; x", "&#59; x"),
        ("{| x", "{&#124; x"),  # "|" is escaped in a value anyway
        ("= x =", "= x ="),  # a value never stands where "=" or a space would start a line
        ("----", "----"),
        ("a * b", "a * b"),
    ],
)
def test_a_template_value_starts_a_line(value: str, escaped: str) -> None:
    # Wikipedia's Module:Infobox puts a value that starts with a list marker or
    # "{|" on a line of its own, where it would become a list or a table.
    assert escape_text(value, chars="template") == escaped


#: Texts that mwparserfromhell read as a self-closing tag, losing the text in it
#: (found by generated hostile articles; issue 9).
TAG_LOSSES = [
    "<é/>",
    "<~/>",
    "<9  { />",
    "<~\t~;\xa0~BB*'=[/>",
    "a <~ b &\r\nZ&\r\n/> c",
    "x <\\ y/>",
    '<"q"/>',
    "<~>x</~>",
    "<~ a='1'\n b=\"2\">x</~>",
]


@pytest.mark.parametrize("text", TAG_LOSSES)
@pytest.mark.parametrize("shape", ["{}", "= T =\n\n{}\n", "= T =\n\nInfobox\n- Key: {}\n", "= T =\n\n- {}\n"])
def test_no_tag_name_swallows_text(text: str, shape: str) -> None:
    article = shape.replace("{}", text)
    wikitext = wikiplain.to_wikitext(article)
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext)) == article
    assert not mwparserfromhell.parse(wikitext).filter_tags(matches=lambda n: n.wiki_markup is None)


@pytest.mark.parametrize(
    ("wikitext", "exact", "clean"),
    [
        ("&#xD800;", "&#xD800;", "&#xD800;"),  # a surrogate
        ("a&#55296;b", "a&#55296;b", "a&#55296;b"),
        # not characters HTML5 allows: C0 and C1 controls, DEL, non-characters, beyond U+10FFFF
        *[(ref, ref, ref) for ref in ("&#xFFFE; &#xFFFF; &#1; &#x1F; &#11;", "&#127; &#x80; &#159;", "&#x110000;")],
        ("a&#13;b", "a\rb", "a&#13;b"),  # CR: wikiplain's own wikitext writes it so; MediaWiki keeps it literal
        ("&#x1F600; &#9;x &#xA0;y &#x10FFFF;", "\U0001f600 \tx \u00a0y \U0010ffff", "\U0001f600 x y \U0010ffff"),
    ],
)
@pytest.mark.parametrize("mode", ["exact", "clean"])
def test_a_reference_to_a_code_point_that_is_no_character_stays_text(
    wikitext: str, exact: str, clean: str, mode: str
) -> None:
    # MediaWiki (Sanitizer::validateCodepoint) keeps such a reference as literal text.
    article = wikiplain.from_wikitext(f"= T =\n\n{wikitext}\n", mode=mode)  # type: ignore[arg-type]
    (paragraph,) = article.lead
    assert paragraph.text == (exact if mode == "exact" else clean)
    wikiplain.dumps(article).encode("utf-8")  # every file can hold it


def test_cli_writes_a_page_with_a_surrogate_reference(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.wiki"
    source.write_text("= A =\n\nx &#xD800; y\n", encoding="utf-8")
    assert main(["from-wikitext", str(source), "-o", str(tmp_path / "out")]) == EXIT_OK
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "= A =\n\nx &#xD800; y\n"
    assert capsys.readouterr().err == ""


def test_cli_batch_goes_on_past_an_output_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.wiki").write_text(f"= {name} =\n", encoding="utf-8")
    out = tmp_path / "out"
    (out / "a.txt").mkdir(parents=True)  # the output's name is taken by a directory
    argv = ["from-wikitext", str(tmp_path / "a.wiki"), str(tmp_path / "b.wiki"), "-o", str(out)]
    assert main(argv) == EXIT_FAILED
    expected = f"wikiplain: {tmp_path / 'a.wiki'}: cannot write {out / 'a.txt'}: Is a directory\n"
    assert capsys.readouterr().err == expected
    assert (out / "b.txt").read_text(encoding="utf-8") == "= b =\n"
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]  # no temporary file left


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("Conflict", "conflict"),
        ("Partof", "partof"),
        ("Casualties1", "casualties1"),
        ("ISBN", "ISBN"),
        ("Website URL", "Website URL"),
        ("place", "&#112;lace"),
        ("a=b", "&#97;&#61;b"),
        ("A=b", "a&#61;b"),
        ("1", "1"),
        # a small letter whose capital does not lower back to it is no convention: as written
        ("\u0131x", "\u0131x"),  # dotless i: upper I, lower i
        ("\u017fx", "\u017fx"),  # long s: upper S, lower s
        ("\u0130x", "\u0130x"),  # dotted capital I: lower is two characters
        ("\u01c5x", "\u01c5x"),  # title-case Dz
        ("Ab C", "Ab C"),  # more than the first letter is a capital: as written
        ("Ab c", "ab c"),
        ("AB", "AB"),
    ],
)
def test_key_to_parameter_name_and_back(key: str, name: str) -> None:
    assert param_name(key) == name
    assert field_key(mwparserfromhell.parse(f" {name} ")) == key


def test_exact_mode_keeps_unknown_markup_as_text_and_reports_it() -> None:
    wikitext = "= T =\n{{Infobox person\n| name = [[Ada]]\n}}\nShe wrote [[notes|Notes]] and {{cite|x}}.\n# one\n"
    article = wikiplain.from_wikitext(wikitext, mode="exact")
    assert article.infobox is not None and article.infobox["Name"] == "[[Ada]]"
    assert article.lead[0].unwrap()["text"] == "She wrote [[notes|Notes]] and {{cite|x}}.\n# one"
    codes = [(d.code, d.message) for d in wikiplain.check_wikitext(wikitext, mode="exact")]
    assert ("W302", "wikitext markup (Wikilink) kept as text") in codes
    assert ("W302", "wikitext markup (Template) kept as text") in codes
    # one more pass changes nothing
    once = wikiplain.to_wikitext(article)
    assert wikiplain.to_wikitext(wikiplain.from_wikitext(once)) == once


def test_auto_mode_cleans_real_markup() -> None:
    wikitext = "= T =\n{{Infobox person\n| name = [[Ada]]\n}}\nShe wrote [[notes|Notes]] and {{cite|x}}.\n# one\n"
    article = wikiplain.from_wikitext(wikitext)
    assert article.title is not None and article.title.title == "T"
    assert article.infobox is not None and article.infobox["Name"] == "Ada"
    assert [b.unwrap() for b in article.lead] == [
        {"type": "paragraph", "text": "She wrote Notes and."},
        {"type": "list", "items": ["one"]},
    ]
    assert [d.code for d in wikiplain.check_wikitext(wikitext)] == ["W304"]


def test_foreign_text_the_plain_format_cannot_hold_is_read_as_plain() -> None:
    article = wikiplain.from_wikitext("= T =\n\n- a dash line\n")
    assert article.lead[0].unwrap() == {"type": "list", "items": ["a dash line"]}
    assert [d.code for d in wikiplain.check_wikitext("= T =\n\n- a dash line\n")] == ["W303"]


@pytest.mark.parametrize(
    ("wikitext", "plain"),
    [
        ("* a&#10;b\n", "- a b\n"),
        ("== a&#10;b ==\n", "== a b ==\n"),
        ("{{Infobox\n| k = a&#x0A;b\n}}\n", "Infobox\n- K: a b\n"),
    ],
)
def test_an_encoded_line_break_where_a_line_cannot_break_is_read_as_a_space(wikitext: str, plain: str) -> None:
    # A decoded line break in an item, heading or field would split the line
    # (the article would read back otherwise); a plain article cannot hold it.
    article = wikiplain.from_wikitext(wikitext)
    assert wikiplain.dumps(article) == plain
    assert wikiplain.to_dict(wikiplain.parse(plain)) == wikiplain.to_dict(article)
    assert [d.code for d in wikiplain.check_wikitext(wikitext)] == ["W303"]


def test_a_broken_trivia_comment_is_ignored_with_a_warning() -> None:
    wikitext = "= T =\n\nText.\n<!-- wikiplain-trivia {not json -->\n"
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext)) == "= T =\n\nText.\n"
    assert [d.code for d in wikiplain.check_wikitext(wikitext)] == ["W301"]
    misfit = '= T =\n\nText.\n<!-- wikiplain-trivia {"lead":[{},{}]} -->\n'
    assert wikiplain.dumps(wikiplain.from_wikitext(misfit)) == "= T =\n\nText.\n"
    assert [d.code for d in wikiplain.check_wikitext(misfit)] == ["W301"]


MWTEST = mwtest_inputs()


@pytest.mark.skipif(not MWTEST, reason="../shared/corpus/mwtest is absent")
def test_mwparserfromhell_tokenizer_cases_read_and_reach_a_fixpoint() -> None:
    for name, wikitext in MWTEST:
        article = wikiplain.from_wikitext(wikitext)
        once = wikiplain.to_wikitext(article)
        assert wikiplain.to_wikitext(wikiplain.from_wikitext(once)) == once, name


PAGES = wikitext_pages()


@pytest.mark.skipif(not PAGES, reason="../shared/corpus/wikitext is absent")
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_real_pages_read_and_reach_a_fixpoint(path: Path) -> None:
    article = wikiplain.from_wikitext(read_text(path))
    once = wikiplain.to_wikitext(article)
    assert wikiplain.to_wikitext(wikiplain.from_wikitext(once)) == once
    assert wikiplain.dumps(wikiplain.from_wikitext(once)) == wikiplain.dumps(article)


# -- CLI --------------------------------------------------------------------------


def test_cli_to_and_from_wikitext_one_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["to-wikitext", str(SEED)]) == EXIT_OK
    wikitext = capsys.readouterr().out
    assert wikitext == read_text(SEED.with_suffix(".wiki"))
    wiki = tmp_path / "seed.wiki"
    wiki.write_bytes(wikitext.encode("utf-8"))
    assert main(["from-wikitext", str(wiki)]) == EXIT_OK
    assert capsys.readouterr().out == read_text(SEED)


def test_cli_to_wikitext_canonical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"= T = \r\n\r\nText.  \r\n")
    assert main(["to-wikitext", str(source)]) == EXIT_OK
    exact = capsys.readouterr().out
    assert exact.startswith("= T =\n\nText.\n<!-- wikiplain-trivia {")
    assert main(["to-wikitext", "--canonical", str(source)]) == EXIT_OK
    assert capsys.readouterr().out == "= T =\n\nText.\n"
    assert main(["to-wikitext", "--canonical", str(source), "-o", str(tmp_path / "out")]) == EXIT_OK
    assert (tmp_path / "out" / "a.wiki").read_bytes() == b"= T =\n\nText.\n"


def test_cli_several_files_need_an_output_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crlf = FIXTURES / "articles" / "crlf.txt"
    assert main(["to-wikitext", str(SEED), str(crlf)]) == EXIT_BAD_INPUT
    assert "-o DIR" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["to-wikitext", str(SEED), str(crlf), "-o", str(out)]) == EXIT_OK
    assert sorted(p.name for p in out.iterdir()) == ["crlf.wiki", "nampala-raid.wiki"]
    back = tmp_path / "back"
    assert main(["from-wikitext", *map(str, sorted(out.iterdir())), "-o", str(back)]) == EXIT_OK
    assert read_text(back / "crlf.txt") == read_text(crlf)


def test_cli_never_overwrites_its_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.txt"
    page.write_text("= T =\n\nText.\n", encoding="utf-8")
    assert main(["from-wikitext", str(page), "-o", str(tmp_path)]) == EXIT_BAD_INPUT
    assert "overwrite" in capsys.readouterr().err
    assert read_text(page) == "= T =\n\nText.\n"


def test_cli_from_wikitext_reports_what_it_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.wiki"
    page.write_text("= T =\n\nSee [[x]].\n", encoding="utf-8")
    assert main(["from-wikitext", "--mode", "exact", str(page)]) == EXIT_OK
    out, err = capsys.readouterr()
    assert out == "= T =\n\nSee [[x]].\n"
    assert err == f"{page}:3:1: W302 wikitext markup (Wikilink) kept as text\n"
    assert main(["from-wikitext", str(page)]) == EXIT_OK  # auto: a real page, cleaned
    assert capsys.readouterr().out == "= T =\n\nSee x.\n"


def test_roundtrip_names_the_failing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("= T =\n\nText.\n", encoding="utf-8")
    (tmp_path / "a.wiki").write_text("= T =\n\nOther.\n", encoding="utf-8")
    assert main(["roundtrip", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {tmp_path / 'a.txt'}: golden-wiki" in out and "-Other." in out and "+Text." in out


@pytest.mark.parametrize("text", ["&#0;", "a\x00b", "&#38;#0;", "&amp;#0;"])
def test_nul_and_its_spelling_stay_apart(text: str) -> None:
    """NUL is written "&#0;" (mwparserfromhell stops at NUL); the text "&#0;" must not become NUL."""
    for plain in (f"= T{text} =\n\nInfobox\n- K{text}: v{text}\n\n{text}\n\n== {text} x ==\n- {text}\n",):
        assert wikiplain.dumps(wikiplain.from_wikitext(wikiplain.to_wikitext(wikiplain.parse(plain)))) == plain


def test_from_wikitext_gives_its_diagnostics_in_the_same_reading() -> None:
    found: list[wikiplain.Diagnostic] = []
    article = wikiplain.from_wikitext("= T =\n\nSee [[x]].\n", mode="exact", diagnostics=found)
    assert wikiplain.dumps(article) == "= T =\n\nSee [[x]].\n"
    assert found == wikiplain.check_wikitext("= T =\n\nSee [[x]].\n", mode="exact") != []


def test_cli_same_stem_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "x.txt").write_text(f"= {sub} =\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["to-wikitext", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"), "-o", str(out)]) == 2
    assert "already written" in capsys.readouterr().err
    assert read_text(out / "x.wiki") == "= a =\n"


def test_escaping_text_that_holds_the_start_of_every_rule() -> None:
    text = "&amp; <b [[ {{ '' ~~~ __ \r \x00 | = ] > } -{ http://x ISBN 1"
    assert escape_text(text) == (
        "&#38;amp; &#60;b &#91;[ &#123;{ &#39;' &#126;~~ &#95;_ &#13; &#0; | = ] > } -&#123; http&#58;//x &#73;SBN 1"
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("PMID 5", "&#80;MID 5"), ("RFC 5", "&#82;FC 5"), ("ISBN 1", "&#73;SBN 1"), ("PMIDX 5", "PMIDX 5")],
)
def test_a_magic_link_alone(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


@pytest.mark.parametrize("line", ["-x", "--", "---", "{x", "x=", "x#"])
def test_line_start_escapes_only_what_starts_markup(line: str) -> None:
    assert escape_text(line, line_start=True) == line


def test_list_items_escape_their_own_line_start() -> None:
    text = "= T =\n\n- *x\n- #y\n- :z\n- ;w\n- {| t\n-  x\n"
    wikitext = wikiplain.to_wikitext(text)
    assert (
        wikitext
        == "= T =\n\n* &#42;x\n* &#35;y\n* &#58;z\n* &#59;w\n* &#123;| t\n* x\n<!-- wikiplain-trivia "
        + (wikitext.split("<!-- wikiplain-trivia ", 1)[1])
    )
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext)) == text


def test_text_is_written_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/format.md: plain text is written line by line, without the tree,
    # but for a byte order mark or blank lines before the first line.
    from wikiplain.wikitext import writer as module

    seed = read_text(FIXTURES / "articles" / "nampala-raid.txt")
    edited = seed.replace("\n", " \r\n", 3) + "\n"
    expected = {text: wikiplain.to_wikitext(wikiplain.parse(text)) for text in (seed, edited, "\n" + seed)}

    def no_parse(text: str) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(module, "parse", no_parse)
    assert wikiplain.to_wikitext(seed) == read_text(FIXTURES / "articles" / "nampala-raid.wiki")
    assert (
        wikiplain.to_wikitext(edited) == expected[edited]
    )  # not canonical: the trivia comment, still without the tree
    assert "wikiplain-trivia" in expected[edited]
    with pytest.raises(AssertionError):
        wikiplain.to_wikitext("\n" + seed)  # blank lines first: parsed


@pytest.mark.parametrize("value", [None, 3, b"x"])
def test_type_errors_name_the_type(value: object) -> None:
    with pytest.raises(TypeError) as caught:
        wikiplain.to_wikitext(value)  # type: ignore[arg-type]
    assert str(caught.value) == f"to_wikitext() takes an Article or a str, not {type(value).__name__}"
    with pytest.raises(TypeError) as caught:
        wikiplain.parse(value)  # type: ignore[arg-type]
    assert str(caught.value) == f"parse() takes a str, not {type(value).__name__}"


@pytest.mark.parametrize("lines", [True, False], ids=["written-lines", "tokens"])
@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_our_wikitext_is_read_without_the_tree(path: Path, lines: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # The fast path reads every fixture's wikitext, by its written lines and
    # by its tokens alike; only what it cannot hold goes to mwparserfromhell's tree.
    from wikiplain.wikitext import reader

    monkeypatch.setattr(reader, "_READ_WRITTEN_LINES", lines)
    text = read_text(path)
    wikitext = wikiplain.to_wikitext(text)
    article, trivia = reader._read_ours(wikitext, None)
    assert wikiplain.dumps(article) == wikiplain.normalize(text)
    assert (trivia is None) == (wikiplain.normalize(text) == text)


def test_the_pure_python_tokenizer_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # Where mwparserfromhell's C extension is missing, its Python tokenizer is used.
    from wikiplain.wikitext import tokens as module

    monkeypatch.setattr(module, "_CTokenizer", None)
    for path in ARTICLES:
        text = read_text(path)
        assert wikiplain.dumps(wikiplain.from_wikitext(wikiplain.to_wikitext(text))) == text
    page = "'''Bold''' ''it'' [[link|label]] {{convert|3|km}}.\n\n== H ==\n* item\n"
    monkeypatch.undo()
    expected = wikiplain.dumps(wikiplain.from_wikitext(page, title="T"))
    monkeypatch.setattr(module, "_CTokenizer", None)
    assert wikiplain.dumps(wikiplain.from_wikitext(page, title="T")) == expected


def test_text_after_a_raw_nul_is_kept() -> None:
    # mwparserfromhell's C tokenizer reads no further than a NUL.
    text = "a\x00b\n\nmore text after the NUL\n"
    assert wikiplain.dumps(wikiplain.from_wikitext(text)) == text
    assert wikiplain.dumps(wikiplain.from_wikitext("[[x]] " + text, title="T")).endswith("more text after the NUL\n")


def test_trivia_that_would_join_a_line_front_is_ignored() -> None:
    # A leading blank without a line break would put its space in front of the
    # first line, whose own leading space is content: the comment is ignored.
    canonical = wikiplain.to_wikitext(wikiplain.parse("\ufeff Infobox\n"), canonical=True)
    wikitext = canonical + '<!-- wikiplain-trivia {"trivia": {"leading_blank": " "}} -->\n'
    found: list[wikiplain.Diagnostic] = []
    read = wikiplain.from_wikitext(wikitext, diagnostics=found)
    assert wikiplain.dumps(read) == wikiplain.dumps(wikiplain.from_wikitext(canonical))
    assert [d.code for d in found] == ["W301"]


@pytest.mark.parametrize(
    ("skeleton", "why"),
    [
        ({"infobox": {"fields": [5]}}, "infobox.fields[0]: expected an object, got int"),
        ({"infobox": {"fields": 5}}, "infobox.fields: expected an array, got int"),
        ({"lead": 5}, "lead: expected an array, got int"),
        ({"lead": [5, {}]}, "lead[0]: expected an object, got int"),
        ({"sections": [5]}, "sections[0]: expected an object, got int"),
        ({"sections": [{"blocks": 5}]}, "sections[0].blocks: expected an array, got int"),
        ({"sections": [{"sections": 5}]}, "sections[0].sections: expected an array, got int"),
        ({"lead": [{"trivia": {"lines": [5]}}, {}]}, "lead[0].trivia.lines[0]: expected an object, got int"),
        ({"trivia": {"title": 5}}, "trivia.title: expected an object, got int"),
        (
            {"lead": [{"trivia": {"lines": [{"newline": "x"}]}}, {}]},
            "lead[0].trivia.lines[0].newline: not valid whitespace here: 'x'",
        ),
        (5, "trivia comment: expected an object, got int"),
        ({"sections": 5}, "sections: expected an array, got int"),
        ({"sections": [{}, {}]}, "sections: 2 entries for 1 in the article"),
        ({"infobox": {"fields": [{}, {}]}}, "infobox.fields: 2 entries for 1 in the article"),
        ({"lead": [{}, {}, {}]}, "lead: 3 entries for 2 in the article"),
        ({"sections": [{"blocks": []}]}, "sections[0].blocks: 0 entries for 1 in the article"),
        # whitespace that would join two paragraphs, or make a field line text
        (
            {"lead": [{"trivia": {"blank_after": ""}}, {}]},
            "Article.lead must part a Paragraph and a Paragraph with a blank line",
        ),
        (
            {"infobox": {"fields": [{"trivia": {"pad": "\r"}}]}},
            "Field.pad must be a space or tab before a key (else the line is not a field line): '\\r'",
        ),
        (
            {"lead": [{"trivia": {"lines": [{"newline": ""}]}}, {}]},
            "Paragraph.blank_after must be empty after a line with no line end: '\\n'",
        ),
    ],
)
def test_a_trivia_comment_that_does_not_fit_says_where(skeleton: object, why: str) -> None:
    import json

    canonical = wikiplain.to_wikitext(
        wikiplain.parse("= T =\n\nInfobox x\n- A: b\n\nLead.\n\nMore.\n\n== S ==\nText.\n"), canonical=True
    )
    found: list[wikiplain.Diagnostic] = []
    read = wikiplain.from_wikitext(canonical + f"<!-- wikiplain-trivia {json.dumps(skeleton)} -->\n", diagnostics=found)
    assert [d.message for d in found] == [f"the wikiplain-trivia comment does not fit the article ({why}); ignored"]
    assert wikiplain.dumps(read) == wikiplain.dumps(wikiplain.from_wikitext(canonical))


@pytest.mark.parametrize(
    ("name", "key"), [("&#97;", "a"), (" &#97; ", "a"), ("&#97;b", "ab"), ("a", "A"), (" a ", "A")]
)
def test_an_entity_first_marks_a_parameter_name_literal_however_it_is_spaced(name: str, key: str) -> None:
    # The fast reader took a name of one entity alone ("|&#97;=b") for plain text.
    article = wikiplain.from_wikitext(f"{{{{Infobox x\n|{name}=b\n}}}}\n")
    assert article.infobox is not None
    assert [f.key for f in article.infobox.fields] == [key]
