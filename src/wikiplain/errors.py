"""The exceptions wikiplain raises; all derive from :class:`WikiplainError`."""

from __future__ import annotations

__all__ = ["DataError", "DumpError", "InputError", "MissingExtraError", "ParseError", "WikiplainError"]


class WikiplainError(Exception):
    """Base class of every error wikiplain raises on purpose."""


class ParseError(WikiplainError, ValueError):
    """Malformed article text, raised by ``parse(text, strict=True)``.

    ``str(error)`` reads ``E102 field line has no ':' at line 5, column 3``
    followed by the source line and a caret under the column.
    """

    def __init__(self, code: str, message: str, line: int, column: int, source_line: str) -> None:
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.source_line = source_line
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, str, int, int, str]]:
        # Exceptions pickle through their args; these take their fields (so
        # that an error crosses a process boundary, as with --jobs).
        return type(self), (self.code, self.message, self.line, self.column, self.source_line)

    def __str__(self) -> str:
        # Tabs are kept in the context line so the caret lines up with them.
        indent = "".join(c if c == "\t" else " " for c in self.source_line[: self.column - 1])
        return (
            f"{self.code} {self.message} at line {self.line}, column {self.column}\n"
            f"    {self.source_line}\n"
            f"    {indent}^"
        )


class DataError(WikiplainError, ValueError):
    """Structured data that ``from_dict`` cannot turn into an article.

    ``path`` says where, e.g. ``sections[2].blocks[0].text``.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)

    def __reduce__(self) -> tuple[type[DataError], tuple[str, str]]:
        return type(self), (self.path, self.message)


class DumpError(WikiplainError):
    """The dump cannot be read (not XML, a DTD, not a MediaWiki dump, a damaged
    stream), or a conversion of it cannot start (see :func:`wikiplain.convert_dump`)."""


class MissingExtraError(DumpError):
    """The run needs an optional dependency that is not installed."""

    def __init__(self, extra: str, module: str, why: str) -> None:
        self.extra = extra
        super().__init__(f"{why} needs {module}: pip install 'wikiplain[{extra}]'")


class InputError(WikiplainError):
    """A file that cannot be read as an article (missing, a folder, not UTF-8,
    empty ...); the message names the file.  Raised by the command line."""
