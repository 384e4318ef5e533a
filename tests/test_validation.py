"""Nodes validate what they are given: a node that could not serialize to
itself raises ValueError naming the field, built by keyword or by replace;
and every article that does construct reads back as itself."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import wikiplain
from wikiplain import Article, BulletList, Field, Heading, Infobox, Item, Paragraph, Section, TextLine

from .strategies import any_text, hostile_text, inline, space

T = TextLine


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Field(key="a\nb"), r"^Field\.key must not contain a line break: 'a\\nb'$"),
        (lambda: Heading(level=9, title="x"), r"^Heading\.level must be an int from 1 to 6: 9$"),
        (lambda: Heading(level=2), r"^Heading\.title must hold a character other than '=' and spaces"),
        (lambda: Heading(title="=x=", pad_before="", pad_after=""), r"^Heading\.title would read back as level 3"),
        (lambda: Heading(title="x", trailing="y"), r"^Heading\.trailing must hold only spaces"),
        (lambda: Heading(title="x", newline="\r"), r"^Heading\.newline must be"),
        (lambda: Heading(title="x", newline="", blank_after="\n"), r"^Heading\.blank_after must be empty after"),
        (lambda: Field(key="a:b", value="c"), r"^Field\.key would read back as 'a'"),
        (lambda: Field(key="k", pad=""), r"^Field\.pad must be a space or tab"),
        (lambda: Field(key="k", value=" v"), r"^Field\.value would read back as 'v'"),
        (lambda: Field(key="k", marker="*"), r"^Field\.marker must be '-'"),
        (lambda: Item(text="x", pad=""), r"^Item\.pad must be a space or tab"),
        (lambda: T(text=""), r"^TextLine\.text must not be blank"),
        (lambda: T(text="- x"), r"^TextLine\.text would read as a list item"),
        (lambda: T(text="== x =="), r"^TextLine\.text would read as a heading"),
        (lambda: T(text="x "), r"^TextLine\.text must not end with spaces"),
        (lambda: Paragraph(lines=()), r"^Paragraph\.lines must not be empty"),
        (lambda: Paragraph(lines=(T(text="a", newline=""), T(text="b"))), r"^Paragraph\.lines must have a line end"),
        (lambda: Paragraph(lines=(T(text="a"),), blank_after="x\n"), r"^Paragraph\.blank_after must be blank lines"),
        (lambda: BulletList(items=(Field(key="k"),)), r"^BulletList\.items must be a tuple of Item"),  # type: ignore[arg-type]
        (lambda: Infobox(type_name="x", pad=""), r"^Infobox\.pad must be a space or tab"),
        (lambda: Infobox(type_name=""), r"^Infobox\.type_name would read back as None"),
        (lambda: Infobox(newline="", fields=(Field(key="k"),)), r"^Infobox\.newline must end the Infobox line"),
        (
            lambda: Section(heading=Heading(level=3, title="a"), sections=(Section(heading=Heading(title="b")),)),
            r"^Section\.sections must have headings deeper than level 3",
        ),
        (lambda: Article(title=Heading(level=2, title="T")), r"^Article\.title must be a Heading of level 1"),
        (
            lambda: Article(
                sections=(Section(heading=Heading(title="a")), Section(heading=Heading(level=3, title="b")))
            ),
            r"^Article\.sections must not follow a level-2 section with a level-3 sibling",
        ),
        (
            lambda: Article(lead=(Paragraph(lines=(T(text="a"),)), Paragraph(lines=(T(text="b"),)))),
            r"^Article\.lead must part a Paragraph and a Paragraph with a blank line",
        ),
        (
            lambda: Article(infobox=Infobox(), lead=(BulletList(items=(Item(text="x"),)),)),
            r"^Article\.lead must part a Infobox and a BulletList",
        ),
        (
            lambda: Article(lead=(Paragraph(lines=(T(text="Infobox x"),)),)),
            r"^Article\.lead must not start with an Infobox",
        ),
        (
            lambda: Article(sections=(Section(heading=Heading(level=1, title="X")),)),
            r"^Article\.sections must not start with a level-1 heading",
        ),
        (
            lambda: Article(title=Heading(level=1, title="T", newline=""), lead=(Paragraph(lines=(T(text="a"),)),)),
            r"^Article\.lead must not follow a Heading whose last line has no line end",
        ),
        (lambda: Article(leading_blank=" ", title=Heading(level=1, title="T")), r"^Article\.leading_blank must end"),
        (
            lambda: Article(lead=(Paragraph(lines=(T(text="\ufeffx"),)),)),
            r"^Article\.bom must be a byte order mark before text that starts with U\+FEFF",
        ),
        (lambda: Heading(title="x").replace(level=7), r"^Heading\.level must be an int from 1 to 6: 7$"),
        (lambda: Field(key="k", value="v").replace(value="a\nb"), r"^Field\.value must not contain a line break"),
    ],
)
def test_a_node_that_cannot_serialize_to_itself_raises_naming_the_field(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


def test_whitespace_may_read_back_owned_by_a_neighbour() -> None:
    # Accepted: the same text and meaning, only the space after ':' is read back as trailing.
    field = Field(key="Place", value="")
    again = wikiplain.parse("Infobox\n" + field.as_string()).infobox
    assert again is not None and again.fields[0].unwrap() == field.unwrap()
    assert again.fields[0].as_string() == field.as_string()


def test_edits_are_validated_like_construction() -> None:
    article = wikiplain.parse("= T =\n\nInfobox\n- Place: Mali\n\n== A ==\nText.\n")
    with pytest.raises(ValueError, match="a field key must not contain ':'"):
        assert article.infobox is not None
        article.infobox.set("a:b", "x")
    with pytest.raises(ValueError, match=r"^Section\.heading"):
        article.sections[0].replace(heading=TextLine(text="x"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^Heading\.level"):
        article.deep_replace(article.sections[0].heading, article.sections[0].heading.replace(level=0))


# -- every article that constructs reads back as itself ---------------------------

_TRICKY = ["", " ", "x", "=", "= x =", "- x", "-x", "Infobox", "Infobox x", "a: b", ":", "x\n", "\u00a0", "x\r"]
text = st.one_of(inline, st.sampled_from(_TRICKY))
spaces = st.one_of(space, st.sampled_from(["x", "\n", " \n"]))
line_end = st.sampled_from(["\n", "\n", "\r\n", "", "\r"])
blank = st.sampled_from(["", "", "", "\n", " \n", "\n\n", "  ", "x\n"])


def _attempt(cls: Any, **fields: Any) -> Any:
    try:
        return cls(**fields)
    except ValueError:
        return None


def _some(draw: st.DrawFn, make: Any, low: int, high: int) -> tuple[Any, ...]:
    return tuple(n for n in (make(draw) for _ in range(draw(st.integers(low, high)))) if n is not None)


def _line(draw: st.DrawFn) -> Any:
    return _attempt(T, text=draw(text), trailing=draw(spaces), newline=draw(line_end))


def _item(draw: st.DrawFn) -> Any:
    return _attempt(Item, text=draw(text), pad=draw(spaces), trailing=draw(spaces), newline=draw(line_end))


def _block(draw: st.DrawFn) -> Any:
    if draw(st.booleans()):
        return _attempt(Paragraph, lines=_some(draw, _line, 1, 3), blank_after=draw(blank))
    return _attempt(BulletList, items=_some(draw, _item, 1, 3), blank_after=draw(blank))


def _heading(draw: st.DrawFn, level: int) -> Any:
    return _attempt(
        Heading,
        level=level,
        title=draw(text),
        pad_before=draw(spaces),
        pad_after=draw(spaces),
        trailing=draw(spaces),
        newline=draw(line_end),
        blank_after=draw(blank),
    )


def _section(draw: st.DrawFn, depth: int = 0) -> Any:
    heading = _heading(draw, draw(st.integers(1, 6)))
    if heading is None:
        return None
    subsections = _some(draw, lambda d: _section(d, depth + 1), 0, 2 if depth < 2 else 0)
    return _attempt(Section, heading=heading, blocks=_some(draw, _block, 0, 2), sections=subsections)


def _field(draw: st.DrawFn) -> Any:
    value = draw(st.one_of(st.none(), text))
    fields = {"pad": draw(spaces), "before_colon": draw(spaces), "after_colon": draw(spaces), "trailing": draw(spaces)}
    return _attempt(Field, key=draw(text), value=value, newline=draw(line_end), **fields)


@st.composite
def keyword_articles(draw: st.DrawFn) -> dict[str, Any]:
    infobox = None
    if draw(st.booleans()):
        infobox = _attempt(
            Infobox,
            type_name=draw(st.one_of(st.none(), text)),
            fields=_some(draw, _field, 0, 3),
            pad=draw(spaces),
            trailing=draw(spaces),
            newline=draw(line_end),
            blank_after=draw(blank),
        )
    return {
        "bom": draw(st.sampled_from(["", "", "\ufeff"])),
        "leading_blank": draw(blank),
        "title": _heading(draw, 1) if draw(st.booleans()) else None,
        "infobox": infobox,
        "lead": _some(draw, _block, 0, 3),
        "sections": _some(draw, _section, 0, 3),
    }


def _shape(node: Article) -> list[Any]:
    """The kinds of the nodes in document order, with section levels."""
    sections = [(s.level, [type(b).__name__ for b in s.blocks]) for s in node.walk_sections()]
    return [node.unwrap(), [type(b).__name__ for b in node.lead], sections]


@given(keyword_articles())
def test_every_article_that_constructs_reads_back_as_itself(parts: dict[str, Any]) -> None:
    try:
        article = Article(**parts)
    except ValueError:
        event("refused")
        return
    event("built")
    text = wikiplain.dumps(article)
    again = wikiplain.parse(text)
    assert wikiplain.dumps(again) == text
    assert _shape(again) == _shape(article)


@given(st.one_of(any_text, hostile_text))
def test_every_parsed_tree_is_valid(text: str) -> None:
    # What the parser builds unchecked passes the checks users' nodes get, so
    # editing a parsed article (replace, set, renamed) never fails on what it did not touch.
    from wikiplain.nodes import check_tree

    check_tree(wikiplain.parse(text))
    check_tree(wikiplain.from_wikitext(wikiplain.to_wikitext(text)))
    check_tree(wikiplain.from_dict(wikiplain.to_dict(wikiplain.parse(text))))


def test_real_pages_read_into_valid_trees() -> None:
    from wikiplain.nodes import check_tree

    from .corpus import mwtest_inputs, wikitext_pages

    pages = wikitext_pages()
    if not pages:
        pytest.skip("../shared/corpus/wikitext is absent")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        check_tree(wikiplain.from_wikitext(text, title=page.stem))
        check_tree(wikiplain.from_wikitext(text, title=page.stem, mode="exact"))
    for _, case in mwtest_inputs():
        check_tree(wikiplain.from_wikitext(case, title="T"))
