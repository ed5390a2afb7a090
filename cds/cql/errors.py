"""Errors of the CQL engine: what went wrong, and where, in words an author can act on."""

from __future__ import annotations


class CqlError(Exception):
    """An invalid CQL text (syntax or semantics), or a failed evaluation.

    Carries the library, definition and line:column when known; `str()` gives one line, and
    `source_excerpt` the offending source line with a caret under the column.
    """

    def __init__(
        self,
        message: str,
        *,
        library: str | None = None,
        definition: str | None = None,
        line: int | None = None,
        column: int | None = None,
        source_excerpt: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.library = library
        self.definition = definition
        self.line = line
        self.column = column
        self.source_excerpt = source_excerpt

    def located(
        self,
        *,
        library: str | None = None,
        definition: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> CqlError:
        """Fill in location details not already known (the innermost location wins)."""
        self.library = self.library or library
        self.definition = self.definition or definition
        if self.line is None and line:
            self.line, self.column = line, column
        return self

    def where(self) -> str:
        parts = []
        if self.library:
            parts.append(f"library {self.library}")
        if self.line:
            parts.append(f"line {self.line}:{self.column}")
        if self.definition:
            parts.append(f"define {self.definition!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class CqlSyntaxError(CqlError):
    """The text is not CQL."""


class CqlSemanticError(CqlError):
    """The text parses but does not make sense: unknown names, type errors, bad overloads."""


class CqlRuntimeError(CqlError):
    """Evaluation failed: overflow, out-of-range dates, `Message` with severity Error, ..."""


def caret_excerpt(source: str, line: int, column: int) -> str:
    """The source line and a caret under the column (1-based), for error messages.

    >>> print(caret_excerpt("define X: 1 +\\ndefine Y: 2", 1, 13))
    define X: 1 +
                ^
    """
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].expandtabs(4)
    return f"{text}\n{' ' * max(column - 1, 0)}^"
