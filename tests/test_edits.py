"""The tree API: two views of every node, and edits that change only the bytes concerned."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest

import wikiplain
from wikiplain import Field, Infobox, Paragraph, Position

from .conftest import FIXTURES, read_text

SEED = read_text(FIXTURES / "articles" / "nampala-raid.txt")
ODD = (
    "=  Odd  =   \r\n\r\nInfobox  conflict \r\n-   Place :  Mali \r\n- Date:2015\r\n\r\nLead.\r\n\r\n==Raid==\r\nText."
)


def test_reading_fields_and_sections() -> None:
    article = wikiplain.parse(SEED)
    assert article.title is not None and article.title.title == "2015 Nampala raid"
    assert article.infobox is not None
    assert article.infobox["Place"] == "Nampalari, Mali"
    assert "Units2" in article.infobox and "Nope" not in article.infobox
    assert article.infobox.get("Nope", "?") == "?"
    with pytest.raises(KeyError):
        article.infobox["Nope"]
    assert [s.title for s in article.sections] == ["Prelude", "Raid", "Aftermath"]
    assert article.section("Raid") is article.sections[1]


def test_two_views_of_a_node() -> None:
    article = wikiplain.parse(ODD)
    assert article.infobox is not None
    place = article.infobox.field("Place")
    assert place is not None
    assert place.as_string() == str(place) == "-   Place :  Mali \r\n"
    assert (place.key, place.value) == ("Place", "Mali")
    assert place.unwrap() == {"key": "Place", "value": "Mali"}
    assert place.trivia() == {
        "pad": "   ",
        "before_colon": " ",
        "after_colon": "  ",
        "trailing": " ",
        "newline": "\r\n",
    }
    assert article.infobox.type_name == "conflict"
    assert article.sections[0].heading.as_string() == "==Raid==\r\n"
    assert article.sections[0].title == "Raid"


def test_spans() -> None:
    article = wikiplain.parse(ODD)
    assert article.infobox is not None
    date = article.infobox.fields[1]
    assert date.span is not None
    assert (date.span.start.line, date.span.start.column) == (5, 1)
    assert ODD[date.span.start.offset : date.span.end.offset] == date.as_string()
    raid = article.sections[0]
    assert raid.span is not None and raid.span.end.offset == len(ODD)
    assert (raid.span.end.line, raid.span.end.column) == (10, 6)


def test_changing_a_value_changes_only_that_value() -> None:
    article = wikiplain.parse(ODD)
    assert article.infobox is not None
    edited = article.replace(infobox=article.infobox.set("Place", "Nampala"))
    assert wikiplain.dumps(edited) == ODD.replace("Place :  Mali", "Place :  Nampala")


def test_adding_a_field_copies_the_last_fields_style() -> None:
    article = wikiplain.parse(ODD)
    assert article.infobox is not None
    edited = article.replace(infobox=article.infobox.set("Result", "Victory"))
    assert wikiplain.dumps(edited) == ODD.replace("- Date:2015\r\n", "- Date:2015\r\n- Result:Victory\r\n")


def test_adding_a_field_when_the_infobox_ends_the_input() -> None:
    article = wikiplain.parse("= T =\n\nInfobox\n- A: 1")
    assert article.infobox is not None
    edited = article.replace(infobox=article.infobox.set("B", "2"))
    assert wikiplain.dumps(edited) == "= T =\n\nInfobox\n- A: 1\n- B: 2"
    bare = wikiplain.parse("Infobox")
    assert bare.infobox is not None
    assert wikiplain.dumps(bare.replace(infobox=bare.infobox.set("K", ""))) == "Infobox\n- K:"


def test_removing_a_field() -> None:
    article = wikiplain.parse(SEED)
    assert article.infobox is not None
    edited = article.replace(infobox=article.infobox.remove("Units2"))
    assert wikiplain.dumps(edited) == SEED.replace("- Units2: Unknown\n", "")
    with pytest.raises(KeyError):
        article.infobox.remove("Nope")


def test_renaming_a_nested_section() -> None:
    text = "= T =\n\n== A ==\nx\n\n===  B  ===\ny\n"
    article = wikiplain.parse(text)
    b = article.section("B")
    assert b is not None
    edited = article.deep_replace(b, b.renamed("Bee"))
    assert wikiplain.dumps(edited) == text.replace("B  ===", "Bee  ===")
    assert edited.sections[0] is not article.sections[0]
    assert edited.sections[0].blocks[0] is article.sections[0].blocks[0]  # untouched nodes are shared


@pytest.mark.parametrize(
    ("call", "exc"),
    [
        (lambda box: box.set("K", "two\nlines"), ValueError),
        (lambda box: box.set("K:ey", "v"), ValueError),
        (lambda box: box.set("K\n", "v"), ValueError),
    ],
)
def test_edits_that_would_break_the_format_are_refused(call, exc) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(exc):
        call(Infobox())


@pytest.mark.parametrize("title", ["==", "= =", "=\t=", "\r"])
def test_renaming_to_a_non_heading_is_refused(title: str) -> None:
    """A title without a character other than '=' and whitespace would turn the heading into text."""
    section = wikiplain.parse("== A ==\n").sections[0]
    with pytest.raises(ValueError):
        section.renamed(title)


def test_nodes_are_frozen_and_built_canonically() -> None:
    field = Field(key="Place", value="Mali")
    with pytest.raises(dataclasses.FrozenInstanceError):
        field.key = "x"  # type: ignore[misc]
    assert field.as_string() == "- Place: Mali\n"
    para = Paragraph(lines=(wikiplain.TextLine(text="Hello"),))
    assert para.unwrap() == {"type": "paragraph", "text": "Hello"}


def test_parse_rejects_bytes() -> None:
    with pytest.raises(TypeError):
        wikiplain.parse(b"= T =")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"title": "A\nB"}, "title"),
        ({"title": "=="}, "title"),
        ({"title": "T", "infobox": {"type": None, "fields": [{"key": "a:b", "value": "v"}]}}, "infobox.fields[0].key"),
        (
            {"title": "T", "infobox": {"type": None, "fields": [{"key": "a", "value": "x\ny"}]}},
            "infobox.fields[0].value",
        ),
        ({"title": "T", "lead": [{"type": "paragraph", "text": "ok\n- item"}]}, "lead[0].text"),
        ({"title": "T", "lead": [{"type": "paragraph", "text": "ok\n\nnext"}]}, "lead[0].text"),
        ({"title": None, "lead": [{"type": "paragraph", "text": "Infobox x"}]}, "lead[0].text"),
        ({"title": "T", "lead": [{"type": "table"}]}, "lead[0].type"),
        ({"title": "T", "sections": [{"title": "S", "level": 7, "blocks": [], "sections": []}]}, "sections[0].level"),
        (
            {
                "title": "T",
                "sections": [
                    {
                        "title": "S",
                        "level": 3,
                        "blocks": [],
                        "sections": [{"title": "U", "level": 2, "blocks": [], "sections": []}],
                    }
                ],
            },
            "sections[0].sections[0].level",
        ),
        ({"title": None, "sections": [{"title": "S", "level": 1, "blocks": [], "sections": []}]}, "sections[0].level"),
        ({"schema_version": 2}, "schema_version"),
        ([], ""),
    ],
)
def test_from_dict_rejects_what_text_cannot_say(data: object, where: str) -> None:
    if isinstance(data, dict):
        data = {"schema_version": 1, "title": None, "infobox": None, "lead": [], "sections": [], **data}
    with pytest.raises(wikiplain.DataError) as info:
        wikiplain.from_dict(data)
    assert info.value.path == where


def test_from_dict_strips_like_the_parser() -> None:
    data = {
        "schema_version": 1,
        "title": "  T ",
        "infobox": {"type": " x ", "fields": [{"key": " K ", "value": " v "}]},
        "lead": [{"type": "list", "items": [" a "]}],
        "sections": [],
    }
    assert wikiplain.dumps(wikiplain.from_dict(data)) == "= T =\n\nInfobox x\n- K: v\n\n- a\n"


NODE_CLASSES = [
    wikiplain.Heading,
    wikiplain.Field,
    wikiplain.Infobox,
    wikiplain.TextLine,
    wikiplain.Paragraph,
    wikiplain.Item,
    wikiplain.BulletList,
    wikiplain.Section,
    wikiplain.Article,
]


#: A valid node of each class, by its keyword arguments.
SAMPLES: dict[type, dict[str, Any]] = {
    wikiplain.Heading: {"level": 3, "title": "Prelude", "blank_after": "\n"},
    wikiplain.Field: {"key": "Place", "value": "Mali"},
    wikiplain.Infobox: {"type_name": "settlement", "fields": (Field(key="Place", value="Mali"),)},
    wikiplain.TextLine: {"text": "Some text.", "trailing": "  "},
    wikiplain.Paragraph: {"lines": (wikiplain.TextLine(text="One."), wikiplain.TextLine(text="Two."))},
    wikiplain.Item: {"text": "one", "newline": "\r\n"},
    wikiplain.BulletList: {"items": (wikiplain.Item(text="one"),), "blank_after": "\n"},
    wikiplain.Section: {
        "heading": wikiplain.Heading(title="H"),
        "blocks": (wikiplain.BulletList(items=(wikiplain.Item(),)),),
    },
    wikiplain.Article: {"title": wikiplain.Heading(level=1, title="T", blank_after="\n"), "lead": ()},
}


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_the_keyword_constructor_keeps_the_dataclass_contract(cls: Any) -> None:
    # keyword-only fields with their defaults, frozen, equal and hashed by value
    node = cls(**SAMPLES[cls])
    for f in dataclasses.fields(cls):
        expected = SAMPLES[cls].get(f.name, f.default)
        assert getattr(node, f.name) == expected
    with pytest.raises(TypeError):
        cls(None)  # keyword-only
    with pytest.raises(TypeError):
        cls(no_such_field=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.loc = (0, 1)
    assert cls(**SAMPLES[cls]) == node and hash(cls(**SAMPLES[cls])) == hash(node)


def test_replace_checks_its_fields() -> None:
    field = Field(key="Place", value="Mali")
    assert field.replace(value="Niger") == Field(key="Place", value="Niger")
    assert field.replace() == field and field.replace() is not field
    with pytest.raises(TypeError, match="no_such_field"):
        field.replace(no_such_field=1)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class _TaggedField(Field):
    tag: str = ""


def test_replace_keeps_a_subclass_and_its_fields() -> None:
    field = _TaggedField(key="Place", value="Mali", tag="checked")
    changed = field.replace(value="Niger")
    assert type(changed) is _TaggedField
    assert changed == _TaggedField(key="Place", value="Niger", tag="checked")
    with pytest.raises(TypeError):
        field.replace(no_such_field=1)


def test_unchecked_equals_the_keyword_constructor() -> None:
    from wikiplain._construct import unchecked

    make = unchecked(Field, after_colon="")
    assert make(key="Place", value="") == Field(key="Place", value="", after_colon="")
    with pytest.raises(TypeError):
        unchecked(wikiplain.Section)()  # type: ignore[call-arg]  # a field with no default must be given
    with pytest.raises(TypeError, match="no fields"):
        unchecked(Field, nope=1)


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_built_and_replaced_nodes_are_ordinary_frozen_nodes(cls: Any) -> None:
    # unchecked() and replace() store the fields into a building class and then
    # switch the object to the node class: nothing of it may show.
    from wikiplain._construct import unchecked

    sample = cls(**SAMPLES[cls])
    for node in (unchecked(cls)(**SAMPLES[cls]), sample.replace(loc=(3, 2))):
        assert type(node) is cls
        with pytest.raises(dataclasses.FrozenInstanceError):
            node.loc = (0, 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            del node.loc
        assert pickle.loads(pickle.dumps(node)) == node
        assert type(pickle.loads(pickle.dumps(node))) is cls
        assert copy.deepcopy(node) == node and hash(node) == hash(copy.copy(node))
    assert unchecked(cls)(**SAMPLES[cls]) == sample
    assert [c for c in cls.__subclasses__() if c.__module__.startswith("wikiplain")] == []


# -- edits, each by its exact outcome ------------------------------------------------


def box_of(text: str) -> Infobox:
    article = wikiplain.parse(text)
    assert article.infobox is not None
    return article.infobox


@pytest.mark.parametrize(
    ("text", "key", "value", "expected"),
    [
        # a new field copies the last field's pad and trailing space, and the
        # spacing around ':' of the last field that has a value
        ("Infobox\n-\tA\t:\t1\n- B : \n", "C", "3", "Infobox\n-\tA\t:\t1\n- B : \n- C\t:\t3 \n"),
        # the last field ends the input: it gets the line end, the new one has none
        ("Infobox\r\n- A: 1\r\n- B: 2", "C", "3", "Infobox\r\n- A: 1\r\n- B: 2\r\n- C: 3"),
        # no field yet and no line end: the Infobox line gets one
        ("Infobox x", "K", "v", "Infobox x\n- K: v"),
        ("Infobox x\r\n", "K", "v", "Infobox x\r\n- K: v\r\n"),
        # an empty new value: no space after ':'
        ("Infobox\n- A: 1\n", "B", " ", "Infobox\n- A: 1\n- B:\n"),
        # key and value stripped of spaces, tabs and CR only (a no-break space is text)
        ("Infobox\n- A: 1\n", " \tB\r", "\u00a0v\u00a0 \t", "Infobox\n- A: 1\n- B: \u00a0v\u00a0\n"),
        ("Infobox\n- A: 1\n", "B\u00a0", "v", "Infobox\n- A: 1\n- B\u00a0: v\n"),
        # an existing field keeps its spacing; a value where there was none gets one space
        ("Infobox\n- A:\n- B:\t2\n", "A", "1", "Infobox\n- A: 1\n- B:\t2\n"),
        ("Infobox\n- A:\t\t1\n", "A", "", "Infobox\n- A:\n"),
        ("Infobox\n- A:\t\t1\n", "A", "\u00a0", "Infobox\n- A:\t\t\u00a0\n"),
    ],
)
def test_infobox_set(text: str, key: str, value: str, expected: str) -> None:
    edited = box_of(text).set(key, value)
    assert edited.as_string() == expected
    added = edited.field(key.strip(" \t\r"))
    assert added is not None
    if key.strip(" \t\r") not in box_of(text):
        assert added.span is None  # a new field has no place in any source text


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda box: box.set("K", "two\nlines"), "a field value must not contain a line break: 'two\\nlines'"),
        (lambda box: box.set("A", "two\nlines"), "a field value must not contain a line break: 'two\\nlines'"),
        (lambda box: box.set("K\n", "v"), "a field key must not contain a line break: 'K\\n'"),
        (lambda box: box.set("K:ey", "v"), "a field key must not contain ':': 'K:ey'"),
        (lambda box: box.fields[0].with_value("a\nb"), "a field value must not contain a line break: 'a\\nb'"),
    ],
)
def test_edit_errors_name_the_problem(call: Any, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        call(box_of("Infobox\n- A: 1\n"))
    assert str(caught.value) == message


def test_section_rename_errors_and_stripping() -> None:
    section = wikiplain.parse("==  A  ==\n").sections[0]
    assert section.renamed(" \tB\u00a0 ").as_string() == "==  B\u00a0  ==\n"
    with pytest.raises(ValueError) as caught:
        section.renamed("a\nb")
    assert str(caught.value) == "a section title must not contain a line break: 'a\\nb'"
    with pytest.raises(ValueError) as caught:
        section.renamed(" = ")
    assert str(caught.value) == "a section title needs a character other than '=' and spaces: '='"


def test_reading_an_infobox_by_key() -> None:
    box = box_of("Infobox\n- A: 1\n- B\n")
    assert (box["A"], box["B"], box.get("A"), box.get("B", "d"), box.get("C"), box.get("C", "d")) == (
        "1",
        None,
        "1",
        None,
        None,
        "d",
    )
    with pytest.raises(KeyError) as caught:
        box["C"]
    assert caught.value.args == ("C",)
    with pytest.raises(KeyError) as caught:
        box.remove("C")
    assert caught.value.args == ("C",)
    assert wikiplain.parse("= T =\n\n== A ==\n").section("B") is None


def test_deep_replace_reaches_every_kind_of_node() -> None:
    text = "= T =\n\nInfobox\n- A: 1\n- B: 2\n\nLead.\n\n== S ==\n- x\n\n=== U ===\ny\n"
    article = wikiplain.parse(text)
    assert article.title is not None and article.infobox is not None
    title = article.title
    cases = [
        (title, title.replace(title="New"), text.replace("= T =", "= New =")),
        (article.infobox.fields[1], article.infobox.fields[1].with_value("3"), text.replace("B: 2", "B: 3")),
        (article.sections[0].heading, article.sections[0].heading.replace(title="S2"), text.replace("== S", "== S2")),
        (article.sections[0].sections[0], article.sections[0].sections[0].renamed("V"), text.replace("U ===", "V ===")),
    ]
    for old, new, expected in cases:
        edited = article.deep_replace(old, new)
        assert wikiplain.dumps(edited) == expected
        assert edited.lead is article.lead  # untouched parts are shared


@pytest.mark.parametrize(
    ("text", "key", "value", "type_name"),
    [
        # only space, tab and CR are whitespace: a no-break space (or a vertical tab) is text
        ("Infobox x\u00a0\n- K\u00a0: v\u00a0\n", "K\u00a0", "v\u00a0", "x\u00a0"),
        ("Infobox\n- \u00a0K: \u00a0v\n", "\u00a0K", "\u00a0v", None),
        ("Infobox x\x0b\n- K\x0b: v\n", "K\x0b", "v", "x\x0b"),
        ("Infobox \t x \t\r\n- \t K \t: \t v \t\r\n", "K", "v", "x"),
    ],
)
def test_field_and_type_strip_only_the_formats_whitespace(
    text: str, key: str, value: str, type_name: str | None
) -> None:
    article = wikiplain.parse(text)
    assert article.infobox is not None
    assert (article.infobox.type_name, article.infobox.fields[0].key, article.infobox.fields[0].value) == (
        type_name,
        key,
        value,
    )
    assert wikiplain.dumps(article) == text
    # and after "Infobox" or "-", only a space or a tab makes the line an infobox or a field
    assert wikiplain.parse("Infobox\u3000x\n-\u00a0K: v\n").infobox is None


def test_every_node_knows_where_it_stands() -> None:
    text = "= T =\n\nLead\n\n- a\n-\tb\n\n== S ==\n- c\n"
    article = wikiplain.parse(text)
    assert article.span is not None
    assert (article.span.start, article.span.end) == (Position(1, 1, 0), Position(10, 1, len(text)))
    first, second = article.lead[1].items  # type: ignore[union-attr]
    section_item = article.sections[0].blocks[0].items[0]  # type: ignore[union-attr]
    spans = [(n.span.start.line, n.span.start.column, n.span.end.offset) for n in (first, second, section_item)]
    assert spans == [(5, 1, text.index("-\tb")), (6, 1, text.index("\n== S")), (9, 1, len(text))]


def test_the_construction_mechanism_on_a_new_node_class() -> None:
    from wikiplain._construct import copier, unchecked

    # A node class of the test's own, made anew at each run: _construct's code
    # runs for it here (for the package's classes it ran at import, and a
    # class made once would find its building class already made).
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class _Probe(wikiplain.nodes.Node):
        name: str
        parts: tuple[str, ...] = ()
        seen: list[str] = dataclasses.field(default_factory=list)

    make = unchecked(_Probe)
    probe = make(name="a")
    assert type(probe) is _Probe and probe == _Probe(name="a")
    assert (probe.name, probe.parts, probe.seen, probe.loc) == ("a", (), [], None)
    assert make(name="b").seen is not probe.seen  # a factory's default is made for each node
    assert unchecked(_Probe, parts=("x",))(name="c").parts == ("x",)
    with pytest.raises(TypeError):
        make()  # type: ignore[call-arg]  # a field without a default must be given
    with pytest.raises(TypeError, match=r"unchecked\(_Probe\): no fields \['nope'\]"):
        unchecked(_Probe, nope=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        probe.name = "z"  # type: ignore[misc]
    copy = copier(_Probe)
    changed = copy(probe, {"parts": ("p",)})
    assert type(changed) is _Probe and changed == _Probe(name="a", parts=("p",)) and changed.seen is probe.seen
    assert copy(probe, {}) == probe and copy(probe, {}) is not probe
    with pytest.raises(TypeError, match=r"_Probe has no field\(s\) \['nope'\]"):
        copy(probe, {"nope": 1})
    # The building class: the node class's slots, a subclass of its base, never of the class itself.
    assert _Probe.__subclasses__() == []
    from wikiplain._construct import _BUILDING

    building = _BUILDING[_Probe]
    unchecked(_Probe)
    assert _BUILDING[_Probe] is building  # made once a class
    assert building.__name__ == "_Building_Probe" and building.__slots__ == _Probe.__slots__
    assert building.__bases__ == (wikiplain.nodes.Node,) and building in wikiplain.nodes.Node.__subclasses__()
    # object's own setter, deleter and __init__: with these CPython stores each
    # field through its C setter and allocates without running Python code (a
    # building class without its own __delattr__ built nodes 4 times slower).
    assert (building.__setattr__, building.__delattr__) == (object.__setattr__, object.__delattr__)
    assert building.__init__ is object.__init__
    assert make.__name__ == "unchecked__Probe" and copy.__name__ == "copy__Probe"
