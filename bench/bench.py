"""Throughput of wikiplain beside mwparserfromhell, measured in one run.

    python bench/bench.py [--mb 20] [--runs 5] [--no-freeze]

Prints MB/s (median of the runs, MB = 10**6 bytes of UTF-8 input) for each
operation, and the ratio of each to ``mwparserfromhell.parse`` on the same
articles written as wikitext, timed in the same process, interleaved.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import mwparserfromhell

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wikiplain
from corpus import make_corpus


def timed(fn: Callable[[Any], object], inputs: Sequence[object]) -> float:
    gc.collect()
    start = time.perf_counter()
    for item in inputs:
        fn(item)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per operation (default 5)")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wikitext",
        help="real pages for the clean-reading figures (default ../shared/corpus/wikitext)",
    )
    ap.add_argument(
        "--no-freeze",
        dest="freeze",
        action="store_false",
        help="leave the corpus to the garbage collector (see gc.freeze in main)",
    )
    args = ap.parse_args(argv)

    texts = make_corpus(int(args.mb * 1_000_000))
    articles = [wikiplain.parse(t) for t in texts]
    wikitexts = [wikiplain.to_wikitext(a) for a in articles]
    plain_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    wiki_mb = sum(len(w.encode("utf-8")) for w in wikitexts) / 1e6
    print(
        f"corpus: {len(texts)} articles, {plain_mb:.1f} MB plain, {wiki_mb:.1f} MB as wikitext; "
        f"median of {args.runs} runs",
        flush=True,
    )

    ops: dict[str, tuple[Callable[[Any], object], Sequence[object], float]] = {
        "mwparserfromhell.parse (wikitext)": (mwparserfromhell.parse, wikitexts, wiki_mb),
        "parse": (wikiplain.parse, texts, plain_mb),
        "dumps": (wikiplain.dumps, articles, plain_mb),
        "to_dict": (wikiplain.to_dict, articles, plain_mb),
        "to_wikitext (tree -> wikitext)": (wikiplain.to_wikitext, articles, plain_mb),
        "to_wikitext (plain text -> wikitext)": (wikiplain.to_wikitext, texts, plain_mb),
        "from_wikitext": (wikiplain.from_wikitext, wikitexts, wiki_mb),
    }
    # The corpus and its trees stay alive for the whole run; freezing them keeps
    # the garbage collector from rescanning them during every timed operation
    # (a cost of this benchmark's own heap, not of the operations, and one that
    # falls hardest on those that allocate most).  Pass --no-freeze to see it.
    if args.freeze:
        gc.collect()
        gc.freeze()
    times: dict[str, list[float]] = {name: [] for name in ops}
    for _ in range(args.runs):  # interleaved, so drifts in machine speed hit every operation alike
        for name, (fn, inputs, _mb) in ops.items():
            times[name].append(timed(fn, inputs))
    base = "mwparserfromhell.parse (wikitext)"
    base_rate = ops[base][2] / statistics.median(times[base])
    print(f"{'operation':36} {'MB/s':>8} {'x mwph':>8}")
    for name, (_fn, _inputs, mb) in ops.items():
        rate = mb / statistics.median(times[name])
        print(f"{name:36} {rate:8.1f} {rate / base_rate:8.2f}")
    real_pages(args.corpus, args.runs)
    return 0


def real_pages(corpus: Path, runs: int) -> None:
    """Real Wikipedia pages (../shared/corpus/wikitext): clean reading beside mwparserfromhell."""
    pages = [p.read_bytes().decode("utf-8") for p in sorted(corpus.glob("*.wikitext"))] if corpus.is_dir() else []
    if not pages:
        print(f"real pages: {corpus} is absent; skipped")
        return
    mb = sum(len(p.encode("utf-8")) for p in pages) / 1e6
    ops: dict[str, Callable[[Any], object]] = {
        "mwparserfromhell.parse": mwparserfromhell.parse,
        "from_wikitext (clean)": lambda text: wikiplain.from_wikitext(text, mode="clean", title="T"),
    }
    times: dict[str, list[float]] = {name: [] for name in ops}
    for _ in range(max(runs, 5)):
        for name, fn in ops.items():
            times[name].append(timed(fn, pages))
    print(f"real pages: {len(pages)} pages, {mb:.1f} MB")
    base = statistics.median(times["mwparserfromhell.parse"])
    print(f"{'operation':36} {'pages/s':>8} {'MB/s':>8} {'x mwph':>8}")
    for name in ops:
        t = statistics.median(times[name])
        print(f"{name:36} {len(pages) / t:8.0f} {mb / t:8.1f} {base / t:8.2f}")


if __name__ == "__main__":
    sys.exit(main())
