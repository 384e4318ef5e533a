"""Start-up: whole ``wikiplain`` processes beside a bare Python start.

    python bench/startup.py [--runs 20] [FILE]

Times, interleaved run by run, each as a whole process started from this one
(``subprocess``), the median of ``--runs``:

- ``python -c pass`` (the bare start every command pays);
- ``python -c "import wikiplain"``;
- ``wikiplain check FILE`` and ``wikiplain fmt --check FILE`` (the commands
  editors and pre-commit hooks run file by file), FILE being the seed article.

Prints each median and its difference from the bare start (issue 13's target:
within 120 ms).  The parser is loaded from Lark's cache (see
``wikiplain._grammar``), built once before the clock starts.  To see where the
rest goes: ``python -X importtime -m wikiplain check FILE``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "fixtures" / "articles" / "nampala-raid.txt"


# As an installed package runs: from compiled bytecode (pip compiles a wheel's
# modules; an editable install writes __pycache__ at its first import), even
# where the environment says not to write it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV)
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20, help="runs of each (default 20)")
    ap.add_argument("file", nargs="?", type=Path, default=SEED, help="the article (default: the seed)")
    args = ap.parse_args(argv)
    python = sys.executable
    script = Path(python).with_name("wikiplain")  # the console script, as users run it
    wikiplain = [str(script)] if script.exists() else [python, "-m", "wikiplain"]
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "import wikiplain": [python, "-c", "import wikiplain"],
        "wikiplain check FILE": [*wikiplain, "check", str(args.file)],
        "wikiplain fmt --check FILE": [*wikiplain, "fmt", "--check", str(args.file)],
    }
    for cmd in commands.values():  # warm the file cache and Lark's parser cache
        timed(cmd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd))
    bare = statistics.median(times["python -c pass"])
    print(f"{'process':<28} {'median':>9} {'- bare start':>13}   (median of {args.runs} runs, {args.file.name})")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"{name:<28} {median * 1000:>7.1f} ms {(median - bare) * 1000:>10.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
