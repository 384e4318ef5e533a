"""Streaming MediaWiki XML dumps (``pages-articles.xml[.bz2]``) into plain articles.

The XML is read with ElementTree's pull parser one page at a time, so memory
stays bounded whatever the dump's size.  A dump whose prolog declares a DTD is refused before
any parsing: MediaWiki never writes one, and a DTD is where entity-expansion
("billion laughs") and external-entity attacks live.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

__all__ = ["DumpError", "DumpPage", "iter_pages", "safe_file_name"]

#: How much of the start of the dump is searched for a DTD before the root element.
_PROLOG_LIMIT = 1 << 20


class DumpError(Exception):
    """The dump cannot be read (not XML, a DTD, not a MediaWiki dump)."""


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


class _NoDoctype(io.RawIOBase):
    """A binary stream that refuses a DOCTYPE/ENTITY declaration before the root element."""

    def __init__(self, stream: IO[bytes]) -> None:
        head = b""
        while b"<mediawiki" not in head and len(head) < _PROLOG_LIMIT:
            chunk = stream.read(65536)
            if not chunk:
                break
            head += chunk
        root = head.find(b"<mediawiki")
        prolog = head if root < 0 else head[:root]
        if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
            raise DumpError("the dump declares a DTD (refused: MediaWiki dumps have none, and DTD entities can attack)")
        if root < 0:
            raise DumpError("not a MediaWiki XML dump (no <mediawiki> element at the start)")
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def open_dump(path: str | Path) -> IO[bytes]:
    """The dump's XML bytes, decompressing ``.bz2`` and ``.gz`` on the fly."""
    name = str(path)
    if name.endswith(".bz2"):
        return bz2.open(name)  # binary, read
    if name.endswith(".gz"):
        return gzip.open(name)  # type: ignore[return-value]
    return open(name, "rb")


def iter_pages(stream: IO[bytes]) -> Iterator[DumpPage]:
    """Every page of the dump with the text of its last revision, one at a time.

    Read with ElementTree's pull parser (expat), each page's element dropped
    once read, so memory holds one page whatever the dump's size; the
    elements are matched by local name, whatever the export schema version.
    """
    from xml.etree.ElementTree import ParseError, XMLPullParser

    guarded = _NoDoctype(stream)
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
