"""The command line, run in-process through main(argv)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

import wikiplain
from wikiplain.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, main

from .conftest import FIXTURES, read_text

SEED = FIXTURES / "articles" / "nampala-raid.txt"
ARTICLES = FIXTURES / "articles"


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_parse_one_file_prints_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED)]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "2015 Nampala raid"
    assert data == json.loads(read_text(SEED.with_suffix(".json")))


def test_parse_several_files_prints_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    other = ARTICLES / "crlf.txt"
    assert main(["parse", str(SEED), str(other)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["path"] for line in lines] == [str(SEED), str(other)]


def test_parse_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"= T =\r\n\r\nBody\r\n")))
    assert main(["parse", "-"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["lead"] == [{"type": "paragraph", "text": "Body"}]


def test_parse_with_trivia_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "= T =  \r\n\r\n\r\nInfobox\n-  Key :  v  \n"
    assert main(["parse", "--trivia", str(write(tmp_path / "a.txt", text))]) == EXIT_OK
    assert wikiplain.dumps(wikiplain.from_dict(json.loads(capsys.readouterr().out))) == text


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "missing.txt: no such file"),
        (lambda d: d, "is a directory, expected a file"),
        (
            lambda d: write(d / "bad.txt", b"= T =\n\xe9t\xe9\n"),
            "bad.txt: not valid UTF-8 (byte 0xe9 at byte offset 6)",
        ),
        (lambda d: write(d / "empty.txt", b""), "empty.txt: file is empty"),
    ],
    ids=["missing", "directory", "not-utf8", "empty"],
)
@pytest.mark.parametrize("command", ["parse", "check", "fmt"])
def test_bad_input_is_one_line_and_exit_2_and_others_still_run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make,
    message: str,
    command: str,  # type: ignore[no-untyped-def]
) -> None:
    bad = make(tmp_path)
    good = write(tmp_path / "good.txt", "= T =\n\n== A ==\n==== B ====\n")  # check warns: W204
    assert main([command, str(bad), str(good)]) == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert out  # the good file was still processed


def test_fmt_prints_canonical_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.txt", "=  T  =\r\nInfobox\r\n-  K :v  \r\n\r\n\r\n==X==\r\ntext  ")
    assert main(["fmt", str(path)]) == EXIT_OK
    assert capsys.readouterr().out == "= T =\n\nInfobox\n- K: v\n\n== X ==\ntext\n"


def test_fmt_check_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.txt", "= T =\n\ntext  \n")
    assert main(["fmt", "--check", str(SEED)]) == EXIT_OK
    assert main(["fmt", "--check", str(path)]) == EXIT_FAILED
    assert "would reformat" in capsys.readouterr().err
    assert main(["fmt", "--diff", str(path)]) == EXIT_FAILED
    out = capsys.readouterr().out
    assert "-text··" in out and "+text" in out
    assert read_text(path) == "= T =\n\ntext  \n"  # --diff and --check never write


def test_fmt_in_place_rewrites_atomically_and_keeps_mode(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "= T =\r\n\r\ntext  \r\n")
    os.chmod(path, 0o640)
    assert main(["fmt", "--in-place", str(path)]) == EXIT_OK
    assert read_text(path) == "= T =\n\ntext\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary file left


def test_fmt_in_place_failure_leaves_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "a.txt", "= T =\n\ntext  \n")
    other = write(tmp_path / "b.txt", "= B =\n\ntext  \n")
    real_replace = os.replace

    def boom(src: str, dst: str) -> None:
        if Path(dst).name == "a.txt":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", boom)
    assert main(["fmt", "--in-place", str(path), str(other)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert err == f"wikiplain: {path}: cannot write {path}: No space left on device\nreformatted {other}\n"
    assert read_text(path) == "= T =\n\ntext  \n"
    assert read_text(other) == "= B =\n\ntext\n"  # the batch went on
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_check_reports_path_line_col_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.txt", "= T =\n\nInfobox\n- Place: Mali\n- Units2 Unknown\n")
    assert main(["check", str(path)]) == EXIT_FAILED
    assert (
        capsys.readouterr().out == f"{path}:5:3: E102 field line has no ':' between key and value: 'Units2 Unknown'\n"
    )
    assert main(["check", str(SEED)]) == EXIT_OK


def test_check_warnings_only_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.txt", "= T =\n\n== A ==\n==== B ====\n")
    assert main(["check", str(path)]) == EXIT_OK
    assert capsys.readouterr().out == f"{path}:4:1: W204 heading level jumps from 2 to 4\n"


def test_roundtrip_on_fixtures_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["roundtrip", "--no-progress", str(FIXTURES)]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    count = len(list(FIXTURES.rglob("*.txt")))
    assert out[-1] == f"{count} passed, 0 failed"


def test_roundtrip_with_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["roundtrip", "--jobs", "2", "--no-progress", str(ARTICLES)]) == EXIT_OK
    assert capsys.readouterr().out == f"{len(list(ARTICLES.glob('*.txt')))} passed, 0 failed\n"


def test_roundtrip_reports_golden_mismatch_with_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.txt", "= T =\n\ntext\n")
    write(
        tmp_path / "a.json",
        json.dumps({"schema_version": 1, "title": "Other", "infobox": None, "lead": [], "sections": []}),
    )
    write(tmp_path / "b.txt", "= B =\n")
    assert main(["roundtrip", str(tmp_path)]) == EXIT_FAILED
    out = capsys.readouterr().out
    assert f"FAIL {path}: golden-json" in out
    assert '-  "title": "Other",' in out and '+  "title": "T",' in out
    assert out.splitlines()[-1] == "1 passed, 1 failed"


def test_roundtrip_bad_input_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "ok.txt", "= Ok =\n")
    assert main(["roundtrip", str(tmp_path), str(tmp_path / "nope")]) == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert "empty.txt: file is empty" in err and "nope: no such file or directory" in err
    assert "1 passed, 0 failed" in out


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["title"] == "wikiplain article"


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["parse"])
    assert info.value.code == EXIT_BAD_INPUT


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "expected 0 (one per core) or more, not -1"), ("x", "expected a number of processes, not 'x'")],
)
@pytest.mark.parametrize("command", ["roundtrip", "import-dump"])
def test_jobs_must_be_a_count(command: str, value: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [command, "x", "--jobs", value] + (["-o", "out"] if command == "import-dump" else [])
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == EXIT_BAD_INPUT
    assert f"argument -j/--jobs: {message}" in capsys.readouterr().err


def test_ctrl_c_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import wikiplain.data

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(wikiplain.data, "to_dict", interrupted)
    assert main(["parse", str(SEED)]) == 130
    assert capsys.readouterr().err == "wikiplain: interrupted\n"
