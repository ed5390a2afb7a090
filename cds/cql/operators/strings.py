"""String operators: concatenation (+, & and Concatenate), Combine, Split, SplitOnMatches, Length, Upper,
Lower, indexing, PositionOf / LastPositionOf, Substring, StartsWith / EndsWith, Matches and
ReplaceMatches.

Indexes are 0-based. Regular expressions are Python's `re`, close to the PCRE dialect the spec
recommends, case-sensitive, with `.` matching line breaks too (the spec's "single line mode").
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..errors import CqlRuntimeError
from .registry import operator


# --------------------------------------------------------------------------------- concatenation
@operator("Concatenate", "(String, String) -> String")
@operator("Add", "(String, String) -> String")
def concatenate(a: str, b: str) -> str:
    return a + b


@operator("Concatenate&", "(String, String) -> String", nulls="pass")
def concatenate_nulls_as_empty(a: str | None, b: str | None) -> str:
    """`&` reads a null as the empty string, so its result is never null."""
    return (a or "") + (b or "")


@operator("Combine", "(List<String>) -> String", "(List<String>, String) -> String", nulls="pass")
def combine(source: list[str | None] | None, separator: str | None = None) -> str | None:
    """Null elements are skipped (as aggregates skip them); a null separator is no separator; an empty
    (or all-null) list combines to null."""
    if source is None:
        return None
    parts = [s for s in source if s is not None]
    return (separator or "").join(parts) if parts else None


@operator("Split", "(String, String) -> List<String>", nulls="pass")
def split(text: str | None, separator: str | None) -> list[str] | None:
    """A null or empty separator leaves the string whole: Split('a,b', null) is {'a,b'}."""
    if text is None:
        return None
    return text.split(separator) if separator else [text]


@operator("SplitOnMatches", "(String, String) -> List<String>", nulls="pass")
def split_on_matches(text: str | None, pattern: str | None) -> list[str] | None:
    if text is None:
        return None
    if not pattern:
        return [text]
    return _regex(pattern).split(text)


# ------------------------------------------------------------------------------------ characters
@operator("Length", "(String) -> Integer")
def length(text: str) -> int:
    return len(text)


@operator("Upper", "(String) -> String")
def upper(text: str) -> str:
    return text.upper()


@operator("Lower", "(String) -> String")
def lower(text: str) -> str:
    return text.lower()


@operator("Indexer", "(String, Integer) -> String")
def character_at(text: str, index: int) -> str | None:
    return text[index] if 0 <= index < len(text) else None


# --------------------------------------------------------------------------------------- search
@operator("PositionOf", "(String, String) -> Integer")
def position_of(pattern: str, text: str) -> int:
    return text.find(pattern)


@operator("LastPositionOf", "(String, String) -> Integer")
def last_position_of(pattern: str, text: str) -> int:
    return text.rfind(pattern)


@operator("StartsWith", "(String, String) -> Boolean")
def starts_with(text: str, prefix: str) -> bool:
    return text.startswith(prefix)


@operator("EndsWith", "(String, String) -> Boolean")
def ends_with(text: str, suffix: str) -> bool:
    return text.endswith(suffix)


@operator("Substring", "(String, Integer) -> String", "(String, Integer, Integer) -> String", nulls="pass")
def substring(text: str | None, start: int | None, length: int | None = None) -> str | None:
    """From 0-based `start`, `length` characters or to the end. A start outside the string is null
    (Substring('ab', 2)), except 0 in the empty string, which is the empty string (both as the
    conformance suite has them); so is a negative length."""
    if text is None or start is None:
        return None
    if start < 0 or start > len(text) or (start == len(text) and text):
        return None
    if length is None:
        return text[start:]
    return text[start : start + length] if length >= 0 else None


# -------------------------------------------------------------------------- regular expressions
@operator("Matches", "(String, String) -> Boolean")
def matches(text: str, pattern: str) -> bool:
    """True when the pattern matches somewhere in the string (the spec's partial matching); ^ and $
    anchor it to the whole string."""
    return _regex(pattern).search(text) is not None


@operator("ReplaceMatches", "(String, String, String) -> String")
def replace_matches(text: str, pattern: str, substitution: str) -> str:
    """Every match replaced. The substitution is read as the spec's platforms write it: $1 (or ${name})
    is a captured group and a backslash makes the next character literal ('\\$' is a dollar sign)."""
    template = _substitution(substitution)
    return _regex(pattern).sub(lambda m: "".join(_expand(part, m) for part in template), text)


# PCRE and Java name a group (?<name>...); Python 3.11 knows only (?P<name>...).
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<(?=[A-Za-z_])")


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(_NAMED_GROUP.sub("(?P<", pattern), re.DOTALL)
    except re.error as exc:
        raise CqlRuntimeError(f"invalid regular expression {pattern!r}: {exc}") from None


_GROUP_REF = re.compile(r"\$(\d+|\{\w+\})|\\(.)", re.DOTALL)


@functools.lru_cache(maxsize=256)
def _substitution(text: str) -> tuple[str | int | tuple[str], ...]:
    """The substitution as literal text (str), group numbers (int) and group names ((name,))."""
    parts: list[str | int | tuple[str]] = []
    position = 0
    for ref in _GROUP_REF.finditer(text):
        parts.append(text[position : ref.start()])
        group, escaped = ref.group(1), ref.group(2)
        if escaped is not None:
            parts.append(escaped)
        elif group.startswith("{"):
            parts.append((group[1:-1],))
        else:
            parts.append(int(group))
        position = ref.end()
    parts.append(text[position:])
    return tuple(p for p in parts if p != "")


def _expand(part: str | int | tuple[str], match: re.Match[str]) -> str:
    if isinstance(part, str):
        return part
    try:
        group: str | Any = match.group(part if isinstance(part, int) else part[0])
    except IndexError:
        raise CqlRuntimeError(
            f"the substitution refers to a group the pattern does not have: {part}"
        ) from None
    return group or ""  # a group that took no part in the match adds nothing
