"""List operators."""

from __future__ import annotations

from typing import Any

from .comparison import equal
from .registry import operator


def distinct_values(values: list[Any]) -> list[Any]:
    """CQL distinct: duplicates by equality removed, first occurrence kept; nulls count as equal."""
    out: list[Any] = []
    seen_null = False
    for v in values:
        if v is None:
            if not seen_null:
                seen_null = True
                out.append(None)
            continue
        if not any(o is not None and equal(o, v) is True for o in out):
            out.append(v)
    return out


@operator("Distinct", "(List<T>) -> List<T>")
def distinct(values: list[Any]) -> list[Any]:
    return distinct_values(values)


@operator("Exists", "(List<T>) -> Boolean", nulls="pass")
def exists(values: list[Any] | None) -> bool:
    return any(v is not None for v in values or ())
