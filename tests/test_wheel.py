"""The wheel ships the grammar and the schema: build it, install it in a fresh venv
outside the repository, and parse the seed there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT


@pytest.mark.slow
def test_wheel_installs_and_parses_the_seed(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(ROOT)],
        check=True,
        cwd=tmp_path,
    )
    wheels = list(dist.glob("wikiplain-*.whl"))
    assert len(wheels) == 1
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheels[0])], check=True, cwd=tmp_path)
    seed = FIXTURES / "articles" / "nampala-raid.txt"
    script = (
        "import sys, wikiplain, wikiplain._grammar as g;"
        "assert 'site-packages' in g.__file__, g.__file__;"
        "import importlib.resources as r; assert r.files('wikiplain').joinpath('grammar', 'article.lark').is_file();"
        "text = open(sys.argv[1], 'rb').read().decode('utf-8');"
        "a = wikiplain.parse(text);"
        "assert wikiplain.dumps(a) == text;"
        "assert wikiplain.json_schema()['title'] == 'wikiplain article';"
        "print(a.infobox['Place'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    out = subprocess.run(
        [str(python), "-c", script, str(seed)], check=True, cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert out.stdout.strip() == "Nampalari, Mali"
    cli = subprocess.run([str(env_dir / "bin" / "wikiplain"), "check", str(seed)], cwd=tmp_path, env=env)
    assert cli.returncode == 0
