"""Start-up: a command imports what it uses, and the parser is not rebuilt
from the grammar's text at every start (issue 13; bench/startup.py times it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import wikiplain
from wikiplain import _grammar, cli, partitions

from .conftest import FIXTURES, read_text

SEED = FIXTURES / "articles" / "nampala-raid.txt"
#: Never needed to check or format a plain article (Lark itself imports
#: json, tempfile and through it bz2: those are not ours to spare).
HEAVY = ("mwparserfromhell", "tqdm", "jsonschema", "dask", "distributed", "pyarrow", "xml", "multiprocessing",
         "concurrent", "gzip", "uuid", "difflib")  # fmt: skip


def loaded_after(code: str) -> list[str]:
    """The modules a fresh Python has loaded after running ``code``."""
    script = f"import sys\n{code}\nprint(__import__('json').dumps(sorted(sys.modules)))"
    env = {**os.environ, "WIKIPLAIN_CACHE_DIR": "off"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    modules: list[str] = json.loads(done.stdout.splitlines()[-1])
    return modules


@pytest.mark.parametrize("argv", [["check"], ["fmt", "--check"]])
def test_check_and_fmt_import_nothing_they_do_not_use(argv: list[str]) -> None:
    code = f"from wikiplain.cli import main\nassert main({[*argv, str(SEED)]!r}) == 0"
    modules = loaded_after(code)
    assert [m for m in modules if m.split(".")[0] in HEAVY] == []
    assert "wikiplain.wikitext" not in modules and "wikiplain.data" not in modules


def test_import_wikiplain_loads_only_its_errors_and_version_until_a_name_is_used() -> None:
    modules = loaded_after("import wikiplain")
    assert [m for m in modules if m.startswith(("wikiplain", "lark", "mwparserfromhell"))] == [
        "wikiplain",
        "wikiplain._version",
        "wikiplain.errors",
    ]
    modules = loaded_after("import wikiplain\nwikiplain.parse('= T =')")
    assert "lark" in modules and "mwparserfromhell" not in modules


def test_every_public_name_is_there_when_asked() -> None:
    for name in wikiplain.__all__:
        assert getattr(wikiplain, name) is not None, name
    assert sorted(wikiplain.__all__) == dir(wikiplain)
    assert wikiplain.Article is wikiplain.nodes.Article and wikiplain.DumpError is wikiplain.errors.DumpError
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = wikiplain.nope  # type: ignore[attr-defined]


def test_the_command_line_offers_every_format() -> None:
    assert cli.FORMATS == partitions.FORMATS


def test_the_cached_parser_is_the_grammar_s_and_follows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import lark

    from wikiplain.parser import _TRANSFORMER

    monkeypatch.setenv("WIKIPLAIN_CACHE_DIR", str(tmp_path))
    text = _grammar.grammar_text()
    cache = _grammar.cache_file(text)
    assert cache is not None and cache.parent == tmp_path and not cache.exists()
    _grammar.build_parser.cache_clear()
    try:
        built = _grammar.build_parser(_TRANSFORMER)  # from the text, and cached
        assert [p.name for p in tmp_path.iterdir()] == [cache.name]  # (written aside, then renamed)
        _grammar.build_parser.cache_clear()
        loaded = _grammar.build_parser(_TRANSFORMER)  # from the cache
    finally:
        _grammar.build_parser.cache_clear()
    assert loaded is not built
    monkeypatch.setenv("WIKIPLAIN_CACHE_DIR", "off")
    assert _grammar.cache_file(text) is None
    uncached = lark.Lark(text, parser="lalr", lexer=_grammar.LineLexer, transformer=_TRANSFORMER,
                         maybe_placeholders=False)  # fmt: skip
    for path in sorted((FIXTURES / "articles").glob("*.txt")):
        source = read_text(path)
        assert loaded.parse(source) == built.parse(source) == uncached.parse(source), path.name
    # Another grammar is cached under another name (and Lark checks the digest inside too).
    monkeypatch.setenv("WIKIPLAIN_CACHE_DIR", str(tmp_path))
    assert _grammar.cache_file(text + "\n// changed\n") != cache


def test_a_cache_folder_that_cannot_be_made_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("WIKIPLAIN_CACHE_DIR", str(blocked / "cache"))
    assert _grammar.cache_file("grammar") is None
    _grammar.build_parser.cache_clear()
    try:
        assert str(wikiplain.parse(read_text(SEED))) == read_text(SEED)
    finally:
        _grammar.build_parser.cache_clear()
