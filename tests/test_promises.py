"""What README.md and docs/format.md promise, each asserted by its exact outcome.

Black-box where possible: through ``main(argv)`` or the public API.  Where a
promise is about how the work is done (processes, the bound on pages in
flight, fsync before rename), the test watches the standard library call that
does it and lets the real call go through.
"""

from __future__ import annotations

import bz2
import gzip
import importlib.metadata
import io
import multiprocessing
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import pytest

import wikiplain
import wikiplain._processes
import wikiplain.cli as cli
import wikiplain.data
import wikiplain.verify as verify
import wikiplain.wikitext
from wikiplain.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, main

from .conftest import FIXTURES, read_text, records
from .test_real import DUMP, write_dump

SEED = FIXTURES / "articles" / "nampala-raid.txt"


# -- processes: --jobs ---------------------------------------------------------------


class RecordingPool(ProcessPoolExecutor):
    """A real process pool that records how it was made and used."""

    made: ClassVar[list[int | None]] = []
    start_methods: ClassVar[list[str]] = []
    maps = 0

    def __init__(self, max_workers: int | None = None, **kwargs: Any) -> None:
        RecordingPool.made.append(max_workers)
        RecordingPool.start_methods.append(kwargs["mp_context"].get_start_method())
        super().__init__(max_workers=max_workers, **kwargs)

    def map(self, fn: Callable[..., Any], *iterables: Any, **kwargs: Any) -> Iterator[Any]:  # type: ignore[override]
        RecordingPool.maps += 1
        return super().map(fn, *iterables, **kwargs)


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> type[RecordingPool]:
    RecordingPool.made, RecordingPool.start_methods, RecordingPool.maps = [], [], 0
    monkeypatch.setattr(wikiplain._processes, "ProcessPoolExecutor", RecordingPool)
    return RecordingPool


@pytest.mark.parametrize(("jobs", "workers"), [("2", 2), ("3", 3), ("0", 5)])
def test_roundtrip_runs_files_in_n_processes(
    pool: type[RecordingPool],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    jobs: str,
    workers: int,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 5)  # --jobs 0: one process per core
    assert main(["roundtrip", str(FIXTURES / "articles"), "--jobs", jobs]) == EXIT_OK
    assert pool.made == [workers] and pool.maps == 1
    assert len(pool.start_methods) == 1
    count = len(list((FIXTURES / "articles").glob("*.txt")))
    assert capsys.readouterr().out == f"{count} passed, 0 failed\n"


@pytest.mark.parametrize("other_thread", [False, True])
def test_workers_are_forked_only_when_no_other_thread_runs(pool: type[RecordingPool], other_thread: bool) -> None:
    # fork() is instant and inherits the imports, but forking a process that
    # runs threads can deadlock: then a fork server starts the workers.
    import threading

    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    if other_thread:
        thread.start()
    try:
        assert main(["roundtrip", str(FIXTURES / "articles"), "--jobs", "2"]) == EXIT_OK
    finally:
        release.set()
        if other_thread:
            thread.join()
    expected = "forkserver" if other_thread or threading.active_count() > 1 else "fork"
    assert pool.start_methods == [expected]


def test_roundtrip_one_job_makes_no_pool(pool: type[RecordingPool], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["roundtrip", str(FIXTURES / "articles")]) == EXIT_OK
    assert pool.made == []


def many_pages_dump(path: Path, count: int) -> Path:
    page = (
        '<page><title>P{0}</title><ns>0</ns><id>{0}</id><revision><text xml:space="preserve">T {0}.</text></revision>'
        "</page>"
    )
    path.write_text(DUMP.split("<page>")[0] + "".join(page.format(i) for i in range(count)) + "</mediawiki>\n")
    return path


class Recorder:
    """A stand-in executor: runs each partition when it is waited for, and
    counts the partitions in flight."""

    in_flight = 4

    def __init__(self) -> None:
        self.pending: list[Future[Any]] = []
        self.most = 0
        self.sizes: list[int] = []

    def submit(self, partition: Any, settings: Any, xml: bytes | None) -> Future[Any]:
        from wikiplain.partitions import convert_partition

        future: Future[Any] = Future()
        future.set_result(convert_partition(partition, settings, xml))
        self.sizes.append(partition.pages)
        self.pending.append(future)
        self.most = max(self.most, len(self.pending))
        return future

    def wait_any(self, futures: list[Any]) -> list[Any]:
        oldest = self.pending.pop(0)
        return [oldest]

    def close(self) -> None:
        pass


def test_import_dump_keeps_at_most_twice_the_workers_partitions_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wikiplain.partitions as partitions

    recorder = Recorder()
    monkeypatch.setattr(partitions, "_executor", lambda jobs, scheduler, client: recorder)
    dump = many_pages_dump(tmp_path / "d.xml", 200)
    summary = wikiplain.convert_dump(dump, tmp_path / "out", partition_pages=16)
    assert (summary.articles, summary.partitions, summary.complete) == (200, 13, True)
    # The reader waits for a partition once more than `in_flight` are out (two for each worker).
    assert recorder.most == Recorder.in_flight + 1
    assert recorder.sizes == [16] * 12 + [8]


def test_a_partition_of_a_dump_read_in_order_holds_at_most_so_much_xml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wikiplain.partitions as partitions

    # (the pages travel from the reader to a worker: their size bounds the memory of both)
    recorder = Recorder()
    monkeypatch.setattr(partitions, "_executor", lambda jobs, scheduler, client: recorder)
    monkeypatch.setattr(partitions, "PARTITION_XML_BYTES", 1000)
    dump = many_pages_dump(tmp_path / "d.xml", 40)
    wikiplain.convert_dump(dump, tmp_path / "out", partition_pages=16)
    page_size = len(re.search(rb"<page>.*?</page>", dump.read_bytes()).group())  # type: ignore[union-attr]
    assert recorder.sizes[0] == -(-1000 // page_size) and sum(recorder.sizes) == 40


def test_import_dump_runs_partitions_in_n_local_processes_or_on_a_local_dask_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: type[RecordingPool]
) -> None:
    import distributed

    made: list[int] = []

    class Recording(distributed.LocalCluster):  # type: ignore[misc]
        def __init__(self, n_workers: int, **kwargs: Any) -> None:
            made.append(n_workers)
            super().__init__(n_workers=n_workers, **kwargs)

    monkeypatch.setattr(distributed, "LocalCluster", Recording)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    dump = str(many_pages_dump(tmp_path / "d.xml", 12))
    args = ["import-dump", dump, "--partition-pages", "5", "-o"]
    assert main([*args, str(tmp_path / "a"), "--jobs", "2"]) == EXIT_OK
    assert main([*args, str(tmp_path / "b"), "--jobs", "0"]) == EXIT_OK
    assert pool.made == [2, 3] and made == []  # processes of this machine: no Dask
    assert main([*args, str(tmp_path / "c"), "--jobs", "2", "--scheduler", "local"]) == EXIT_OK
    assert made == [2]
    assert main([*args, str(tmp_path / "d")]) == EXIT_OK  # --jobs 1 (the default): in this process
    assert pool.made == [2, 3] and made == [2]
    for name in ("part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"):
        assert read_text(tmp_path / "a" / name) == read_text(tmp_path / "c" / name) == read_text(tmp_path / "d" / name)


def test_a_partition_whose_local_worker_dies_runs_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import wikiplain.partitions as partitions

    dump = many_pages_dump(tmp_path / "d.xml", 40)
    flag = tmp_path / "killed"
    real = partitions._article

    def dies_once(page: Any, settings: Any) -> Any:
        if page.title == "P12" and not flag.exists():  # in partition 2
            flag.touch()
            os._exit(1)  # the worker process dies mid-partition
        return real(page, settings)

    monkeypatch.setattr(partitions, "_article", dies_once)
    # Forked workers see the stand-in (a fork server's would not: it is used
    # when other threads run, as after a Dask test in this process).
    fork = multiprocessing.get_context("fork")
    monkeypatch.setattr(wikiplain._processes, "process_pool", lambda jobs: ProcessPoolExecutor(jobs, mp_context=fork))
    summary = wikiplain.convert_dump(dump, tmp_path / "out", jobs=2, partition_pages=5)
    assert flag.exists() and summary.complete and summary.errors == 0 and summary.articles == 40
    assert [r["page_id"] for r in records(tmp_path / "out")] == list(range(40))


# -- files: atomic and durable ----------------------------------------------------------


def test_outputs_are_synced_to_disk_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # After a crash a renamed file must not turn out empty: its bytes reach the
    # disk (fsync) before the rename makes it visible under its name.
    events: list[tuple[str, Any]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        status = os.fstat(fd)
        events.append(("fsync folder", None) if stat.S_ISDIR(status.st_mode) else ("fsync", status.st_size))
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append(("replace", Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    source = tmp_path / "a.txt"
    source.write_text("= T = \n", encoding="utf-8")
    assert main(["to-wikitext", str(source), "-o", str(tmp_path / "out")]) == EXIT_OK
    written = (tmp_path / "out" / "a.wiki").read_bytes()
    assert events == [("fsync", len(written)), ("replace", "a.wiki"), ("fsync folder", None)]
    events.clear()
    assert main(["fmt", "--in-place", str(source)]) == EXIT_OK
    assert events == [("fsync", len("= T =\n")), ("replace", "a.txt"), ("fsync folder", None)]
    events.clear()
    assert main(["import-dump", str(write_dump(tmp_path / "d.xml")), "-o", str(tmp_path / "p")]) == EXIT_OK
    at = events.index(("replace", "part-00000.jsonl"))
    size = (tmp_path / "p" / "part-00000.jsonl").stat().st_size
    assert events[at - 1 : at + 2] == [("fsync", size), ("replace", "part-00000.jsonl"), ("fsync folder", None)]


def test_new_outputs_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        source = tmp_path / "a.txt"
        source.write_text("= T =\n", encoding="utf-8")
        assert main(["to-wikitext", str(source), "-o", str(tmp_path / "out")]) == EXIT_OK
        assert main(["import-dump", str(write_dump(tmp_path / "d.xml")), "-o", str(tmp_path / "p")]) == 0
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "a.wiki").stat().st_mode & 0o777 == 0o644
    for name in ("part-00000.jsonl", "_manifest.json", "_errors.jsonl", "_SUCCESS", "_progress.jsonl"):
        assert (tmp_path / "p" / name).stat().st_mode & 0o777 == 0o644, name


@pytest.mark.parametrize("command", ["to-wikitext", "from-wikitext"])
def test_output_must_be_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    taken = tmp_path / "taken"
    taken.write_text("keep me\n", encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text("= T =\n", encoding="utf-8")
    assert main([command, str(source), "-o", str(taken)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"wikiplain: {taken}: is not a directory\n"
    assert read_text(taken) == "keep me\n"


def test_import_dump_output_must_be_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taken = tmp_path / "taken.txt"
    taken.write_text("keep me\n", encoding="utf-8")
    dump = str(write_dump(tmp_path / "d.xml"))
    assert main(["import-dump", dump, "-o", str(taken)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"wikiplain: {taken}: is not a directory\n"
    assert read_text(taken) == "keep me\n"
    # (-o FILE.jsonl once wrote one file: now the parts go in a folder)
    assert main(["import-dump", dump, "-o", str(tmp_path / "pages.jsonl")]) == EXIT_BAD_INPUT
    assert "-o takes a directory (the parts are written in it); choose the format with --format" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "pages.jsonl").exists()


def test_import_dump_never_writes_over_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me\n", encoding="utf-8")
    assert main(["import-dump", str(write_dump(tmp_path / "d.xml")), "-o", str(out)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        f"wikiplain: {out}: is not empty (give --resume to finish the run it holds, or an empty or new directory)\n"
    )
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_fmt_in_place_refuses_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--in-place", "-"]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == "wikiplain: --in-place cannot rewrite standard input\n"


# -- dumps -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xml", ".xml.bz2", ".xml.gz"])
def test_import_dump_reads_plain_bz2_and_gzip(tmp_path: Path, suffix: str) -> None:
    xml = write_dump(tmp_path / "d.xml").read_bytes()
    dump = tmp_path / f"dump{suffix}"
    dump.write_bytes({".xml": xml, ".xml.bz2": bz2.compress(xml), ".xml.gz": gzip.compress(xml)}[suffix])
    out = tmp_path / "pages"
    assert main(["import-dump", str(dump), "-o", str(out)]) == EXIT_OK
    assert [r["title"] for r in records(out)] == ["Lake Imara", 'AC/DC: a "band"?']


@pytest.mark.parametrize(
    "prolog",
    [
        '<?xml version="1.0"?>\n<!ENTITY x "y">\n',
        '<?xml version="1.0"?>\n<!doctype mediawiki>\n',
        '<?xml version="1.0"?>\n<!DOCTYPE mediawiki SYSTEM "http://example.org/x.dtd">\n',
    ],
)
def test_import_dump_refuses_any_dtd_declaration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], prolog: str
) -> None:
    dump = tmp_path / "d.xml"
    dump.write_text(prolog + DUMP, encoding="utf-8")
    assert main(["import-dump", str(dump), "-o", str(tmp_path / "out")]) == EXIT_BAD_INPUT
    refused = "the dump declares a DTD (refused: MediaWiki dumps have none, and DTD entities can attack)"
    assert capsys.readouterr().err == f"wikiplain: {dump}: {refused}\n"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


REFERENCE_PAGE = "'''X''' is a place.\n\n== History ==\nOld.\n\n== References ==\n* A book.\n"


def test_import_dump_keep_reference_sections(tmp_path: Path) -> None:
    page = '<page><title>X</title><ns>0</ns><id>1</id><revision><text xml:space="preserve">{}</text></revision></page>'
    dump = tmp_path / "d.xml"
    dump.write_text(DUMP.split("<page>")[0] + page.format(REFERENCE_PAGE) + "</mediawiki>\n", encoding="utf-8")
    assert main(["import-dump", str(dump), "-o", str(tmp_path / "a"), "--format", "txt"]) == EXIT_OK
    assert read_text(tmp_path / "a" / "X.txt") == "= X =\n\nX is a place.\n\n== History ==\nOld.\n"
    args = ["import-dump", str(dump), "-o", str(tmp_path / "b"), "--format", "txt", "--keep-reference-sections"]
    assert main(args) == EXIT_OK
    assert read_text(tmp_path / "b" / "X.txt") == (
        "= X =\n\nX is a place.\n\n== History ==\nOld.\n\n== References ==\n- A book.\n"
    )


def test_from_wikitext_title_and_keep_reference_sections(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "page_name.wiki"
    source.write_text(REFERENCE_PAGE, encoding="utf-8")
    assert main(["from-wikitext", str(source)]) == EXIT_OK
    assert capsys.readouterr().out == "= page name =\n\nX is a place.\n\n== History ==\nOld.\n"
    assert main(["from-wikitext", str(source), "--title", "Given", "--keep-reference-sections"]) == EXIT_OK
    assert capsys.readouterr().out == (
        "= Given =\n\nX is a place.\n\n== History ==\nOld.\n\n== References ==\n- A book.\n"
    )


# -- the terminal -------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["roundtrip", str(FIXTURES / "articles")]) == EXIT_OK
    count = len(list((FIXTURES / "articles").glob("*.txt")))
    # tqdm draws the bar (with its total) at once, then redraws at most every 0.1 s.
    assert f"0/{count} [" in terminal.getvalue() and "file/s]" in terminal.getvalue()
    terminal.seek(0)
    terminal.truncate()
    assert main(["roundtrip", str(FIXTURES / "articles"), "--no-progress"]) == EXIT_OK
    assert terminal.getvalue() == ""


def test_import_dump_progress_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["import-dump", str(write_dump(tmp_path / "d.xml")), "-o", str(tmp_path / "out")]) == EXIT_OK
    # After each partition: pages, partitions done of those met so far (a dump read in order has no
    # known end: "1+"), pages/s; the line is cleared at the end.
    shown = terminal.getvalue()
    assert re.fullmatch(r"\r4 pages, 1/1\+ partitions, \d+ pages/s \r\x1b\[K", shown), shown


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    version = importlib.metadata.version("wikiplain")
    assert capsys.readouterr().out == f"wikiplain {version}\n"
    assert wikiplain.__version__ == version


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    # `wikiplain parse big.txt | head`: the reader went away; no traceback.
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["parse", str(SEED)]) == EXIT_OK
    assert main(["fmt", str(SEED)]) == EXIT_OK


# -- the API refuses what it cannot do ----------------------------------------------------


@pytest.mark.parametrize("value", [None, b"= T =\n", 3, {"title": "T"}])
def test_to_wikitext_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError, match=r"^to_wikitext\(\) takes an Article or a str, not "):
        wikiplain.to_wikitext(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [None, b"= T =\n", 3])
def test_from_wikitext_and_parse_refuse_other_types(value: object) -> None:
    with pytest.raises(TypeError, match=r"^from_wikitext\(\) takes a str, not "):
        wikiplain.from_wikitext(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        wikiplain.parse(value)  # type: ignore[arg-type]


def test_deep_replace_of_a_node_from_elsewhere_is_refused() -> None:
    article = wikiplain.parse("= T =\n\n== A ==\nx\n")
    other = wikiplain.parse("= T =\n\n== A ==\nx\n")
    assert other.sections[0] == article.sections[0]  # equal, but not the same node
    with pytest.raises(ValueError, match=r"^the node to replace is not part of this article$"):
        article.deep_replace(other.sections[0], other.sections[0].renamed("B"))
    renamed = article.deep_replace(article.sections[0], article.sections[0].renamed("B"))
    assert wikiplain.dumps(renamed) == "= T =\n\n== B ==\nx\n"


def test_exit_codes_are_documented() -> None:
    assert (EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, cli.EXIT_INTERRUPTED) == (0, 1, 2, 130)


# -- exact outputs ---------------------------------------------------------------------


def test_parse_prints_indented_utf8_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text("= Ségou 日本 =\n\nInfobox\n- Länge: 2 km\n", encoding="utf-8")
    assert main(["parse", str(source)]) == EXIT_OK
    assert capsys.readouterr().out == (
        "{\n"
        '  "schema_version": 1,\n'
        '  "title": "Ségou 日本",\n'
        '  "infobox": {\n'
        '    "type": null,\n'
        '    "fields": [\n'
        "      {\n"
        '        "key": "Länge",\n'
        '        "value": "2 km"\n'
        "      }\n"
        "    ]\n"
        "  },\n"
        '  "lead": [],\n'
        '  "sections": []\n'
        "}\n"
    )


def test_parse_several_prints_compact_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("= Ségou =\n", encoding="utf-8")
    b.write_text("x\n", encoding="utf-8")
    assert main(["parse", str(a), str(b)]) == EXIT_OK
    assert capsys.readouterr().out == (
        f'{{"path": "{a}", "schema_version": 1, "title": "Ségou", "infobox": null, "lead": [], "sections": []}}\n'
        f'{{"path": "{b}", "schema_version": 1, "title": null, "infobox": null, '
        '"lead": [{"type": "paragraph", "text": "x"}], "sections": []}\n'
    )


def test_schema_prints_the_published_schema(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["schema"]) == EXIT_OK
    out = capsys.readouterr().out
    schema_file = Path(wikiplain.__file__).with_name("article.schema.json")
    assert json.loads(out) == json.loads(schema_file.read_text(encoding="utf-8")) == wikiplain.json_schema()
    assert out.startswith('{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n  "$id": ')
    assert '"bom": {\n          "enum": [\n            "",\n            "\ufeff"\n          ]' in out  # UTF-8, not \\u


def test_fmt_diff_shows_invisible_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"= T =\r\n\r\nText\twith a tab.  \r\nNo final newline")
    assert main(["fmt", "--diff", str(source)]) == EXIT_FAILED
    assert capsys.readouterr().out == (
        f"--- {source} (original)\n"
        f"+++ {source} (formatted)\n"
        "@@ -1,4 +1,4 @@\n"
        "-= T =\\r\n"
        "-\\r\n"
        "-Text\\twith a tab.··\\r\n"
        "-No final newline\n"
        "\\ No newline at end of file\n"
        "+= T =\n"
        "+\n"
        "+Text\\twith a tab.\n"
        "+No final newline\n"
    )


def test_console_script_writes_utf8_whatever_the_locale(tmp_path: Path) -> None:
    import subprocess

    source = tmp_path / "a.txt"
    source.write_text("= Ségou 日本 =\n", encoding="utf-8")
    script = Path(sys.executable).with_name("wikiplain")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIOENCODING", "PYTHONUTF8"))}
    env.update({"LC_ALL": "C", "PYTHONIOENCODING": "ascii"})
    done = subprocess.run([str(script), "fmt", str(source)], capture_output=True, env=env, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "= Ségou 日本 =\n".encode(), b"")
    done = subprocess.run(
        [str(script), "check", str(tmp_path / "missing.txt")], capture_output=True, env=env, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        b"",
        f"wikiplain: {tmp_path}/missing.txt: no such file\n".encode(),
    )


def test_the_progress_bar_starts_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(sys, "stderr", Terminal())
    assert main(["roundtrip", str(FIXTURES / "articles")]) == EXIT_OK
    assert [t for t in threading.enumerate() if type(t).__name__ == "TMonitor"] == []  # tqdm's monitor thread


# -- standard input, names and messages -------------------------------------------------


def test_standard_input_is_named_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def stdin(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    stdin(b"x\r\ny\n")
    assert main(["check", "-"]) == EXIT_FAILED
    assert capsys.readouterr().out == (
        "<stdin>:1:1: E101 the article does not start with a '= Title =' line\n"
        "<stdin>:2:2: W205 line ends with LF but line 1 ends with CRLF\n"
    )
    stdin(b"'''Bold''' page.\n")  # a real page without a title: none is made up from "stdin"
    assert main(["from-wikitext", "-", "-o", str(tmp_path / "out")]) == EXIT_OK
    assert read_text(tmp_path / "out" / "stdin.txt") == "Bold page.\n"
    stdin(b"= T =\n")
    assert main(["to-wikitext", "-", "-o", str(tmp_path / "out")]) == EXIT_OK
    assert read_text(tmp_path / "out" / "stdin.wiki") == "= T =\n"
    stdin(b"")
    assert main(["parse", "-"]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == "wikiplain: <stdin>: file is empty\n"


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(13, "Permission denied"), "permission denied"),
        (OSError(5, "Input/output error"), "cannot read: Input/output error"),
        (OSError("no errno"), "cannot read: no errno"),
    ],
)
def test_unreadable_files_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: OSError, message: str
) -> None:
    source = tmp_path / "a.txt"
    source.write_text("= T =\n", encoding="utf-8")

    def read_bytes(self: Path) -> bytes:
        raise error

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert main(["check", str(source)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"wikiplain: {source}: {message}\n"


def test_check_reports_mixed_line_ends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"= T =\r\n\r\nText\n")
    assert main(["check", str(source)]) == EXIT_OK
    assert capsys.readouterr().out == f"{source}:3:5: W205 line ends with LF but line 1 ends with CRLF\n"


def test_diff_shows_tabs_and_carriage_returns_inside_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"= T =\n\na\rb \t\n")
    assert main(["fmt", "--diff", str(source)]) == EXIT_FAILED
    assert capsys.readouterr().out.splitlines()[-2:] == ["-a\\rb \\t", "+a\\rb"]
    source.write_bytes("= T =\n\na\u2028b \n".encode())  # U+2028 does not end a line either
    assert main(["fmt", "--diff", str(source)]) == EXIT_FAILED
    assert capsys.readouterr().out.split("\n")[-3:] == ["-a\u2028b·", "+a\u2028b", ""]
    source.write_bytes(b"= T =\n\nA\n\nLast X \nno end")  # an X before a trailing space; a last line after a blank
    assert main(["fmt", "--diff", str(source)]) == EXIT_FAILED
    assert capsys.readouterr().out.split("\n")[-6:] == [
        "-Last X·",
        "-no end",
        "\\ No newline at end of file",
        "+Last X",
        "+no end",
        "",
    ]


def test_roundtrip_failures_name_each_check_and_what_it_compared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.txt"
    source.write_text("= T =\n", encoding="utf-8")
    source.with_suffix(".json").write_text(
        '{"schema_version": 1, "title": "T", "infobox": null, "lead": [], "sections": []}', encoding="utf-8"
    )
    source.with_suffix(".wiki").write_text("= T =\n", encoding="utf-8")
    monkeypatch.setattr(verify, "dumps", lambda node: "broken\n")
    monkeypatch.setattr(wikiplain.wikitext, "to_wikitext", lambda article: "= Other =\n")
    assert main(["roundtrip", str(source)]) == EXIT_FAILED
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line.startswith(("FAIL", "---", "+++"))]
    assert headers == [
        f"FAIL {source}: parse-dumps", f"--- {source} (input)", f"+++ {source} (parse-dumps)",
        f"FAIL {source}: json-trivia", f"--- {source} (input)", f"+++ {source} (json-trivia)",
        f"FAIL {source}: wikitext", f"--- {source} (input)", f"+++ {source} (wikitext)",
        f"FAIL {source}: golden-wiki", f"--- {source} (a.wiki)", f"+++ {source} (golden-wiki)",
    ]  # fmt: skip
    assert out.endswith("0 passed, 1 failed\n")
    monkeypatch.undo()
    other = wikiplain.parse("= Other =\n")
    monkeypatch.setattr(wikiplain.data, "from_dict", lambda data: other)
    monkeypatch.setattr(wikiplain.wikitext, "from_wikitext", lambda wikitext: other)
    assert main(["roundtrip", str(source)]) == EXIT_FAILED
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line.startswith(("FAIL", "---", "+++"))]
    assert headers == [
        f"FAIL {source}: json", f"--- {source} (normalize(input))", f"+++ {source} (json)",
        f"FAIL {source}: json-trivia", f"--- {source} (input)", f"+++ {source} (json-trivia)",
        f"FAIL {source}: wikitext", f"--- {source} (input)", f"+++ {source} (wikitext)",
        f"FAIL {source}: wikitext-canonical",
        f"--- {source} (to_wikitext(input))",
        f"+++ {source} (wikitext-canonical)",
    ]  # fmt: skip


def test_roundtrip_reports_an_exception_and_runs_the_other_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.txt"
    source.write_text("= T =\n", encoding="utf-8")

    def boom(text: str, path: Path) -> tuple[str, str, str]:
        raise ValueError("boom")

    monkeypatch.setitem(verify.ROUND_TRIPS, "parse-dumps", boom)
    monkeypatch.setitem(verify.ROUND_TRIPS, "json", lambda text, path: ("a\n", "b\n", "x"))
    assert main(["roundtrip", str(source)]) == EXIT_FAILED
    assert capsys.readouterr().out == (
        f"FAIL {source}: parse-dumps\nValueError: boom\n"
        f"FAIL {source}: json\n--- {source} (x)\n+++ {source} (json)\n@@ -1 +1 @@\n-a\n+b\n"
        "0 passed, 1 failed\n"
    )


def test_convert_goes_on_after_a_refused_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A refused input (its output would overwrite it; a stem already written)
    # is reported, and the files after it are still converted; -o makes
    # missing parent folders.
    out = tmp_path / "new" / "nested"
    first, again, last = tmp_path / "a.txt", tmp_path / "sub" / "a.txt", tmp_path / "b.txt"
    again.parent.mkdir()
    for path in (first, again, last):
        path.write_text("= T =\n", encoding="utf-8")
    assert main(["to-wikitext", str(first), str(again), str(last), "-o", str(out)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        f"wikiplain: {again}: {out / 'a.wiki'} was already written from another input with the same name\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["a.wiki", "b.wiki"]
    wiki = tmp_path / "c.wiki"
    wiki.write_text("= C =\n", encoding="utf-8")
    assert main(["from-wikitext", str(wiki), str(last.with_suffix(".wiki")), "-o", str(tmp_path)]) == EXIT_BAD_INPUT
    assert read_text(tmp_path / "c.txt") == "= C =\n"  # written; then b.wiki is missing: reported


def test_several_files_need_an_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["to-wikitext", str(SEED), str(SEED)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == "wikiplain: several files need -o DIR (one output file per input)\n"


def test_an_output_that_would_overwrite_its_input_is_refused_and_the_rest_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same, other = tmp_path / "a.wiki", tmp_path / "src" / "b.wiki"
    other.parent.mkdir()
    same.write_text("= A =\n", encoding="utf-8")
    other.write_text("= B =\n", encoding="utf-8")
    assert main(["to-wikitext", str(same), str(other), "-o", str(tmp_path)]) == EXIT_BAD_INPUT
    assert (
        capsys.readouterr().err == f"wikiplain: {same}: the output would overwrite the input; choose another -o DIR\n"
    )
    assert read_text(same) == "= A =\n"
    assert read_text(tmp_path / "b.wiki") == "= B =\n"


def test_entry_writes_utf8_and_exits_with_the_status(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The console script, in-process: whatever encoding the streams had, UTF-8 out.
    source = tmp_path / "a.txt"
    source.write_text("= Ségou 日本 =\n", encoding="utf-8")
    out, err = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="ascii"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(err, encoding="ascii"))
    monkeypatch.setattr(sys, "argv", ["wikiplain", "fmt", str(source), str(tmp_path / "missing.txt")])
    with pytest.raises(SystemExit) as exit_info:
        cli.entry()
    sys.stdout.flush()
    sys.stderr.flush()
    assert exit_info.value.code == EXIT_BAD_INPUT
    assert out.getvalue() == "= Ségou 日本 =\n".encode()
    assert err.getvalue() == f"wikiplain: {tmp_path / 'missing.txt'}: no such file\n".encode()
    assert (sys.stdout.encoding, sys.stdout.errors) == ("utf-8", "backslashreplace")


def test_import_dump_writes_utf8_json_lines(tmp_path: Path) -> None:
    page = (
        '<page><title>Ségou</title><ns>0</ns><id>1</id><revision><text xml:space="preserve">Été.</text></revision>'
        "</page>"
    )
    dump = tmp_path / "d.xml"
    dump.write_text(DUMP.split("<page>")[0] + page + "</mediawiki>\n", encoding="utf-8")
    out = tmp_path / "p"
    assert main(["import-dump", str(dump), "-o", str(out)]) == EXIT_OK
    assert read_text(out / "part-00000.jsonl") == (
        '{"page_id": 1, "revision_id": null, "timestamp": null, "namespace": 0, "title": "Ségou", '
        '"redirect_target": null, "article": {"schema_version": 1, "title": "Ségou", "infobox": null, '
        '"lead": [{"type": "paragraph", "text": "Été."}], "sections": []}}\n'
    )


def test_a_page_titled_from_its_file_name_keeps_the_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "Some_page.wiki"
    source.write_text("'''X''' {{unknown}}.\n\n== References ==\n* A book.\n", encoding="utf-8")
    assert main(["from-wikitext", str(source), "--keep-reference-sections"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out == "= Some page =\n\nX.\n\n== References ==\n- A book.\n"
    assert captured.err == f"{source}:1:1: W304 template {{{{unknown}}}} dropped (1 time)\n"


def test_import_dump_reads_pages_as_real_pages(tmp_path: Path) -> None:
    # A page without markup is still a real page: its references section goes
    # (the exact reading would keep it).
    page = '<page><title>P</title><ns>0</ns><id>1</id><revision><text xml:space="preserve">{}</text></revision></page>'
    dump = tmp_path / "d.xml"
    dump.write_text(DUMP.split("<page>")[0] + page.format("Text.\n\n== References ==\n* A book.\n") + "</mediawiki>\n")
    assert main(["import-dump", str(dump), "-o", str(tmp_path / "out"), "--format", "txt"]) == EXIT_OK
    assert read_text(tmp_path / "out" / "P.txt") == "= P =\n\nText.\n"


@pytest.mark.parametrize(
    ("args", "extra", "needs"),
    [
        (["--scheduler", "local"], "dask", "--scheduler needs distributed"),
        (["--scheduler", "tcp://127.0.0.1:1"], "dask", "--scheduler needs distributed"),
        (["--format", "parquet"], "parquet", "--format parquet needs pyarrow"),
    ],
)
def test_a_missing_extra_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], extra: str,
    needs: str,
) -> None:  # fmt: skip
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name in ("distributed", "pyarrow") else real(name, *a)
    )
    out = tmp_path / "out"
    assert main(["import-dump", str(write_dump(tmp_path / "d.xml")), "-o", str(out), *args]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"wikiplain: {needs}: pip install 'wikiplain[{extra}]'\n"
    assert not out.exists()


def test_split_dumps_given_as_a_glob_are_read_in_their_order(tmp_path: Path) -> None:
    page = "<page><title>P{0}</title><ns>0</ns><id>{0}</id><revision><text>T.</text></revision></page>"
    head = DUMP.split("<page>")[0]
    for first in (1, 10, 2):  # p1p1, p2p2, p10p10: the natural order is by the numbers
        dump = tmp_path / f"wiki-pages-articles{first}.xml-p{first}p{first}.bz2"
        dump.write_bytes(bz2.compress((head + page.format(first) + "</mediawiki>\n").encode()))
    out = tmp_path / "out"
    assert main(["import-dump", str(tmp_path / "wiki-pages-articles*.bz2"), "-o", str(out)]) == EXIT_OK
    assert [r["page_id"] for r in records(out)] == [1, 2, 10]
    assert sorted(p.name for p in out.glob("part-*")) == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]


def test_redirects_are_records_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = write_dump(tmp_path / "d.xml")
    assert main(["import-dump", str(dump), "-o", str(tmp_path / "out"), "--redirects"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[0] == (
        "2 articles written, 1 redirects written, 1 pages outside the article namespace skipped, 0 failed"
    )
    redirect = [r for r in records(tmp_path / "out") if r["article"] is None]
    assert [(r["title"], r["redirect_target"]) for r in redirect] == [("Imara Lake", "Lake Imara")]
    args = ["import-dump", str(dump), "-o", str(tmp_path / "txt"), "--redirects", "--format", "txt"]
    assert main(args) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        "wikiplain: redirects are written as records (jsonl, jsonl.gz or parquet): a redirect has no plain article\n"
    )
    assert not (tmp_path / "txt").exists()


def test_import_dump_progress_knows_every_partition_of_a_multistream_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wikiplain.dump import write_multistream

    head = DUMP.split("<page>")[0]
    page = "<page><title>P{0}</title><ns>0</ns><id>{0}</id><revision><text>T.</text></revision></page>"
    dump, _ = write_multistream(tmp_path / "p-multistream.xml.bz2", head, [page.format(n) for n in range(6)], 2)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["import-dump", str(dump), "-o", str(tmp_path / "out"), "--partition-pages", "2"]) == EXIT_OK
    shown = terminal.getvalue()
    assert re.fullmatch(r"\r2 pages, 1/3 partitions, \d+ pages/s \r4 pages, 2/3 partitions, \d+ pages/s "
                        r"\r6 pages, 3/3 partitions, \d+ pages/s \r\x1b\[K", shown), shown  # fmt: skip
