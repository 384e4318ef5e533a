"""Streaming MediaWiki XML dumps (``pages-articles.xml[.bz2]``) into plain articles.

The XML is read with ElementTree's pull parser one page at a time, so memory
stays bounded whatever the dump's size.  A dump whose prolog declares a DTD is refused before
any parsing: MediaWiki never writes one, and a DTD is where entity-expansion
("billion laughs") and external-entity attacks live.
"""

from __future__ import annotations

import bz2
import hashlib
import io
import itertools
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from .errors import DumpError

__all__ = [
    "DumpError",
    "DumpPage",
    "Stream",
    "check_prolog",
    "check_start",
    "expand_names",
    "index_for",
    "iter_page_xml",
    "iter_pages",
    "pages_in_streams",
    "read_page",
    "safe_file_name",
    "split_pages",
    "stream_ranges",
    "streams",
    "write_multistream",
    "xml_chunks",
]

#: How much of the start of the dump is searched for a DTD before the root element.
_PROLOG_LIMIT = 1 << 20


@dataclass(frozen=True, slots=True)
class DumpPage:
    """One page of a dump, with the text of its last revision and where it came from."""

    title: str
    namespace: int
    redirect: bool
    text: str | None
    page_id: int | None = None
    revision_id: int | None = None
    timestamp: str | None = None  #: of the last revision, as the dump spells it (ISO 8601, UTC)
    redirect_target: str | None = None


def check_prolog(head: bytes) -> None:
    """Refuse what comes before the root element of a dump when it declares a
    DTD (DOCTYPE, ENTITY) or when there is no ``<mediawiki>`` root in it."""
    root = head.find(b"<mediawiki")
    prolog = head if root < 0 else head[:root]
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
        raise DumpError("the dump declares a DTD (refused: MediaWiki dumps have none, and DTD entities can attack)")
    if root < 0:
        raise DumpError("not a MediaWiki XML dump (no <mediawiki> element at the start)")


def _checked_head(chunks: Iterator[bytes]) -> bytes:
    """The start of a dump taken from ``chunks``, up to its root element (or
    as much as the prolog may hold), refused by :func:`check_prolog` when
    it should be.  The rest of ``chunks`` is left to read."""
    head = b""
    for chunk in chunks:
        head += chunk
        if b"<mediawiki" in head or len(head) >= _PROLOG_LIMIT:
            break
    check_prolog(head)
    return head


class _ChunkStream(io.RawIOBase):
    """A binary stream read from an iterator of byte chunks (closing it closes them)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._chunk = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at >= len(self._chunk):
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._chunk, self._at = chunk, 0
        n = min(len(buffer), len(self._chunk) - self._at)
        buffer[:n] = self._chunk[self._at : self._at + n]
        self._at += n
        return n

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
        super().close()


def open_dump(path: str | Path) -> IO[bytes]:
    """The dump's XML bytes, decompressing ``.bz2`` and ``.gz`` on the fly as
    :func:`xml_chunks` does (a damaged or truncated stream raises
    :class:`DumpError` once everything before it is read).  A file that
    cannot be opened raises ``OSError`` here."""
    raw = open(path, "rb")  # noqa: SIM115 - closed with the stream
    # Unbuffered: a buffered reader would drop what it holds when the next
    # read raises, the very pages before the damage.
    stream: Any = _ChunkStream(_decompressed(raw, str(path), 1 << 20))
    return cast(IO[bytes], stream)


def iter_pages(stream: IO[bytes]) -> Iterator[DumpPage]:
    """Every page of the dump with the text of its last revision, one at a time.

    Read with ElementTree's pull parser (expat), each page's element dropped
    once read, so memory holds one page whatever the dump's size; the
    elements are matched by local name, whatever the export schema version.
    """
    chunks = iter(lambda: stream.read(1 << 16), b"")
    head = _checked_head(chunks)
    return _pull_pages(_ChunkStream(itertools.chain([head], chunks)))


def _pull_pages(guarded: Any) -> Iterator[DumpPage]:
    """The pages of an XML document whose root holds ``page`` elements."""
    from xml.etree.ElementTree import ParseError, XMLPullParser

    parser: Any = XMLPullParser(events=("start", "end"))
    root: Any = None
    element: Any
    depth = 0  # 1: the root, 2: a page
    try:
        while True:
            chunk = guarded.read(1 << 16)
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            for event, element in parser.read_events():
                if event == "start":
                    depth += 1
                    if root is None:
                        root = element
                    continue
                depth -= 1
                if depth == 1 and _local(element.tag) == "page":
                    yield _page(element)
                    root.clear()  # the page (and the siteinfo before it) are done with
            if not chunk:
                return
    except (ParseError, ValueError) as e:
        raise DumpError(f"malformed dump XML: {e or type(e).__name__}") from None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _page(element: Any) -> DumpPage:
    title = namespace = page_id = redirect_target = None
    redirect = False
    text = revision_id = timestamp = None
    for child in element:
        name = _local(child.tag)
        if name == "title":
            title = child.text
        elif name == "ns":
            namespace = child.text
        elif name == "id":
            page_id = child.text
        elif name == "redirect":
            redirect = True
            redirect_target = child.get("title")
        elif name == "revision":  # a history dump has several: the last one counts
            text = revision_id = timestamp = None
            for part in child:
                kind = _local(part.tag)
                if kind == "text":  # <text deleted="deleted" />: hidden; <text />: empty
                    text = None if part.get("deleted") is not None else part.text or ""
                elif kind == "id":
                    revision_id = part.text
                elif kind == "timestamp":
                    timestamp = part.text
    return DumpPage(
        title or "",
        _int(namespace) or 0,
        redirect,
        text,
        _int(page_id),
        _int(revision_id),
        timestamp,
        redirect_target,
    )


def iter_dump(path: str | Path, *, index: str | Path | None = None) -> Iterator[DumpPage]:
    """Every page of a dump file, one at a time, with the text of its last
    revision and its provenance (page id, revision id, timestamp, namespace,
    title, redirect target).

    ``path`` is a ``pages-articles`` dump: ``.xml``, ``.xml.bz2`` or
    ``.xml.gz``.  A multistream dump is read stream by stream from its index
    (``index``, or ``X-multistream-index.txt.bz2`` beside
    ``X-multistream.xml.bz2``); the pages are the same either way.  Raises
    :class:`DumpError` for a dump or index that cannot be read.
    """
    index = Path(index) if index is not None else index_for(path)
    if index is not None:
        for start, end in stream_ranges(path, index):
            yield from pages_in_streams(path, start, end)
        return
    try:
        stream = open_dump(path)
    except OSError as e:
        raise DumpError(f"{path}: {e.strerror or e}") from None
    with stream:
        yield from iter_pages(stream)


# -- multistream dumps -----------------------------------------------------------
#
# Wikimedia's "-multistream.xml.bz2" dumps are bz2 streams of 100 pages each
# (the first holds the <siteinfo>), and "-multistream-index.txt.bz2" lists
# "offset:page_id:title" per page.  A stream can be decompressed on its own
# from its byte offset: the unit of work that a worker reads by itself.


def index_for(dump: str | Path) -> Path | None:
    """The index beside a multistream dump (``X-multistream-index.txt.bz2`` for
    ``X-multistream.xml.bz2``), if it is there."""
    path = Path(dump)
    if not path.name.endswith("-multistream.xml.bz2"):
        return None
    index = path.with_name(path.name[: -len(".xml.bz2")] + "-index.txt.bz2")
    return index if index.is_file() else None


@dataclass(frozen=True, slots=True)
class Stream:
    """One bz2 stream of a multistream dump: its bytes ``start``-``end`` and,
    from the index, how many pages it holds and the first and last page id."""

    start: int
    end: int
    pages: int = 0
    first_id: int | None = None
    last_id: int | None = None


def streams(dump: str | Path, index: str | Path) -> list[Stream]:
    """The bz2 streams of a multistream dump, in order, from its index (the
    first holds what comes before the first indexed page: the site
    information).  The index is read line by line and only one small record
    per stream is kept (English Wikipedia's index has 20 million lines)."""
    found: dict[int, list[int | None]] = {}  # offset -> [pages, first id, last id]
    opener: Any = bz2.open if str(index).endswith(".bz2") else open
    try:
        with opener(index, "rb") as f:
            for number, line in enumerate(f, start=1):
                head, _, rest = line.partition(b":")
                if not head.strip():
                    continue
                if not head.isdigit():
                    raise DumpError(f"{index}: line {number} is not offset:page_id:title")
                page_id = _int(rest.partition(b":")[0].decode("ascii", "replace"))
                entry = found.setdefault(int(head), [0, page_id, page_id])
                entry[0] = (entry[0] or 0) + 1
                entry[2] = page_id
    except (OSError, EOFError, ValueError) as e:
        raise DumpError(f"{index}: the index cannot be read ({e})") from None
    size = Path(dump).stat().st_size
    starts = sorted({0, *(o for o in found if o < size)})
    result = []
    for start, end in zip(starts, [*starts[1:], size], strict=True):
        pages, first, last = found.get(start, [0, None, None])
        result.append(Stream(start, end, pages or 0, first, last))
    return result


def stream_ranges(dump: str | Path, index: str | Path) -> list[tuple[int, int]]:
    """The byte ranges ``(start, end)`` of the dump's bz2 streams, from its index
    (the first range holds the stream before the first indexed page, the
    site information)."""
    return [(s.start, s.end) for s in streams(dump, index)]


def stream_xml(dump: str | Path, start: int, end: int) -> bytes:
    """The XML of the bz2 streams in bytes ``start`` to ``end`` of a
    multistream dump, read and decompressed from there alone."""
    with open(dump, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    try:
        return bz2.decompress(data)
    except (OSError, ValueError, EOFError) as e:
        raise DumpError(f"bytes {start}-{end}: not whole bz2 streams ({e})") from None


def pages_in_streams(dump: str | Path, start: int, end: int) -> Iterator[DumpPage]:
    """The pages of the bz2 streams in bytes ``start`` to ``end`` of a
    multistream dump, read from there alone."""
    for page in split_pages(stream_xml(dump, start, end))[0]:
        yield read_page(page)


# -- pages as XML ------------------------------------------------------------------
#
# A page's text cannot hold "<" (XML escapes it), so "<page>" and "</page>"
# found in the bytes are the elements' own tags: a dump can be cut into pages
# without parsing it, and each page parsed alone, where a worker reads it.

_PAGE_START = re.compile(rb"<page[\s>]")
_PAGE_END = b"</page>"


def split_pages(xml: bytes, searched: int = 0) -> tuple[list[bytes], bytes]:
    """The whole ``<page>`` elements in ``xml``, and what follows the last one
    (the start of a page yet to come, or the end of the dump).  ``searched``:
    how much of ``xml`` is known to hold no ``</page>`` (so that a long page
    read in many chunks is not searched again for each)."""
    pages: list[bytes] = []
    position = 0
    while True:
        found = _PAGE_START.search(xml, position)
        if found is None:
            return pages, xml[position:]
        end = xml.find(_PAGE_END, max(found.start(), searched - len(_PAGE_END)))
        if end < 0:
            return pages, xml[found.start() :]
        end += len(_PAGE_END)
        pages.append(xml[found.start() : end])
        position = end


def xml_chunks(path: str | Path, size: int = 1 << 20) -> Generator[bytes, None, None]:
    """The XML of a dump file in chunks, decompressing ``.bz2`` and ``.gz``
    (of one or many streams) on the fly.  Everything that can be decompressed
    is given before a damaged or truncated stream raises :class:`DumpError`
    (Python's ``bz2.open`` would drop the last read's worth of good pages)."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by _decompressed
    except OSError as e:
        raise DumpError(f"the dump cannot be read to its end ({e.strerror or e})") from None
    yield from _decompressed(raw, str(path), size)


def _decompressed(raw: IO[bytes], name: str, size: int) -> Iterator[bytes]:
    """The bytes of ``raw`` (closed at the end), decompressed by the suffix of ``name``."""
    import zlib

    make: Callable[[], Any] | None = None
    if name.endswith(".bz2"):
        make = bz2.BZ2Decompressor
    elif name.endswith(".gz"):
        make = lambda: zlib.decompressobj(wbits=31)  # noqa: E731 - gzip, member after member
    try:
        with raw:
            if make is None:
                while chunk := raw.read(size):
                    yield chunk
                return
            decompressor, fresh = make(), True
            while block := raw.read(size):
                while block:
                    try:
                        chunk = decompressor.decompress(block)
                    except (OSError, ValueError, EOFError, zlib.error) as e:
                        raise DumpError(f"the dump cannot be read to its end (damaged compressed data: {e})") from None
                    fresh = False
                    if chunk:
                        yield chunk
                    block = b""
                    if decompressor.eof:  # the end of one stream: the next may follow
                        block = decompressor.unused_data
                        decompressor, fresh = make(), True
            if not fresh:
                raise DumpError(
                    "the dump cannot be read to its end (Compressed file ended before the end-of-stream marker "
                    "was reached)"
                )
    except OSError as e:
        raise DumpError(f"the dump cannot be read to its end ({e.strerror or e})") from None


def check_start(path: str | Path, first_stream: Stream | None = None) -> None:
    """Refuse a dump that declares a DTD or is not a MediaWiki dump, from its
    first bytes alone (of a multistream dump: its ``first_stream``)."""
    if first_stream is not None:
        _checked_head(iter([stream_xml(path, first_stream.start, first_stream.end)]))
        return
    chunks = xml_chunks(path, 1 << 16)
    try:
        _checked_head(chunks)
    finally:
        chunks.close()


def iter_page_xml(path: str | Path) -> Iterator[bytes]:
    """Every ``<page>`` element of a dump file as its XML bytes, in order,
    without parsing the XML (the pages are parsed where they are converted).
    A dump that declares a DTD or is not a MediaWiki dump raises
    :class:`DumpError`; so does one that is damaged or ends early (a
    truncated file or stream), once every whole page before the damage has
    been given."""
    chunks = xml_chunks(path)
    pages, rest = split_pages(_checked_head(chunks))
    yield from pages
    for chunk in chunks:
        searched = len(rest) if _PAGE_START.match(rest) else 0
        pages, rest = split_pages(rest + chunk, searched)
        yield from pages
    if _PAGE_START.search(rest) or b"</mediawiki>" not in rest:
        raise DumpError("the dump ends early (truncated?): no </mediawiki> after the last whole page")


def read_page(xml: bytes) -> DumpPage:
    """One ``<page>`` element, parsed alone (raises :class:`DumpError` when it
    is not well-formed XML)."""
    from xml.etree.ElementTree import ParseError, XMLParser

    parser = XMLParser()
    try:
        parser.feed(xml)
        element = parser.close()
    except (ParseError, ValueError) as e:
        raise DumpError(f"malformed page XML: {e or type(e).__name__}") from None
    return _page(element)


def write_multistream(path: str | Path, header: str, pages: list[str], per_stream: int = 100) -> tuple[Path, Path]:
    """Write a multistream dump as Wikimedia does, and its index beside it:
    ``header`` (``<mediawiki ...><siteinfo>...</siteinfo>``) in a stream of its
    own, then the ``<page>`` elements ``per_stream`` to a stream, the closing
    ``</mediawiki>`` with the last.  ``path`` should end in
    ``-multistream.xml.bz2``; returns the dump's and the index's paths.
    For tests and benchmarks of pipelines that read such dumps."""
    path = Path(path)
    index = path.with_name(path.name.removesuffix(".xml.bz2") + "-index.txt.bz2")
    lines: list[str] = []
    with open(path, "wb") as out:
        out.write(bz2.compress(header.encode()))
        for first in range(0, len(pages), per_stream):
            offset = out.tell()
            group = pages[first : first + per_stream]
            for page in group:
                page_id = re.search(r"<id>(\d+)</id>", page)
                title = re.search(r"<title>(.*?)</title>", page, re.S)
                lines.append(f"{offset}:{page_id.group(1) if page_id else 0}:{title.group(1) if title else ''}\n")
            tail = "</mediawiki>\n" if first + per_stream >= len(pages) else ""
            out.write(bz2.compress(("".join(group) + tail).encode()))
        if not pages:
            out.write(bz2.compress(b"</mediawiki>\n"))
    index.write_bytes(bz2.compress("".join(lines).encode()))
    return path, index


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|%]')
_MAX_NAME_BYTES = 200


def safe_file_name(title: str, suffix: str = ".txt") -> str:
    """A file name for any page title, on any common file system.

    Spaces become ``_`` (as in Wikipedia URLs); ``/ \\ : * ? " < > |``, ``%``
    and control characters are percent-encoded; a leading dot is encoded; names
    too long for file systems are cut and end in a hash of the full title.
    """
    name = _UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", title.replace(" ", "_"))  # all ASCII: one byte each
    if name.startswith("."):
        name = "%2E" + name[1:]
    name = name or "%00empty"
    if len(name.encode()) > _MAX_NAME_BYTES:
        digest = hashlib.sha1(title.encode()).hexdigest()[:12]
        cut = name.encode()[: _MAX_NAME_BYTES - 13].decode(errors="ignore")
        name = f"{cut}~{digest}"
    if name.upper().split(".")[0] in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                                      *(f"LPT{i}" for i in range(1, 10))}:  # fmt: skip
        name = "_" + name
    return name + suffix


def expand_names(patterns: Sequence[str]) -> list[str]:
    """Dump names, with glob patterns the shell left alone (quoted) expanded
    in natural order (``p9`` before ``p10``, as split dumps are numbered)."""
    import glob

    def natural(name: str) -> list[Any]:
        return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]

    names: list[str] = []
    for pattern in patterns:
        found = glob.glob(pattern) if glob.has_magic(pattern) and not Path(pattern).exists() else []
        names += sorted(found, key=natural) or [pattern]
    return names
