"""MediaWiki's preprocessor as clean reading applies it: comments and dropped
extension tags cut out before tokenizing (wikiplain.clean.preprocess)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import wikiplain
from wikiplain.clean import _MARKER, preprocess
from wikiplain.wikitext import tokens

from .strategies import hostile_text

CASES = [
    # (wikitext, the text left, cuts)
    ("plain text", "plain text", ()),
    ("a<ref>x\ny</ref>b\nc", f"a{_MARKER}b\nc", ((1, 1),)),
    ("x<ref name=a />y", f"x{_MARKER}y", ()),
    ("a<REF >x</Ref >b", f"a{_MARKER}b", ()),
    # a comment alone on its line goes with its line break: one paragraph stays one
    ("p1\n<!-- c -->\np2", "p1\np2", ((1, 1),)),
    ("p1\n  <!-- c --> <!--d-->\t\np2", "p1\np2", ((1, 1),)),
    # ... but not on the first line, nor beside text
    ("<!-- c -->\np", "\np", ()),
    ("p1\nx <!-- c -->\np2", "p1\nx \np2", ()),
    # an unclosed comment runs to the end; an unclosed tag is text, and so are later ones of its name
    ("a<!-- open\nb", "a", ((1, 1),)),
    ("a<ref>b<ref/>", f"a<ref>b{_MARKER}", ()),
    ("a<ref>b", "a<ref>b", ()),
    ("a<ref>b<ref>c</ref>", f"a{_MARKER}", ()),  # the content runs to the first closing tag
    # nothing inside nowiki or pre is cut; a comment inside a reference is the reference's
    ("<nowiki><ref>x</ref><!-- c --></nowiki>", "<nowiki><ref>x</ref><!-- c --></nowiki>", ()),
    ("<ref><!-- </ref> -->x", f"{_MARKER} -->x", ()),
    ("<refx>a</refx>", "<refx>a</refx>", ()),
    ("a<ref b<!-- c", "a<ref b", ()),
    ("<ref>a\nb</ref>\nx", f"{_MARKER}\nx", ((0, 1),)),
]


@pytest.mark.parametrize(("wikitext", "text", "cuts"), CASES)
def test_preprocess(wikitext: str, text: str, cuts: tuple[tuple[int, int], ...]) -> None:
    result = preprocess(wikitext)
    assert (result.text, result.cuts) == (text, cuts)


@pytest.mark.parametrize(
    ("wikitext", "line", "original"),
    [
        ("a<ref>x\ny</ref>b\nc", 1, 1),
        ("a<ref>x\ny</ref>b\nc", 2, 3),
        ("<ref>a\nb</ref>\nx", 1, 2),
        ("p\n<!--\n\n-->\nq\nr", 2, 5),
        ("p\n<!--\n\n-->\nq\nr", 3, 6),
    ],
)
def test_lines_of_the_cut_text_map_back(wikitext: str, line: int, original: int) -> None:
    assert preprocess(wikitext).original_line(line) == original


def test_a_dropped_template_is_reported_on_its_own_line_after_cuts() -> None:
    page = "Text.<ref>{{cite web\n|url=x\n}}</ref>\n<!-- a\nlong\ncomment -->\nMore {{citation needed}} text.\n"
    found: list[wikiplain.Diagnostic] = []
    wikiplain.from_wikitext(page, mode="clean", diagnostics=found)
    assert [(d.code, d.line) for d in found] == [("W304", 7)]


def test_a_parameter_holding_only_a_reference_keeps_its_key() -> None:
    page = "{{Infobox frog\n| status = LC\n| status_ref = <ref>IUCN</ref>\n}}\nText.\n"
    article = wikiplain.from_wikitext(page, mode="clean")
    assert article.infobox is not None
    # MediaWiki hands the template the reference: the parameter has a value
    assert [(f.key, f.value) for f in article.infobox.fields] == [("Status", "LC"), ("Status ref", "")]


@pytest.mark.parametrize("after", ["<ref>x</ref> and more", " and more", "{{x}} and more"])
def test_a_heading_line_with_more_after_it_is_text_as_in_mediawiki(after: str) -> None:
    # mwparserfromhell makes a heading of "== Title ==" whatever follows on the
    # line; MediaWiki only when nothing but spaces, tabs and comments do.
    article = wikiplain.from_wikitext(f"Lead.\n\n== Title =={after}\nText.\n", mode="clean")
    assert article.sections == ()
    assert wikiplain.to_dict(article)["lead"][1]["text"] == "== Title == and more\nText."


@given(
    st.lists(
        st.one_of(
            hostile_text, st.sampled_from(["<ref>", "</ref>", "<!--", "-->", "<ref/>", "\n", "<nowiki>", "</nowiki>"])
        ),
        max_size=20,
    ).map("".join)
)
def test_preprocess_keeps_what_it_does_not_cut(text: str) -> None:
    result = preprocess(text)
    # every cut takes out a whole comment or tag: the text left is the text in order, less the cuts
    left = result.text.replace(_MARKER, "")
    it = iter(text)
    assert all(ch in it for ch in left)
    assert sum(b for _, b in result.cuts) == text.count("\n") - result.text.count("\n")


@pytest.mark.parametrize(
    ("unit", "hidden"),
    [
        ("a<b>b", "a\ufdd0b>b"),
        ("a<br>b<li>", None),  # tags that stand alone
        ("{{c", "\ufdd2\ufdd2c"),
        ("[http://x", "\ufdd1http://x"),
        ("[[b", "\ufdd1\ufdd1b"),
    ],
)
def test_many_openings_nothing_can_close_are_hidden_from_the_tokenizer(unit: str, hidden: str | None) -> None:
    head = "x</b>}}]]]"
    assert tokens._unclosable_hidden(head + unit * 300) == (None if hidden is None else head + hidden * 300)
    # but a page with a few of them is read as the tokenizer reads it
    assert tokens._unclosable_hidden(unit * 10) is None
    assert tokens._unclosable_hidden(unit * 300 + "</b>}}]]") is None
    # the tokens hold the text as it was
    toks = tokens.tokenize(head + unit * 300)
    assert hidden is None or "".join(t["text"] for t in toks if type(t).__name__ == "Text").endswith(unit * 300)


def test_a_page_with_the_hiding_characters_is_left_alone() -> None:
    assert tokens._unclosable_hidden("\ufdd0" + "{{c" * 300) is None


@pytest.mark.parametrize(
    "unit", ["a<b>b", "{{a|[[b", "[[b{{a|c", "a[http://x b", "a<ref>b", "a<!--b", "== H ==\n", "&amp;x"]
)
def test_reading_time_grows_linearly(unit: str) -> None:
    # mwparserfromhell's tokenizer takes quadratic time on some unclosed openings;
    # 4x the text must not take much more than 4x the time (a generous bound: 10x).
    import time

    def seconds(size: int) -> float:
        text = unit * (size // len(unit))
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            wikiplain.from_wikitext(text)
            best = min(best, time.perf_counter() - start)
        return best

    small, large = seconds(10_000), seconds(40_000)
    assert large < max(small, 0.002) * 10, (small, large)


@pytest.mark.parametrize(
    ("wikitext", "text"),
    [
        ("p\n{|\n|a\n|}\nq", f"p\n{_MARKER}\nq"),
        ("p\n  {| class=x\n|a\n{|\n|b\n|}\n|}after\nq", f"p\n{_MARKER}after\nq"),  # nested; what follows |} stays
        ("p\n{|\n|a", f"p\n{_MARKER}"),  # left open: ends with the text
        ("p {| not a table\nq", "p {| not a table\nq"),
        ("{{x|\n{|\n|}}\n|}", "{{x|\n{|\n|}}\n|}"),  # a template opens or closes inside: left to the tokenizer
        ("{|\n|<nowiki>x</nowiki>\n|}", "{|\n|<nowiki>x</nowiki>\n|}"),
    ],
)
def test_tables_are_cut_as_mediawiki_finds_them(wikitext: str, text: str) -> None:
    assert preprocess(wikitext).text == text


def test_lines_after_several_cuts_map_back() -> None:
    page = "a\n<!-- 1\n2 -->\nb\n{|\n|x\n|y\n|}\nc<ref>3\n4</ref>\n{{t}}\n"
    result = preprocess(page)
    lines = result.text.split("\n")
    assert result.original_line(lines.index("{{t}}") + 1) == page.split("\n").index("{{t}}") + 1
    assert result.original_line(lines.index("b") + 1) == 4
    found: list[wikiplain.Diagnostic] = []
    wikiplain.from_wikitext(page, mode="clean", diagnostics=found)
    assert [(d.code, d.line) for d in found] == [("W304", 11)]


def test_a_paragraph_on_each_side_of_a_table_stays_apart() -> None:
    article = wikiplain.from_wikitext("Before.\n{|\n|cell\n|}\nAfter.\n", mode="clean")
    assert [b["text"] for b in wikiplain.to_dict(article)["lead"]] == ["Before.", "After."]


@pytest.mark.parametrize("spelling", ["<br/ >", "<br / >", "</br>", "</br >", "<BR>", "<br/x>", "<br/ / >"])
def test_every_spelling_of_a_line_break_breaks_the_line(spelling: str) -> None:
    # MediaWiki 1.39 renders each of these as <br /> (checked with its parser).
    article = wikiplain.from_wikitext(
        f"a{spelling}b\n\n{{{{Infobox x\n| k = c{spelling}d\n}}}}\n", mode="clean", title="T"
    )
    assert wikiplain.dumps(article) == "= T =\n\nInfobox x\n- K: c, d\n\na\nb\n"


def test_a_line_break_inside_nowiki_is_text() -> None:
    assert preprocess("<nowiki><br/ ></nowiki>").text == "<nowiki><br/ ></nowiki>"
    assert preprocess("a<brx>b").text == "a<brx>b"
