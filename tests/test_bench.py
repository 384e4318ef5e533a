"""The benchmark scripts run (tiny sizes): a bench that rots unnoticed is no bench."""

from __future__ import annotations

from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def bench_path(monkeypatch: pytest.MonkeyPatch) -> None:
    if not (BENCH / "bench.py").is_file():  # a copy of the tests without the bench (mutmut's)
        pytest.skip("bench/ is not beside the tests")
    monkeypatch.syspath_prepend(str(BENCH))


def test_bench_reports_every_shape_and_part(bench_path: None, capsys: pytest.CaptureFixture[str]) -> None:
    import bench  # type: ignore[import-not-found]
    import corpus  # type: ignore[import-not-found]

    assert bench.main(["--mb", "0.02", "--runs", "1", "--skip", "adversarial"]) == 0
    out = capsys.readouterr().out
    for shape in corpus.SHAPES:
        assert f"\n{shape} " in out
    assert "real pages:" in out


def test_every_shape_is_what_it_says(bench_path: None) -> None:
    import corpus
    import wikiplain
    from wikiplain.serialize import is_canonical

    for shape in corpus.SHAPES:
        texts = corpus.make_shape(shape, 20_000)
        assert sum(len(t) for t in texts) >= 20_000
        canonical = [is_canonical(wikiplain.parse(t)) for t in texts]
        assert all(canonical) == (shape != "non-canonical"), shape
    assert max(len(wikiplain.parse(t).infobox.fields) for t in corpus.make_shape("infobox-heavy", 20_000)) >= 60


def test_dump_bench_builds_both_dump_forms(bench_path: None, tmp_path: Path) -> None:
    import dump_bench  # type: ignore[import-not-found]
    import wikiplain

    corpus_dir = Path(__file__).resolve().parents[1] / "fixtures" / "real"
    if not list(corpus_dir.glob("*.wikitext")):
        pytest.skip("no real pages among the fixtures")
    size = dump_bench.build_dump(corpus_dir, 5, tmp_path / "d.xml.bz2")
    assert size > 0
    pages = list(wikiplain.iter_dump(tmp_path / "d.xml.bz2"))
    assert [p.page_id for p in pages] == [1, 2, 3, 4, 5]
