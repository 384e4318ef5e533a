"""import-dump beside wikiextractor on the same dump, with the same number of processes.

    python bench/dump_bench.py [--pages 1000] [--jobs 2] [--runs 3] [--corpus DIR]

Builds a pages-articles dump from the real pages of the corpus (default
../shared/corpus/wikitext), each page repeated under new titles and ids until
there are ``--pages`` pages, in both forms Wikimedia publishes: one bz2 stream
(``pages-articles.xml.bz2``) and multistream with its index
(``pages-articles-multistream.xml.bz2``, 100 pages a stream).  On each it
times, as whole processes and interleaved run by run:

- ``wikiextractor`` (3.1, the bench-only extra: ``pip install -e '.[bench]'``),
  plain-text extraction with ``--processes N``;
- ``wikiplain import-dump --jobs N`` to JSON Lines (infobox, sections, text).

Prints articles/s (median of the runs) and the peak resident memory of each
process of the run (sampled from /proc every 20 ms; the largest is shown).
"""

from __future__ import annotations

import argparse
import bz2
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from wikiplain.dump import write_multistream

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parents[1] / "shared" / "corpus" / "wikitext"


def dump_pages(corpus: Path, pages: int) -> tuple[str, list[str]]:
    """The header (``<mediawiki>`` and ``<siteinfo>``) and ``pages`` page elements
    made from the real pages of ``corpus``, each repeated under new titles and ids."""
    sources = sorted(corpus.glob("*.wikitext"))
    if not sources:
        raise SystemExit(f"no *.wikitext pages in {corpus}")
    texts = [(p.stem.replace("-", " "), p.read_text(encoding="utf-8")) for p in sources]
    header = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">\n'
        "  <siteinfo>\n    <sitename>Wikipedia</sitename>\n    <dbname>enwiki</dbname>\n"
        "    <base>https://en.wikipedia.org/wiki/Main_Page</base>\n"
        "    <generator>MediaWiki 1.39</generator>\n    <case>first-letter</case>\n"
        '    <namespaces>\n      <namespace key="0" case="first-letter" />\n    </namespaces>\n'
        "  </siteinfo>\n"
    )
    out = []
    for n in range(pages):
        title, text = texts[n % len(texts)]
        if n >= len(texts):
            title = f"{title} ({n // len(texts)})"
        out.append(
            f"  <page>\n    <title>{escape(title)}</title>\n    <ns>0</ns>\n    <id>{n + 1}</id>\n"
            f"    <revision>\n      <id>{n + 1000001}</id>\n"
            "      <timestamp>2024-01-01T00:00:00Z</timestamp>\n"
            "      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
            f'      <text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>\n'
            "    </revision>\n  </page>\n"
        )
    return header, out


def build_dump(corpus: Path, pages: int, path: Path) -> int:
    """Write a pages-articles dump of ``pages`` pages (one bz2 stream); returns its XML size in bytes."""
    header, elements = dump_pages(corpus, pages)
    xml = header + "".join(elements) + "</mediawiki>\n"
    with bz2.open(path, "wt", encoding="utf-8") as out:
        out.write(xml)
    return len(xml.encode())


def _descendants(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                child = int(entry)
                out += [child, *_descendants(child)]
    return out


def _peak_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall time of ``cmd`` and the peak RSS (kB) of its largest process."""
    peaks: dict[int, int] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in [proc.pid, *_descendants(proc.pid)]:
                peaks[pid] = max(peaks.get(pid, 0), _peak_kb(pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')[-2000:]}")
    return elapsed, max(peaks.values(), default=0)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=1000, help="pages in the dump (default 1000)")
    ap.add_argument("--jobs", type=int, default=2, help="processes for both tools (default 2)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of real *.wikitext pages")
    args = ap.parse_args(argv)
    if shutil.which("wikiextractor") is None and not Path(sys.executable).with_name("wikiextractor").exists():
        print("wikiextractor is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    wikiextractor = shutil.which("wikiextractor") or str(Path(sys.executable).with_name("wikiextractor"))
    wikiplain = str(Path(sys.executable).with_name("wikiplain"))
    with tempfile.TemporaryDirectory(prefix="wikiplain-dump-bench-") as tmp:
        single = Path(tmp) / "enwiki-bench-pages-articles.xml.bz2"
        xml_bytes = build_dump(args.corpus, args.pages, single)
        header, elements = dump_pages(args.corpus, args.pages)
        multi, _ = write_multistream(Path(tmp) / "enwiki-bench-pages-articles-multistream.xml.bz2", header, elements)
        print(
            f"dumps: {args.pages} pages from {args.corpus.name}/, {xml_bytes / 1e6:.1f} MB of XML; "
            f"one bz2 stream ({single.stat().st_size / 1e6:.1f} MB) and multistream with its index "
            f"({multi.stat().st_size / 1e6:.1f} MB, 100 pages a stream, as Wikimedia publishes); "
            f"{args.jobs} processes each; median of {args.runs} runs",
            flush=True,
        )
        for label, dump in (("one stream", single), ("multistream", multi)):
            commands = {
                "wikiextractor": [wikiextractor, str(dump), "-o", f"{tmp}/wx", "--processes", str(args.jobs), "-q"],
                "wikiplain import-dump": [
                    wikiplain, "import-dump", str(dump), "-o", f"{tmp}/out",
                    "--jobs", str(args.jobs), "--no-progress",
                ],
            }  # fmt: skip
            times: dict[str, list[float]] = {name: [] for name in commands}
            peaks: dict[str, int] = dict.fromkeys(commands, 0)
            for _ in range(args.runs):
                for name, cmd in commands.items():
                    shutil.rmtree(f"{tmp}/wx", ignore_errors=True)
                    shutil.rmtree(f"{tmp}/out", ignore_errors=True)
                    elapsed, peak = run(cmd)
                    times[name].append(elapsed)
                    peaks[name] = max(peaks[name], peak)
            base = statistics.median(times["wikiextractor"])
            print(f"\n{label}:")
            print(f"{'tool':<24} {'articles/s':>11} {'x wikiextractor':>16} {'peak RSS/process':>17}")
            for name, runs in times.items():
                median = statistics.median(runs)
                print(
                    f"{name:<24} {args.pages / median:>11.1f} {base / median:>16.2f} {peaks[name] / 1024:>14.0f} MB",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
