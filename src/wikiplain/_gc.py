"""Reading a large text without the cyclic garbage collector.

Reading creates millions of small objects (tokens, nodes) that hold no
reference cycles; each allocation burst makes the collector traverse all of
them again, which took more than half the time of reading 1 MB of headings or
entities.  Mercurial does the same around building large containers
(``util.nogc``).  The collector is paused only for large texts and only if it
was running, and restarted whatever happens; reference counting frees memory
as usual meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Texts shorter than this are read with the collector as it is (the pause
#: would gain nothing measurable).
LARGE = 100_000


@contextmanager
def collector_paused(size: int) -> Iterator[None]:
    """Pause the cyclic garbage collector while a text of ``size`` characters is read."""
    if size < LARGE or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
