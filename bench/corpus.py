"""Reproducible corpora of plain articles for the benchmarks, in several shapes.

"long" looks like the seed grown to Wikipedia sizes: a title, an infobox of
8-24 fields, a lead, and sections (some with subsections) of long one-line
paragraphs and a few lists, 3 KB to 80 KB.  The other shapes stress one thing
each (see SHAPES): seed-sized articles, big infoboxes, many short sections,
lists, and the whitespace of hand-edited files.
"""

from __future__ import annotations

import random
from collections.abc import Callable

WORDS = (
    "the of and in to a was on for as with by at from his that its were which an is be after their "
    "army town river forces group attack camp soldiers border region village government troops militants "
    "report agency council mayor district province forest road bridge market school hospital station "
    "northern southern eastern western central Malian French Ségou Ténenkou Mopti Timbuktu Gao Kidal "
    "January February March April May June July August September October November December "
    "killed injured captured withdrew arrived announced confirmed stated claimed returned built opened"
).split()
KEYS = (
    "Conflict Place Date Partof Result Combatant1 Combatant2 Commander1 Commander2 Units1 Units2 "
    "Strength1 Strength2 Casualties1 Casualties2 Coordinates Website Established Population Area "
    "Elevation Leader Founded Headquarters"
).split()
SECTIONS = (
    "Background History Prelude Raid Aftermath Reactions Legacy Geography Economy Culture "
    "Demographics Transport Education Notable people Analysis Investigation"
).split()


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 28))
    if rng.random() < 0.3:
        date = f"{rng.randint(1, 28)} {rng.choice(WORDS[60:72])} {rng.randint(1900, 2024)}"
        words.insert(rng.randrange(len(words)), date)
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "!", ":"])


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 9)))


def article(rng: random.Random, n: int, size: int) -> str:
    out = [f"= {sentence(rng).rstrip('.!:')} {n} =", ""]
    out.append("Infobox" + (" military conflict" if rng.random() < 0.5 else ""))
    for key in rng.sample(KEYS, rng.randint(8, len(KEYS))):
        out.append(f"- {key}: {' '.join(rng.choices(WORDS, k=rng.randint(1, 6)))}")
    out += ["", paragraph(rng), ""]
    while sum(len(line) + 1 for line in out) < size:
        level = 2 if rng.random() < 0.7 else 3
        out.append(f"{'=' * level} {rng.choice(SECTIONS)} {'=' * level}")
        for i in range(rng.randint(1, 4)):
            if i and rng.random() < 0.15:
                out += [f"- {sentence(rng)}" for _ in range(rng.randint(2, 6))]
            else:
                out.append(paragraph(rng))
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def make_corpus(total_bytes: int = 20_000_000, seed: int = 2015) -> list[str]:
    """Articles of the "long" shape whose UTF-8 size adds up to at least ``total_bytes``."""
    return make_shape("long", total_bytes, seed)


def _seed_sized(rng: random.Random, n: int) -> str:
    """About 3 KB, like the seed article: a short infobox, a lead and three short sections."""
    out = [f"= {sentence(rng).rstrip('.!:')} {n} =", "", "Infobox military conflict"]
    out += [f"- {key}: {' '.join(rng.choices(WORDS, k=rng.randint(1, 4)))}" for key in rng.sample(KEYS, 10)]
    out += ["", paragraph(rng), ""]
    for _ in range(3):
        out += [f"== {rng.choice(SECTIONS)} ==", paragraph(rng), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _infobox_heavy(rng: random.Random, n: int) -> str:
    """An infobox of 60-90 fields, then a little text."""
    out = [f"= {sentence(rng).rstrip('.!:')} {n} =", "", "Infobox settlement"]
    for i in range(rng.randint(60, 90)):
        out.append(f"- {rng.choice(KEYS)} {i}: {' '.join(rng.choices(WORDS, k=rng.randint(1, 8)))}")
    out += ["", paragraph(rng), "", "== History ==", paragraph(rng)]
    return "\n".join(out) + "\n"


def _short_sections(rng: random.Random, n: int) -> str:
    """Forty to eighty short sections at levels 2-4, a sentence or two each."""
    out = [f"= {sentence(rng).rstrip('.!:')} {n} =", "", sentence(rng), ""]
    for _ in range(rng.randint(40, 80)):
        level = rng.choice([2, 2, 3, 3, 4])
        out += [f"{'=' * level} {rng.choice(SECTIONS)} {'=' * level}", " ".join(sentence(rng) for _ in range(2)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _list_heavy(rng: random.Random, n: int) -> str:
    """Sections that are mostly lists of short items (discographies, lists of works)."""
    out = [f"= {sentence(rng).rstrip('.!:')} {n} =", "", sentence(rng), ""]
    for _ in range(rng.randint(4, 10)):
        out += [f"== {rng.choice(SECTIONS)} =="]
        out += [f"- {' '.join(rng.choices(WORDS, k=rng.randint(2, 9)))}" for _ in range(rng.randint(10, 40))]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _non_canonical(rng: random.Random, n: int) -> str:
    """A long article with the whitespace of hand-edited files: trailing spaces
    and tabs, CRLF line ends (half the articles), extra blank lines."""
    lines = article(rng, n, int(rng.lognormvariate(9.8, 0.8)) + 2_000).split("\n")
    out = []
    for line in lines:
        if line and rng.random() < 0.15:
            line += rng.choice([" ", "  ", "\t"])
        out.append(line)
        if not line and rng.random() < 0.2:
            out.append("")
    return ("\r\n" if n % 2 else "\n").join(out)


#: Each shape's article builder (a random source and the article's number).
SHAPES: dict[str, Callable[[random.Random, int], str]] = {
    "long": lambda rng, n: article(rng, n, int(rng.lognormvariate(9.8, 0.8)) + 2_000),
    "seed-sized": _seed_sized,
    "infobox-heavy": _infobox_heavy,
    "short-sections": _short_sections,
    "list-heavy": _list_heavy,
    "non-canonical": _non_canonical,
}


def make_shape(shape: str, total_bytes: int, seed: int = 2015) -> list[str]:
    """Articles of one of the ``SHAPES`` whose UTF-8 size adds up to at least ``total_bytes``."""
    rng = random.Random(seed)
    build = SHAPES[shape]
    articles: list[str] = []
    size = 0
    while size < total_bytes:
        text = build(rng, len(articles))
        articles.append(text)
        size += len(text.encode("utf-8"))
    return articles


def prose_wikitext(rng: random.Random, size: int) -> str:
    """``size`` characters of ordinary article prose as wikitext: paragraphs
    with a link or a bold word here and there."""
    out: list[str] = []
    total = 0
    while total < size:
        words = paragraph(rng).split(" ")
        for k in range(0, len(words), 9):
            words[k] = f"[[{words[k]}]]" if rng.random() < 0.5 else f"'''{words[k]}'''"
        text = " ".join(words) + "\n\n"
        out.append(text)
        total += len(text)
    return "".join(out)[:size]
