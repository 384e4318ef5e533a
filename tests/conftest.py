"""Shared test set-up: Hypothesis profiles and fixture discovery."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"

# The default run stays fast for CI; WIKIPLAIN_HYPOTHESIS=long (or thorough) digs deeper.
settings.register_profile("default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=50_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Mutation testing (make mutation): the same examples for every mutant, fewer of them.
settings.register_profile(
    "mutation", max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("WIKIPLAIN_HYPOTHESIS", "default"))


def safe_id(value: str) -> str:
    """A test id that can be passed back to pytest as a node id (the mutation
    runner does): letters, digits and ``_.-`` only."""
    text = value.encode("unicode_escape").decode("ascii")
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:60] or "_"


def pytest_make_parametrize_id(config: object, val: object, argname: str) -> str | None:
    if isinstance(val, bytes):
        return safe_id(val.decode("latin-1"))
    return safe_id(val) if isinstance(val, str) else None


def read_text(path: Path) -> str:
    """Read a fixture exactly (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def records(outdir: Path) -> list[dict[str, Any]]:
    """The records of the JSON Lines parts of an ``import-dump`` run, in partition order."""
    import json

    return [json.loads(line) for part in sorted(outdir.glob("part-*.jsonl")) for line in read_text(part).splitlines()]


def counts_line(out: str) -> str:
    """The first line of ``import-dump``'s summary (its counts; the second has times)."""
    return out.strip().splitlines()[-2]
