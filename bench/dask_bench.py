"""import-dump on Dask: scaling from 1 to 2 local workers, and Dask's overhead per partition.

    python bench/dask_bench.py [--pages 10000] [--partition-pages 5000] [--runs 3] [--corpus DIR]

Builds a dump from the real pages of the corpus (as bench/dump_bench.py does)
in both forms Wikimedia publishes, multistream with its index and one bz2
stream, and converts it to JSON Lines with ``wikiplain.convert_dump``:

- in this process (``jobs=1``, no Dask);
- on a local Dask cluster of 1 worker, then of 2 workers (the clusters are
  started before the clock starts: a long run pays that once);
- in 2 worker processes of this machine (``jobs=2``, what ``--jobs 2`` does).

Prints articles/s (median of the runs), the scaling from 1 to 2 workers
beside the machine's own (a pure-Python loop in 1 and in 2 processes, timed
in the same runs: on a shared virtual machine 2 processes seldom get twice
the work of one done), and
Dask's overhead per partition: the run's wall time on 1 worker less the time
the worker spent converting (the partitions' own ``seconds`` in the
manifest), per partition, as a share of a partition's time.  At the default
partition size (5000 pages) a 10,000-page dump has 2 partitions: one for each
of 2 workers.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import wikiplain
from dump_bench import DEFAULT_CORPUS, build_dump, dump_pages
from wikiplain.dump import write_multistream
from wikiplain.partitions import PARTITION_PAGES


def timed(
    dump: Path, out: Path, partition_pages: int, client: object = None, jobs: int = 1
) -> tuple[float, float, int, int]:
    """Wall time, the partitions' own time, partitions and articles of one conversion."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    summary = wikiplain.convert_dump(dump, out, client=client, jobs=jobs, partition_pages=partition_pages)
    wall = time.perf_counter() - start
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    busy = sum(p["seconds"] for p in manifest["partitions"])
    if not summary.complete or summary.errors:
        raise SystemExit(f"the run on {dump.name} did not complete: see {out / '_errors.jsonl'}")
    return wall, busy, summary.partitions, summary.articles


def _spin(n: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i % 7
    return time.perf_counter() - started


def machine_scaling(n: int = 20_000_000) -> float:
    """How much more work 2 processes do than 1 in the same time on this machine, now."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        one = pool.apply(_spin, (n,))
        started = time.perf_counter()
        pool.map(_spin, [n, n])
        two = time.perf_counter() - started
    return 2 * one / two


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10_000, help="pages in the dump (default 10000)")
    ap.add_argument("--partition-pages", type=int, default=PARTITION_PAGES, help="pages per partition (the default)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of real *.wikitext pages")
    ap.add_argument("--forms", default="multistream,one stream", help="comma-separated: multistream, one stream")
    args = ap.parse_args(argv)
    forms = [f.strip() for f in args.forms.split(",")]
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="wikiplain-dask-bench-") as tmp:
        single = Path(tmp) / "enwiki-bench-pages-articles.xml.bz2"
        xml_bytes = build_dump(args.corpus, args.pages, single)
        header, elements = dump_pages(args.corpus, args.pages)
        multi, _ = write_multistream(Path(tmp) / "enwiki-bench-pages-articles-multistream.xml.bz2", header, elements)
        del elements
        print(
            f"dump: {args.pages} pages from {args.corpus.name}/, {xml_bytes / 1e6:.0f} MB of XML, "
            f"{args.partition_pages} pages a partition; median of {args.runs} runs",
            flush=True,
        )
        clusters = {
            n: LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
            )
            for n in (1, 2)
        }
        clients = {n: Client(c) for n, c in clusters.items()}
        try:
            for label, dump in (("multistream", multi), ("one stream", single)):
                if label not in forms:
                    continue
                runs: dict[str, list[tuple[float, float, int, int]]] = {
                    "here": [], "1 worker": [], "2 workers": [], "--jobs 2": []
                }  # fmt: skip
                machine = []
                for _ in range(args.runs):
                    machine.append(machine_scaling())
                    runs["here"].append(timed(dump, Path(tmp) / "here", args.partition_pages))
                    for n in (1, 2):
                        runs[f"{n} worker{'s' if n > 1 else ''}"].append(
                            timed(dump, Path(tmp) / f"dask{n}", args.partition_pages, clients[n])
                        )
                    runs["--jobs 2"].append(timed(dump, Path(tmp) / "jobs2", args.partition_pages, jobs=2))
                print(f"\n{label}:")
                rates = {}
                for name, results in runs.items():
                    wall = statistics.median(r[0] for r in results)
                    rates[name] = results[0][3] / wall
                    print(f"  {name:<10} {rates[name]:>8.1f} articles/s  ({wall:.1f} s, {results[0][2]} partitions)")
                scaling = [r1[0] / r2[0] for r1, r2 in zip(runs["1 worker"], runs["2 workers"], strict=True)]
                listed = ", ".join(f"{x:.2f}" for x in scaling)
                own = ", ".join(f"{x:.2f}" for x in machine)
                ratio = rates["2 workers"] / rates["1 worker"]
                mine = statistics.median(machine)
                print(f"  scaling, 2 workers / 1 worker: {ratio:.2f}x (runs: {listed}); "
                      f"the machine's own, 2 processes / 1: {mine:.2f}x (runs: {own})")  # fmt: skip
                print(f"  scaling, --jobs 2 / in the process: {rates['--jobs 2'] / rates['here']:.2f}x")
                overheads = [(wall - busy) / parts / (busy / parts) for wall, busy, parts, _ in runs["1 worker"]]
                print(f"  Dask overhead per partition (1 worker): {100 * statistics.median(overheads):.1f}% "
                      "of a partition's time")  # fmt: skip
                sys.stdout.flush()
        finally:
            for n in clients:
                clients[n].close()
                clusters[n].close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
