"""Null tests and Coalesce."""

from __future__ import annotations

from typing import Any

from .. import types as t
from ..runtime import Context
from .registry import Fn, operator


@operator("IsNull", "(Any) -> Boolean", nulls="pass")
def is_null(value: Any) -> bool:
    return value is None


@operator("IsTrue", "(Boolean) -> Boolean", nulls="pass")
def is_true(value: Any) -> bool:
    return value is True


@operator("IsFalse", "(Boolean) -> Boolean", nulls="pass")
def is_false(value: Any) -> bool:
    return value is False


@operator(
    "Coalesce",
    "(T, T) -> T",
    "(T, T, T) -> T",
    "(T, T, T, T) -> T",
    "(T, T, T, T, T) -> T",
    builder=True,
)
def coalesce(fns: list[Fn], types: list[t.CqlType]) -> Fn:
    """The first non-null argument; the later ones are not evaluated once one is found."""

    def coalesce_fn(ctx: Context, frame: list[Any]) -> Any:
        for fn in fns:
            value = fn(ctx, frame)
            if value is not None:
                return value
        return None

    return coalesce_fn


@operator("Coalesce", "(List<T>) -> T", nulls="pass")
def coalesce_list(values: list[Any] | None) -> Any:
    return next((v for v in values or () if v is not None), None)
