"""Whole dumps converted in partitions: one part file each, a manifest, resumable.

A dump is cut into **partitions** of pages that do not depend on how many
workers run them, so that a run on one process, on a local Dask cluster or on a
cluster of many machines writes the same parts:

* a multistream dump (with its index) is cut at its bz2 streams, a partition
  being consecutive streams of about ``partition_pages`` pages; the worker
  seeks to its streams and decompresses only those (the dump must be readable
  by the workers: a shared file system on a cluster);
* any other dump (one bz2 stream, ``.gz``, ``.xml``) is read once, in order, by
  the process that drives the run, cut at ``</page>`` without parsing, and each
  partition (``partition_pages`` pages or :data:`PARTITION_XML_BYTES` of XML,
  whichever comes first) is sent to a worker.

Each worker parses its pages, converts the articles (clean reading of real
pages) and writes its part to a temporary name in the output folder, renamed
when complete.  The driver records each finished part durably in
``_progress.jsonl`` (so ``resume`` skips it after an interruption), and at the
end writes ``_errors.jsonl``, ``_manifest.json`` and, when every partition is
done, ``_SUCCESS``.  A page that fails, a damaged stream or a truncated dump
never stops a partition: it is listed in ``_errors.jsonl``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._files import publish, write_atomically
from .dump import (
    DumpPage,
    Stream,
    check_start,
    index_for,
    iter_page_xml,
    read_page,
    safe_file_name,
    split_pages,
    stream_xml,
    streams,
)
from .errors import DumpError, MissingExtraError

__all__ = [
    "FORMATS",
    "PARTITION_PAGES",
    "ConversionSummary",
    "MissingExtraError",
    "convert_dump",
    "record_schema",
]

#: The output formats: JSON Lines (plain or gzip), Parquet, or one plain article file per page.
FORMATS = ("jsonl", "jsonl.gz", "parquet", "txt")
DEFAULT_FORMAT = "jsonl"
#: Pages a partition holds at most (the last of a dump may hold fewer).
PARTITION_PAGES = 5000
#: The most XML a partition of a dump read in order holds: it travels from the
#: driver to a worker, so it bounds their memory (a multistream partition never travels).
PARTITION_XML_BYTES = 16 << 20
#: A dump too small to fill this many partitions of the sizes above is cut
#: into this many smaller ones (down to the floors below), so that a small
#: dump still keeps every worker busy.  The sizes depend on the dump alone,
#: never on the workers: every run of a dump cuts it alike.
SMALL_DUMP_PARTITIONS = 32
MIN_PARTITION_PAGES = 100
MIN_PARTITION_XML_BYTES = 1 << 20
#: How many times Dask runs a partition again when it raised (a worker that dies
#: is Dask's ``distributed.scheduler.allowed-failures``, 3 by default).
RETRIES = 2
#: How many times a partition whose local worker process died is run again
#: (as Dask's default for its workers).
ALLOWED_FAILURES = 3
#: How long to try to reach the scheduler given with ``scheduler``.
SCHEDULER_TIMEOUT = "20s"

PROGRESS = "_progress.jsonl"
MANIFEST = "_manifest.json"
ERRORS = "_errors.jsonl"
SUCCESS = "_SUCCESS"

#: What a part record counts: pages read, articles written, redirects (written
#: with ``redirects``, else skipped), pages of other namespaces (skipped),
#: pages that failed, pages lost in damaged streams.
_COUNTS = ("pages", "articles", "redirects", "other_namespaces", "failed", "lost")


# -- partitions and what a worker does with one ----------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to know of the run."""

    outdir: str
    format: str = DEFAULT_FORMAT
    keep_reference_sections: bool = False
    redirects: bool = False


@dataclass(frozen=True, slots=True)
class Partition:
    """The pages of one part: bz2 streams of a multistream dump (read by the
    worker), or pages of a dump read in order (sent with the task)."""

    number: int
    dump: str
    streams: tuple[Stream, ...] = ()
    first_page: int = 0  #: a dump read in order: the number of pages before this partition
    pages: int = 0

    @property
    def name(self) -> str:
        return f"part-{self.number:05d}"

    def source(self) -> dict[str, Any]:
        """Where the pages come from, for the manifest."""
        dump = Path(self.dump).name
        if self.streams:
            return {"dump": dump, "bytes": [self.streams[0].start, self.streams[-1].end]}
        return {"dump": dump, "pages": [self.first_page, self.first_page + self.pages]}


def convert_partition(partition: Partition, settings: Settings, xml: bytes | None = None) -> dict[str, Any]:
    """Convert the pages of one partition and write its part; returns the
    part's record (file, size, checksum, counts, page-id range, errors).
    Top-level, so that any worker process can run it."""
    started = time.perf_counter()
    counts = dict.fromkeys(_COUNTS, 0)
    ids: list[int] = []
    errors: list[dict[str, Any]] = []

    def error(reason: str, page_id: int | None = None, title: str | None = None) -> None:
        errors.append({"partition": partition.number, "dump": Path(partition.dump).name,
                       "page_id": page_id, "title": title, "reason": reason})  # fmt: skip

    writer = _writer(settings, partition.name)
    try:
        for item in _pages_of(partition, xml):
            if isinstance(item, _LostStream):
                counts["lost"] += item.stream.pages
                error(item.reason)
                continue
            counts["pages"] += 1
            try:
                page = read_page(item)
            except DumpError as e:
                counts["failed"] += 1
                error(str(e), *_salvage(item))
                continue
            if page.page_id is not None:
                ids.append(page.page_id)
            kind = _kind(page)
            if kind == "other_namespaces" or (kind == "redirects" and not settings.redirects):
                counts[kind] += 1
                continue
            try:
                writer.add(page, None if kind == "redirects" else _article(page, settings))
            except Exception as e:  # one broken page must never stop the partition
                counts["failed"] += 1
                error(f"{type(e).__name__}: {e}", page.page_id, page.title)
                continue
            counts["articles" if kind is None else kind] += 1
        file, size, digest = writer.finish()
    except BaseException:
        writer.abort()
        raise
    return {
        "partition": partition.number,
        "file": file,
        "bytes": size,
        "sha256": digest,
        **counts,
        "page_id_min": min(ids, default=None),
        "page_id_max": max(ids, default=None),
        "source": partition.source(),
        "errors": errors,
        "seconds": round(time.perf_counter() - started, 4),
    }


@dataclass(frozen=True, slots=True)
class _LostStream:
    stream: Stream
    reason: str


def _pages_of(partition: Partition, xml: bytes | None) -> Iterator[bytes | _LostStream]:
    if xml is not None:
        yield from split_pages(xml)[0]
        return
    for stream in partition.streams:
        try:
            data = stream_xml(partition.dump, stream.start, stream.end)
        except DumpError as e:
            lost = f"; its {stream.pages} pages (ids {stream.first_id}-{stream.last_id}) are lost"
            yield _LostStream(stream, f"{e}{lost if stream.pages else ''}")
            continue
        yield from split_pages(data)[0]


_SALVAGE_ID = re.compile(rb"<id>\s*(\d+)\s*</id>")
_SALVAGE_TITLE = re.compile(rb"<title>([^<]*)</title>")


def _salvage(xml: bytes) -> tuple[int | None, str | None]:
    """The id and title of a page whose XML cannot be parsed, when they can be read."""
    from html import unescape

    page_id = _SALVAGE_ID.search(xml)
    title = _SALVAGE_TITLE.search(xml)
    return (
        int(page_id.group(1)) if page_id else None,
        unescape(title.group(1).decode("utf-8", "replace")) if title else None,
    )


def _kind(page: DumpPage) -> str | None:
    """``"redirects"``, ``"other_namespaces"``, or None for an article."""
    if page.namespace != 0:
        return "other_namespaces"
    if page.redirect or (page.text or "").lstrip()[:9].lower() == "#redirect":
        return "redirects"
    return None


def _article(page: DumpPage, settings: Settings) -> Any:
    from .wikitext import from_wikitext

    return from_wikitext(
        page.text or "", mode="clean", title=page.title, keep_reference_sections=settings.keep_reference_sections
    )


_REDIRECT_TARGET = re.compile(r"#redirect\s*:?\s*\[\[([^\]|#\n]*)", re.IGNORECASE)


def _to_dict(article: Any) -> dict[str, Any]:
    from .data import to_dict

    return to_dict(article)


def record(page: DumpPage, article: Any) -> dict[str, Any]:
    """The JSON record of one page: its provenance and its article in the
    published shape (``None`` for a redirect); see :func:`record_schema`."""
    target = page.redirect_target
    if target is None and article is None:
        found = _REDIRECT_TARGET.match((page.text or "").lstrip())
        target = found.group(1).strip() if found else None
    return {
        "page_id": page.page_id,
        "revision_id": page.revision_id,
        "timestamp": page.timestamp,
        "namespace": page.namespace,
        "title": page.title,
        "redirect_target": target,
        "article": None if article is None else _to_dict(article),
    }


# -- part writers -------------------------------------------------------------------


class _PartWriter:
    """A part written to a temporary name and given its own when complete."""

    suffix = ".jsonl"

    def __init__(self, outdir: str, name: str) -> None:
        self.target = Path(outdir) / f"{name}{self.suffix}"
        self.tmp = Path(outdir) / f".{self.target.name}.{uuid.uuid4().hex}.tmp"
        self.raw = open(self.tmp, "wb")  # noqa: SIM115 - closed by finish or abort
        self.out: Any = self.raw  # what the records are written to: the file, or a compressor over it

    def add(self, page: DumpPage, article: Any) -> None:
        line = json.dumps(record(page, article), ensure_ascii=False) + "\n"
        self.out.write(line.encode())  # a lone surrogate fails here, as this page's error

    def close(self) -> None:
        self.raw.close()

    def finish(self) -> tuple[str | None, int, str]:
        self.close()
        digest = hashlib.sha256()
        with open(self.tmp, "rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
        publish(str(self.tmp), self.target)
        return self.target.name, self.target.stat().st_size, digest.hexdigest()

    def abort(self) -> None:
        self.raw.close()
        self.tmp.unlink(missing_ok=True)


class _GzipWriter(_PartWriter):
    suffix = ".jsonl.gz"

    def __init__(self, outdir: str, name: str) -> None:
        super().__init__(outdir, name)
        # No name and no time in the header: the same pages give the same bytes.
        self.out = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0)

    def close(self) -> None:
        self.out.close()
        self.raw.close()


class _ParquetWriter(_PartWriter):
    suffix = ".parquet"
    ROW_GROUP = 1000

    def __init__(self, outdir: str, name: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        super().__init__(outdir, name)
        self.pa = pa
        self.schema = pa.schema(
            [
                ("page_id", pa.int64()),
                ("revision_id", pa.int64()),
                ("timestamp", pa.string()),
                ("namespace", pa.int32()),
                ("title", pa.string()),
                ("redirect_target", pa.string()),
                ("article", pa.string()),  # the article's JSON (its sections nest: no fixed columns)
            ]
        )
        self.writer = pq.ParquetWriter(self.raw, self.schema, compression="zstd")
        self.rows: list[dict[str, Any]] = []

    def add(self, page: DumpPage, article: Any) -> None:
        row = record(page, article)
        if row["article"] is not None:
            row["article"] = json.dumps(row["article"], ensure_ascii=False)
        for value in row.values():
            if isinstance(value, str):
                value.encode()  # a lone surrogate fails here, as this page's error
        self.rows.append(row)
        if len(self.rows) >= self.ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.writer.write_table(self.pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()
        self.raw.close()


class _TextWriter:
    """One plain article file per page (``NAME.txt``), each written atomically;
    the part's checksum covers the names and contents, in order."""

    def __init__(self, outdir: str, name: str) -> None:
        self.outdir = Path(outdir)
        self.digest = hashlib.sha256()
        self.size = 0

    def add(self, page: DumpPage, article: Any) -> None:
        if article is None:
            raise ValueError("a redirect has no plain article (give --format jsonl to keep redirects)")
        from .serialize import dumps

        name = safe_file_name(page.title)
        text = dumps(article)
        write_atomically(str(self.outdir / name), text)
        data = text.encode()
        self.digest.update(name.encode() + b"\0" + data + b"\0")
        self.size += len(data)

    def finish(self) -> tuple[str | None, int, str]:
        return None, self.size, self.digest.hexdigest()

    def abort(self) -> None:
        pass


def _writer(settings: Settings, name: str) -> _PartWriter | _TextWriter:
    kinds: dict[str, Callable[[str, str], _PartWriter | _TextWriter]] = {
        "jsonl": _PartWriter,
        "jsonl.gz": _GzipWriter,
        "parquet": _ParquetWriter,
        "txt": _TextWriter,
    }
    return kinds[settings.format](settings.outdir, name)


# -- the run --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConversionSummary:
    """What :func:`convert_dump` did."""

    outdir: Path
    partitions: int
    failed_partitions: int
    pages: int
    articles: int
    redirects: int
    other_namespaces: int
    failed: int  #: pages that could not be read or converted
    lost: int  #: pages of damaged bz2 streams (counted from the index)
    errors: int  #: lines of ``_errors.jsonl``
    complete: bool  #: every partition done (``_SUCCESS`` written)
    seconds: float


#: ``progress(pages, partitions_done, partitions, all_known)`` after each partition: the pages
#: read and partitions done so far, and the partitions of the run (``all_known``) or
#: those met so far (a dump read in order has no known end).
Progress = Callable[[int, int, int, bool], None]


def convert_dump(
    dumps: str | Path | Sequence[str | Path],
    outdir: str | Path,
    *,
    format: str = DEFAULT_FORMAT,
    jobs: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    index: str | Path | None = None,
    resume: bool = False,
    partition_pages: int | None = None,
    keep_reference_sections: bool = False,
    redirects: bool = False,
    progress: Progress | None = None,
) -> ConversionSummary:
    """Convert the article pages of one or more dumps into part files in ``outdir``.

    ``dumps``: ``pages-articles`` dumps (``.xml``, ``.bz2``, ``.gz``; split
    dumps given together; multistream dumps are read by their index, found
    beside them or given as ``index`` for a single dump).  ``format``: one of
    :data:`FORMATS`.  The partitions run in this process (``jobs=1``), in
    ``jobs`` worker processes of this machine, on the Dask scheduler at
    ``scheduler`` (``"local"``: a local Dask cluster of ``jobs`` workers), or
    on a ``distributed.Client`` given as ``client``.
    ``resume``: skip the partitions an interrupted run in ``outdir`` finished.
    ``redirects``: write redirect pages too (records with ``redirect_target``
    and no article).  Raises :class:`DumpError` (:class:`MissingExtraError`
    for a missing optional dependency) when the run cannot start; damage found
    while running goes to ``_errors.jsonl`` instead.
    """
    started = time.perf_counter()
    paths = [Path(dumps)] if isinstance(dumps, str | Path) else [Path(d) for d in dumps]
    if format not in FORMATS:
        raise DumpError(f"unknown format {format!r} (expected one of {', '.join(FORMATS)})")
    if partition_pages is not None and partition_pages < 1:
        raise DumpError(f"a partition holds at least one page, not {partition_pages}")
    if not paths:
        raise DumpError("no dump given")
    if index is not None and len(paths) > 1:
        raise DumpError("an index can be given for one dump only (each dump's is found beside it)")
    if redirects and format == "txt":
        raise DumpError(
            "redirects are written as records (jsonl, jsonl.gz or parquet): a redirect has no plain article"
        )
    if format == "parquet":
        _require("parquet", "pyarrow", "--format parquet")
    if client is None and scheduler is not None:
        _require("dask", "distributed", "--scheduler")
    plans = [_plan(path, Path(index) if index is not None else None, partition_pages) for path in paths]
    out = Path(outdir)
    settings = Settings(str(out.resolve()), format, keep_reference_sections, redirects)
    header = {
        "dumps": [plan.header() for plan in plans],
        "format": format,
        "keep_reference_sections": keep_reference_sections,
        "redirects": redirects,
    }
    executor = _executor(jobs, scheduler, client)  # first: a scheduler out of reach leaves no folder behind
    try:
        log = _RunLog(out, header, resume)
    except BaseException:
        executor.close()
        raise
    run = _Run(log, executor, progress)
    if all(plan.streams is not None for plan in plans):  # multistream only: every partition known from the start
        run.total = sum(len(list(plan.partitions(0))) for plan in plans)
    try:
        number = 0
        for plan in plans:
            if plan.streams is not None:
                chunks: Iterator[tuple[Partition, bytes | None]] = ((p, None) for p in plan.partitions(number))
            else:
                chunks = _read_partitions(plan, number, run.dump_error)
            for partition, xml in chunks:
                number = partition.number + 1
                run.submit(partition, settings, xml)
        run.finish_all()
    finally:
        executor.close()
    return _conclude(out, header, log, run, started)


def _require(extra: str, module: str, why: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise MissingExtraError(extra, module, why)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one dump is cut: by its streams (multistream) or in order."""

    path: Path
    streams: list[Stream] | None
    pages: int  #: pages a partition holds at most
    xml_bytes: int  #: XML a partition of a dump read in order holds at most

    def header(self) -> dict[str, Any]:
        return {"name": self.path.name, "size": self.path.stat().st_size, "partition_pages": self.pages,
                "partition_xml_bytes": self.xml_bytes}  # fmt: skip

    def partitions(self, number: int) -> Iterator[Partition]:
        """The partitions of a multistream dump, numbered from ``number``."""
        group: list[Stream] = []
        pages = 0
        dump = str(self.path.resolve())
        for stream in self.streams or []:
            group.append(stream)
            pages += stream.pages
            if pages >= self.pages:
                yield Partition(number, dump, tuple(group), pages=pages)
                number += 1
                group, pages = [], 0
        if group:
            yield Partition(number, dump, tuple(group), pages=pages)


def _plan(path: Path, index: Path | None, partition_pages: int | None) -> _Plan:
    """How to cut a dump, after checking that it can be read and is a
    MediaWiki dump without a DTD.  ``partition_pages``: None for the sizes
    that suit the dump (see :data:`SMALL_DUMP_PARTITIONS`)."""
    if not path.is_file():
        raise DumpError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    index = index or index_for(path)
    try:
        if index is not None:
            found = streams(path, index)
            check_start(path, found[0])
            small = -(-sum(s.pages for s in found) // SMALL_DUMP_PARTITIONS)
            pages = partition_pages or min(PARTITION_PAGES, max(MIN_PARTITION_PAGES, small))
            return _Plan(path, found, pages, PARTITION_XML_BYTES)
        check_start(path)
    except DumpError as e:
        raise DumpError(f"{path}: {e}") from None
    # A compressed dump's XML is about 4 times its size (Wikipedia's bz2 and gzip dumps).
    xml = path.stat().st_size * (4 if path.suffix in (".bz2", ".gz") else 1)
    xml_bytes = min(PARTITION_XML_BYTES, max(MIN_PARTITION_XML_BYTES, xml // SMALL_DUMP_PARTITIONS))
    return _Plan(path, None, partition_pages or PARTITION_PAGES, xml_bytes)


def _read_partitions(
    plan: _Plan, number: int, dump_error: Callable[[Path, str], None]
) -> Iterator[tuple[Partition, bytes]]:
    """The partitions of a dump read in order, with their pages' XML; damage
    that ends the reading is reported to ``dump_error`` after the whole pages
    before it have been given."""
    path = plan.path
    pages: list[bytes] = []
    size = 0
    first = 0
    dump = str(path.resolve())
    try:
        for page in iter_page_xml(path):
            pages.append(page)
            size += len(page)
            if len(pages) >= plan.pages or size >= plan.xml_bytes:
                yield Partition(number, dump, first_page=first, pages=len(pages)), b"".join(pages)
                number += 1
                first += len(pages)
                pages, size = [], 0
    except DumpError as e:
        dump_error(path, f"{e}; the {first + len(pages)} whole pages before it are read")
    if pages:
        yield Partition(number, dump, first_page=first, pages=len(pages)), b"".join(pages)


class _RunLog:
    """``_progress.jsonl``: the run's settings, then one line per finished
    part, each synced to disk as it is written (what ``resume`` trusts)."""

    def __init__(self, outdir: Path, header: dict[str, Any], resume: bool) -> None:
        self.path = outdir / PROGRESS
        self.done: dict[int, dict[str, Any]] = {}
        if outdir.exists() and not outdir.is_dir():
            raise DumpError(f"{outdir}: is not a directory")
        if resume and self.path.exists():
            self._load(outdir, header)
            return
        if not resume and outdir.exists() and any(outdir.iterdir()):
            raise DumpError(
                f"{outdir}: is not empty (give --resume to finish the run it holds, or an empty or new directory)"
            )
        outdir.mkdir(parents=True, exist_ok=True)
        self._append({"wikiplain_run": header})

    def _load(self, outdir: Path, header: dict[str, Any]) -> None:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        first = json.loads(lines[0]).get("wikiplain_run") if lines else None
        if first != header:
            raise DumpError(f"{outdir}: holds a run with other dumps or settings; cannot resume it with these")
        for line in lines[1:]:
            try:
                part = json.loads(line)
            except ValueError:  # the last line of a run killed while writing it
                continue
            file = part.get("file")
            if file is None or ((outdir / file).is_file() and (outdir / file).stat().st_size == part["bytes"]):
                self.done[part["partition"]] = part

    def _append(self, entry: dict[str, Any]) -> None:
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def record(self, part: dict[str, Any]) -> None:
        self._append(part)
        self.done[part["partition"]] = part


@dataclass
class _Run:
    """Partitions handed to the executor, a bounded number at a time, and
    what came back."""

    log: _RunLog
    executor: _InProcess | _InPool | _OnDask
    progress: Progress | None
    #: future -> what it runs (the pages of a partition read in order are kept
    #: until it is done: on a cluster they live on one worker, and die with it)
    pending: dict[Any, tuple[Partition, Settings, bytes | None]] = field(default_factory=dict)
    resent: dict[int, int] = field(default_factory=dict)  #: partition -> times sent again
    failed: dict[int, dict[str, Any]] = field(default_factory=dict)
    run_errors: list[dict[str, Any]] = field(default_factory=list)
    partitions: int = 0
    total: int | None = None  #: every partition of the run, when known before reading
    pages: int = 0

    def dump_error(self, path: Path, reason: str) -> None:
        self.run_errors.append({"partition": None, "dump": path.name, "page_id": None, "title": None,
                                "reason": reason})  # fmt: skip

    def submit(self, partition: Partition, settings: Settings, xml: bytes | None) -> None:
        self.partitions += 1
        if partition.number in self.log.done:
            self._report(self.log.done[partition.number])
            return
        self._send(partition, settings, xml)
        while len(self.pending) > self.executor.in_flight:
            self._receive(self.executor.wait_any(list(self.pending)))

    def _send(self, partition: Partition, settings: Settings, xml: bytes | None) -> None:
        self.pending[self.executor.submit(partition, settings, xml)] = (partition, settings, xml)

    def finish_all(self) -> None:
        while self.pending:
            self._receive(self.executor.wait_any(list(self.pending)))

    def _receive(self, done: list[Any]) -> None:
        for future in done:
            partition, settings, xml = self.pending.pop(future)
            try:
                part = future.result()
            except Exception as e:  # the partition itself failed (its worker died too often, a full disk)
                if self._may_resend(e, partition, xml):
                    self.resent[partition.number] = self.resent.get(partition.number, 0) + 1
                    self._send(partition, settings, xml)
                    continue
                reason = f"partition {partition.name} failed: {type(e).__name__}: {e}"
                self.failed[partition.number] = {"partition": partition.number, "dump": Path(partition.dump).name,
                                                  "page_id": None, "title": None, "reason": reason}  # fmt: skip
                continue
            self.log.record(part)
            self._report(part)

    def _may_resend(self, error: Exception, partition: Partition, xml: bytes | None) -> bool:
        from concurrent.futures.process import BrokenProcessPool

        times = self.resent.get(partition.number, 0)
        if isinstance(error, BrokenProcessPool):  # a local worker died: the pool fails what it held
            return times < ALLOWED_FAILURES
        # On Dask, the pages of a partition read in order may have died with
        # the worker that held them (Dask cannot run it again without them).
        return isinstance(self.executor, _OnDask) and xml is not None and times < 1

    def _report(self, part: dict[str, Any]) -> None:
        self.pages += part["pages"]
        if self.progress is not None:
            known = self.total if self.total is not None else self.partitions
            self.progress(self.pages, len(self.log.done), known, self.total is not None)


class _InProcess:
    """Partitions run here, one after the other (``jobs=1``, no Dask needed)."""

    in_flight = 0

    def submit(self, partition: Partition, settings: Settings, xml: bytes | None) -> Any:
        from concurrent.futures import Future

        future: Future[dict[str, Any]] = Future()
        try:
            future.set_result(convert_partition(partition, settings, xml))
        except Exception as e:
            future.set_exception(e)
        return future

    def wait_any(self, futures: list[Any]) -> list[Any]:
        return futures

    def close(self) -> None:
        pass


class _OnDask:
    """Partitions run on a Dask cluster: a local one made for the run, or the
    scheduler or client given."""

    def __init__(self, client: Any, own: bool) -> None:
        self.client = client
        self.own = own
        workers = sum(client.nthreads().values()) or 1
        self.in_flight = 2 * workers  # a partition queued for each worker while it runs one

    def submit(self, partition: Partition, settings: Settings, xml: bytes | None) -> Any:
        # The pages go to a worker directly (not in the task graph, which the scheduler holds).
        data = self.client.scatter(xml, hash=False) if xml is not None else None
        key = f"wikiplain-{partition.name}-{uuid.uuid4().hex[:8]}"
        return self.client.submit(convert_partition, partition, settings, data, key=key, pure=False, retries=RETRIES)

    def wait_any(self, futures: list[Any]) -> list[Any]:
        from concurrent.futures import CancelledError

        from distributed import wait

        try:
            return list(wait(futures, return_when="FIRST_COMPLETED").done)
        except CancelledError:  # a task Dask gave up (its data died with a worker): done too, as a failure
            done = [f for f in futures if f.done()]
            if not done:
                raise
            return done

    def close(self) -> None:
        if self.own:
            cluster = self.client.cluster
            self.client.close()
            if cluster is not None:
                cluster.close()


class _InPool:
    """Partitions run by ``jobs`` worker processes of this machine: they start
    in milliseconds and hold about 50 MB each (a Dask worker takes seconds to
    start and twice the memory), with the very same partitions and parts."""

    def __init__(self, jobs: int) -> None:
        from ._processes import process_pool

        self.jobs = jobs
        self.pool = process_pool(jobs)
        self.in_flight = 2 * jobs

    def submit(self, partition: Partition, settings: Settings, xml: bytes | None) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(convert_partition, partition, settings, xml)
        except BrokenProcessPool:  # a worker died: the pool is done for, a new one takes over
            from ._processes import process_pool

            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = process_pool(self.jobs)
            return self.pool.submit(convert_partition, partition, settings, xml)

    def wait_any(self, futures: list[Any]) -> list[Any]:
        from concurrent.futures import FIRST_COMPLETED, wait

        return list(wait(futures, return_when=FIRST_COMPLETED).done)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def _executor(jobs: int, scheduler: str | None, client: Any) -> _InProcess | _InPool | _OnDask:
    if client is not None:
        return _OnDask(client, own=False)
    if scheduler is None:
        return _InProcess() if jobs <= 1 else _InPool(jobs)
    import logging
    import warnings

    import dask
    from distributed import Client, LocalCluster

    if scheduler != "local":
        try:
            return _OnDask(Client(scheduler, timeout=SCHEDULER_TIMEOUT), own=True)
        except OSError as e:
            raise DumpError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    # One partition at a time on each worker (Dask's default queues more): a
    # worker that dies then takes no other partition's retry count with it,
    # and the next partition is handed to whichever worker is free first.
    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}), warnings.catch_warnings():
        # (with the dashboard off, the scheduler still serves its health check,
        # on another port when a cluster already runs: nothing to tell the user)
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cluster = LocalCluster(
            n_workers=max(jobs, 1), threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=logging.ERROR,
        )  # fmt: skip
    return _OnDask(Client(cluster), own=True)


def _conclude(out: Path, header: dict[str, Any], log: _RunLog, run: _Run, started: float) -> ConversionSummary:
    """Write ``_errors.jsonl``, ``_manifest.json`` and (when every partition
    is done) ``_SUCCESS``; take away temporary files of killed workers."""
    from ._version import __version__
    from .nodes import SCHEMA_VERSION

    parts = [log.done[n] for n in sorted(log.done)]
    errors = [e for part in parts for e in part["errors"]]
    errors += [run.failed[n] for n in sorted(run.failed)] + run.run_errors
    write_atomically(str(out / ERRORS), "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors))
    totals = {k: sum(p[k] for p in parts) for k in _COUNTS}
    complete = not run.failed
    manifest = {
        "wikiplain_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "record": "one JSON object per page; its JSON Schema: `wikiplain schema --record`",
        **header,
        "partitions": [{k: v for k, v in p.items() if k != "errors"} | {"errors": len(p["errors"])} for p in parts],
        "failed_partitions": sorted(run.failed),
        "totals": totals,
        "errors": len(errors),
        "complete": complete,
    }
    for stale in out.glob(".part-*.tmp"):  # a part whose worker was killed while writing it
        stale.unlink(missing_ok=True)
    write_atomically(str(out / MANIFEST), json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    if complete:
        write_atomically(str(out / SUCCESS), "")
    else:
        (out / SUCCESS).unlink(missing_ok=True)
    return ConversionSummary(
        outdir=out,
        partitions=len(parts) + len(run.failed),
        failed_partitions=len(run.failed),
        errors=len(errors),
        complete=complete,
        seconds=time.perf_counter() - started,
        **totals,
    )


def record_schema() -> dict[str, Any]:
    """The JSON Schema of one record of a converted dump (a line of a
    ``part-NNNNN.jsonl`` file; a row of a Parquet part holds the same members,
    ``article`` as its JSON text)."""
    from .data import json_schema
    from .nodes import SCHEMA_VERSION

    article = json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://wikiplain.invalid/schema/dump-record-{SCHEMA_VERSION}.json",
        "title": "wikiplain dump record",
        "description": "One page of a MediaWiki dump converted by `wikiplain import-dump`: where it came from "
        "(the dump's page and revision) and its article in the published shape; a redirect (kept with "
        "--redirects) has its target and no article.",
        "type": "object",
        "required": ["page_id", "revision_id", "timestamp", "namespace", "title", "redirect_target", "article"],
        "additionalProperties": False,
        "properties": {
            "page_id": {"type": ["integer", "null"], "description": "The page's id on its wiki."},
            "revision_id": {"type": ["integer", "null"], "description": "The id of the revision converted."},
            "timestamp": {"type": ["string", "null"], "description": "The revision's time, ISO 8601 in UTC."},
            "namespace": {"type": "integer", "description": "Always 0 (articles)."},
            "title": {"type": "string"},
            "redirect_target": {"type": ["string", "null"], "description": "A redirect's target, else null."},
            "article": {"oneOf": [{"$ref": "#/$defs/article"}, {"type": "null"}]},
        },
        "$defs": {"article": {k: v for k, v in article.items() if k not in ("$schema", "$id", "$defs")}}
        | article["$defs"],
    }
