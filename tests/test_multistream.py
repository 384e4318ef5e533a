"""Multistream dumps: each bz2 stream read from its byte offset, by the index."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from wikiplain.cli import EXIT_FAILED, EXIT_OK, main
from wikiplain.dump import (
    DumpError,
    index_for,
    iter_pages,
    open_dump,
    pages_in_streams,
    stream_ranges,
    write_multistream,
)

from .conftest import counts_line, records
from .test_real import DUMP, FIXTURES, read_text

HEADER = DUMP.split("<page>")[0].rstrip()
PAGES = ["<page>" + p.split("</page>")[0] + "</page>" for p in DUMP.split("<page>")[1:]]


def many(count: int) -> list[str]:
    """Pages of every kind (an article, a redirect, a talk page, two revisions), renumbered."""
    out = []
    for n in range(count):
        page = PAGES[n % len(PAGES)].replace("{text}", f"Text of page {n}.")
        page = re.sub(r"<title>(.*?)</title>", rf"<title>\g<1> {n}</title>", page, count=1)
        out.append(re.sub(r"<id>\d+</id>", f"<id>{n + 1}</id>", page, count=1))
    return out


def test_the_index_beside_the_dump_is_found(tmp_path: Path) -> None:
    dump, index = write_multistream(tmp_path / "x-multistream.xml.bz2", HEADER, many(7), per_stream=3)
    assert index_for(dump) == index == tmp_path / "x-multistream-index.txt.bz2"
    assert index_for(tmp_path / "x.xml.bz2") is None
    ranges = stream_ranges(dump, index)
    assert len(ranges) == 4  # the site information, then 3 + 3 + 1 pages
    assert ranges[0][0] == 0 and ranges[-1][1] == dump.stat().st_size
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))


def test_each_stream_alone_gives_its_pages_and_all_give_the_whole_dump(tmp_path: Path) -> None:
    pages = many(10)
    dump, index = write_multistream(tmp_path / "x-multistream.xml.bz2", HEADER, pages, per_stream=4)
    ranges = stream_ranges(dump, index)
    assert list(pages_in_streams(dump, *ranges[0])) == []  # the site information
    by_stream = [list(pages_in_streams(dump, *r)) for r in ranges[1:]]
    assert [len(s) for s in by_stream] == [4, 4, 2]
    whole = list(iter_pages(open_dump(dump)))
    assert [p for s in by_stream for p in s] == whole
    assert [p.page_id for p in whole] == list(range(1, 11))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_import_dump_reads_a_multistream_dump_as_one_stream(
    tmp_path: Path, jobs: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = many(25)
    dump, _ = write_multistream(tmp_path / "x-multistream.xml.bz2", HEADER, pages, per_stream=8)
    plain = tmp_path / "plain.xml"
    plain.write_text(HEADER + "".join(pages) + "</mediawiki>\n", encoding="utf-8")
    assert main(["import-dump", str(dump), "-o", str(tmp_path / "a"), "--jobs", jobs, "--no-progress"]) == EXIT_OK
    first = capsys.readouterr().out
    assert main(["import-dump", str(plain), "-o", str(tmp_path / "b"), "--no-progress"]) == EXIT_OK
    assert records(tmp_path / "a") == records(tmp_path / "b")
    expected = "13 articles written, 6 redirects skipped, 6 pages outside the article namespace skipped, 0 failed"
    assert counts_line(first) == counts_line(capsys.readouterr().out) == expected
    assert len(records(tmp_path / "a")) == 13  # 25 pages: 6 redirects and 6 talk pages skipped


def test_a_corrupt_stream_is_reported_and_the_others_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump, index = write_multistream(tmp_path / "x-multistream.xml.bz2", HEADER, many(12), per_stream=4)
    ranges = stream_ranges(dump, index)
    data = bytearray(dump.read_bytes())
    middle = ranges[2][0] + 20
    data[middle : middle + 8] = b"\0" * 8  # the second stream of pages is damaged
    dump.write_bytes(bytes(data))
    with pytest.raises(DumpError):
        list(pages_in_streams(dump, *ranges[2]))
    out = tmp_path / "out"
    assert main(["import-dump", str(dump), "-o", str(out), "--no-progress"]) == EXIT_FAILED
    (error,) = [json.loads(line) for line in read_text(out / "_errors.jsonl").splitlines()]
    assert error["reason"].startswith(f"bytes {ranges[2][0]}-{ranges[2][1]}: not whole bz2 streams")
    assert error["reason"].endswith("; its 4 pages (ids 5-8) are lost")
    assert (error["partition"], error["page_id"], error["dump"]) == (0, None, dump.name)
    assert counts_line(capsys.readouterr().out).endswith(", 0 failed, 4 lost in damaged streams")
    assert len(records(out)) == 4  # 8 pages of the good streams, half of them articles
    assert (out / "_SUCCESS").exists()  # every partition done; the damage is listed


def test_an_index_can_be_given(tmp_path: Path) -> None:
    dump, index = write_multistream(tmp_path / "x-multistream.xml.bz2", HEADER, many(6), per_stream=2)
    elsewhere = tmp_path / "idx.txt.bz2"
    index.rename(elsewhere)
    out = tmp_path / "o"
    assert main(["import-dump", str(dump), "-o", str(out), "--index", str(elsewhere), "--no-progress"]) == EXIT_OK
    assert len(records(out)) == 3
    assert json.loads(read_text(out / "_manifest.json"))["partitions"][0]["source"]["bytes"][0] == 0


def test_a_broken_index_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump, index = write_multistream(tmp_path / "x-multistream.xml.bz2", HEADER, many(3))
    index.write_bytes(b"not an index")
    assert main(["import-dump", str(dump), "-o", str(tmp_path / "o"), "--no-progress"]) == 2
    assert "the index cannot be read" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_the_lake_fixture_through_a_multistream_dump(tmp_path: Path) -> None:
    from xml.sax.saxutils import escape

    text = escape(read_text(FIXTURES / "real" / "lake-imara.wikitext"))
    dump, _ = write_multistream(tmp_path / "l-multistream.xml.bz2", HEADER, [PAGES[0].replace("{text}", text)])
    out = tmp_path / "out"
    assert main(["import-dump", str(dump), "-o", str(out), "--format", "txt", "--no-progress"]) == EXIT_OK
    assert read_text(out / "Lake_Imara.txt") == read_text(FIXTURES / "real" / "lake-imara.txt")


def test_iter_dump_reads_every_form_alike(tmp_path: Path) -> None:
    import bz2
    import gzip

    import wikiplain

    pages = many(9)
    xml = (HEADER + "".join(pages) + "</mediawiki>\n").encode()
    (tmp_path / "d.xml").write_bytes(xml)
    (tmp_path / "d.xml.bz2").write_bytes(bz2.compress(xml))
    (tmp_path / "d.xml.gz").write_bytes(gzip.compress(xml))
    multi, index = write_multistream(tmp_path / "d-multistream.xml.bz2", HEADER, pages, per_stream=2)
    read = [list(wikiplain.iter_dump(tmp_path / name)) for name in ("d.xml", "d.xml.bz2", "d.xml.gz")]
    read.append(list(wikiplain.iter_dump(multi)))
    read.append(list(wikiplain.iter_dump(multi, index=index)))
    assert all(r == read[0] for r in read)
    first = read[0][0]
    assert (first.title, first.page_id, first.revision_id, first.namespace) == ("Lake Imara 0", 1, 10, 0)
    assert read[0][1].redirect_target == "Lake Imara"
    with pytest.raises(wikiplain.DumpError, match="No such file"):
        list(wikiplain.iter_dump(tmp_path / "missing.xml"))


@pytest.mark.parametrize("space", [">", " >", "\t>", "\n>", "\r\n>"])
def test_page_elements_are_found_however_their_tag_is_spaced(tmp_path: Path, space: str) -> None:
    import bz2

    # The site information may hold elements whose names start with "page".
    header = HEADER.replace("<sitename>", "<pagename>Main Page</pagename><sitename>")
    page = PAGES[2].replace("<page>", "<page" + space, 1)
    dump = tmp_path / "s-multistream.xml.bz2"
    first = bz2.compress(header.encode())
    # (a stream that starts with an element whose name starts with "page",
    # closing one that an earlier stream opened: only from the first page on
    # is the stream read)
    second = bz2.compress(("<pagex/></siteinfo>" + page + PAGES[3] + "</mediawiki>\n").encode())
    dump.write_bytes(first + second)
    (tmp_path / "s-multistream-index.txt.bz2").write_bytes(bz2.compress(f"{len(first)}:3:Talk:Lake Imara\n".encode()))
    ranges = stream_ranges(dump, tmp_path / "s-multistream-index.txt.bz2")
    assert list(pages_in_streams(dump, *ranges[0])) == []
    assert [p.title for p in pages_in_streams(dump, *ranges[1])] == ["Talk:Lake Imara", 'AC/DC: a "band"?']


@pytest.mark.parametrize(("output", "jobs"), [("jsonl", "1"), ("jsonl", "2"), ("txt", "1"), ("txt", "2")])
def test_multistream_options_reach_the_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str, jobs: str
) -> None:
    text = "Lead.\n\n== References ==\n* A work.\n"
    pages = [PAGES[0].replace("{text}", text), *many(5)[1:], "<page><title>Empty</title><ns>0</ns><id>99</id></page>"]
    dump, _ = write_multistream(tmp_path / "x-multistream.xml.bz2", HEADER, pages, per_stream=2)
    out = tmp_path / "o"
    args = ["import-dump", str(dump), "-o", str(out), "--jobs", jobs, "--no-progress", "--keep-reference-sections"]
    assert main([*args, "--format", output, "--partition-pages", "2"]) == EXIT_OK
    summary = counts_line(capsys.readouterr().out)
    assert summary == "4 articles written, 1 redirects skipped, 1 pages outside the article namespace skipped, 0 failed"
    if output == "jsonl":
        found = records(out)
        assert [r["title"] for r in found] == ["Lake Imara", 'AC/DC: a "band"? 3', "Lake Imara 4", "Empty"]
        assert found[0]["article"]["sections"][0]["title"] == "References"  # kept, as asked
        assert found[3]["article"]["lead"] == []  # a page without text is an empty article
    else:
        assert read_text(out / "Lake_Imara.txt") == "= Lake Imara =\n\nLead.\n\n== References ==\n- A work.\n"


def test_a_partition_is_converted_page_by_page_with_the_options(tmp_path: Path) -> None:
    # (the function a worker runs, called here in this process)
    from wikiplain.partitions import Partition, Settings, convert_partition

    text = "Lead.\n\n== References ==\n* A work.\n"
    xml = "".join([PAGES[0].replace("{text}", text), PAGES[1], PAGES[2]]).encode()
    for keep, folder in ((True, "kept"), (False, "dropped")):
        (tmp_path / folder).mkdir()
        part = convert_partition(Partition(7, str(tmp_path / "d.xml"), pages=3), Settings(str(tmp_path / folder),
                                 keep_reference_sections=keep), xml)  # fmt: skip
        assert part["file"] == "part-00007.jsonl"
        assert (part["pages"], part["articles"], part["redirects"], part["other_namespaces"]) == (3, 1, 1, 1)
    kept, dropped = records(tmp_path / "kept"), records(tmp_path / "dropped")
    assert kept[0]["article"]["sections"][0]["title"] == "References" and dropped[0]["article"]["sections"] == []


def test_the_index_reader_takes_plain_text_blank_lines_and_reports_bad_lines(tmp_path: Path) -> None:
    import bz2

    dump, index = write_multistream(tmp_path / "x-multistream.xml.bz2", HEADER, many(6), per_stream=2)
    lines = bz2.decompress(index.read_bytes()).decode().splitlines()
    size = dump.stat().st_size
    plain = tmp_path / "index.txt"
    # a plain-text index, a blank line among the entries, a title with colons, an offset at the very end
    plain.write_text("\n".join([lines[0], "", *lines[1:], f"{size}:99:A: title: with colons"]) + "\n")
    assert stream_ranges(dump, plain) == stream_ranges(dump, index)
    assert [r[1] for r in stream_ranges(dump, plain)][-1] == size
    bad = tmp_path / "bad.txt"
    bad.write_text(lines[0] + "\nnot an offset:1:X\n")
    with pytest.raises(DumpError) as caught:
        stream_ranges(dump, bad)
    assert str(caught.value) == f"{bad}: line 2 is not offset:page_id:title"


def test_a_multistream_dump_without_its_index_is_read_as_one_stream(tmp_path: Path) -> None:
    import wikiplain

    dump, index = write_multistream(tmp_path / "x-multistream.xml.bz2", HEADER, many(5), per_stream=2)
    with_index = list(wikiplain.iter_dump(dump))
    index.unlink()
    assert index_for(dump) is None
    assert list(wikiplain.iter_dump(dump)) == with_index
    with pytest.raises(DumpError) as caught:
        list(wikiplain.iter_dump(tmp_path / "missing.xml"))
    assert str(caught.value) == f"{tmp_path / 'missing.xml'}: No such file or directory"


@pytest.mark.parametrize("count", [0, 1, 5, 6])
def test_write_multistream_writes_what_wikimedia_publishes(tmp_path: Path, count: int) -> None:
    import bz2

    pages = many(count)
    dump, index = write_multistream(tmp_path / "w-multistream.xml.bz2", HEADER, pages, per_stream=3)
    assert bz2.decompress(dump.read_bytes()).decode() == HEADER + "".join(pages) + "</mediawiki>\n"
    entries = [line.split(":", 2) for line in bz2.decompress(index.read_bytes()).decode().splitlines()]
    assert [(page_id, title) for _, page_id, title in entries] == [
        (str(n + 1), re.search(r"<title>(.*?)</title>", page).group(1))  # type: ignore[union-attr]
        for n, page in enumerate(pages)
    ]
    assert len({offset for offset, _, _ in entries}) == (count + 2) // 3  # three pages to a stream


def test_write_multistream_indexes_pages_without_an_id_or_a_title(tmp_path: Path) -> None:
    import bz2

    pages = ["<page><ns>0</ns><revision><text>x</text></revision></page>", "<page><title>A\nB</title><id>7</id></page>"]
    _, index = write_multistream(tmp_path / "n-multistream.xml.bz2", HEADER, pages)
    offset = bz2.decompress(index.read_bytes()).decode().split(":", 1)[0]
    assert bz2.decompress(index.read_bytes()).decode() == f"{offset}:0:\n{offset}:7:A\nB\n"


def test_write_multistream_puts_100_pages_to_a_stream_by_default(tmp_path: Path) -> None:
    dump, index = write_multistream(tmp_path / "h-multistream.xml.bz2", HEADER, many(101))
    assert len(stream_ranges(dump, index)) == 3  # the site information, 100 pages, 1 page


def test_iter_dump_gives_every_whole_page_before_a_truncated_stream(tmp_path: Path) -> None:
    import bz2

    import wikiplain

    pages = many(9)
    dump = tmp_path / "t.xml.bz2"
    # The first 8 pages in a stream of their own, then a stream cut in half.
    last = bz2.compress(pages[8].encode())
    dump.write_bytes(bz2.compress((HEADER + "".join(pages[:8])).encode()) + last[: len(last) // 2])
    read: list[int | None] = []
    with pytest.raises(DumpError, match="the dump cannot be read to its end"):
        for page in wikiplain.iter_dump(dump):
            read.append(page.page_id)
    assert read == list(range(1, 9))
