"""Worker processes on one machine, started the fastest safe way."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor

__all__ = ["process_pool"]


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes made by fork() when this process runs no other thread
    (they start at once, with everything imported), else started by a fork
    server: forking a process that runs threads (a progress bar's monitor, a
    test runner, an embedding application) can deadlock, and Python 3.12 warns
    about it.  With fork, ProcessPoolExecutor makes all its workers at the
    first task, before its own manager thread starts."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
    if "forkserver" not in methods:
        return ProcessPoolExecutor(max_workers=jobs)
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the reader once; each worker forked from it
    # starts with it loaded (else every worker imports it again: 0.3 s each).
    context.set_forkserver_preload(["wikiplain.partitions", "wikiplain.clean", "wikiplain.wikitext"])
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)
