"""Mutation scores per module, from mutmut's results: ``make mutation``.

    python -m tests.mutation_report [--check]

Reads ``mutmut results --all true`` and ``tests/mutation_equivalents.txt``
(surviving mutants that no test can kill, each with the reason) and prints,
per module, how many mutants were made, killed, listed as equivalent and
left alive, and the score: killed / (made - equivalent).  With ``--check``
it exits 1 when a module misses its target or a mutant survives unlisted.
The wikitext reader (wikitext.reader, wikitext.tokens) is reported, with no
target.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

EQUIVALENTS = Path(__file__).with_name("mutation_equivalents.txt")

#: Targets (issue 10): 90 % in the format's core and the wikitext writer, 80 % in the CLI and dumps.
TARGETS = {
    "_lexer": 0.90,
    "parser": 0.90,
    "nodes": 0.90,
    "serialize": 0.90,
    "data": 0.90,
    "diagnostics": 0.90,
    "_lines": 0.90,
    "wikitext.escape": 0.90,
    "wikitext.writer": 0.90,
    "cli": 0.80,
    "dump": 0.80,
}

KILLED = {"killed", "timeout", "caught by type check", "segfault"}
_NAME = re.compile(r"^wikiplain\.(?P<module>[\w.]+?)\.x(?:ǁ(?P<cls>\w+)ǁ)?_?(?P<func>\w+?)__mutmut_\d+$")


def module_of(mutant: str) -> str:
    match = _NAME.match(mutant)
    if match is None:
        return "?"
    return match.group("module")


#: Small modules of the same pipeline, mutated with the targets (no target of their own).
ALSO_MUTATED = ["_entities", "_titles", "errors", "outline", "verify", "_files"]


def target_globs() -> list[str]:
    """mutmut's mutant names for the target modules."""
    return [f"wikiplain.{m}.x*" for m in [*TARGETS, *ALSO_MUTATED]]


def read_results() -> dict[str, str]:
    out = subprocess.run(
        [str(Path(sys.executable).with_name("mutmut")), "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    results = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name.startswith("wikiplain."):
            results[name] = status
    return results


def read_equivalents() -> dict[str, str]:
    """Mutant name (or fnmatch pattern) -> why it cannot be killed."""
    listed = {}
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition("#")
            listed[name.strip()] = reason.strip()
    return listed


def listed_reason(name: str, equivalents: dict[str, str]) -> str | None:
    if name in equivalents:
        return equivalents[name]
    return next((reason for pattern, reason in equivalents.items() if fnmatch.fnmatchcase(name, pattern)), None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 on a missed target or an unlisted survivor")
    ap.add_argument("--survivors", action="store_true", help="list the unlisted survivors")
    ap.add_argument("--globs", action="store_true", help="print the mutant name globs of the targets (for mutmut run)")
    args = ap.parse_args(argv)
    if args.globs:
        print(" ".join(target_globs()))
        return 0
    results = read_results()
    equivalents = read_equivalents()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for name, status in results.items():
        module = module_of(name)
        counts[module]["made"] += 1
        if status in KILLED:
            counts[module]["killed"] += 1
        elif listed_reason(name, equivalents) is not None:
            counts[module]["equivalent"] += 1
        elif status == "not checked":
            counts[module]["not checked"] += 1
        else:
            counts[module]["alive"] += 1
            survivors[module].append(f"{name}: {status}")
    failed = False
    print(f"{'module':<20} {'made':>6} {'killed':>7} {'equiv.':>7} {'alive':>6} {'score':>7}  target")
    for module in sorted(counts, key=lambda m: (m not in TARGETS, m)):
        c = counts[module]
        scored = c["made"] - c["equivalent"] - c["not checked"]
        score = c["killed"] / scored if scored else 1.0
        target = TARGETS.get(module)
        mark = "" if target is None else f"{target:.0%}" + ("" if score >= target else "  MISSED")
        if target is not None and (score < target or c["not checked"]):
            failed = True
        print(
            f"{module:<20} {c['made']:>6} {c['killed']:>7} {c['equivalent']:>7} {c['alive']:>6} {score:>7.1%}  {mark}"
        )
        if c["not checked"]:
            print(f"{'':<20} ({c['not checked']} not checked yet)")
    stale = sorted(p for p in equivalents if not any(fnmatch.fnmatchcase(name, p) for name in results))
    if stale:
        print(f"\n{len(stale)} listed equivalents no longer exist (the code changed): refresh {EQUIVALENTS.name}")
    if args.survivors:
        for module in sorted(survivors):
            if module in TARGETS:
                print(f"\n{module}:")
                print("\n".join(f"  {s}" for s in sorted(survivors[module])))
    if args.check and any(survivors[m] for m in TARGETS):
        failed = True
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
