"""A reproducible corpus of realistic plain articles for the benchmarks.

Articles look like the seed: a title, an infobox of 8-24 fields, a lead, and
sections (some with subsections) of long one-line paragraphs and a few lists.
Sizes vary from about 3 KB to 80 KB, like Wikipedia articles.
"""

from __future__ import annotations

import random

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
    """Articles whose UTF-8 size adds up to at least ``total_bytes``."""
    rng = random.Random(seed)
    articles: list[str] = []
    size = 0
    while size < total_bytes:
        text = article(rng, len(articles), int(rng.lognormvariate(9.8, 0.8)) + 2_000)
        articles.append(text)
        size += len(text.encode("utf-8"))
    return articles
