"""The ``wikiplain`` command line: ``main(argv) -> int``, testable in-process.

Exit codes: 0 success, 1 the files are fine to read but fail what was asked
(``check`` found errors, ``roundtrip`` failed, ``fmt --check`` would reformat,
an output could not be written), 2 bad input or usage (missing file, directory, not UTF-8, empty file).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ._files import STDIN, collect_files, read_article, write_atomically
from ._version import __version__
from .errors import DumpError, InputError
from .parser import check, normalize, parse
from .serialize import dumps
from .verify import RoundTripResult, readable_diff, roundtrip_file

# The commands import the rest when they run (the wikitext reader and its
# mwparserfromhell, the JSON tools, the dump tools): `check` and `fmt` start
# without them.
FORMATS = ("jsonl", "jsonl.gz", "parquet", "txt")  # wikiplain.partitions.FORMATS (a test holds them equal)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT

def _error(message: str) -> None:
    print(f"wikiplain: {message}", file=sys.stderr)


def _write_or_report(target: Path | str, text: str, source: str) -> bool:
    """Write one output atomically; on failure report it in one line (naming
    the input it came from) and return False, so that a batch goes on."""
    try:
        write_atomically(str(target), text)
    except UnicodeEncodeError as e:
        _error(f"{source}: cannot write {target}: the text holds {e.object[e.start : e.end]!r}, not valid in UTF-8")
        return False
    except OSError as e:
        _error(f"{source}: cannot write {target}: {e.strerror or e}")
        return False
    return True


class _Inputs:
    """The files of a command, read one by one; a file that cannot be read is
    reported in one line and skipped (``status`` becomes 2), the others go on."""

    def __init__(self, files: Sequence[str]) -> None:
        self.files = files
        self.status = EXIT_OK

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for path in self.files:
            try:
                yield path, read_article(path)
            except InputError as e:
                _error(str(e))
                self.status = EXIT_BAD_INPUT


def _with_progress(items: Iterable[Any], total: int, enabled: bool, unit: str) -> Iterator[Any]:
    if not enabled:
        yield from items
        return
    from tqdm import tqdm

    class Bar(tqdm):  # type: ignore[type-arg]
        # Nothing shared with other processes: tqdm's default lock includes a
        # multiprocessing semaphore that forked processes share (one killed
        # while holding it blocks the others for ever), and its monitor thread
        # may hold the lock when a program that embeds wikiplain forks.  (A
        # subclass, so that other bars in the process keep tqdm's defaults.)
        monitor_interval = 0
        _lock = threading.RLock()

    yield from Bar(items, total=total, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True)


# -- parse --------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace) -> int:
    import json

    status = EXIT_OK
    several = len(args.files) > 1
    inputs = _Inputs(args.files)
    for path, text in inputs:
        from .data import to_dict

        data = to_dict(parse(text), trivia=args.trivia)
        if several:
            print(json.dumps({"path": path, **data}, ensure_ascii=False))
        else:
            print(json.dumps(data, ensure_ascii=False, indent=2))
    return max(status, inputs.status)


# -- fmt ----------------------------------------------------------------------


def cmd_fmt(args: argparse.Namespace) -> int:
    status = EXIT_OK
    if args.in_place and STDIN in args.files:
        _error("--in-place cannot rewrite standard input")
        return EXIT_BAD_INPUT
    inputs = _Inputs(args.files)
    for path, text in inputs:
        canonical = normalize(text)
        changed = canonical != text
        if args.check:
            if changed:
                print(f"would reformat {path}", file=sys.stderr)
                status = max(status, EXIT_FAILED)
        elif args.diff:
            if changed:
                sys.stdout.write(readable_diff(text, canonical, f"{path} (original)", f"{path} (formatted)"))
                status = max(status, EXIT_FAILED)
        elif args.in_place:
            if changed:
                if _write_or_report(path, canonical, path):
                    print(f"reformatted {path}", file=sys.stderr)
                else:
                    status = max(status, EXIT_FAILED)
        else:
            sys.stdout.write(canonical)
    return max(status, inputs.status)


# -- check --------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    status = EXIT_OK
    inputs = _Inputs(args.files)
    for path, text in inputs:
        for d in check(text):
            print(d.format("<stdin>" if path == STDIN else path))
            if d.severity == "error" and status == EXIT_OK:
                status = EXIT_FAILED
    return max(status, inputs.status)


# -- roundtrip ----------------------------------------------------------------


def cmd_roundtrip(args: argparse.Namespace) -> int:
    files, errors = collect_files(args.paths)
    for message in errors:
        _error(message)
    jobs = args.jobs or os.cpu_count() or 1
    progress = not args.no_progress and sys.stderr.isatty() and len(files) > 1
    passed = failed = bad = 0
    if jobs > 1 and len(files) > 1:
        from ._processes import process_pool

        pool = process_pool(jobs)
        results: Iterable[RoundTripResult] = pool.map(roundtrip_file, files, chunksize=max(1, len(files) // (jobs * 8)))
    else:
        pool = None
        results = map(roundtrip_file, files)
    try:
        for result in _with_progress(results, len(files), progress, "file"):
            if result.error:
                _error(result.error)
                bad += 1
            elif result.failures:
                failed += 1
                for name, diff in result.failures:
                    print(f"FAIL {result.path}: {name}")
                    sys.stdout.write(diff)
            else:
                passed += 1
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    summary = f"{passed} passed, {failed} failed"
    if bad:
        summary += f" ({bad} unreadable)"
    print(summary)
    if errors or bad:
        return EXIT_BAD_INPUT
    return EXIT_FAILED if failed else EXIT_OK


# -- to-wikitext / from-wikitext ---------------------------------------------------


def _convert(args: argparse.Namespace, convert: Callable[[str, str], str], suffix: str) -> int:
    """Convert each file; one file without -o goes to standard output."""
    if args.output is None and len(args.files) > 1:
        _error("several files need -o DIR (one output file per input)")
        return EXIT_BAD_INPUT
    out_dir = None if args.output is None else Path(args.output)
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            _error(f"{out_dir}: is not a directory")
            return EXIT_BAD_INPUT
        out_dir.mkdir(parents=True, exist_ok=True)
    status = EXIT_OK
    written: set[Path] = set()
    inputs = _Inputs(args.files)
    for path, text in inputs:
        result = convert(text, "<stdin>" if path == STDIN else path)
        if out_dir is None:
            sys.stdout.write(result)
            continue
        target = out_dir / ((Path(path).stem if path != STDIN else "stdin") + suffix)
        if path != STDIN and target.resolve() == Path(path).resolve():
            _error(f"{path}: the output would overwrite the input; choose another -o DIR")
            status = EXIT_BAD_INPUT
            continue
        if target in written:
            _error(f"{path}: {target} was already written from another input with the same name")
            status = EXIT_BAD_INPUT
            continue
        written.add(target)
        if not _write_or_report(target, result, path):
            status = max(status, EXIT_FAILED)
    return max(status, inputs.status)


def cmd_to_wikitext(args: argparse.Namespace) -> int:
    from .wikitext import to_wikitext

    return _convert(args, lambda text, name: to_wikitext(text, canonical=args.canonical), ".wiki")


def cmd_from_wikitext(args: argparse.Namespace) -> int:
    from .diagnostics import Diagnostic
    from .wikitext import from_wikitext

    options: dict[str, Any] = {"mode": args.mode, "keep_reference_sections": args.keep_reference_sections}

    def convert(text: str, name: str) -> str:
        found: list[Diagnostic] = []
        article = from_wikitext(text, title=args.title, diagnostics=found, **options)
        if article.title is None and args.title is None and name != "<stdin>":
            # A page with no title of its own (no = Title = line, no infobox name):
            # its file is usually named after it.
            found.clear()
            title = Path(name).stem.replace("_", " ")
            article = from_wikitext(text, title=title, diagnostics=found, **options)
        for d in found:
            print(d.format(name), file=sys.stderr)
        return dumps(article)

    return _convert(args, convert, ".txt")


# -- import-dump ----------------------------------------------------------------


def cmd_import_dump(args: argparse.Namespace) -> int:
    from .partitions import convert_dump

    out = Path(args.output)
    if out.suffix in (".jsonl", ".gz", ".parquet") and not out.is_dir():
        _error(f"{out}: -o takes a directory (the parts are written in it); choose the format with --format")
        return EXIT_BAD_INPUT
    from .dump import expand_names

    dumps = expand_names(args.dumps)
    show_progress = not args.no_progress and sys.stderr.isatty()
    started = time.monotonic()

    def progress(pages: int, done: int, partitions: int, all_known: bool) -> None:
        rate = pages / max(time.monotonic() - started, 1e-9)
        of = f"{partitions}" if all_known else f"{partitions}+"
        print(f"\r{pages} pages, {done}/{of} partitions, {rate:.0f} pages/s ", end="", file=sys.stderr, flush=True)

    try:
        summary = convert_dump(
            dumps,
            out,
            format=args.format,
            jobs=args.jobs or os.cpu_count() or 1,
            scheduler=args.scheduler,
            index=args.index,
            resume=args.resume,
            partition_pages=args.partition_pages,
            keep_reference_sections=args.keep_reference_sections,
            redirects=args.redirects,
            progress=progress if show_progress else None,
        )
    except DumpError as e:
        _error(str(e))
        return EXIT_BAD_INPUT
    finally:
        if show_progress:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
    s = summary
    _show_errors(out)
    print(
        f"{s.articles} articles written, {s.redirects} redirects {'written' if args.redirects else 'skipped'}, "
        f"{s.other_namespaces} pages outside the article namespace skipped, {s.failed} failed"
        + (f", {s.lost} lost in damaged streams" if s.lost else "")
    )
    print(
        f"{s.partitions} partitions ({s.failed_partitions} failed) in {s.seconds:.1f} s, "
        f"{s.pages / max(s.seconds, 1e-9):.0f} pages/s; "
        + (f"{s.errors} errors listed in {out / '_errors.jsonl'}" if s.errors else "no errors")
        + ("" if s.complete else "; incomplete: give --resume to run the failed partitions again")
    )
    return EXIT_OK if s.errors == 0 and s.complete else EXIT_FAILED


#: How many of a run's errors are shown on the terminal (all are in _errors.jsonl).
SHOWN_ERRORS = 10


def _show_errors(out: Path) -> None:
    import json

    try:
        lines = (out / "_errors.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for line in lines[:SHOWN_ERRORS]:
        error = json.loads(line)
        page = "" if error["title"] is None else f"page {error['title']!r}: "
        _error(f"{error['dump']}: {page}{error['reason']}")
    if len(lines) > SHOWN_ERRORS:
        _error(f"... and {len(lines) - SHOWN_ERRORS} more errors in {out / '_errors.jsonl'}")


# -- schema -------------------------------------------------------------------


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from .data import json_schema
    from .partitions import record_schema

    print(json.dumps(record_schema() if args.record else json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def _at_least(least: int, what: str, hint: str) -> Callable[[str], int]:
    """An argparse type: a whole number of ``what`` of at least ``least``."""

    def convert(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, not {value!r}") from None
        if number < least:
            raise argparse.ArgumentTypeError(f"expected {hint} or more, not {number}")
        return number

    return convert


#: ``--jobs N``: a number of processes, 0 for one per core.
_jobs = _at_least(0, "a number of processes", "0 (one per core)")
_positive = _at_least(1, "a number", "1")


def build_argparser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wikiplain",
        description="Convert plain Wikipedia-style articles losslessly: parse, format, check, round-trip.",
    )
    parser.add_argument("--version", action="version", version=f"wikiplain {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="print the structured data (JSON) of articles")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files; - reads standard input")
    p.add_argument("--trivia", action="store_true", help="keep the whitespace too (exact round trip)")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("fmt", help="print or write articles in canonical form")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files; - reads standard input")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if any file is not canonical")
    mode.add_argument("--diff", action="store_true", help="show what would change as a unified diff")
    mode.add_argument("--in-place", action="store_true", help="rewrite the files (atomically)")
    p.set_defaults(func=cmd_fmt)

    p = sub.add_parser("check", help="report malformed and suspicious lines (path:line:col: CODE message)")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files; - reads standard input")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("roundtrip", help="check every round trip on *.txt files under the paths")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories (searched for *.txt)")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N", help="worker processes (0: one per core)")
    p.add_argument("--no-progress", action="store_true", help="never show the progress bar")
    p.set_defaults(func=cmd_roundtrip)

    p = sub.add_parser("to-wikitext", help="write articles as MediaWiki wikitext")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files; - reads standard input")
    p.add_argument("-o", "--output", metavar="DIR", help="write NAME.wiki files here (needed for several files)")
    p.add_argument(
        "--canonical",
        action="store_true",
        help="write the canonical form's wikitext, without the wikiplain-trivia comment (to paste or upload)",
    )
    p.set_defaults(func=cmd_to_wikitext)

    p = sub.add_parser("from-wikitext", help="read MediaWiki wikitext (ours or real pages) into plain articles")
    p.add_argument("files", nargs="+", metavar="FILE", help="wikitext files; - reads standard input")
    p.add_argument("-o", "--output", metavar="DIR", help="write NAME.txt files here (needed for several files)")
    p.add_argument(
        "--mode",
        choices=["auto", "exact", "clean"],
        default="auto",
        help="exact: as to_wikitext writes it; clean: a real page; auto (default): exact if the text holds "
        "only what to_wikitext writes, else clean",
    )
    p.add_argument("--title", help="the article title (default for real pages: the file name)")
    p.add_argument("--keep-reference-sections", action="store_true", help="keep References, See also, ...")
    p.set_defaults(func=cmd_from_wikitext)

    p = sub.add_parser(
        "import-dump", help="convert MediaWiki XML dumps into partitioned JSON Lines, Parquet or plain articles"
    )
    p.add_argument("dumps", nargs="+", metavar="DUMP", help="pages-articles dumps: .xml, .bz2, .gz, multistream; globs")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="the folder of the parts and manifest")
    p.add_argument(
        "--format",
        choices=list(FORMATS),
        default="jsonl",
        help="jsonl (default), jsonl.gz, parquet (needs wikiplain[parquet]) or txt (one NAME.txt per article)",
    )
    p.add_argument(
        "-j", "--jobs", type=_jobs, default=1, metavar="N",
        help="worker processes on this machine (0: one per core); with --scheduler local, Dask workers",
    )  # fmt: skip
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster (needs wikiplain[dask]): an existing one (tcp://host:8786), or 'local' for a "
        "local one of --jobs workers",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="finish the interrupted run in OUTDIR, keeping its done parts (and write into an OUTDIR not empty)",
    )
    p.add_argument(
        "--partition-pages", type=_positive, metavar="N",
        help="pages per partition (default: 5000, fewer in a small dump so that it still makes 32 partitions)",
    )  # fmt: skip
    p.add_argument("--redirects", action="store_true", help="write redirect pages too (with their target, no article)")
    p.add_argument("--keep-reference-sections", action="store_true", help="keep References, See also, ...")
    p.add_argument(
        "--index",
        metavar="PATH",
        help="the index of a multistream dump (default: X-multistream-index.txt.bz2 beside X-multistream.xml.bz2)",
    )
    p.add_argument("--no-progress", action="store_true", help="never show progress")
    p.set_defaults(func=cmd_import_dump)

    p = sub.add_parser("schema", help="print the JSON Schema of the structured data")
    p.add_argument("--record", action="store_true", help="the schema of a record of import-dump's output instead")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_argparser().parse_args(argv)
    try:
        status: int = args.func(args)
    except BrokenPipeError:  # e.g. `wikiplain parse big.txt | head`
        return EXIT_OK
    except KeyboardInterrupt:  # Ctrl-C: outputs are written atomically, so nothing is left half-done
        _error("interrupted")
        return EXIT_INTERRUPTED
    return status


def entry() -> None:
    """The console script."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    sys.exit(main())
