"""Files written so that they are never seen half-written and survive a crash."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["publish", "write_atomically"]


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
