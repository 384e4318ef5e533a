"""The module layout of docs/architecture.md: each module imports only the
modules below it in the pipeline, so the file list reads in one direction."""

from __future__ import annotations

import ast
from pathlib import Path

import wikiplain

PACKAGE = Path(wikiplain.__file__).parent

#: Lowest first; a module may import only modules listed before it.  The same
#: order as the table in docs/architecture.md.
LAYERS = [
    # foundations: no wikiplain imports of their own
    "errors",
    "_version",
    "_lines",
    "_titles",
    "_entities",
    "_files",
    "_gc",
    "_processes",
    "outline",
    "_construct",
    # the plain format
    "nodes",
    "_lexer",
    "_grammar",
    "serialize",
    "diagnostics",
    "parser",
    "data",
    # wikitext
    "wikitext.escape",
    "wikitext.tokens",
    "wikitext.writer",
    "clean",
    "wikitext.reader",
    "wikitext",
    # dumps, round trips, files, the command line
    "dump",
    "partitions",
    "verify",
    "cli",
    "__main__",
    "__init__",
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _resolve(base: list[str], name: str) -> str:
    candidate = PACKAGE.joinpath(*base, name)
    if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
        return ".".join([*base, name])
    return ".".join(base) or "__init__"


def _imports(path: Path) -> set[str]:
    """The wikiplain modules ``path`` imports, at the top or inside functions."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" and name != "__init__" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                found.add(".".join([*base, node.module]))
            else:  # from . import x: a module, or a name from the package's __init__
                found.update(_resolve(base, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found.update(m.removeprefix("wikiplain.") for m in modules if m.startswith("wikiplain."))
    return found


def test_every_module_has_a_place() -> None:
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    assert modules == set(LAYERS)


def test_modules_import_only_downward() -> None:
    rank = {name: i for i, name in enumerate(LAYERS)}
    upward = {
        _module_name(path): sorted(m for m in _imports(path) if rank.get(m, -1) >= rank[_module_name(path)])
        for path in PACKAGE.rglob("*.py")
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}
