"""Successor, predecessor and the minimum / maximum of ordered types: what interval boundaries need."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import CqlRuntimeError
from ..values import temporal
from ..values.quantity import Quantity

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
DECIMAL_MAX = Decimal("99999999999999999999.99999999")
DECIMAL_STEP = Decimal("0.00000001")

MIN_VALUES: dict[str, Any] = {
    "Integer": INT_MIN,
    "Long": LONG_MIN,
    "Decimal": -DECIMAL_MAX,
    "Date": temporal.MIN_DATE,
    "DateTime": temporal.MIN_DATETIME,
    "Time": temporal.MIN_TIME,
}
MAX_VALUES: dict[str, Any] = {
    "Integer": INT_MAX,
    "Long": LONG_MAX,
    "Decimal": DECIMAL_MAX,
    "Date": temporal.MAX_DATE,
    "DateTime": temporal.MAX_DATETIME,
    "Time": temporal.MAX_TIME,
}


def _decimal_step(value: Decimal) -> Decimal:
    """The step of a decimal at its own precision (CQL: 10^-8 unless the value shows fewer places)."""
    return DECIMAL_STEP


def successor(value: Any, point_type: str | None = None) -> Any:
    if isinstance(value, bool):
        raise CqlRuntimeError("Boolean has no successor")
    if isinstance(value, int):
        limit = LONG_MAX if point_type == "Long" or value > INT_MAX else INT_MAX
        if value >= limit:
            raise CqlRuntimeError("the successor would exceed the maximum value of the type")
        return value + 1
    if isinstance(value, Decimal):
        if value >= DECIMAL_MAX:
            raise CqlRuntimeError("the successor would exceed the maximum Decimal")
        return value + _decimal_step(value)
    if isinstance(value, Quantity):
        return Quantity(successor(value.value), value.unit)
    if isinstance(value, temporal.Date | temporal.DateTime | temporal.Time):
        try:
            return temporal.successor(value)
        except temporal.TemporalError as exc:
            raise CqlRuntimeError(str(exc)) from None
    raise CqlRuntimeError(f"{type(value).__name__} has no successor")


def predecessor(value: Any, point_type: str | None = None) -> Any:
    if isinstance(value, bool):
        raise CqlRuntimeError("Boolean has no predecessor")
    if isinstance(value, int):
        limit = LONG_MIN if point_type == "Long" or value < INT_MIN else INT_MIN
        if value <= limit:
            raise CqlRuntimeError("the predecessor would precede the minimum value of the type")
        return value - 1
    if isinstance(value, Decimal):
        if value <= -DECIMAL_MAX:
            raise CqlRuntimeError("the predecessor would precede the minimum Decimal")
        return value - _decimal_step(value)
    if isinstance(value, Quantity):
        return Quantity(predecessor(value.value), value.unit)
    if isinstance(value, temporal.Date | temporal.DateTime | temporal.Time):
        try:
            return temporal.predecessor(value)
        except temporal.TemporalError as exc:
            raise CqlRuntimeError(str(exc)) from None
    raise CqlRuntimeError(f"{type(value).__name__} has no predecessor")


def min_value(point_type: str | None) -> Any:
    return MIN_VALUES.get(point_type or "")


def max_value(point_type: str | None) -> Any:
    return MAX_VALUES.get(point_type or "")
