"""Null tests and Coalesce."""

from __future__ import annotations

from typing import Any

from .registry import operator


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
    nulls="pass",
)
def coalesce(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


@operator("Coalesce", "(List<T>) -> T", nulls="pass")
def coalesce_list(values: list[Any] | None) -> Any:
    return next((v for v in values or () if v is not None), None)
