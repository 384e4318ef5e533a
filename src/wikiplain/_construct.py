"""How nodes are built: the one construction mechanism, and the only generated code.

A node is a frozen, slotted dataclass.  Built by keyword (``Heading(title="x")``)
or by ``node.replace(...)``, it is validated (``Node._validate``): that is the
public way, for code that builds nodes by hand.  The parser, the readers and
the canonical builders make one node per line from text they have already
read, so they use :func:`unchecked`: a constructor with the class's own
keyword signature (mypy checks every call against the dataclass's fields)
that skips validation and costs about a third of a keyword call of the class.

Why it is fast: a frozen dataclass stores each field with a call of
``object.__setattr__`` (its ``__setattr__`` raises).  An unchecked
constructor instead allocates an instance of a *building class* — a private
class with the node class's exact slot layout and plain attribute assignment
— stores the fields as plain slot assignments, then sets ``__class__`` to the
node class, which CPython allows because the layouts are identical.  From
then on the object is an ordinary frozen node (``type(node) is Heading``).
A building class derives from the node class's base (``Node``), not from the
node class, so ``Heading.__subclasses__()`` stays empty; no instance of it
ever leaves this module's functions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

__all__ = ["copier", "unchecked"]

_P = ParamSpec("_P")
_N = TypeVar("_N")

_BUILDING: dict[type[Any], type[Any]] = {}


def _building_class(cls: type[Any]) -> type[Any]:
    """The building class of the node class ``cls`` (see the module's docstring)."""
    building = _BUILDING.get(cls)
    if building is None:
        (base,) = cls.__bases__
        namespace = {
            "__slots__": cls.__slots__,  # the same slots in the same order: the same layout
            "__setattr__": object.__setattr__,
            # With both of object's own, CPython stores attributes through its C
            # setter directly; with __setattr__ alone it dispatches through
            # Python-level lookups at every store (measured: 4 times slower).
            "__delattr__": object.__delattr__,
            # object's own __init__: calling the class then allocates without running Python code.
            "__init__": object.__init__,
        }
        building = _BUILDING[cls] = type(f"_Building{cls.__name__}", (base,), namespace)
    return building


def _compile(source: str, namespace: dict[str, Any], name: str) -> Any:
    exec(source, namespace)  # how dataclasses itself writes __init__
    return namespace[name]


def unchecked(cls: Callable[_P, _N], **defaults: Any) -> Callable[_P, _N]:
    """A constructor of the node class ``cls`` that takes the same keyword
    arguments as ``cls(...)`` but does not validate them.

    ``defaults`` replace the class's defaults for this constructor (the
    canonical builders fix the trivia of a spelling this way).  Only for code
    whose nodes are valid by construction; everyone else calls ``cls``.
    """
    node_class: type[Any] = cls  # type: ignore[assignment]
    fields = dataclasses.fields(node_class)
    unknown = defaults.keys() - {f.name for f in fields}
    if unknown:
        raise TypeError(f"unchecked({node_class.__name__}): no fields {sorted(unknown)}")
    namespace: dict[str, Any] = {
        "_building": _building_class(node_class),
        "_cls": node_class,
        "_MISSING": dataclasses.MISSING,
    }
    params: list[str] = []
    lines = ["    self = _building()"]
    for f in fields:
        name = f.name
        if name in defaults:
            namespace[f"_default_{name}"] = defaults[name]
            params.append(f"{name}=_default_{name}")
        elif f.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = f.default
            params.append(f"{name}=_default_{name}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{name}"] = f.default_factory
            params.append(f"{name}=_MISSING")
            lines.append(f"    if {name} is _MISSING: {name} = _factory_{name}()")
        else:
            params.append(name)  # required (keyword-only, so it may follow defaults)
        lines.append(f"    self.{name} = {name}")
    lines += ["    self.__class__ = _cls", "    return self"]
    source = f"def build(*, {', '.join(params)}):\n" + "\n".join(lines)
    build = _compile(source, namespace, "build")
    build.__qualname__ = build.__name__ = f"unchecked_{node_class.__name__}"
    result: Callable[_P, _N] = build
    return result


def copier(cls: type[_N]) -> Callable[[_N, dict[str, Any]], _N]:
    """A function ``copy(node, changes)``: a copy of a ``cls`` node with the
    fields in ``changes`` replaced, not validated (``Node.replace`` validates
    it; ``dataclasses.replace`` would go through ``fields()`` and keyword
    arguments, several times slower)."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_building": _building_class(cls), "_cls": cls, "_names": frozenset(names)}
    lines = [
        "    if not changes.keys() <= _names:",
        "        raise TypeError(f'{_cls.__name__} has no field(s) {sorted(changes.keys() - _names)}')",
        "    copy = _building()",
        *[f"    copy.{n} = changes['{n}'] if '{n}' in changes else node.{n}" for n in names],
        "    copy.__class__ = _cls",
        "    return copy",
    ]
    copy: Callable[[_N, dict[str, Any]], _N] = _compile(
        "def copy(node, changes):\n" + "\n".join(lines), namespace, "copy"
    )
    copy.__qualname__ = copy.__name__ = f"copy_{cls.__name__}"
    return copy
