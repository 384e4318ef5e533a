"""Regenerate the golden files from the current code: ``make golden``.

Review the diff (``git diff fixtures/``) before committing: the golden files
are the specification the tests hold the code to.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import wikiplain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def main() -> int:
    for path in sorted((FIXTURES / "articles").glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        data = wikiplain.to_dict(wikiplain.parse(text))
        path.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        path.with_suffix(".wiki").write_bytes(wikiplain.to_wikitext(wikiplain.parse(text)).encode("utf-8"))
        found = "".join(d.format(path.name) + "\n" for d in wikiplain.check(text))
        path.with_suffix(".check").write_bytes(found.encode("utf-8"))
    for path in sorted((FIXTURES / "real").glob("*.wikitext")):
        article = wikiplain.from_wikitext(path.read_bytes().decode("utf-8"), mode="clean")
        path.with_suffix(".txt").write_bytes(wikiplain.dumps(article).encode("utf-8"))
    for path in sorted((FIXTURES / "invalid").glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        try:
            wikiplain.parse(text, strict=True)
        except wikiplain.ParseError as e:
            path.with_suffix(".err").write_text(str(e) + "\n", encoding="utf-8")
        else:
            print(f"{path.name}: parses without error in strict mode", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
