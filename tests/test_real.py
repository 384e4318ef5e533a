"""Real Wikipedia wikitext: clean articles from real pages, and XML dumps."""

from __future__ import annotations

import bz2
import json
import re
from pathlib import Path

import mwparserfromhell
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import wikiplain
from wikiplain.clean import REFERENCE_SECTIONS, _key, infobox_type, template_name
from wikiplain.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, main
from wikiplain.dump import safe_file_name

from .conftest import FIXTURES, counts_line, read_text, records, safe_id
from .corpus import wikitext_pages
from .test_golden import assert_same

REAL = sorted((FIXTURES / "real").glob("*.wikitext"))
PAGES = wikitext_pages()
RESIDUE = ["[[", "]]", "{{", "}}", "<ref", "'''", "''", "<!--", "&nbsp;"]


def assert_clean_article(article: wikiplain.Article) -> str:
    """A valid plain article, canonical, with no markup left, that survives the wikitext bridge."""
    text = wikiplain.dumps(article)
    assert wikiplain.normalize(text) == text
    for residue in RESIDUE:
        assert residue not in text, f"{residue!r} left in the article"
    assert not re.search(r"(?m)^(\{\||\|-|\|\}|\|)", text), "a table row left in the article"
    wikitext = wikiplain.to_wikitext(article)
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext)) == text
    return text


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_page_fixture(path: Path) -> None:
    article = wikiplain.from_wikitext(read_text(path))
    text = assert_clean_article(article)
    assert_same(read_text(path.with_suffix(".txt")), text, path.stem + ".txt")
    assert wikiplain.dumps(wikiplain.from_wikitext(read_text(path), mode="clean")) == text


def test_real_fixture_set() -> None:
    assert len(REAL) >= 3


@pytest.mark.parametrize(
    ("wikitext", "value"),
    [
        ("{{convert|12|km|mi}}", "12 km"),
        ("{{convert|1|to|3|km2|sqmi}}", "1 to 3 km²"),
        ("{{convert|6|-|8|cm|in}}", "6–8 cm"),
        ("(x; {{flagicon|F}})", "(x)"),
        ("{{lang-de|Sumpffrosch}}", "Sumpffrosch"),
        ("{{cvt|31|m}}", "31 m"),
        ("{{flag|France}} and {{flagicon|France}}", "France and"),
        ("{{flagcountry|Mali}}", "Mali"),
        ("{{start date|2015|1|5}}", "January 5, 2015"),
        ("{{start date|2015|1|5|df=y}}", "5 January 2015"),
        ("{{birth date and age|1952|9|9}}", "September 9, 1952"),
        ("{{death date and age|1719|11|30|1661|4|2|df=y}}", "30 November 1719 (aged 58)"),
        ("{{hlist|a|b|c}}", "a, b, c"),
        ("{{ubl|[[a]]|b}}", "a, b"),
        ("{{plainlist|\n* a\n* b\n}}", "a, b"),
        ("one<br>two<br />three", "one, two, three"),
        ("{{nowrap|a b}}", "a b"),
        ("{{lang|fr|bonjour}}", "bonjour"),
        ("{{small|x}} {{abbr|UN|United Nations}}", "x UN"),
        ("[[a|b]] [[c]] [http://e.org label] [http://e.org] ''i'' '''b'''", "b c label i b"),
        ("x<ref>r</ref><ref name=a/> <!-- c -->y", "x y"),
    ],
)
def test_infobox_values_are_plain_text(wikitext: str, value: str) -> None:
    article = wikiplain.from_wikitext("{{Infobox thing\n| value = " + wikitext + "\n}}\nText.\n", title="T")
    assert article.infobox is not None and article.infobox["Value"] == value


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Infobox military conflict", "military conflict"),
        ("infobox_settlement", "settlement"),
        ("Infobox", None),
        ("Taxobox", "taxobox"),
        ("Speciesbox", "speciesbox"),
        ("Automatic taxobox", "automatic taxobox"),
        ("Navbox", False),
        ("Infoboxes", False),
    ],
)
def test_infobox_recognition(name: str, kind: object) -> None:
    template = mwparserfromhell.parse("{{" + name + "|a=b}}").filter_templates()[0]
    assert infobox_type(template) == kind
    assert template_name(template) == name.lower().replace("_", " ")


def test_page_structure_is_cleaned() -> None:
    wikitext = (
        "{{Hatnote|x}}\n'''Ada''' was a [[poet]].\n[[File:A.jpg|thumb|cap]]\n\n== Works ==\n* ''One''\n# Two\n"
        "{| class=wikitable\n|-\n| a || b\n|}\n== See also ==\n* [[B]]\n=== Sub ===\nx\n== References ==\n{{Reflist}}\n"
        "[[Category:Poets]]\n[[de:Ada]]\n"
    )
    article = wikiplain.from_wikitext(wikitext, title="Ada")
    # "See also" holds a subsection with prose: a reference section is dropped
    # only when it holds nothing but lists and templates.
    assert wikiplain.dumps(article) == (
        "= Ada =\n\nAda was a poet.\n\n== Works ==\n- One\n- Two\n\n== See also ==\n- B\n\n=== Sub ===\nx\n"
    )
    kept = wikiplain.from_wikitext(wikitext, title="Ada", keep_reference_sections=True)
    assert [s.title for s in kept.walk_sections()] == ["Works", "See also", "Sub", "References"]


def test_both_promises_together() -> None:
    """Our own wikitext still comes back byte for byte, even about real-page things."""
    plain = (
        "= Template notes =\n\nThe {{convert}} template writes [[units]]; ''see'' <ref>x</ref>.\n\n"
        "== References ==\nA section that is ours, not a reference list.\n  \n"
    )
    wikitext = wikiplain.to_wikitext(wikiplain.parse(plain))
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext)) == plain
    # and a real page with the same words is cleaned
    real = "'''Template notes''' uses {{convert|1|km}} and [[units]].\n== References ==\n{{reflist}}\n"
    assert wikiplain.dumps(wikiplain.from_wikitext(real, title="T")) == "= T =\n\nTemplate notes uses 1 km and units.\n"


@pytest.mark.skipif(not PAGES, reason="../shared/corpus/wikitext is absent")
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_corpus_page(path: Path) -> None:
    wikitext = read_text(path)
    article = wikiplain.from_wikitext(wikitext, title=path.stem.replace("_", " "))
    assert_clean_article(article)
    code = mwparserfromhell.parse(wikitext)
    box = next(
        (t for t in code.nodes if isinstance(t, mwparserfromhell.nodes.Template) and infobox_type(t) is not False), None
    )
    if box is not None:
        assert article.infobox is not None
        keys = set(article.infobox.keys())
        for param in box.params:
            raw = re.sub(r"<!--.*?(?:-->|$)", "", str(param.value), flags=re.S).strip()
            if param.showkey and raw:
                key = _key(mwparserfromhell.parse(str(param.name)).strip_code().strip())
                assert key in keys, f"infobox parameter {str(param.name).strip()!r} is missing"
    titles = [s.title for s in article.walk_sections()]
    skip_below = 0
    for heading in code.filter_headings(recursive=False):
        if skip_below and heading.level > skip_below:
            continue
        skip_below = 0
        title = heading.title.strip_code().strip()
        if title.lower().strip(" :") in REFERENCE_SECTIONS:
            skip_below = heading.level
            continue
        if title:
            assert any(title.split()[0] in t for t in titles), f"heading {title!r} is missing"


# -- dumps ------------------------------------------------------------------------

DUMP = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">
  <siteinfo><sitename>Test</sitename><namespaces><namespace key="0" case="first-letter" />
  <namespace key="1" case="first-letter">Talk</namespace></namespaces></siteinfo>
  <page><title>Lake Imara</title><ns>0</ns><id>1</id>
    <revision><id>10</id><text xml:space="preserve">{text}</text></revision></page>
  <page><title>Imara Lake</title><ns>0</ns><id>2</id><redirect title="Lake Imara" />
    <revision><id>11</id><text xml:space="preserve">#REDIRECT [[Lake Imara]]</text></revision></page>
  <page><title>Talk:Lake Imara</title><ns>1</ns><id>3</id>
    <revision><id>12</id><text xml:space="preserve">A talk page.</text></revision></page>
  <page><title>AC/DC: a "band"?</title><ns>0</ns><id>4</id>
    <revision><id>13</id><text xml:space="preserve">Old text.</text></revision>
    <revision><id>14</id><text xml:space="preserve">'''AC/DC''' is a [[band]].</text></revision></page>
</mediawiki>
"""


def write_dump(path: Path) -> Path:
    from xml.sax.saxutils import escape

    text = escape(read_text(FIXTURES / "real" / "lake-imara.wikitext"))
    data = DUMP.replace("{text}", text).encode("utf-8")
    path.write_bytes(bz2.compress(data) if path.suffix == ".bz2" else data)
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_import_dump_to_plain_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str) -> None:
    dump = write_dump(tmp_path / "dump.xml.bz2")
    out = tmp_path / "out"
    assert main(["import-dump", str(dump), "-o", str(out), "--format", "txt", "--jobs", jobs]) == EXIT_OK
    articles = sorted(p.name for p in out.iterdir() if not p.name.startswith("_"))
    assert articles == ["AC%2FDC%3A_a_%22band%22%3F.txt", "Lake_Imara.txt"]
    assert read_text(out / "Lake_Imara.txt") == read_text(FIXTURES / "real" / "lake-imara.txt")
    assert read_text(out / "AC%2FDC%3A_a_%22band%22%3F.txt") == '= AC/DC: a "band"? =\n\nAC/DC is a band.\n'
    assert counts_line(capsys.readouterr().out) == (
        "2 articles written, 1 redirects skipped, 1 pages outside the article namespace skipped, 0 failed"
    )


def test_import_dump_to_json_lines(tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "dump.xml")
    out = tmp_path / "pages"
    assert main(["import-dump", str(dump), "-o", str(out)]) == EXIT_OK
    rows = records(out)
    assert [r["title"] for r in rows] == ["Lake Imara", 'AC/DC: a "band"?']
    assert [r["article"]["title"] for r in rows] == ["Lake Imara", 'AC/DC: a "band"?']
    assert rows[0]["article"]["infobox"]["type"] == "lake"
    assert (rows[0]["page_id"], rows[0]["revision_id"], rows[0]["namespace"]) == (1, 10, 0)


def test_import_dump_reports_a_broken_page_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import wikiplain.wikitext

    real = wikiplain.wikitext.from_wikitext

    def flaky(text: str, **kwargs: object) -> wikiplain.Article:
        if kwargs.get("title") == "Lake Imara":
            raise RuntimeError("boom")
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(wikiplain.wikitext, "from_wikitext", flaky)
    out = tmp_path / "out"
    assert main(["import-dump", str(write_dump(tmp_path / "d.xml")), "-o", str(out), "--format", "txt"]) == EXIT_FAILED
    captured = capsys.readouterr()
    assert captured.err == "wikiplain: d.xml: page 'Lake Imara': RuntimeError: boom\n"
    assert captured.out.splitlines()[0] == (
        "1 articles written, 1 redirects skipped, 1 pages outside the article namespace skipped, 1 failed"
    )
    assert f"1 errors listed in {out / '_errors.jsonl'}" in captured.out.splitlines()[1]
    assert json.loads(read_text(out / "_errors.jsonl")) == {
        "partition": 0, "dump": "d.xml", "page_id": 1, "title": "Lake Imara", "reason": "RuntimeError: boom"
    }  # fmt: skip
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("_")) == ["AC%2FDC%3A_a_%22band%22%3F.txt"]


@pytest.mark.parametrize("output", ["txt", "jsonl"])
def test_import_dump_writes_a_page_with_a_surrogate_reference_and_the_pages_after_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    # "&amp;#xD800;" in the XML is the wikitext "&#xD800;": a reference to a
    # surrogate, which MediaWiki shows as text (it once crashed the run).
    dump = tmp_path / "d.xml"
    page = (
        '<page><title>{}</title><ns>0</ns><id>{}</id><revision><text xml:space="preserve">{}</text></revision></page>'
    )
    pages = page.format("Odd", 1, "x &amp;#xD800; y") + page.format("After", 2, "Fine.")
    dump.write_text(DUMP.split("<page>")[0] + pages + "</mediawiki>\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import-dump", str(dump), "-o", str(out), "--format", output]) == EXIT_OK
    assert counts_line(capsys.readouterr().out) == (
        "2 articles written, 0 redirects skipped, 0 pages outside the article namespace skipped, 0 failed"
    )
    if output == "txt":
        assert read_text(out / "Odd.txt") == "= Odd =\n\nx &#xD800; y\n"
        assert read_text(out / "After.txt") == "= After =\n\nFine.\n"
    else:
        found = [(r["title"], r["article"]["lead"][0]["text"]) for r in records(out)]
        assert found == [("Odd", "x &#xD800; y"), ("After", "Fine.")]


def test_import_dump_goes_on_past_a_page_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    (out / "Lake_Imara.txt").mkdir(parents=True)  # the page's file name is taken by a directory
    args = ["import-dump", str(write_dump(tmp_path / "d.xml")), "-o", str(out), "--format", "txt", "--resume"]
    assert main(args) == EXIT_FAILED
    captured = capsys.readouterr()
    assert captured.err.startswith("wikiplain: d.xml: page 'Lake Imara': IsADirectoryError: ")
    assert captured.out.splitlines()[0] == (
        "1 articles written, 1 redirects skipped, 1 pages outside the article namespace skipped, 1 failed"
    )
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("_"))
    assert written == ["AC%2FDC%3A_a_%22band%22%3F.txt", "Lake_Imara.txt"]


def test_import_dump_refuses_entity_expansion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n<!ENTITY lol "lol">\n'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">\n' for i in range(9))
        + "]>\n<mediawiki><page><title>&lol8;</title><ns>0</ns><revision><text>x</text></revision></page></mediawiki>\n"
    )
    dump = tmp_path / "laughs.xml"
    dump.write_text(laughs, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "_progress.jsonl").write_text("old\n", encoding="utf-8")
    assert main(["import-dump", str(dump), "-o", str(out), "--resume"]) == EXIT_BAD_INPUT
    assert "declares a DTD" in capsys.readouterr().err
    assert read_text(out / "_progress.jsonl") == "old\n"  # never clobbered
    assert sorted(p.name for p in out.iterdir()) == ["_progress.jsonl"]


def test_import_dump_malformed_xml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "bad.xml"
    dump.write_text("<mediawiki><page><title>x</title>", encoding="utf-8")
    assert main(["import-dump", str(dump), "-o", str(tmp_path / "o")]) == EXIT_FAILED
    truncated = "the dump ends early (truncated?): no </mediawiki> after the last whole page"
    truncated += "; the 0 whole pages before it are read"
    assert capsys.readouterr().err == f"wikiplain: bad.xml: {truncated}\n"
    errors = read_text(tmp_path / "o" / "_errors.jsonl").splitlines()
    assert [json.loads(line)["reason"] for line in errors] == [truncated]
    assert main(["import-dump", str(tmp_path / "missing.xml"), "-o", str(tmp_path / "p")]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"wikiplain: {tmp_path / 'missing.xml'}: no such file\n"
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Lake Imara", "Lake_Imara.txt"),
        ("AC/DC", "AC%2FDC.txt"),
        (".hidden", "%2Ehidden.txt"),
        ("CON", "_CON.txt"),
        ("a:b*c?", "a%3Ab%2Ac%3F.txt"),
        ("100%", "100%25.txt"),
        ("日本", "日本.txt"),
    ],
)
def test_safe_file_names(title: str, name: str) -> None:
    assert safe_file_name(title) == name


def test_long_titles_are_cut_with_a_hash() -> None:
    a, b = safe_file_name("é" * 300), safe_file_name("é" * 299 + "x")
    assert a != b and len(a.encode("utf-8")) <= 204 and len(b.encode("utf-8")) <= 204


def test_cli_from_wikitext_real_page_title_from_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "Some_Page.wikitext"
    page.write_text("'''Some page''' is [[x|a page]].<ref>r</ref>\n", encoding="utf-8")
    assert main(["from-wikitext", str(page)]) == EXIT_OK
    assert capsys.readouterr().out == "= Some Page =\n\nSome page is a page.\n"


def test_dropped_templates_are_reported_where_first_used() -> None:
    wikitext = "{{Hatnote|x}}\n'''A''' is {{unknown|1}}.\n\n{{Infobox x\n| a = 1 {{flagicon|F}}\n}}\n{{unknown}}\n"
    found = [(d.code, d.line, d.message) for d in wikiplain.check_wikitext(wikitext, title="A")]
    assert found == [
        ("W304", 1, "template {{hatnote}} dropped (1 time)"),
        ("W304", 2, "template {{unknown}} dropped (2 times)"),
        ("W304", 4, "template {{flagicon}} dropped (1 time)"),
    ]


def test_import_dump_interrupted_keeps_its_done_parts_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import wikiplain.partitions as partitions

    dump = str(write_dump(tmp_path / "d.xml"))
    assert main(["import-dump", dump, "-o", str(tmp_path / "whole"), "--partition-pages", "1"]) == EXIT_OK
    real = partitions._article

    def interrupted(page: wikiplain.DumpPage, settings: partitions.Settings) -> wikiplain.Article:
        if page.title.startswith("AC/DC"):
            raise KeyboardInterrupt  # Ctrl-C in the fourth partition
        return real(page, settings)

    monkeypatch.setattr(partitions, "_article", interrupted)
    out = tmp_path / "out"
    assert main(["import-dump", dump, "-o", str(out), "--partition-pages", "1"]) == 130
    done = ["_progress.jsonl", "part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert sorted(p.name for p in out.iterdir()) == done  # no partial part, no manifest, no _SUCCESS
    assert main(["import-dump", dump, "-o", str(out), "--partition-pages", "2"]) == EXIT_BAD_INPUT
    assert "not empty (give --resume" in capsys.readouterr().err
    assert main(["import-dump", dump, "-o", str(out), "--partition-pages", "2", "--resume"]) == EXIT_BAD_INPUT
    assert "holds a run with other dumps or settings" in capsys.readouterr().err
    monkeypatch.setattr(partitions, "_article", real)
    calls: list[int] = []
    convert = partitions.convert_partition
    monkeypatch.setattr(partitions, "convert_partition", lambda p, *a: calls.append(p.number) or convert(p, *a))
    assert main(["import-dump", dump, "-o", str(out), "--partition-pages", "1", "--resume"]) == EXIT_OK
    assert calls == [3]  # only the partition not done
    for name in [*done[1:], "part-00003.jsonl", "_errors.jsonl", "_SUCCESS"]:
        assert read_text(out / name) == read_text(tmp_path / "whole" / name)
    manifest, whole = (json.loads(read_text(d / "_manifest.json")) for d in (out, tmp_path / "whole"))
    for m in (manifest, whole):
        for part in m["partitions"]:
            del part["seconds"]
    assert manifest == whole


#: Every template the clean reading renders, with what a reader of the page sees
#: (as Wikipedia's own templates display it).
TEMPLATE_RENDERINGS = {
    "convert": ("{{convert|12|km|mi}}", "12 km"),
    "cvt": ("{{cvt|31|m}}", "31 m"),
    "flag": ("{{flag|France}}", "France"),
    "flagcountry": ("{{flagcountry|Mali}}", "Mali"),
    "flagu": ("{{flagu|Mali}}", "Mali"),
    "flag country": ("{{flag country|Mali}}", "Mali"),
    "country": ("{{country|Mali}}", "Mali"),
    "lang": ("{{lang|fr|bonjour}}", "bonjour"),
    "langx": ("{{langx|de|Sumpf}}", "Sumpf"),
    "nowrap": ("{{nowrap|a b}}", "a b"),
    "nobr": ("{{nobr|a b}}", "a b"),
    "small": ("{{small|x}}", "x"),
    "smaller": ("{{smaller|x}}", "x"),
    "big": ("{{big|x}}", "x"),
    "larger": ("{{larger|x}}", "x"),
    "smallsup": ("{{smallsup|x}}", "x"),
    "sup": ("m{{sup|2}}", "m2"),
    "sub": ("H{{sub|2}}O", "H2O"),
    "resize": ("{{resize|90%|x}}", "x"),
    "abbr": ("{{abbr|UN|United Nations}}", "UN"),
    "abbrlink": ("{{abbrlink|UN|United Nations}}", "UN"),
    "nbsp": ("a{{nbsp}}b", "a b"),
    "ndash": ("1{{ndash}}2", "1–2"),
    "mdash": ("a{{mdash}}b", "a—b"),
    "snd": ("a{{snd}}b", "a – b"),
    "spaced ndash": ("a{{spaced ndash}}b", "a – b"),
    "spnd": ("a{{spnd}}b", "a – b"),
    "'": ("{{'}}s", "'s"),
    "hlist": ("{{hlist|a|b|c}}", "a, b, c"),
    "flatlist": ("{{flatlist|\n* a\n* b\n}}", "a, b"),
    "plainlist": ("{{plainlist|\n* a\n* b\n}}", "a, b"),
    "plain list": ("{{plain list|a|b}}", "a, b"),
    "ubl": ("{{ubl|[[a]]|b}}", "a, b"),
    "ublist": ("{{ublist|a|b}}", "a, b"),
    "unbulleted list": ("{{unbulleted list|a|b}}", "a, b"),
    "bulleted list": ("{{bulleted list|a|b}}", "a, b"),
    "collapsible list": ("{{collapsible list|title=T|a|b}}", "a, b"),
    "start date": ("{{start date|2015|1|5}}", "January 5, 2015"),
    "start date and age": ("{{start date and age|2000|2|3}}", "February 3, 2000"),
    "end date": ("{{end date|2001|12}}", "December 2001"),
    "birth date": ("{{birth date|1900|1|2|df=y}}", "2 January 1900"),
    "birth date and age": ("{{birth date and age|1952|9|9}}", "September 9, 1952"),
    "birth year and age": ("{{birth year and age|1950}}", "1950"),
    "death date": ("{{death date|1990|3|4}}", "March 4, 1990"),
    "death date and age": ("{{death date and age|2000|1|1|1950|6|1}}", "January 1, 2000 (aged 49)"),
    "dts": ("{{dts|2010|5|6}}", "May 6, 2010"),
    "film date": ("{{film date|2012|7|8}}", "July 8, 2012"),
    "as of": ("{{as of|2014|9}}", "As of September 2014"),
    "circa": ("{{circa|1200}}", "c. 1200"),
    "c.": ("{{c.|1200}}", "c. 1200"),
    "baseball year": ("{{baseball year|1998}}", "1998"),
    "sortname": ("{{sortname|Ada|Lovelace}}", "Ada Lovelace"),
    "url": ("{{URL|https://example.org/}}", "example.org"),
    "isbn": ("{{ISBN|978-0-00-000000-0}}", "ISBN 978-0-00-000000-0"),
    "quote": ("{{quote|text=Hello}}", "Hello"),
    "blockquote": ("{{blockquote|Hi}}", "Hi"),
    "marriage": ("{{marriage|Ann|1990}}", "Ann (m. 1990)"),
    "coord": ("at {{coord|1|2|N|3|4|E}}", "at"),
}


def test_every_renderer_has_a_case() -> None:
    from wikiplain.clean import RENDERERS

    assert set(RENDERERS) == set(TEMPLATE_RENDERINGS)


@pytest.mark.parametrize(
    ("wikitext", "shown"), TEMPLATE_RENDERINGS.values(), ids=[safe_id(k) for k in TEMPLATE_RENDERINGS]
)
def test_rendered_templates_in_text_and_in_infobox_values(wikitext: str, shown: str) -> None:
    page = "{{Infobox thing\n| value = " + wikitext + "\n}}\nBefore " + wikitext + " after.\n"
    found: list[wikiplain.Diagnostic] = []
    article = wikiplain.from_wikitext(page, title="T", diagnostics=found)
    assert article.infobox is not None and article.infobox["Value"] == shown
    assert [p.text for p in article.lead] == [f"Before {shown} after."]
    assert [d for d in found if d.code == "W304"] == []  # rendered, not dropped


@pytest.mark.parametrize(
    ("wikitext", "plain"),
    [
        # an unclosed '' ends with its line: the heading after it stays a heading
        ("A ''b [[c|d]] e.\n\n== H ==\nf\n", "= T =\n\nA b d e.\n\n== H ==\nf\n"),
        ("<ref>[[X|Y]]'' by Z</ref> Text.\n== H ==\nMore.\n", "= T =\n\nText.\n\n== H ==\nMore.\n"),
        # MediaWiki's apostrophe rules: four is an apostrophe and bold, six and more keep the extra ones
        ("''''x'''' y\n", "= T =\n\n'x' y\n"),
        ("''''''x'''''' y\n", "= T =\n\n'x' y\n"),
        ("'''''bi''''' b'''b''' i''i''\n", "= T =\n\nbi bb ii\n"),
        # an odd number of both: the bold run after a one-letter word is an apostrophe and italic
        ("l'''amour'' et y\n", "= T =\n\nl'amour et y\n"),
        # MediaWiki counts bytes: "é" before ''' is not a one-letter word there, " b" is
        ("x é'''a''' b'''c'' d\n", "= T =\n\nx éa b'c d\n"),
        ("a '''b'' c\n", "= T =\n\na 'b c\n"),
        # a Literature section of prose is content; one of lists is an appendix
        (
            "Lead.\n\n== Literature ==\nFrench literature flourished.\n",
            "= T =\n\nLead.\n\n== Literature ==\nFrench literature flourished.\n",
        ),
        ("Lead.\n\n== Literature ==\n* A. Author, ''Book'' (1990).\n", "= T =\n\nLead.\n"),
        (
            "Lead.\n\n== References ==\n{{reflist}}\n\n== Notes ==\nA note of prose.\n",
            "= T =\n\nLead.\n\n== Notes ==\nA note of prose.\n",
        ),
    ],
)
def test_real_pages_read_as_mediawiki_shows_them(wikitext: str, plain: str) -> None:
    assert wikiplain.dumps(wikiplain.from_wikitext(wikitext, mode="clean", title="T")) == plain


_tidy_atoms = st.sampled_from(
    [
        *(" ", "  ", "\t", "\u00a0", "\x7f", "(", ")", "( ", " )", "[", "]", "{{", "}}", "[[", "]]", "<ref>"),
        *("</ref>", "<!--", "-->", "&nbsp;", ",", ";", " ,", " .", " :", " !", " ?", "(;)", "( , )", "[ ]"),
        *("a", "Bc", "é", "''"),
    ]
)


@given(st.one_of(st.lists(_tidy_atoms, max_size=12).map("".join), st.text(max_size=80)))
@example("a b")
@example("a  b")
@example("x (y)")
@example("x ( y)")
@example("a , b")
def test_short_lines_that_need_no_tidying_are_only_stripped(text: str) -> None:
    # clean_text strips a short line that no rule needs without running the
    # rules (_TIDYING); the result must be what the rules give.
    from wikiplain.clean import _tidied, clean_text, resolve_quotes

    assert clean_text(text) == _tidied(resolve_quotes(text) if "''" in text else text)


@given(st.lists(st.sampled_from(["'", "''", "'''", "''''", "'''''", "''''''", "a", "bc", " ", "x ", "é"]), max_size=14))
@example(["a ", "''", "b", "''", " ", "'''", "c"])
@example(["'''", "a", "''"])
@example(["'''", "a ", "''", "b", "''", " c", "''"])  # an odd number of both: run by run
def test_quotes_of_two_and_three_are_resolved_as_run_by_run(pieces: list[str]) -> None:
    # resolve_quotes takes a line whose runs are all two or three long, and
    # not both an odd number, without going run by run; the result must be
    # what going run by run (MediaWiki's doQuotes) gives.
    from wikiplain.clean import _quotes_by_runs, resolve_quotes

    line = "".join(pieces)
    assert resolve_quotes(line) == _quotes_by_runs(line)
