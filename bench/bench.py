"""Throughput of wikiplain beside mwparserfromhell, measured in one run.

    python bench/bench.py [--mb 3] [--runs 5] [--shapes long,seed-sized,...] [--no-freeze]

For each article shape (bench/corpus.py: long, seed-sized, infobox-heavy,
short-sections, list-heavy, non-canonical), prints MB/s (median of the runs,
MB = 10**6 bytes of UTF-8 input) of each operation and its ratio to
``mwparserfromhell.parse`` on the same articles written as wikitext, timed in
the same process, interleaved run by run.  Then the real pages of
../shared/corpus/wikitext read clean, and 1 MB of adversarial wikitext and
plain text of each kind beside 1 MB of ordinary prose.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import mwparserfromhell

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wikiplain
from corpus import SHAPES, make_shape, prose_wikitext

MB = 1_000_000


def timed(fn: Callable[[Any], object], inputs: Sequence[object]) -> float:
    gc.collect()
    start = time.perf_counter()
    for item in inputs:
        fn(item)
    return time.perf_counter() - start


def interleaved(ops: dict[str, tuple[Callable[[Any], object], Sequence[object]]], runs: int) -> dict[str, float]:
    """The median time of each operation over ``runs`` rounds, the operations
    taking turns in each round (so drifts in machine speed hit them alike)."""
    times: dict[str, list[float]] = {name: [] for name in ops}
    for _ in range(runs):
        for name, (fn, inputs) in ops.items():
            times[name].append(timed(fn, inputs))
    return {name: statistics.median(t) for name, t in times.items()}


def shapes(names: list[str], mb: float, runs: int) -> None:
    print(f"Article shapes, {mb:g} MB of plain text each; MB/s and x mwparserfromhell.parse; median of {runs} runs")
    columns = ["mwph MB/s", "parse", "dumps", "to_dict", "to_wikitext(tree)", "to_wikitext(text)", "from_wikitext"]
    print(f"{'shape':16}" + "".join(f"{c:>19}" for c in columns))
    for shape in names:
        texts = make_shape(shape, int(mb * MB))
        articles = [wikiplain.parse(t) for t in texts]
        wikitexts = [wikiplain.to_wikitext(a) for a in articles]
        plain_mb = sum(len(t.encode("utf-8")) for t in texts) / MB
        wiki_mb = sum(len(w.encode("utf-8")) for w in wikitexts) / MB
        gc.collect()
        gc.freeze()  # the corpus stays alive: keep the collector from rescanning it in every operation
        ops: dict[str, tuple[Callable[[Any], object], Sequence[object]]] = {
            "mwph": (mwparserfromhell.parse, wikitexts),
            "parse": (wikiplain.parse, texts),
            "dumps": (wikiplain.dumps, articles),
            "to_dict": (wikiplain.to_dict, articles),
            "to_wikitext(tree)": (wikiplain.to_wikitext, articles),
            "to_wikitext(text)": (wikiplain.to_wikitext, texts),
            "from_wikitext": (wikiplain.from_wikitext, wikitexts),
        }
        median = interleaved(ops, runs)
        gc.unfreeze()
        base = wiki_mb / median["mwph"]
        cells = [f"{base:19.1f}"]
        for name in list(ops)[1:]:
            mb_s = (wiki_mb if name == "from_wikitext" else plain_mb) / median[name]
            cells.append(f"{mb_s:9.1f} ({mb_s / base:5.2f}x)")
        print(f"{shape:16}" + "".join(cells), flush=True)


def real_pages(corpus: Path, runs: int) -> None:
    """Real Wikipedia pages (../shared/corpus/wikitext): clean reading beside mwparserfromhell."""
    pages = [p.read_bytes().decode("utf-8") for p in sorted(corpus.glob("*.wikitext"))] if corpus.is_dir() else []
    if not pages:
        print(f"\nreal pages: {corpus} is absent; skipped")
        return
    mb = sum(len(p.encode("utf-8")) for p in pages) / MB
    median = interleaved(
        {
            "mwparserfromhell.parse": (mwparserfromhell.parse, pages),
            "from_wikitext (clean)": (lambda text: wikiplain.from_wikitext(text, mode="clean", title="T"), pages),
        },
        runs,
    )
    print(f"\nreal pages: {len(pages)} pages, {mb:.1f} MB; median of {runs} runs")
    base = median["mwparserfromhell.parse"]
    print(f"{'operation':36} {'pages/s':>8} {'MB/s':>8} {'x mwph':>8}")
    for name, t in median.items():
        print(f"{name:36} {len(pages) / t:8.0f} {mb / t:8.1f} {base / t:8.2f}")


def fill(unit: str, size: int = MB) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def adversarial(runs: int) -> None:
    """1 MB of one construct over and over, beside 1 MB of ordinary prose."""
    rng = random.Random(7)
    wikitext = {
        "prose (links, bold)": prose_wikitext(rng, MB),
        "headings": fill("== Heading ==\n"),
        "[[{{": fill("[[{{"),
        "''": fill("''x"),
        "'' on short lines": fill("a ''b'' '''c\n"),
        "entities": fill("&amp;&#123;&lt;x&#x2F;"),
        "links": fill("[[a|b]] "),
        "templates": fill("{{a|b}} "),
        "unclosed tags": fill("a<b>b"),
        "unclosed {{ and [[": fill("{{a|[[b"),
        "comments": fill("a<!--b-->"),
        "references": fill("a<ref>b</ref>"),
    }
    plain = {
        "prose": "\n\n".join(prose_wikitext(rng, MB).replace("[[", "").replace("]]", "").split("\n\n")),
        "headings": fill("== Heading ==\n"),
        "fields": "Infobox x\n" + fill("- Key: value\n"),
        "items": fill("- an item of a list\n"),
        "blank lines": "Text.\n" + fill("\n"),
        "paragraph lines": fill("a line of a paragraph\n"),
    }
    for label, fn, cases in (
        ("from_wikitext, 1 MB of wikitext", wikiplain.from_wikitext, wikitext),
        ("parse, 1 MB of plain text", wikiplain.parse, plain),
    ):
        median = interleaved({name: (fn, [text]) for name, text in cases.items()}, runs)
        base = next(iter(median.values()))
        print(f"\n{label}: seconds and x the first row; median of {runs} runs")
        for name, t in median.items():
            print(f"{name:28} {t:7.3f} s {t / base:6.2f}x")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=3.0, help="corpus size per shape in MB (default 3)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per operation (default 5)")
    ap.add_argument("--shapes", default=",".join(SHAPES), help=f"comma-separated, of: {', '.join(SHAPES)}")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wikitext",
        help="real pages for the clean-reading figures (default ../shared/corpus/wikitext)",
    )
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: shapes, real, adversarial")
    args = ap.parse_args(argv)
    skip = set(args.skip.split(","))
    if "shapes" not in skip:
        shapes([s for s in args.shapes.split(",") if s], args.mb, args.runs)
    if "real" not in skip:
        real_pages(args.corpus, args.runs)
    if "adversarial" not in skip:
        adversarial(max(3, args.runs // 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
