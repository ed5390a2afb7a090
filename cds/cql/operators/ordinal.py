"""The range and step of CQL's ordered types: their limits, minimum / maximum, successor / predecessor,
and the precision and boundaries of a value (Precision, LowBoundary, HighBoundary).

Number results pass through `integer`, `long` or `dec` here, so every operator family holds Integer,
Long and Decimal values to the same range and the same 8-place Decimal step.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import CqlRuntimeError
from ..values import temporal
from ..values.quantity import Quantity
from .registry import operator

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
DECIMAL_PLACES = 8
DECIMAL_STEP = Decimal("0.00000001")
# `maximum Decimal` is (10^28 - 1) / 10^8, as the spec and the conformance suite give it ...
DECIMAL_MAX = Decimal("99999999999999999999.99999999")
# ... but the suite also computes 10 * 10^27 - 0.00000001 = 9999999999999999999999999999.99999999
# (ValueLiteralsAndSelectors), so results may reach 10^28 in magnitude and only beyond it overflow.
DECIMAL_LIMIT = Decimal(10) ** 28
# Operands carry at most 36 significant digits (28 before the point, 8 after), so 80 digits keep
# sums and products exact until `dec` rounds them once, half up, to the 8-place step.
CONTEXT = decimal.Context(
    prec=80,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def dec(value: Decimal) -> Decimal:
    """A Decimal result held to 8 decimal places; a CQL run-time error beyond the Decimal range."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -DECIMAL_PLACES:
        value = value.quantize(DECIMAL_STEP, context=CONTEXT)
    if not value.is_finite() or CONTEXT.abs(value) > DECIMAL_LIMIT:
        raise CqlRuntimeError("Decimal overflow: the result exceeds the range of Decimal")
    return value


def integer(value: int) -> int:
    """An Integer result; a CQL run-time error outside -2^31 .. 2^31 - 1."""
    if not INT_MIN <= value <= INT_MAX:
        raise CqlRuntimeError("Integer overflow: the result exceeds the range of Integer")
    return value


def long(value: int) -> int:
    """A Long result; a CQL run-time error outside -2^63 .. 2^63 - 1."""
    if not LONG_MIN <= value <= LONG_MAX:
        raise CqlRuntimeError("Long overflow: the result exceeds the range of Long")
    return value


def decimal_places(value: Decimal) -> int:
    """Digits after the decimal point as written (1.58700 -> 5, 12 -> 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# ------------------------------------------------------------------------------ minimum, maximum
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


def min_value(point_type: str | None) -> Any:
    return MIN_VALUES.get(point_type or "")


def max_value(point_type: str | None) -> Any:
    return MAX_VALUES.get(point_type or "")


# --------------------------------------------------------------------------- successor, predecessor
# Past the end of a type's range is a run-time error, not null: the conformance suite expects an error
# for `successor of @T23:59:59.999` (the spec says null), and interval boundaries rely on it.
def successor(value: Any, point_type: str | None = None) -> Any:
    """The next value of the type: +1, +0.00000001 (the Decimal step, whatever the value's digits, as
    the conformance suite has it), or one unit of a date/time's own precision."""
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
        return dec(CONTEXT.add(value, DECIMAL_STEP))
    if isinstance(value, Quantity):
        return Quantity(successor(value.value), value.unit)
    return _temporal_step(value, temporal.successor, "successor")


def predecessor(value: Any, point_type: str | None = None) -> Any:
    """The previous value of the type (see `successor`)."""
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
        return dec(CONTEXT.subtract(value, DECIMAL_STEP))
    if isinstance(value, Quantity):
        return Quantity(predecessor(value.value), value.unit)
    return _temporal_step(value, temporal.predecessor, "predecessor")


def _temporal_step(value: Any, step: Callable[[Any], Any], name: str) -> Any:
    if not isinstance(value, temporal.Date | temporal.DateTime | temporal.Time):
        raise CqlRuntimeError(f"{type(value).__name__} has no {name}")
    try:
        return step(value)
    except temporal.TemporalError as exc:
        raise CqlRuntimeError(str(exc)) from None


_ORDERED = ("Integer", "Long", "Decimal", "Quantity", "Date", "DateTime", "Time")


def _register_steps() -> None:
    for name in _ORDERED:
        signature = f"({name}) -> {name}"
        operator("Successor", signature)(functools.partial(successor, point_type=name))
        operator("Predecessor", signature)(functools.partial(predecessor, point_type=name))


_register_steps()


# ------------------------------------------------------------------------------------- precision
@operator("Precision", "(Decimal) -> Integer")
def precision_of_decimal(value: Decimal) -> int:
    return decimal_places(value)


@operator("Precision", "(Date) -> Integer", "(DateTime) -> Integer", "(Time) -> Integer")
def precision_of_temporal(value: temporal.Temporal) -> int:
    return temporal.precision_digits(value)


# ------------------------------------------------------------------------------------ boundaries
@operator("LowBoundary", "(Decimal) -> Decimal", "(Decimal, Integer) -> Decimal", nulls="pass")
def low_boundary_decimal(value: Decimal | None, precision: int | None = None) -> Decimal | None:
    return None if value is None else decimal_boundary(value, precision, low=True)


@operator("HighBoundary", "(Decimal) -> Decimal", "(Decimal, Integer) -> Decimal", nulls="pass")
def high_boundary_decimal(value: Decimal | None, precision: int | None = None) -> Decimal | None:
    return None if value is None else decimal_boundary(value, precision, low=False)


def decimal_boundary(value: Decimal, precision: int | None, low: bool) -> Decimal | None:
    """The least (or greatest) decimal of `precision` places the value could stand for.

    A value stands for every decimal that shows its digits (1.587: 1.587 up to 1.58799999), as the
    conformance suite reads it (HighBoundary(1.587, 8) = 1.58799999). At `precision` places or more
    its digits are kept and padded; at fewer the range is rounded outwards (1.587 at 2: 1.58, 1.59).
    A null precision is the Decimal's 8; a precision beyond 8 places cannot be represented (null).
    """
    places = DECIMAL_PLACES if precision is None else precision
    if not 0 <= places <= DECIMAL_PLACES:
        return None
    digits = min(decimal_places(value), DECIMAL_PLACES)
    spread = CONTEXT.subtract(Decimal(1).scaleb(-digits), DECIMAL_STEP)
    if low:
        extreme = value if value >= 0 else CONTEXT.subtract(value, spread)
    else:
        extreme = CONTEXT.add(value, spread) if value >= 0 else value
    outward = ROUND_FLOOR if low else ROUND_CEILING
    rounding = ROUND_DOWN if places >= digits else outward
    return extreme.quantize(Decimal(1).scaleb(-places), rounding=rounding, context=CONTEXT)


_BOUNDARY_SIGNATURES = [
    f"({name}{extra}) -> {name}" for name in ("Date", "DateTime", "Time") for extra in ("", ", Integer")
]
_MOST_DIGITS = {temporal.Date: 8, temporal.DateTime: 17, temporal.Time: 9}


@operator("LowBoundary", *_BOUNDARY_SIGNATURES, nulls="pass")
def low_boundary_temporal(value: temporal.Temporal | None, precision: int | None = None) -> Any:
    return _temporal_boundary(value, precision, temporal.low_boundary)


@operator("HighBoundary", *_BOUNDARY_SIGNATURES, nulls="pass")
def high_boundary_temporal(value: temporal.Temporal | None, precision: int | None = None) -> Any:
    return _temporal_boundary(value, precision, temporal.high_boundary)


def _temporal_boundary(
    value: temporal.Temporal | None,
    digits: int | None,
    boundary: Callable[[temporal.Temporal, temporal.Precision], temporal.Temporal],
) -> temporal.Temporal | None:
    """The boundary at a precision given in digits (@2014 at 6 -> month); null for a digit count the
    type does not have. No precision means the type's finest (8 for Date, 17 DateTime, 9 Time)."""
    if value is None:
        return None
    wanted = _MOST_DIGITS[type(value)] if digits is None else digits
    target = temporal.precision_for_digits(value, wanted)
    return None if target is None else boundary(value, target)
