"""What the Hypothesis strategies generate, measured: every hostile feature
the properties rely on must actually be drawn.

``python -m tests.test_strategies`` prints, for each feature, how many of
2,000 drawn texts hold it (README.md quotes the figures).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable

from hypothesis import HealthCheck, Phase, given, settings

from .strategies import BEHAVIOUR_SWITCHES, CATEGORIES, URL_SCHEMES, any_text

DRAWS = 2_000

_ENTITY = re.compile(r"&#([xX]?)([0-9A-Fa-f]+);")


def _references(text: str) -> list[int]:
    out = []
    for hexadecimal, digits in _ENTITY.findall(text):
        try:
            out.append(int(digits, 16 if hexadecimal else 10))
        except ValueError:
            continue
    return out


def _categories(text: str) -> set[str]:
    return {unicodedata.category(c) for c in text}


def _holds(needle: str, ignore_case: bool = False) -> Callable[[str], bool]:
    return lambda text: needle in (text.lower() if ignore_case else text)


FEATURES: dict[str, Callable[[str], bool]] = {
    "a line of 100,000 characters or more": lambda t: any(len(line) >= 100_000 for line in t.split("\n")),
    "a line of 10,000 to 99,999 characters": lambda t: any(10_000 <= len(line) < 100_000 for line in t.split("\n")),
    "CRLF": lambda t: "\r\n" in t,
    "a lone CR": lambda t: re.search(r"\r(?!\n)", t) is not None,
    "no final newline": lambda t: bool(t) and not t.endswith("\n"),
    "NUL": lambda t: "\x00" in t,
    "U+0085, U+2028 or U+2029": lambda t: any(c in t for c in "\x85\u2028\u2029"),
    "a character outside the BMP": lambda t: any(ord(c) > 0xFFFF for c in t),
    "a byte order mark before the title": lambda t: t.startswith("\ufeff="),
    "a reference to a surrogate": lambda t: any(0xD800 <= n <= 0xDFFF for n in _references(t)),
    "a reference to a non-character": lambda t: any(
        n in (0xFFFE, 0xFFFF) or 0xFDD0 <= n <= 0xFDEF for n in _references(t)
    ),
    "a reference to a C0 or C1 control": lambda t: any(n < 0x20 or 0x7F <= n <= 0x9F for n in _references(t)),
    "a reference past U+10FFFF": lambda t: any(n > 0x10FFFF for n in _references(t)),
    "a named reference": lambda t: re.search(r"&[A-Za-z][A-Za-z0-9]*;", t) is not None,
    "'<' before a non-ASCII character": lambda t: re.search(r"<[^\x00-\x7f]", t) is not None,
    "'<' before an ASCII punctuation mark": lambda t: re.search(r"<[!-/:-@\[-`{-~]", t) is not None,
    "-{": lambda t: "-{" in t,
    "}-": lambda t: "}-" in t,
    "a no-break space beside '=' or ':'": lambda t: re.search(r"\u00a0[=:]|[=:]\u00a0", t) is not None,
    **{f"the URL scheme {s}:": _holds(f"{s}:", ignore_case=True) for s in URL_SCHEMES},
    **{f"the behaviour switch {w}": _holds(w) for w in BEHAVIOUR_SWITCHES},
}


def measure(draws: int = DRAWS) -> tuple[Counter[str], int]:
    seen: Counter[str] = Counter()
    count = 0

    @settings(
        max_examples=draws,
        derandomize=True,  # the same draws every run: the measure is a figure, not a lottery
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(any_text)
    def draw(text: str) -> None:
        nonlocal count
        count += 1
        for name, holds in FEATURES.items():
            if holds(text):
                seen[name] += 1
        for category in _categories(text):
            seen[f"category {category}"] += 1

    # Hypothesis mixes constants from the modules loaded so far into its draws
    # (more modules in a full run than alone); without them the draws depend
    # on the seed only, and the measure is the same however the tests are run.
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis without constants mining
        draw()
        return seen, count
    saved = providers._get_local_constants
    providers._get_local_constants = providers.Constants  # type: ignore[assignment]  # no local constants
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        draw()
    finally:
        providers._get_local_constants = saved
        providers.CONSTANTS_CACHE.cache.clear()
    return seen, count


def test_the_strategies_draw_every_feature() -> None:
    seen, count = measure()
    assert count >= DRAWS // 2
    expected = [*FEATURES, *(f"category {c}" for c in CATEGORIES)]
    assert [name for name in expected if not seen[name]] == []


if __name__ == "__main__":
    seen, count = measure()
    print(f"{count} texts drawn from any_text")
    for name in [*FEATURES, *(f"category {c}" for c in CATEGORIES)]:
        print(f"{seen[name]:6d}  {name}")
    sys.exit(0)
