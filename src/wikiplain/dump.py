"""Streaming MediaWiki XML dumps (``pages-articles.xml[.bz2]``) into plain articles.

The XML is read with ``mwxml`` one page at a time, so memory stays bounded
whatever the dump's size.  A dump whose prolog declares a DTD is refused before
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
    title: str
    namespace: int
    redirect: bool
    text: str | None


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
    """Every page of the dump with the text of its last revision, one at a time."""
    import mwxml
    from mwxml.errors import MalformedXML

    guarded = io.BufferedReader(_NoDoctype(stream), buffer_size=1 << 16)
    try:
        dump = mwxml.Dump.from_file(guarded)
        for page in dump:
            text = None
            for revision in page:  # a history dump has several; keep only the last in memory
                text = revision.text
            yield DumpPage(str(page.title), int(page.namespace or 0), bool(page.redirect), text)
    except (MalformedXML, SyntaxError, AssertionError) as e:  # ElementTree's ParseError is a SyntaxError
        raise DumpError(f"malformed dump XML: {e or type(e).__name__}") from None


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
