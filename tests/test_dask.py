"""Dumps converted on a local Dask cluster of 2 workers: every article once,
the same parts as one process, and damage that stops nothing else.

The dumps are built here from real pages (``../shared/corpus/wikitext`` when it
is there, else the project's own ``fixtures/real``), as Wikimedia publishes
them: multistream with its index, and one bz2 stream.
"""

from __future__ import annotations

import bz2
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import dask
import pytest
from distributed import Client, LocalCluster, WorkerPlugin

import wikiplain
from wikiplain.dump import stream_ranges, write_multistream

from .conftest import FIXTURES, read_text, records

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "wikitext"
HEADER = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">\n'
    "  <siteinfo>\n    <sitename>Wikipedia</sitename>\n  </siteinfo>\n"
)


def real_pages() -> list[str]:
    sources = sorted(SHARED.glob("*.wikitext"))[:30] or sorted((FIXTURES / "real").glob("*.wikitext"))
    return [read_text(p) for p in sources]


def page_xml(n: int, text: str) -> str:
    """Page ``n``: an article, or every 7th a redirect and every 11th a talk page."""
    ns, title = (1, f"Talk:Page {n}") if n % 11 == 0 else (0, f"Page {n}")
    if n % 7 == 0:
        text = f"#REDIRECT [[Page {n + 1}]]"
    return (
        f"  <page>\n    <title>{title}</title>\n    <ns>{ns}</ns>\n    <id>{n}</id>\n"
        f"    <revision>\n      <id>{1000 + n}</id>\n      <timestamp>2014-01-0{n % 9 + 1}T00:00:00Z</timestamp>\n"
        f'      <text xml:space="preserve">{escape(text)}</text>\n    </revision>\n  </page>\n'
    )


def dump_pages(count: int) -> list[str]:
    texts = real_pages()
    return [page_xml(n, texts[n % len(texts)]) for n in range(1, count + 1)]


def articles_of(count: int) -> list[int]:
    return [n for n in range(1, count + 1) if n % 11 and n % 7]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster, Client(cluster) as c:
        yield c


def without_times(outdir: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(read_text(outdir / "_manifest.json"))
    for part in manifest["partitions"]:
        del part["seconds"]
    return manifest


def same_parts(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.glob("part-*"))
    assert names == sorted(p.name for p in b.glob("part-*")) and names
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert without_times(a) == without_times(b)
    assert read_text(a / "_errors.jsonl") == read_text(b / "_errors.jsonl")


@pytest.mark.parametrize("form", ["multistream", "one stream"])
def test_every_article_once_and_the_same_parts_as_one_process(tmp_path: Path, client: Client, form: str) -> None:
    pages = dump_pages(150)
    if form == "multistream":
        dump, _ = write_multistream(tmp_path / "w-multistream.xml.bz2", HEADER, pages, per_stream=10)
    else:
        dump = tmp_path / "w-pages-articles.xml.bz2"
        dump.write_bytes(bz2.compress((HEADER + "".join(pages) + "</mediawiki>\n").encode()))
    on_dask = wikiplain.convert_dump(dump, tmp_path / "dask", client=client, partition_pages=30)
    alone = wikiplain.convert_dump(dump, tmp_path / "alone", partition_pages=30)
    ids = [r["page_id"] for r in records(tmp_path / "dask")]
    assert sorted(ids) == articles_of(150) and len(ids) == len(set(ids))
    assert (on_dask.partitions, on_dask.articles, on_dask.redirects, on_dask.other_namespaces) == (5, 117, 20, 13)
    assert on_dask.complete and on_dask.errors == 0 and (tmp_path / "dask" / "_SUCCESS").exists()
    assert (alone.partitions, alone.articles) == (5, 117)
    same_parts(tmp_path / "dask", tmp_path / "alone")
    manifest = without_times(tmp_path / "dask")
    assert [(p["page_id_min"], p["page_id_max"]) for p in manifest["partitions"]] == [
        (1, 30), (31, 60), (61, 90), (91, 120), (121, 150)
    ]  # fmt: skip
    first = records(tmp_path / "dask")[0]
    assert {k: first[k] for k in ("page_id", "revision_id", "timestamp", "namespace", "title")} == {
        "page_id": 1, "revision_id": 1001, "timestamp": "2014-01-02T00:00:00Z", "namespace": 0, "title": "Page 1"
    }  # fmt: skip


class KillWorker(WorkerPlugin):  # type: ignore[misc]
    """Kills the worker process as it starts running a partition (the first
    time only, unless ``always``): a machine lost mid-partition."""

    def __init__(self, part: str, flag: str, always: bool = False) -> None:
        self.part, self.flag, self.always = part, flag, always

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish == "executing" and self.part in str(key) and (self.always or not os.path.exists(self.flag)):
            Path(self.flag).touch()
            os._exit(1)


@pytest.fixture
def fragile_client() -> Iterator[Client]:
    """A cluster of its own (its workers get killed), that gives up on a task
    after 2 workers died running it.  (As in the clusters import-dump makes,
    a worker holds one partition at a time: a partition queued on a worker
    that dies would count that death too.)"""
    config = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(config), LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
    ) as cluster, Client(cluster) as c:
        yield c


def test_a_partition_whose_worker_dies_runs_again_and_none_is_lost_or_written_twice(
    tmp_path: Path, fragile_client: Client
) -> None:
    dump, _ = write_multistream(tmp_path / "k-multistream.xml.bz2", HEADER, dump_pages(120), per_stream=10)
    fragile_client.register_plugin(KillWorker("part-00002", str(tmp_path / "killed")))
    summary = wikiplain.convert_dump(dump, tmp_path / "dask", client=fragile_client, partition_pages=30)
    assert (tmp_path / "killed").exists()  # a worker did die running partition 2
    assert summary.complete and summary.failed_partitions == 0
    wikiplain.convert_dump(dump, tmp_path / "alone", partition_pages=30)
    same_parts(tmp_path / "dask", tmp_path / "alone")
    assert not list((tmp_path / "dask").glob(".*.tmp"))


def test_a_partition_that_kills_every_worker_is_reported_and_resume_finishes_it(
    tmp_path: Path, fragile_client: Client
) -> None:
    dump, _ = write_multistream(tmp_path / "k-multistream.xml.bz2", HEADER, dump_pages(120), per_stream=10)
    fragile_client.register_plugin(KillWorker("part-00001", str(tmp_path / "killed"), always=True), name="killer")
    out = tmp_path / "dask"
    summary = wikiplain.convert_dump(dump, out, client=fragile_client, partition_pages=30)
    assert (summary.complete, summary.partitions, summary.failed_partitions) == (False, 4, 1)
    assert not (out / "_SUCCESS").exists()
    manifest = json.loads(read_text(out / "_manifest.json"))
    assert manifest["failed_partitions"] == [1] and [p["partition"] for p in manifest["partitions"]] == [0, 2, 3]
    (error,) = [json.loads(line) for line in read_text(out / "_errors.jsonl").splitlines()]
    assert error["partition"] == 1 and error["reason"].startswith("partition part-00001 failed: KilledWorker")
    fragile_client.unregister_worker_plugin("killer")
    resumed = wikiplain.convert_dump(dump, out, client=fragile_client, partition_pages=30, resume=True)
    assert resumed.complete and resumed.errors == 0
    wikiplain.convert_dump(dump, tmp_path / "alone", partition_pages=30)
    same_parts(out, tmp_path / "alone")


def test_damage_is_listed_and_stops_nothing_else(tmp_path: Path, client: Client) -> None:
    pages = dump_pages(60)
    # A page whose XML is broken (an undefined entity), in the third stream.
    pages[24] = pages[24].replace("<title>Page 25</title>", "<title>Page 25 &bogus;</title>")
    dump, index = write_multistream(tmp_path / "d-multistream.xml.bz2", HEADER, pages, per_stream=10)
    ranges = stream_ranges(dump, index)
    data = bytearray(dump.read_bytes())
    data[ranges[5][0] + 40 : ranges[5][0] + 48] = b"\0" * 8  # the fifth stream of pages (ids 41-50) is corrupt
    dump.write_bytes(bytes(data))
    # One bz2 stream, cut short in the middle of page 40.
    truncated = tmp_path / "t-pages-articles.xml.bz2"
    cut = (HEADER + "".join(pages[:39])).encode()
    # (the first 39 pages in a bz2 block of their own, so that they can be read whatever the block size)
    truncated.write_bytes(bz2.compress(cut) + bz2.compress(pages[39].encode()[:50])[:-10])

    summary = wikiplain.convert_dump([dump, truncated], tmp_path / "out", client=client, partition_pages=20)
    errors = [json.loads(line) for line in read_text(tmp_path / "out" / "_errors.jsonl").splitlines()]
    reasons = [(e["dump"], e["page_id"], e["title"], e["reason"].split(" (")[0].split(":")[0]) for e in errors]
    assert reasons == [
        (dump.name, 25, "Page 25 &bogus;", "malformed page XML"),
        (dump.name, None, None, f"bytes {ranges[5][0]}-{ranges[5][1]}"),
        (truncated.name, 25, "Page 25 &bogus;", "malformed page XML"),
        (truncated.name, None, None, "the dump cannot be read to its end"),
    ]  # fmt: skip
    assert errors[3]["reason"].endswith("(Compressed file ended before the end-of-stream marker was reached); "
                                        "the 39 whole pages before it are read")  # fmt: skip
    assert errors[1]["reason"].endswith("; its 10 pages (ids 41-50) are lost")
    ids = [r["page_id"] for r in records(tmp_path / "out")]
    expected_multistream = [n for n in articles_of(60) if n != 25 and not 41 <= n <= 50]
    expected_truncated = [n for n in articles_of(39) if n != 25]
    assert ids == expected_multistream + expected_truncated
    assert (summary.failed, summary.lost, summary.complete) == (2, 10, True)


@pytest.mark.parametrize("form", ["jsonl", "jsonl.gz", "parquet"])
def test_every_record_follows_the_published_record_schema(
    tmp_path: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import gzip

    import jsonschema
    import pyarrow.parquet as pq

    from wikiplain.cli import main

    assert main(["schema", "--record"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == wikiplain.record_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    dump, _ = write_multistream(tmp_path / "r-multistream.xml.bz2", HEADER, dump_pages(30), per_stream=10)
    summary = wikiplain.convert_dump(dump, tmp_path / "out", format=form, redirects=True, partition_pages=10)
    assert (summary.articles, summary.redirects, summary.partitions) == (24, 4, 3)
    parts = sorted((tmp_path / "out").glob("part-*"))
    assert [p.name for p in parts] == [f"part-0000{n}.{form}" for n in range(3)]
    if form == "parquet":
        rows = [r for p in parts for r in pq.read_table(p).to_pylist()]
        for r in rows:
            r["article"] = None if r["article"] is None else json.loads(r["article"])
    else:
        opener: Any = gzip.open if form == "jsonl.gz" else open
        rows = [json.loads(line) for p in parts for line in opener(p, "rt", encoding="utf-8")]
    assert len(rows) == 28
    for row in rows:
        jsonschema.validate(row, schema)
    redirect = next(r for r in rows if r["page_id"] == 7)
    assert (redirect["redirect_target"], redirect["article"]) == ("Page 8", None)
    assert rows[0]["article"]["title"] == "Page 1" and rows[0]["redirect_target"] is None
    again = wikiplain.convert_dump(dump, tmp_path / "again", format=form, redirects=True, partition_pages=10)
    assert again.articles == 24
    for p in parts:  # the same pages give the same bytes (gzip and Parquet without a time in them)
        assert p.read_bytes() == (tmp_path / "again" / p.name).read_bytes()


def test_a_partition_of_a_dump_read_in_order_whose_worker_dies_is_sent_again(
    tmp_path: Path, fragile_client: Client
) -> None:
    # Its pages travel with it and live on the worker that dies: Dask cannot
    # run it again by itself, the driver sends them once more.
    dump = tmp_path / "o-pages-articles.xml.bz2"
    dump.write_bytes(bz2.compress((HEADER + "".join(dump_pages(90)) + "</mediawiki>\n").encode()))
    fragile_client.register_plugin(KillWorker("part-00001", str(tmp_path / "killed")))
    summary = wikiplain.convert_dump(dump, tmp_path / "dask", client=fragile_client, partition_pages=30)
    assert (tmp_path / "killed").exists()
    assert summary.complete and summary.errors == 0
    wikiplain.convert_dump(dump, tmp_path / "alone", partition_pages=30)
    same_parts(tmp_path / "dask", tmp_path / "alone")


def test_an_existing_cluster_is_used_by_its_address(
    tmp_path: Path, client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import wikiplain.partitions
    from wikiplain.cli import main

    dump, _ = write_multistream(tmp_path / "s-multistream.xml.bz2", HEADER, dump_pages(40), per_stream=10)
    address = client.scheduler.address
    out = tmp_path / "out"
    assert main(["import-dump", str(dump), "-o", str(out), "--scheduler", address, "--partition-pages", "20"]) == 0
    assert [r["page_id"] for r in records(out)] == articles_of(40)
    assert len(client.nthreads()) == 2  # the cluster is left running: it is not ours to close
    monkeypatch.setattr(wikiplain.partitions, "SCHEDULER_TIMEOUT", "1s")
    capsys.readouterr()
    assert main(["import-dump", str(dump), "-o", str(tmp_path / "x"), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert capsys.readouterr().err.startswith("wikiplain: cannot reach the Dask scheduler at tcp://127.0.0.1:9: ")
    assert not (tmp_path / "x").exists()
