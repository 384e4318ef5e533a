"""The dump reader (wikiplain.dump): prolog guard, streaming, pages, file names."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from wikiplain.dump import DumpError, DumpPage, iter_pages, open_dump, safe_file_name

from .test_real import DUMP

#: The root element and the site information, as DUMP (a real dump's shape) starts.
ROOT = DUMP.split("<page>")[0]
PAGE = '<page><title>{0}</title><ns>0</ns><id>{1}</id><revision><text xml:space="preserve">{2}</text></revision></page>'


def pages(data: bytes) -> list[DumpPage]:
    return list(iter_pages(io.BytesIO(data)))


def dump_of(*page_xml: str, prolog: str = '<?xml version="1.0"?>\n', after_root: str = "") -> bytes:
    return (prolog + ROOT + after_root + "".join(page_xml) + "</mediawiki>\n").encode()


def test_pages_with_provenance_of_the_last_revision() -> None:
    found = pages(DUMP.encode())
    assert [(p.title, p.namespace, p.redirect) for p in found] == [
        ("Lake Imara", 0, False),
        ("Imara Lake", 0, True),
        ("Talk:Lake Imara", 1, False),
        ('AC/DC: a "band"?', 0, False),
    ]
    assert found[3].text == "'''AC/DC''' is a [[band]]."  # the last of two revisions
    no_revision = pages(dump_of("<page><title>Empty</title><ns>0</ns><id>9</id></page>"))
    assert no_revision == [DumpPage("Empty", 0, False, None, page_id=9)]
    provenance = [(p.page_id, p.revision_id, p.timestamp, p.redirect_target) for p in found]
    assert provenance[1][3] == "Lake Imara"
    assert all(isinstance(p.page_id, int) for p in found)
    deleted = pages(
        dump_of('<page><title>D</title><ns>0</ns><id>3</id><revision><id>7</id><timestamp>2024-01-01T00:00:00Z'
                '</timestamp><text deleted="deleted" /></revision></page>',
                '<page><title>E</title><ns>0</ns><id>4</id><revision><text bytes="0" /></revision></page>')
    )  # fmt: skip
    assert deleted == [DumpPage("D", 0, False, None, 3, 7, "2024-01-01T00:00:00Z"), DumpPage("E", 0, False, "", 4)]


def test_a_long_prolog_and_a_large_dump_are_read_whole() -> None:
    # The guard reads the prolog in chunks and hands every byte on: a prolog
    # longer than a chunk, and a dump much larger than the first read.
    comment = "<!-- " + "x" * 150_000 + " -->\n"
    body = [PAGE.format(f"P{i}", i, "y" * 1_000) for i in range(300)]
    found = pages(dump_of(*body, prolog='<?xml version="1.0"?>\n' + comment))
    assert [p.title for p in found] == [f"P{i}" for i in range(300)]
    assert all(p.text == "y" * 1_000 for p in found)


def test_the_prolog_is_searched_for_one_mebibyte() -> None:
    padding = "<!-- " + "x" * ((1 << 20) - len('<?xml version="1.0"?>\n') - 10) + " -->\n"
    prolog = '<?xml version="1.0"?>\n' + padding
    assert len(prolog.encode()) == 1 << 20  # the root starts right after the limit
    with pytest.raises(DumpError) as caught:
        pages(dump_of(PAGE.format("A", 1, "a"), prolog=prolog))
    assert str(caught.value) == "not a MediaWiki XML dump (no <mediawiki> element at the start)"
    shorter = '<?xml version="1.0"?>\n<!-- ' + "x" * 1_000_000 + " -->\n"
    assert [p.title for p in pages(dump_of(PAGE.format("A", 1, "a"), prolog=shorter))] == ["A"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a MediaWiki XML dump (no <mediawiki> element at the start)"),
        (b"<html><body>no dump</body></html>", "not a MediaWiki XML dump (no <mediawiki> element at the start)"),
        (b"<!DOCTYPE", "the dump declares a DTD (refused: MediaWiki dumps have none, and DTD entities can attack)"),
        (
            b"<!entity x 'y'>",
            "the dump declares a DTD (refused: MediaWiki dumps have none, and DTD entities can attack)",
        ),
    ],
)
def test_not_a_dump(data: bytes, message: str) -> None:
    with pytest.raises(DumpError) as caught:
        pages(data)
    assert str(caught.value) == message


def test_a_dtd_is_looked_for_only_before_the_root() -> None:
    # Inside the dump (a comment), "<!DOCTYPE" and "<mediawiki" are text.
    after = "<!-- <!DOCTYPE x> <mediawiki <!ENTITY y 'z'> -->"
    for prolog in ('<?xml version="1.0"?>\n', ""):
        assert [p.title for p in pages(dump_of(PAGE.format("A", 1, "a"), prolog=prolog, after_root=after))] == ["A"]


def test_malformed_xml_names_the_parser_error() -> None:
    with pytest.raises(DumpError) as caught:
        pages((ROOT + "<page><title>x</title>").encode())
    assert str(caught.value) == "malformed dump XML: no element found: line 4, column 24"


def test_open_dump_by_suffix(tmp_path: Path) -> None:
    import bz2
    import gzip

    data = DUMP.encode()
    for name, packed in [("d.xml", data), ("d.xml.bz2", bz2.compress(data)), ("d.xml.gz", gzip.compress(data))]:
        path = tmp_path / name
        path.write_bytes(packed)
        with open_dump(path) as stream:
            assert stream.read() == data


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("", "%00empty.txt"),
        ('a<b>c|d\\e"f', "a%3Cb%3Ec%7Cd%5Ce%22f.txt"),
        ("tab\there\x7f", "tab%09here%7F.txt"),
        ("nul", "_nul.txt"),
        ("con.txt", "_con.txt.txt"),
        ("Aux", "_Aux.txt"),
        ("PRN", "_PRN.txt"),
        ("NUL.tar", "_NUL.tar.txt"),
        *[(f"COM{i}", f"_COM{i}.txt") for i in range(1, 10)],
        *[(f"LPT{i}", f"_LPT{i}.txt") for i in range(1, 10)],
        ("COM0", "COM0.txt"),
        ("COM10", "COM10.txt"),
        ("LPT0", "LPT0.txt"),
        ("LPT10", "LPT10.txt"),
        ("CONSOLE", "CONSOLE.txt"),
        ("CON soup", "CON_soup.txt"),
    ],
)
def test_file_names_on_every_common_file_system(title: str, name: str) -> None:
    assert safe_file_name(title) == name


def test_names_are_cut_at_200_bytes_with_a_hash() -> None:
    exactly = "é" * 100  # 200 bytes: kept whole
    assert safe_file_name(exactly) == exactly + ".txt"
    longer = "é" * 100 + "x"  # 201 bytes
    digest = hashlib.sha1(longer.encode()).hexdigest()[:12]
    assert safe_file_name(longer) == "é" * 93 + "~" + digest + ".txt"  # 187 bytes of name, whole characters
    assert len(safe_file_name(longer).encode()) == 186 + 1 + 12 + 4
    odd = "a" + "é" * 100
    assert safe_file_name(odd) == "a" + "é" * 93 + "~" + hashlib.sha1(odd.encode()).hexdigest()[:12] + ".txt"


def test_each_field_of_a_page_is_read_from_its_element() -> None:
    page = (
        '<page><title>T</title><ns>4</ns><id>12</id><redirect title="Target" />'
        "<revision><id>100</id><timestamp>2001-01-01T00:00:00Z</timestamp><text>old</text></revision>"
        "<revision><id>101</id><timestamp>2024-05-06T07:08:09Z</timestamp>"
        '<text xml:space="preserve">new</text></revision></page>'
        '<page><ns>0</ns><id>13</id><revision><id>102</id><text deleted="deleted" /></revision></page>'
        "<page><title>E</title><ns>0</ns><id>14</id><revision><timestamp>x</timestamp><text /></revision></page>"
    )
    assert pages(dump_of(page)) == [
        DumpPage("T", 4, True, "new", 12, 101, "2024-05-06T07:08:09Z", "Target"),
        DumpPage("", 0, False, None, 13, 102, None, None),  # no title element; hidden text
        DumpPage("E", 0, False, "", 14, None, "x", None),  # empty text
    ]


def test_a_dump_cut_short_is_malformed() -> None:
    data = dump_of(PAGE.format("A", 1, "a"))
    with pytest.raises(DumpError, match=r"^malformed dump XML: "):
        pages(data[: data.index(b"</page>")])
