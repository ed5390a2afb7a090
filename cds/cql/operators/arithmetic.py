"""Arithmetic on Integer, Long, Decimal and Quantity, and date/time +/- a time-valued Quantity.

Decimals are exact, 28 significant digits, rounded to 8 decimal places (the CQL Decimal step)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from ..errors import CqlRuntimeError
from ..values import temporal, ucum
from ..values.quantity import CALENDAR_TO_UCUM, CALENDAR_UNITS, UCUM_TO_CALENDAR, Quantity
from ..values.temporal import uncertainty
from .ordinal import DECIMAL_MAX, INT_MAX, INT_MIN, LONG_MAX, LONG_MIN
from .registry import operator

CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_UP, traps=[decimal.InvalidOperation])
STEP = Decimal("0.00000001")


def dec(value: Decimal) -> Decimal:
    """A Decimal result held to 8 decimal places, checked against the Decimal range."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -8:
        value = value.quantize(STEP, context=CONTEXT)
    if abs(value) > DECIMAL_MAX:
        raise CqlRuntimeError("Decimal overflow: the result exceeds the range of Decimal")
    return value


def integer(value: int) -> int:
    if not INT_MIN <= value <= INT_MAX:
        raise CqlRuntimeError("Integer overflow: the result exceeds the range of Integer")
    return value


def long(value: int) -> int:
    if not LONG_MIN <= value <= LONG_MAX:
        raise CqlRuntimeError("Long overflow: the result exceeds the range of Long")
    return value


# ------------------------------------------------------------------------------------- add
@operator("Add", "(Integer, Integer) -> Integer")
def add_integer(a: int, b: int) -> int:
    if uncertainty.is_uncertain(a) or uncertainty.is_uncertain(b):
        return uncertainty.add(a, b)  # type: ignore[return-value]
    return integer(a + b)


@operator("Add", "(Long, Long) -> Long")
def add_long(a: int, b: int) -> int:
    return long(a + b)


@operator("Add", "(Decimal, Decimal) -> Decimal")
def add_decimal(a: Decimal, b: Decimal) -> Decimal:
    return dec(CONTEXT.add(a, b))


@operator("Add", "(Quantity, Quantity) -> Quantity")
def add_quantity(a: Quantity, b: Quantity) -> Quantity | None:
    bv = _in_unit(b, a.unit)
    return None if bv is None else Quantity(dec(CONTEXT.add(a.value, bv)), a.unit)


@operator("Add", "(Date, Quantity) -> Date", "(DateTime, Quantity) -> DateTime", "(Time, Quantity) -> Time")
def add_temporal(value: Any, q: Quantity) -> Any:
    unit = _time_unit(q)
    try:
        return temporal.add(value, q.value, unit)
    except temporal.TemporalError as exc:
        raise CqlRuntimeError(str(exc)) from None


# -------------------------------------------------------------------------------- subtract
@operator("Subtract", "(Integer, Integer) -> Integer")
def subtract_integer(a: int, b: int) -> int:
    if uncertainty.is_uncertain(a) or uncertainty.is_uncertain(b):
        return uncertainty.subtract(a, b)  # type: ignore[return-value]
    return integer(a - b)


@operator("Subtract", "(Long, Long) -> Long")
def subtract_long(a: int, b: int) -> int:
    return long(a - b)


@operator("Subtract", "(Decimal, Decimal) -> Decimal")
def subtract_decimal(a: Decimal, b: Decimal) -> Decimal:
    return dec(CONTEXT.subtract(a, b))


@operator("Subtract", "(Quantity, Quantity) -> Quantity")
def subtract_quantity(a: Quantity, b: Quantity) -> Quantity | None:
    bv = _in_unit(b, a.unit)
    return None if bv is None else Quantity(dec(CONTEXT.subtract(a.value, bv)), a.unit)


@operator(
    "Subtract", "(Date, Quantity) -> Date", "(DateTime, Quantity) -> DateTime", "(Time, Quantity) -> Time"
)
def subtract_temporal(value: Any, q: Quantity) -> Any:
    unit = _time_unit(q)
    try:
        return temporal.subtract(value, q.value, unit)
    except temporal.TemporalError as exc:
        raise CqlRuntimeError(str(exc)) from None


# -------------------------------------------------------------------------- multiply, divide
@operator("Multiply", "(Integer, Integer) -> Integer")
def multiply_integer(a: int, b: int) -> int:
    if uncertainty.is_uncertain(a) or uncertainty.is_uncertain(b):
        return uncertainty.multiply(a, b)  # type: ignore[return-value]
    return integer(a * b)


@operator("Multiply", "(Long, Long) -> Long")
def multiply_long(a: int, b: int) -> int:
    return long(a * b)


@operator("Multiply", "(Decimal, Decimal) -> Decimal")
def multiply_decimal(a: Decimal, b: Decimal) -> Decimal:
    return dec(CONTEXT.multiply(a, b))


@operator("Multiply", "(Quantity, Quantity) -> Quantity")
def multiply_quantity(a: Quantity, b: Quantity) -> Quantity | None:
    try:
        unit = ucum.multiply(_ucum(a.unit), _ucum(b.unit))
    except ucum.UcumError:
        return None
    return Quantity(dec(CONTEXT.multiply(a.value, b.value)), unit)


@operator("Divide", "(Decimal, Decimal) -> Decimal")
def divide_decimal(a: Decimal, b: Decimal) -> Decimal | None:
    if b == 0:
        return None
    return dec(CONTEXT.divide(a, b))


def divide_quantities(a: Quantity, b: Quantity) -> Quantity | None:
    if b.value == 0:
        return None
    try:
        unit = ucum.divide(_ucum(a.unit), _ucum(b.unit))
    except ucum.UcumError:
        return None
    return Quantity(dec(CONTEXT.divide(a.value, b.value)), unit)


@operator("Divide", "(Quantity, Quantity) -> Quantity")
def divide_quantity(a: Quantity, b: Quantity) -> Quantity | None:
    return divide_quantities(a, b)


@operator("Negate", "(Integer) -> Integer")
def negate_integer(a: int) -> int:
    if uncertainty.is_uncertain(a):
        return uncertainty.negate(a)  # type: ignore[return-value]
    return integer(-a)


@operator("Negate", "(Long) -> Long")
def negate_long(a: int) -> int:
    return long(-a)


@operator("Negate", "(Decimal) -> Decimal")
def negate_decimal(a: Decimal) -> Decimal:
    return -a


@operator("Negate", "(Quantity) -> Quantity")
def negate_quantity(a: Quantity) -> Quantity:
    return Quantity(-a.value, a.unit)


# ------------------------------------------------------------------------------------ units
def _ucum(unit: str) -> str:
    return CALENDAR_TO_UCUM.get(unit, unit)


def _in_unit(q: Quantity, unit: str) -> Decimal | None:
    """q's value expressed in `unit`, or None when the units are not commensurable."""
    if q.unit == unit:
        return q.value
    if q.unit in ("year", "month") or unit in ("year", "month"):
        return None
    try:
        return ucum.convert(q.value, _ucum(q.unit), _ucum(unit))
    except ucum.UcumError:
        return None


def _time_unit(q: Quantity) -> str:
    unit = UCUM_TO_CALENDAR.get(q.unit, q.unit)
    if unit not in CALENDAR_UNITS:
        raise CqlRuntimeError(f"{q.unit!r} is not a unit of time")
    return unit
