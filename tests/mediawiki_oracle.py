"""MediaWiki itself as the tests' oracle: how a real wiki reads our wikitext.

Debian's ``mediawiki`` package (1.39) with ``php-cli`` and ``php-sqlite3``
gives a local MediaWiki; :class:`MediaWiki` installs a throw-away wiki (SQLite,
in a temporary folder) and keeps one PHP process (``mediawiki/render.php``)
that renders wikitext after the pre-save transform an edit applies.  The
readers below turn its preprocessor tree and its HTML into plain blocks, to be
compared with an article's meaning.

``make test-mediawiki`` installs the packages and runs the suite.  Without
them the suite skips and says why; ``WIKIPLAIN_REQUIRE_MEDIAWIKI=1`` (CI)
turns that skip into a failure, so that it never passes without running.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import wikiplain

INSTALL = Path(os.environ.get("WIKIPLAIN_MEDIAWIKI", "/usr/share/mediawiki"))
REQUIRED = os.environ.get("WIKIPLAIN_REQUIRE_MEDIAWIKI") == "1"
RENDER_SCRIPT = Path(__file__).parent / "mediawiki" / "render.php"

#: Our wiki is stricter than Wikipedia: magic links on (off by default since
#: 1.28, on in many wikis), Cite and ParserFunctions loaded so that <ref> and
#: {{#if:}} would show if our escaping let them through.
EXTRA_SETTINGS = """
$wgEnableMagicLinks = [ 'ISBN' => true, 'PMID' => true, 'RFC' => true ];
foreach ( [ 'Cite', 'ParserFunctions' ] as $name ) {
    foreach ( [ "$IP/extensions-core/$name", "$IP/extensions/$name" ] as $dir ) {
        if ( is_file( "$dir/extension.json" ) ) {
            wfLoadExtension( $name, "$dir/extension.json" );
            break;
        }
    }
}
"""


def unavailable() -> str | None:
    """Why MediaWiki cannot serve as the oracle here, or None."""
    hint = "(`make test-mediawiki` installs Debian's mediawiki, php-cli and php-sqlite3)"
    php = shutil.which("php")
    if php is None:
        return f"php is not installed {hint}"
    if not (INSTALL / "maintenance" / "install.php").is_file():
        return f"MediaWiki is not installed at {INSTALL} {hint}"
    modules = subprocess.run([php, "-m"], capture_output=True, text=True, check=False).stdout.split()
    if "pdo_sqlite" not in modules:
        return f"PHP has no SQLite driver {hint}"
    return None


@dataclass
class Rendering:
    """MediaWiki's reading of one wikitext."""

    pst: str  # the text after the pre-save transform
    dom: str  # the preprocessor's tree, as XML
    html: str  # the rendered page


class MediaWiki:
    """A throw-away wiki in ``folder`` and one PHP process rendering for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        settings = folder / "LocalSettings.php"
        if not settings.exists():
            subprocess.run(
                [
                    "php",
                    str(INSTALL / "maintenance" / "install.php"),
                    "--dbtype=sqlite",
                    f"--dbpath={folder / 'db'}",
                    "--dbname=wiki",
                    f"--confpath={folder}",
                    "--server=http://localhost",
                    "--scriptpath=",
                    "--lang=en",
                    "--pass=throw-away-wiki-password",
                    "wikiplain oracle",
                    "admin",
                ],
                cwd=INSTALL,
                capture_output=True,
                text=True,
                check=True,
            )
            with settings.open("a", encoding="utf-8") as f:
                f.write(EXTRA_SETTINGS)
        self.process = subprocess.Popen(
            ["php", str(RENDER_SCRIPT), "--conf", str(settings)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "MW_INSTALL_PATH": str(INSTALL)},
        )

    def render(self, wikitext: str) -> Rendering:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(wikitext) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"MediaWiki's renderer stopped (exit code {self.process.wait()})")
        result: dict[str, Any] = json.loads(line)
        if "error" in result:
            raise RuntimeError(f"MediaWiki failed on {wikitext!r}: {result['error']}")
        return Rendering(result["pst"], result["dom"], result["html"])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


# -- what the page shows -----------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One block of a page: a heading (with its level), a paragraph, a list
    item, or a call of a template that does not exist (its red link)."""

    kind: str
    text: str
    level: int = 0


@dataclass
class Page:
    blocks: list[Block] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)  # markup nobody asked for


_HEADINGS = {f"h{n}": n for n in range(1, 7)}


class _PageReader(HTMLParser):
    """MediaWiki's HTML as blocks; any element but headings, paragraphs, one
    level of bullet list and a template's red link is unexpected."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[str] = []
        self.text: list[str] | None = None  # the text of the open block
        self.kind = ""
        self.level = 0
        self.template: str | None = None  # the red link in the open paragraph
        self.in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        parent = self.stack[-1] if self.stack else ""
        if tag == "br" or tag in ("meta", "link"):  # void elements
            self.page.unexpected.append(self.get_starttag_text() or tag)
            return
        self.stack.append(tag)
        if tag in _HEADINGS and not parent:
            self.start_block("heading", _HEADINGS[tag])
        elif tag == "span" and parent in _HEADINGS and attributes.get("class") == "mw-headline":
            pass
        elif tag == "span" and parent in _HEADINGS and list(attributes) == ["id"]:
            pass  # the legacy anchor of a heading's id (empty)
        elif tag == "p" and not parent:
            self.start_block("paragraph")
        elif tag == "ul" and not parent:
            pass
        elif tag == "li" and parent == "ul" and len(self.stack) == 2:
            self.start_block("item")
        elif (
            tag == "a"
            and parent == "p"
            and attributes.get("class") == "new"
            and (attributes.get("title") or "").startswith("Template:")
            and self.template is None
            and not "".join(self.text or []).strip()
        ):
            self.in_link = True
            self.template = ""
        else:
            self.page.unexpected.append(self.get_starttag_text() or tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.unexpected.append(self.get_starttag_text() or tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.page.unexpected.append(f"</{tag}> out of place")
            return
        self.stack.pop()
        if tag == "a" and self.in_link:
            self.in_link = False
        elif tag in _HEADINGS or tag in ("p", "li"):
            self.end_block()

    def handle_data(self, data: str) -> None:
        if self.in_link:
            assert self.template is not None
            self.template += data
        elif self.text is not None:
            if self.template is not None and data.strip():
                self.page.unexpected.append(f"text beside a template call: {data!r}")
            self.text.append(data)
        elif data.strip():
            self.page.unexpected.append(f"text outside a block: {data!r}")

    def handle_comment(self, data: str) -> None:
        self.page.unexpected.append(f"<!--{data}-->")

    def start_block(self, kind: str, level: int = 0) -> None:
        self.text, self.kind, self.level = [], kind, level

    def end_block(self) -> None:
        assert self.text is not None
        text = "".join(self.text)
        if self.template is not None:
            self.page.blocks.append(Block("template", as_mediawiki_shows(self.template)))
        else:
            # MediaWiki ends a paragraph's last line with its line break.
            text = text[:-1] if text.endswith("\n") else text
            self.page.blocks.append(Block(self.kind, as_mediawiki_shows(text), self.level))
        self.text, self.template = None, None


def read_page(page_html: str) -> Page:
    reader = _PageReader()
    reader.feed(page_html)
    reader.close()
    return reader.page


# -- what the article says -----------------------------------------------------------

_FRENCH_SPACE = re.compile(r"[ \u00a0](?=[?:;!%»›])|(?<=[«‹])[ \u00a0]")


def as_mediawiki_shows(text: str) -> str:
    """Text up to MediaWiki's typography: it makes a space before ``? : ; ! %``
    and closing guillemets, and after opening ones, a no-break space
    (Sanitizer::armorFrenchSpaces; not where the punctuation is written as a
    reference), so both spellings read as a space here."""
    return _FRENCH_SPACE.sub(" ", text)


_TITLE_SPACES = re.compile("[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def template_title(type_name: str | None) -> str:
    """The page a call of ``{{Infobox TYPE}}`` links to, as MediaWiki names it:
    in Unicode NFC (a CJK compatibility ideograph becomes its unified one),
    bidi marks gone, runs of spaces and underscores one space, no fragment."""
    name = unicodedata.normalize("NFC", "Infobox" + ("" if type_name is None else " " + type_name))
    name = re.sub("[\u200e\u200f\u202a-\u202e]", "", name).split("#", 1)[0]
    return as_mediawiki_shows("Template:" + _TITLE_SPACES.sub(" ", name).strip(" "))


def expected_blocks(article: wikiplain.Article) -> list[Block]:
    """The blocks an article's wikitext should show, from its meaning."""
    data = wikiplain.to_dict(article)
    out: list[Block] = []
    if data["title"] is not None:
        out.append(Block("heading", as_mediawiki_shows(data["title"]), 1))
    if data["infobox"] is not None:
        out.append(Block("template", template_title(data["infobox"]["type"])))

    def blocks(items: list[dict[str, Any]]) -> None:
        for block in items:
            if block["type"] == "paragraph":
                out.append(Block("paragraph", as_mediawiki_shows(block["text"])))
            else:
                out.extend(Block("item", as_mediawiki_shows(item)) for item in block["items"])

    def sections(items: list[dict[str, Any]]) -> None:
        for section in items:
            out.append(Block("heading", as_mediawiki_shows(section["title"]), section["level"]))
            blocks(section["blocks"])
            sections(section["sections"])

    blocks(data["lead"])
    sections(data["sections"])
    return out


# -- the preprocessor's view: templates and their parameters -----------------------


@dataclass(frozen=True)
class TemplateCall:
    name: str  # entities decoded, stripped
    params: list[tuple[str | None, str]]  # (name, value); None: a positional parameter
    raw: bool  # every name and value is plain text (no nested node)


#: PHP's trim(), which MediaWiki applies to template names and named parameters.
_PHP_TRIM = " \t\n\r\x00\x0b"


_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def decode_references(text: str) -> str:
    """Character references decoded as MediaWiki decodes them: only those that
    end with ``;`` (html.unescape also reads HTML's legacy ``&amp`` without one)."""
    return _REFERENCE.sub(lambda m: html.unescape(m.group()), text)


def template_calls(dom: str) -> tuple[list[TemplateCall], list[str]]:
    """The templates the preprocessor found at the top level, and the other
    nodes it found that are not plain text or headings (comments, tags, ...)."""
    root = ET.fromstring(dom)
    calls: list[TemplateCall] = []
    other: list[str] = []
    for node in root:
        if node.tag == "h":
            continue
        if node.tag != "template":
            other.append(ET.tostring(node, encoding="unicode"))
            continue
        title = node.find("title")
        assert title is not None
        plain = len(title) == 0
        params: list[tuple[str | None, str]] = []
        for part in node.findall("part"):
            name, value = part.find("name"), part.find("value")
            assert name is not None and value is not None
            plain = plain and len(name) == 0 and len(value) == 0
            key = None if name.get("index") else decode_references("".join(name.itertext())).strip(_PHP_TRIM)
            params.append((key, decode_references("".join(value.itertext())).strip(_PHP_TRIM)))
        calls.append(TemplateCall(decode_references("".join(title.itertext())).strip(_PHP_TRIM), params, plain))
    return calls, other


# -- real pages: what a reader sees ----------------------------------------------------


@dataclass
class RenderedPage:
    """A real page as MediaWiki renders it (no template exists in our wiki)."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    paragraphs: list[RenderedParagraph] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedParagraph:
    text: str  # references' markers left out, spaces collapsed
    template: bool  # a template call stood in it: its text is not the page's own
    sections: tuple[str, ...]  # the titles of the headings it stands under, outermost first


_SKIPPED_CLASSES = {"reference", "mw-cite-backlink", "error", "mw-editsection", "mwe-math-element"}


class _RealPageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = RenderedPage()
        self.depth = 0
        self.block: str | None = None  # "p" or "hN" open at the top level
        self.text: list[str] = []
        self.template = False
        self.skip_depth: int | None = None  # inside an element whose text is not prose
        self.path: list[tuple[int, str]] = []  # the headings the text stands under

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "meta", "link", "hr", "wbr", "input"):
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if self.depth == 0 and (tag == "p" or tag in _HEADINGS):
            self.block, self.text, self.template = tag, [], False
        elif self.block is not None and self.skip_depth is None:
            if classes & _SKIPPED_CLASSES or tag in ("style", "script"):
                self.skip_depth = self.depth
            elif tag == "a" and "new" in classes and (attributes.get("title") or "").startswith("Template:"):
                self.template = True
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img", "meta", "link", "hr", "wbr", "input"):
            return
        self.depth -= 1
        if self.skip_depth is not None and self.depth <= self.skip_depth:
            self.skip_depth = None
        if self.depth == 0 and self.block is not None:
            text = " ".join("".join(self.text).split())
            if self.block == "p":
                if text:
                    sections = tuple(title for _, title in self.path)
                    self.page.paragraphs.append(RenderedParagraph(text, self.template, sections))
            else:
                level = _HEADINGS[self.block]
                self.page.headings.append((level, text))
                self.path = [*(h for h in self.path if h[0] < level), (level, text)]
            self.block = None

    def handle_data(self, data: str) -> None:
        if self.block is not None and self.skip_depth is None:
            self.text.append(data.replace("\u00a0", " "))


def read_rendered_page(page_html: str) -> RenderedPage:
    reader = _RealPageReader()
    reader.feed(page_html)
    reader.close()
    return reader.page
