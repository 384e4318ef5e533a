"""from_dict and to_dict: the JSON shape both ways, every refusal with its path and message."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import wikiplain

from .conftest import safe_id

BASE: dict[str, Any] = {
    "schema_version": 1,
    "title": "T",
    "infobox": {"type": "x", "fields": [{"key": "A", "value": "1"}]},
    "lead": [{"type": "paragraph", "text": "Lead."}, {"type": "list", "items": ["a", "b"]}],
    "sections": [
        {"title": "S", "level": 2, "blocks": [{"type": "paragraph", "text": "x"}],
         "sections": [{"title": "U", "level": 3, "blocks": [], "sections": []}]}
    ],
}  # fmt: skip


def changed(path: str, value: Any) -> Any:
    """BASE with the member at ``path`` (dots and [i]) set to ``value`` (or removed for ...)."""
    data = copy.deepcopy(BASE)
    parts = path.replace("[", ".").replace("]", "").split(".")
    target: Any = data
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if value is ...:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


REFUSED = [
    (["not", "an", "object"], "", "expected an object, got list"),
    (changed("schema_version", 2), "schema_version", "unsupported schema version 2 (expected 1)"),
    (changed("title", 3), "title", "expected a string, got int"),
    (changed("title", "a\nb"), "title", "a line break cannot be written here"),
    (changed("title", " = "), "title", "a heading needs a character other than '=' and spaces"),
    (changed("infobox", "x"), "infobox", "expected an object, got str"),
    (changed("infobox.type", 1.5), "infobox.type", "expected a string, got float"),
    (changed("infobox.fields", {}), "infobox.fields", "expected an array, got dict"),
    (changed("infobox.fields[0]", "A: 1"), "infobox.fields[0]", "expected an object, got str"),
    (changed("infobox.fields[0].key", None), "infobox.fields[0].key", "expected a string, got NoneType"),
    (changed("infobox.fields[0].key", "a:b"), "infobox.fields[0].key", "a field key cannot contain ':'"),
    (changed("infobox.fields[0].value", "a\nb"), "infobox.fields[0].value", "a line break cannot be written here"),
    (changed("lead", {}), "lead", "expected an array, got dict"),
    (changed("lead[1]", "text"), "lead[1]", "expected an object, got str"),
    (changed("lead[1].type", "table"), "lead[1].type", "expected 'paragraph' or 'list', got 'table'"),
    (changed("lead[1].type", ...), "lead[1].type", "expected 'paragraph' or 'list', got None"),
    (changed("lead[0].text", ["x"]), "lead[0].text", "expected a string, got list"),
    (changed("lead[0].text", "a\n\nb"), "lead[0].text", "line 2 ('') would read as an empty line"),
    (changed("lead[0].text", "a\n== H =="), "lead[0].text", "line 2 ('== H ==') would read as a heading"),
    (changed("lead[0].text", "a\n- x"), "lead[0].text", "line 2 ('- x') would read as a list item"),
    (changed("lead[1].items", "a"), "lead[1].items", "expected an array, got str"),
    (changed("lead[1].items[1]", 7), "lead[1].items[1]", "expected a string, got int"),
    (changed("lead[1].items[0]", "a\nb"), "lead[1].items[0]", "a line break cannot be written here"),
    (changed("sections", {}), "sections", "expected an array, got dict"),
    (changed("sections[0]", []), "sections[0]", "expected an object, got list"),
    (changed("sections[0].level", 7), "sections[0].level", "expected a heading level from 1 to 6, got 7"),
    (changed("sections[0].level", True), "sections[0].level", "expected a heading level from 1 to 6, got True"),
    (changed("sections[0].level", "2"), "sections[0].level", "expected a heading level from 1 to 6, got '2'"),
    (changed("sections[0].level", ...), "sections[0].level", "expected a heading level from 1 to 6, got None"),
    (changed("sections[0].title", "=="), "sections[0].title", "a heading needs a character other than '=' and spaces"),
    (changed("sections[0].blocks", "x"), "sections[0].blocks", "expected an array, got str"),
    (changed("sections[0].blocks[0].text", "x\n= T ="), "sections[0].blocks[0].text", "line 2 ('= T =') would read as a heading"),
    (changed("sections[0].sections", 1), "sections[0].sections", "expected an array, got int"),
    (changed("sections[0].sections[0].level", 2), "sections[0].sections[0].level", "a subsection needs a level deeper than 2"),
    (changed("sections[0].sections[0].level", 1), "sections[0].sections[0].level", "a subsection needs a level deeper than 2"),
    (changed("sections[0].sections[0].title", None), "sections[0].sections[0].title", "expected a string, got NoneType"),
    ({"title": None, "lead": [], "sections": [{"title": "A", "level": 1}]}, "sections[0].level",
     "without a title, the first section cannot have level 1 (its heading would read as the title)"),
    ({"lead": [{"type": "paragraph", "text": "Infobox x"}]}, "lead[0].text", "line 1 ('Infobox x') would read as the infobox"),
    # trivia that is not whitespace of its kind
    (changed("trivia", {"leading_blank": "x"}), "trivia.leading_blank", "not valid whitespace here: 'x'"),
    (changed("trivia", {"bom": " "}), "trivia.bom", "not valid whitespace here: ' '"),
    (changed("trivia", {"title": {"newline": "\r"}}), "trivia.title.newline", "not valid whitespace here: '\\r'"),
    (changed("trivia", "x"), "trivia", "expected an object, got str"),
    (changed("trivia", {"title": "x"}), "trivia.title", "expected an object, got str"),
    (changed("lead[1].trivia", {"items": ["x"]}), "lead[1].trivia.items[0]", "expected an object, got str"),
    (changed("infobox.trivia", {"pad": "\n"}), "infobox.trivia.pad", "not valid whitespace here: '\\n'"),
    (changed("infobox.fields[0].trivia", {"after_colon": 1}), "infobox.fields[0].trivia.after_colon", "not valid whitespace here: 1"),
    (changed("lead[0].trivia", {"blank_after": "x\n"}), "lead[0].trivia.blank_after", "not valid whitespace here: 'x\\n'"),
    (changed("lead[0].trivia", {"lines": [{"trailing": "x"}]}), "lead[0].trivia.lines[0].trailing", "not valid whitespace here: 'x'"),
    (changed("lead[1].trivia", {"items": [{}, {"pad": "y"}]}), "lead[1].trivia.items[1].pad", "not valid whitespace here: 'y'"),
    (changed("sections[0].blocks[0].trivia", {"blank_after": "x"}), "sections[0].blocks[0].trivia.blank_after", "not valid whitespace here: 'x'"),
    (changed("sections[0].trivia", {"pad_before": "\t\n"}), "sections[0].trivia.pad_before", "not valid whitespace here: '\\t\\n'"),
    (changed("sections[0].sections[0].trivia", {"newline": "\n\n"}), "sections[0].sections[0].trivia.newline", "not valid whitespace here: '\\n\\n'"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "path", "message"), REFUSED, ids=[safe_id(f"{r[1]} {r[2][:30]}") for r in REFUSED])
def test_from_dict_refuses_with_path_and_message(data: Any, path: str, message: str) -> None:
    with pytest.raises(wikiplain.DataError) as caught:
        wikiplain.from_dict(data)
    assert (caught.value.path, caught.value.message) == (path, message)


def test_base_data_is_valid() -> None:
    assert wikiplain.dumps(wikiplain.from_dict(BASE)) == (
        "= T =\n\nInfobox x\n- A: 1\n\nLead.\n\n- a\n- b\n\n== S ==\nx\n\n=== U ===\n"
    )


@pytest.mark.parametrize(
    ("path", "trivia", "expected"),
    [
        # trivia on one part only is applied (the builder notices it wherever it is)
        ("infobox.fields[0].trivia", {"pad": "\t", "after_colon": "  "}, "\n-\tA:  1\n"),
        ("sections[0].trivia", {"pad_before": "  ", "trailing": " "}, "==  S == "),
        ("sections[0].sections[0].trivia", {"newline": "\r\n"}, "=== U ===\r\n"),
        ("lead[0].trivia", {"blank_after": "\n \n"}, "Lead.\n\n \n- a"),
        ("lead[1].trivia", {"items": [{"pad": "\t"}]}, "-\ta\n- b\n"),
        ("lead[0].trivia", {"lines": [{"trailing": " \t"}]}, "Lead. \t\n"),
        ("infobox.trivia", {"pad": "   "}, "Infobox   x\n"),
        ("trivia", {"bom": "\ufeff", "title": {"pad_after": "  "}}, "\ufeff= T  =\n"),
    ],
)
def test_trivia_on_one_part_is_applied(path: str, trivia: dict[str, Any], expected: str) -> None:
    data = changed(path, trivia)
    text = wikiplain.dumps(wikiplain.from_dict(data))
    assert expected in text
    assert wikiplain.to_dict(wikiplain.parse(text)) == wikiplain.to_dict(wikiplain.from_dict(BASE))


def test_members_may_be_left_out() -> None:
    assert wikiplain.dumps(wikiplain.from_dict({})) == ""
    minimal = {"title": "T", "sections": [{"title": "S", "level": 2}], "infobox": {"type": None}}
    assert wikiplain.dumps(wikiplain.from_dict(minimal)) == "= T =\n\nInfobox\n\n== S ==\n"


def test_trivia_where_members_are_left_out() -> None:
    # Data with trivia but without the optional members: an article of a title,
    # a section without blocks or subsections, an infobox without fields.
    data = {"title": "T", "trivia": {"title": {"trailing": " "}}}
    assert wikiplain.dumps(wikiplain.from_dict(data)) == "= T = \n"
    data = {"title": "T", "sections": [{"title": "S", "level": 2, "trivia": {"pad_before": "  "}}]}
    assert wikiplain.dumps(wikiplain.from_dict(data)) == "= T =\n\n==  S ==\n"
    data = {"infobox": {"type": "x", "trivia": {"trailing": "\t"}}}
    assert wikiplain.dumps(wikiplain.from_dict(data)) == "Infobox x\t\n"


def test_outline_builder_nests_sections_by_level() -> None:
    from wikiplain.data import OutlineBuilder

    out = OutlineBuilder()
    out.text("lead")
    out.heading("A", 2)
    out.text("a1")
    out.text("a2")
    out.item("i")
    out.heading("B", 3)
    out.item("j")
    out.end_block()
    out.item("k")
    out.heading("C", 3)
    out.heading("D", 2)
    out.text("d")
    assert out.data == {
        "title": None,
        "infobox": None,
        "lead": [{"type": "paragraph", "text": "lead"}],
        "sections": [
            {
                "title": "A", "level": 2,
                "blocks": [{"type": "paragraph", "text": "a1\na2"}, {"type": "list", "items": ["i"]}],
                "sections": [
                    {"title": "B", "level": 3, "blocks": [{"type": "list", "items": ["j"]}, {"type": "list", "items": ["k"]}], "sections": []},
                    {"title": "C", "level": 3, "blocks": [], "sections": []},
                ],
            },
            {"title": "D", "level": 2, "blocks": [{"type": "paragraph", "text": "d"}], "sections": []},
        ],
    }  # fmt: skip


def test_published_schema_says_the_version_the_code_writes() -> None:
    # The version is written once in code (nodes.SCHEMA_VERSION); the shipped
    # schema file is data and must agree with it, as must every article's dict.
    from wikiplain.nodes import SCHEMA_VERSION

    assert wikiplain.json_schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert wikiplain.to_dict(wikiplain.parse("= T =\n"))["schema_version"] == SCHEMA_VERSION


def test_every_error_is_a_wikiplain_error() -> None:
    # One hierarchy: whatever wikiplain raises on purpose can be caught as WikiplainError.
    import inspect

    import wikiplain.cli
    import wikiplain.errors
    import wikiplain.partitions

    raised = [
        obj
        for module in (wikiplain.errors, wikiplain.cli, wikiplain.partitions)
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, Exception) and obj.__module__ == module.__name__
    ]
    assert len(raised) >= 6
    assert all(issubclass(e, wikiplain.WikiplainError) for e in raised), raised


def test_outline_nests_by_level_and_says_where_a_section_stands() -> None:
    from wikiplain.outline import Outline

    outline: Outline[str, str, tuple[str, list[str], list[Any]]] = Outline(
        lambda level, heading, blocks, subsections: (heading, blocks, subsections)
    )
    assert not outline
    where = []
    for level, heading in [(2, "a"), (4, "a.1"), (3, "a.2"), (3, "a.3"), (2, "b"), (5, "b.1")]:
        outline.open(level, heading, [heading + " text"])
        where.append(outline.position())
    assert outline
    assert where == [(0, 0), (1, 0), (1, 1), (1, 2), (0, 1), (1, 0)]
    assert outline.close() == [
        ("a", ["a text"], [("a.1", ["a.1 text"], []), ("a.2", ["a.2 text"], []), ("a.3", ["a.3 text"], [])]),
        ("b", ["b text"], [("b.1", ["b.1 text"], [])]),
    ]
    assert outline  # all closed now: sections at the top, none open


def test_trivia_that_would_not_read_back_is_refused() -> None:
    # A field line with no space after its dash is text, not a field: the data
    # holds whitespace that no text of this article could have.
    data = wikiplain.to_dict(wikiplain.parse("Infobox x\n- k: v\n"), trivia=True)
    data["infobox"]["fields"][0]["trivia"]["pad"] = ""
    with pytest.raises(wikiplain.DataError, match=r"^trivia: .*Field\.pad must be a space or tab"):
        wikiplain.from_dict(data)
