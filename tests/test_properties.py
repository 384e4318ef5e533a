"""Property tests: the round trips hold for generated articles and hostile strings."""

from __future__ import annotations

import jsonschema
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import wikiplain
from wikiplain import _lexer, _lines
from wikiplain.nodes import Node

from .strategies import any_text, inline

VALIDATOR = jsonschema.Draft202012Validator(wikiplain.json_schema())


@given(any_text)
def test_parse_is_lossless(text: str) -> None:
    assert wikiplain.dumps(wikiplain.parse(text)) == text


@given(any_text)
def test_tokens_join_back_to_input(text: str) -> None:
    tokens = list(_lexer.tokens(text))
    assert "".join(tokens) == text
    for token in tokens:
        assert text[token.start_pos : token.start_pos + len(token)] == token
        if isinstance(token, _lexer.LineRun | _lexer.Sections):
            if isinstance(token, _lexer.Sections):
                runs = [run for heading, blocks in token.sections for run in (heading, *blocks)]
                assert all(heading.type == _lines.HEADING for heading, _ in token.sections)
                assert all(run.type in (_lines.PARAGRAPH, _lines.BULLET_LIST) for _, bs in token.sections for run in bs)
            else:
                runs = [token]
            assert token == "".join("".join(run.lines) + run.blank for run in runs)
            for run in runs:
                assert text[run.start_pos : run.start_pos + len("".join(run.lines) + run.blank)] == (
                    "".join(run.lines) + run.blank
                )
                assert run.line == text[: run.start_pos].count("\n") + 1


@given(any_text)
def test_normalize_is_idempotent_and_keeps_meaning(text: str) -> None:
    canonical = wikiplain.normalize(text)
    assert wikiplain.normalize(canonical) == canonical
    assert wikiplain.to_dict(wikiplain.parse(canonical)) == wikiplain.to_dict(wikiplain.parse(text))


@given(any_text)
def test_json_round_trip_gives_canonical_text(text: str) -> None:
    data = wikiplain.to_dict(wikiplain.parse(text))
    VALIDATOR.validate(data)
    assert wikiplain.dumps(wikiplain.from_dict(data)) == wikiplain.normalize(text)


@given(any_text)
def test_json_with_trivia_round_trips_exactly(text: str) -> None:
    data = wikiplain.to_dict(wikiplain.parse(text), trivia=True)
    VALIDATOR.validate(data)
    assert wikiplain.dumps(wikiplain.from_dict(data)) == text


def _nodes(node: Node):  # type: ignore[no-untyped-def]
    yield node
    for name in node.__dataclass_fields__:
        value = getattr(node, name)
        if isinstance(value, Node):
            yield from _nodes(value)
        elif isinstance(value, tuple):
            for v in value:
                if isinstance(v, Node):
                    yield from _nodes(v)


@given(any_text)
def test_spans_point_at_the_node_text(text: str) -> None:
    article = wikiplain.parse(text)
    for node in _nodes(article):
        assert node.span is not None  # every parsed node knows where it stands
        start, end = node.span.start, node.span.end
        assert text[start.offset : end.offset] == node.as_string()
        before = text[: start.offset]
        assert start.line == before.count("\n") + 1
        line_start = before.rfind("\n") + 1
        if line_start == 0 and text.startswith("\ufeff") and start.offset > 0:
            line_start = 1  # a byte order mark takes no column
        assert start.column == start.offset - line_start + 1


@given(any_text)
def test_check_never_raises_and_strict_agrees(text: str) -> None:
    errors = [d for d in wikiplain.check(text) if d.severity == "error"]
    try:
        wikiplain.parse(text, strict=True)
    except wikiplain.ParseError as e:
        assert errors
        assert (e.line, e.column, e.code) == (errors[0].line, errors[0].column, errors[0].code)
    else:
        assert not errors


@given(any_text)
def test_is_canonical_agrees_with_normalize(text: str) -> None:
    from wikiplain.serialize import is_canonical

    assert is_canonical(wikiplain.parse(text)) == (wikiplain.normalize(text) == text)
    assert is_canonical(wikiplain.parse(wikiplain.normalize(text)))


_heading_lines = st.tuples(
    st.integers(1, 8).map(lambda n: "=" * n),
    st.sampled_from(["", " ", "  ", "\t", " \r"]),
    st.one_of(inline, st.sampled_from(["x", "=x", "x=", "= x =", "Early life", "\u00e9"])),
    st.sampled_from(["", " ", "  ", "\t"]),
    st.integers(1, 8).map(lambda n: "=" * n),
    st.sampled_from(["", " ", "\t", "\r"]),
    st.sampled_from(["\n", "\r\n", ""]),
).map("".join)


@given(_heading_lines)
@example("== Early life ==\n")
@example("== x ===")  # no line end: the pattern is not for it (the last "=" is the line's own)
@example("== x =\n")
@example("=== x ===\r\n")
@example("== =x= ==\n")
def test_canonical_headings_are_read_as_any_heading_line_is(line: str) -> None:
    # heading_from_line reads a heading in canonical form with one pattern;
    # the node (meaning and trivia) must be what the general reading gives.
    from wikiplain.nodes import _heading_of_any_line, heading_from_line

    if not _lines.heading_level(_lines.split_newline(line)[0].rstrip(_lines.WHITESPACE)):
        return  # (a text line, not a heading)
    read = heading_from_line(line, (0, 1), "\n")
    assert read == _heading_of_any_line(line, (0, 1), "\n")
    assert read.trivia() == _heading_of_any_line(line, (0, 1), "\n").trivia()
    assert read.as_string() == line + "\n"


def test_canonical_heading_lines_take_the_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    # (so that the property above meets the shortcut: most headings take it)
    from wikiplain import nodes

    def general(*args: object) -> None:
        raise AssertionError("read as any heading line")

    monkeypatch.setattr(nodes, "_heading_of_any_line", general)
    for line in ("== Early life ==\n", "= T =\n", "====== x y ======\n"):
        heading = nodes.heading_from_line(line, (0, 1), "")
        assert heading.as_string() == line
