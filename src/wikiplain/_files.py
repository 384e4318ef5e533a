"""File input and output: an article's file read exactly (or a clear
InputError), the files under folders, and files written so that they are
never seen half-written and survive a crash."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError

__all__ = ["STDIN", "collect_files", "publish", "read_article", "write_atomically"]

#: The file name that stands for standard input.
STDIN = "-"


def read_article(path: str) -> str:
    """The exact text of a file (``-`` is standard input), or InputError."""
    name = "<stdin>" if path == STDIN else path
    try:
        data = sys.stdin.buffer.read() if path == STDIN else Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, expected a file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as e:
        raise InputError(f"{name}: cannot read: {e.strerror or e}") from None
    if not data:
        raise InputError(f"{name}: file is empty")
    try:
        return data.decode()
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not valid UTF-8 (byte 0x{data[e.start]:02x} at byte offset {e.start})") from None


def collect_files(paths: Sequence[str], suffix: str = ".txt") -> tuple[list[str], list[str]]:
    """The files named or found under the directories, and the errors for missing paths."""
    files: list[str] = []
    errors: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(str(f) for f in sorted(path.rglob(f"*{suffix}")) if f.is_file())
        elif path.exists():
            files.append(p)
        else:
            errors.append(f"{p}: no such file or directory")
    return files, errors


def write_atomically(path: str, text: str) -> None:
    """Write a file (new or replaced) so that it is never seen half-written."""
    import tempfile

    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode())
        publish(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish(tmp: str, target: Path) -> None:
    """Give a finished temporary file its name: its bytes on disk first (so
    that after a crash the name never holds an empty file), the mode of the
    file it replaces or the usual mode of a new file (mkstemp makes 0600),
    then an atomic rename, itself synced."""
    with open(tmp, "rb") as written:
        os.fsync(written.fileno())
    if target.exists():
        mode = target.stat().st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    os.replace(tmp, target)
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX: the folder's entry is data too)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform; the rename itself is done
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder
        pass
    finally:
        os.close(fd)
