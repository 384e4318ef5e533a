"""Round trips of plain article files, each compared with a readable diff:
the exact text, JSON (with and without trivia), wikitext, and the golden
``.json`` / ``.wiki`` files beside an article.  ``wikiplain roundtrip`` runs
them over folders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ._files import read_article
from .errors import InputError
from .parser import parse
from .serialize import canonicalize, dumps

__all__ = ["ROUND_TRIPS", "RoundTripResult", "readable_diff", "roundtrip_file"]


def _visible(line: str) -> str:
    """A diff line with its invisible characters shown: CR as ``\\r``, a tab as
    ``\\t``, trailing spaces (before a CR too) as ``·``."""
    body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
    body, cr = (body[:-1], "\\r") if body.endswith("\r") else (body, "")
    stripped = body.rstrip(" ")
    body = stripped + "·" * (len(body) - len(stripped))
    return body.replace("\r", "\\r").replace("\t", "\\t") + cr + end


def _lines(text: str) -> list[str]:
    """The lines of a text as the format reads them: only LF ends a line (not
    a lone CR, U+2028 or the others that str.splitlines breaks at)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def readable_diff(expected: str, actual: str, fromfile: str, tofile: str) -> str:
    """A unified diff that shows CR, tabs, trailing spaces and a missing final newline."""
    a = [_visible(x) for x in _lines(expected)]
    b = [_visible(x) for x in _lines(actual)]
    lines = []
    import difflib

    for line in difflib.unified_diff(a, b, fromfile, tofile):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        lines.append(line)
    return "".join(lines)


@dataclass
class RoundTripResult:
    """What one file's round trip found: which paths failed, each with a diff."""

    path: str
    error: str | None = None  # the file could not be read
    failures: list[tuple[str, str]] = field(default_factory=list)  # (check name, diff)


#: name -> function(text, path) returning (expected, actual, expected_label) pairs.
RoundTripCheck = Callable[[str, Path], tuple[str, str, str] | None]  # None: nothing to compare


def _exact(text: str, path: Path) -> tuple[str, str, str]:
    return text, dumps(parse(text)), "input"


def _json(text: str, path: Path) -> tuple[str, str, str]:
    import json

    from .data import from_dict, to_dict

    article = parse(text)
    data = json.loads(json.dumps(to_dict(article)))
    return dumps(canonicalize(article)), dumps(from_dict(data)), "normalize(input)"


def _json_trivia(text: str, path: Path) -> tuple[str, str, str]:
    import json

    from .data import from_dict, to_dict

    data = json.loads(json.dumps(to_dict(parse(text), trivia=True)))
    return text, dumps(from_dict(data)), "input"


def _golden_json(text: str, path: Path) -> tuple[str, str, str] | None:
    import json

    golden = path.with_suffix(".json")
    if not golden.is_file():
        return None
    expected = json.dumps(json.loads(golden.read_bytes().decode()), ensure_ascii=False, indent=2) + "\n"
    from .data import to_dict

    actual = json.dumps(to_dict(parse(text)), ensure_ascii=False, indent=2) + "\n"
    return expected, actual, golden.name


def _wikitext(text: str, path: Path) -> tuple[str, str, str]:
    from .wikitext import from_wikitext, to_wikitext

    return text, dumps(from_wikitext(to_wikitext(parse(text)))), "input"


def _wikitext_canonical(text: str, path: Path) -> tuple[str, str, str]:
    from .wikitext import from_wikitext, to_wikitext

    wikitext = to_wikitext(parse(text))
    return wikitext, to_wikitext(from_wikitext(wikitext)), "to_wikitext(input)"


def _golden_wiki(text: str, path: Path) -> tuple[str, str, str] | None:
    golden = path.with_suffix(".wiki")
    if not golden.is_file():
        return None
    from .wikitext import to_wikitext

    return golden.read_bytes().decode(), to_wikitext(parse(text)), golden.name


ROUND_TRIPS: dict[str, RoundTripCheck] = {
    "parse-dumps": _exact,
    "json": _json,
    "json-trivia": _json_trivia,
    "golden-json": _golden_json,
    "wikitext": _wikitext,
    "wikitext-canonical": _wikitext_canonical,
    "golden-wiki": _golden_wiki,
}


def roundtrip_file(path: str) -> RoundTripResult:
    """Run every round trip on one file (top-level so worker processes can call it)."""
    result = RoundTripResult(path)
    try:
        text = read_article(path)
    except InputError as e:
        result.error = str(e)
        return result
    for name, check in ROUND_TRIPS.items():
        try:
            compared = check(text, Path(path))
        except Exception as e:  # a bug in wikiplain: report it as this file's failure
            result.failures.append((name, f"{type(e).__name__}: {e}\n"))
            continue
        if compared is None:
            continue
        expected, actual, label = compared
        if expected != actual:
            result.failures.append((name, readable_diff(expected, actual, f"{path} ({label})", f"{path} ({name})")))
    return result
