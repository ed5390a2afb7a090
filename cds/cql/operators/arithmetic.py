"""Arithmetic on Integer, Long, Decimal and Quantity, and date/time +/- a time-valued Quantity.

Integer and Long results are checked against their ranges and Decimal results are rounded half up to
8 places (`ordinal.dec`). Overflow is a CQL run-time error: the lead's rule for this engine, so that a
criterion never silently turns an overflow into "unknown" (the CQL reference says null); the
conformance suite agrees where it tests it (Exp(1000) must fail). Results that only cannot be
represented for a mathematical reason (division by zero, Ln of a negative number) are null.
"""

from __future__ import annotations

import decimal
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import CqlRuntimeError
from ..values import temporal, ucum
from ..values.quantity import CALENDAR_TO_UCUM, CALENDAR_UNITS, UCUM_TO_CALENDAR, Quantity
from ..values.temporal import uncertainty
from .ordinal import CONTEXT, DECIMAL_PLACES, INT_MAX, INT_MIN, dec, integer, long
from .registry import operator

_OVERFLOW = "Decimal overflow: the result exceeds the range of Decimal"


# ------------------------------------------------------------------------------------- add
@operator("Add", "(Integer, Integer) -> Integer")
def add_integer(a: int, b: int) -> int:
    # A duration between imprecise dates is an uncertainty (a range of Integers); it stays one.
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
    common = _in_common_unit(a, b)
    if common is None:
        return None
    av, bv, unit = common
    return Quantity(dec(CONTEXT.add(av, bv)), unit)


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
    common = _in_common_unit(a, b)
    if common is None:
        return None
    av, bv, unit = common
    return Quantity(dec(CONTEXT.subtract(av, bv)), unit)


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


# Integer and Long operands reach Divide as Decimals (implicit conversion): 10 / 4 is 2.5.
@operator("Divide", "(Decimal, Decimal) -> Decimal")
def divide_decimal(a: Decimal, b: Decimal) -> Decimal | None:
    if b == 0:
        return None
    return dec(CONTEXT.divide(a, b))


def divide_quantities(a: Quantity, b: Quantity) -> Quantity | None:
    """a / b with the UCUM quotient unit ('g/cm3' / 'g/cm3' is '1'); null for b = 0."""
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


# ----------------------------------------------------------------------------- div and mod
# Both truncate toward zero, as CQL (and Java) do: -10 div 3 is -3 and -10 mod 3 is -1.
@operator("TruncatedDivide", "(Integer, Integer) -> Integer")
def truncated_divide_integer(a: int, b: int) -> int | None:
    return None if b == 0 else integer(_truncated_quotient(a, b))


@operator("TruncatedDivide", "(Long, Long) -> Long")
def truncated_divide_long(a: int, b: int) -> int | None:
    return None if b == 0 else long(_truncated_quotient(a, b))


@operator("TruncatedDivide", "(Decimal, Decimal) -> Decimal")
def truncated_divide_decimal(a: Decimal, b: Decimal) -> Decimal | None:
    return None if b == 0 else dec(CONTEXT.divide_int(a, b))


# The conformance suite keeps the left unit: 10.0 'g' div 5.0 'g' is 2.0 'g' (not 2.0 '1').
@operator("TruncatedDivide", "(Quantity, Quantity) -> Quantity")
def truncated_divide_quantity(a: Quantity, b: Quantity) -> Quantity | None:
    bv = in_unit(b, a.unit)
    if bv is None or bv == 0:
        return None
    return Quantity(dec(CONTEXT.divide_int(a.value, bv)), a.unit)


@operator("Modulo", "(Integer, Integer) -> Integer")
def modulo_integer(a: int, b: int) -> int | None:
    return None if b == 0 else a - b * _truncated_quotient(a, b)


@operator("Modulo", "(Long, Long) -> Long")
def modulo_long(a: int, b: int) -> int | None:
    return None if b == 0 else a - b * _truncated_quotient(a, b)


@operator("Modulo", "(Decimal, Decimal) -> Decimal")
def modulo_decimal(a: Decimal, b: Decimal) -> Decimal | None:
    # Decimal.remainder takes the sign of the dividend, like CQL's mod.
    return None if b == 0 else dec(CONTEXT.remainder(a, b))


@operator("Modulo", "(Quantity, Quantity) -> Quantity")
def modulo_quantity(a: Quantity, b: Quantity) -> Quantity | None:
    bv = in_unit(b, a.unit)
    if bv is None or bv == 0:
        return None
    return Quantity(dec(CONTEXT.remainder(a.value, bv)), a.unit)


def _truncated_quotient(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


# ----------------------------------------------------------------------------- sign, abs
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
    return CONTEXT.minus(a)


@operator("Negate", "(Quantity) -> Quantity")
def negate_quantity(a: Quantity) -> Quantity:
    return Quantity(CONTEXT.minus(a.value), a.unit)


@operator("Abs", "(Integer) -> Integer")
def abs_integer(a: int) -> int:
    return integer(abs(a))


@operator("Abs", "(Long) -> Long")
def abs_long(a: int) -> int:
    return long(abs(a))


@operator("Abs", "(Decimal) -> Decimal")
def abs_decimal(a: Decimal) -> Decimal:
    return CONTEXT.abs(a)


@operator("Abs", "(Quantity) -> Quantity")
def abs_quantity(a: Quantity) -> Quantity:
    return Quantity(CONTEXT.abs(a.value), a.unit)


# ------------------------------------------------------------------------- whole numbers, round
# Ceiling, Floor and Truncate give an Integer; a result outside the Integer range is null (spec and
# conformance: Ceiling(2147483647.2) is null), since it is a conversion rather than an overflow.
@operator("Ceiling", "(Decimal) -> Integer")
def ceiling(a: Decimal) -> int | None:
    return _whole(a, ROUND_CEILING)


@operator("Floor", "(Decimal) -> Integer")
def floor(a: Decimal) -> int | None:
    return _whole(a, ROUND_FLOOR)


@operator("Truncate", "(Decimal) -> Integer")
def truncate(a: Decimal) -> int | None:
    return _whole(a, ROUND_DOWN)


def _whole(a: Decimal, rounding: str) -> int | None:
    value = int(a.to_integral_value(rounding=rounding, context=CONTEXT))
    return value if INT_MIN <= value <= INT_MAX else None


@operator("Round", "(Decimal) -> Decimal", "(Decimal, Integer) -> Decimal", nulls="pass")
def round_decimal(a: Decimal | None, precision: int | None = None) -> Decimal | None:
    """Half away from zero (Round(-0.5) is -1.0, Round(-1.5) is -2.0, as the conformance suite has it);
    a null precision is 0 and a precision beyond the Decimal's 8 places keeps all of them."""
    if a is None:
        return None
    places = 0 if precision is None else min(precision, DECIMAL_PLACES)
    return dec(a.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=CONTEXT))


@operator("Round", "(Quantity) -> Quantity", "(Quantity, Integer) -> Quantity", nulls="pass")
def round_quantity(a: Quantity | None, precision: int | None = None) -> Quantity | None:
    if a is None:
        return None
    value = round_decimal(a.value, precision)
    return None if value is None else Quantity(value, a.unit)


# -------------------------------------------------------------------------------- powers, logs
# A negative exponent has no whole result; Power(2, -2) is 0.25 in the conformance suite, so the
# Integer and Long overloads return a Decimal then (the static type stays Integer / Long).
@operator("Power", "(Integer, Integer) -> Integer")
def power_integer(a: int, b: int) -> int | Decimal | None:
    return power_decimal(Decimal(a), Decimal(b)) if b < 0 else integer(_whole_power(a, b))


@operator("Power", "(Long, Long) -> Long")
def power_long(a: int, b: int) -> int | Decimal | None:
    return power_decimal(Decimal(a), Decimal(b)) if b < 0 else long(_whole_power(a, b))


def _whole_power(a: int, b: int) -> int:
    if abs(a) > 1 and b >= 64:  # beyond every Long: stop before building a huge number
        raise CqlRuntimeError("Integer overflow: the result of the power exceeds the range of Long")
    result: int = a**b
    return result


@operator("Power", "(Decimal, Decimal) -> Decimal")
def power_decimal(a: Decimal, b: Decimal) -> Decimal | None:
    """Null when no real result exists (0 to a negative power, a negative number to a fraction)."""
    if a == 0 and b < 0:  # Decimal would answer Infinity
        return None
    whole = b == b.to_integral_value()
    try:
        result = CONTEXT.power(a, int(b)) if whole else CONTEXT.power(a, b)
    except (decimal.InvalidOperation, decimal.DivisionByZero):
        return None
    except decimal.Overflow:
        raise CqlRuntimeError(_OVERFLOW) from None
    return dec(result)


@operator("Exp", "(Decimal) -> Decimal")
def exp(a: Decimal) -> Decimal:
    try:
        return dec(CONTEXT.exp(a))
    except decimal.Overflow:
        raise CqlRuntimeError(_OVERFLOW) from None


@operator("Ln", "(Decimal) -> Decimal")
def ln(a: Decimal) -> Decimal | None:
    return dec(CONTEXT.ln(a)) if _has_logarithm(a) else None


@operator("Log", "(Decimal, Decimal) -> Decimal")
def log(a: Decimal, base: Decimal) -> Decimal | None:
    """Null for a base that is not positive or is 1 (Log(2, 1)), as for Ln of a negative number."""
    if base <= 0 or base == 1 or not _has_logarithm(a):
        return None
    return dec(CONTEXT.divide(CONTEXT.ln(a), CONTEXT.ln(base)))


def _has_logarithm(a: Decimal) -> bool:
    # Ln(0) is minus infinity, an overflow (the conformance suite expects an error); below 0 there is
    # no real logarithm (null).
    if a == 0:
        raise CqlRuntimeError("Decimal overflow: the logarithm of 0 is minus infinity")
    return a > 0


# ------------------------------------------------------------------------------------ units
_MONTHS_IN = {"year": 12, "month": 1}


def in_unit(q: Quantity, unit: str) -> Decimal | None:
    """q's value expressed in `unit`; None when the units are not commensurable.

    Calendar years and months convert only to each other (1 year = 12 months): they are not a fixed
    length, so they do not convert to days or to UCUM's mean 'a' and 'mo'. Weeks and below are fixed.
    """
    if q.unit == unit:
        return q.value
    if q.unit in _MONTHS_IN or unit in _MONTHS_IN:
        if q.unit in _MONTHS_IN and unit in _MONTHS_IN:
            return dec(CONTEXT.divide(CONTEXT.multiply(q.value, _MONTHS_IN[q.unit]), _MONTHS_IN[unit]))
        return None
    try:
        return ucum.convert(q.value, _ucum(q.unit), _ucum(unit))
    except ucum.UcumError:
        return None


def _in_common_unit(a: Quantity, b: Quantity) -> tuple[Decimal, Decimal, str] | None:
    """Both values in the finer of the two units (spec: the sum has the most granular unit, so
    1 'm' + 1 'cm' is 101 'cm'); None when they do not convert or either is a special unit such as
    'Cel' (spec: special units give null; the same special unit on both sides still adds)."""
    if a.unit == b.unit:
        return a.value, b.value, a.unit
    if _is_special(a.unit) or _is_special(b.unit):
        return None
    one_a_in_b = in_unit(Quantity(Decimal(1), a.unit), b.unit)
    if one_a_in_b is None:
        return None
    if one_a_in_b > 1:
        a_in_b = in_unit(a, b.unit)
        return None if a_in_b is None else (a_in_b, b.value, b.unit)
    b_in_a = in_unit(b, a.unit)
    return None if b_in_a is None else (a.value, b_in_a, a.unit)


def _is_special(unit: str) -> bool:
    """A UCUM unit on a non-ratio scale (temperatures in Cel or [degF], pH, ...)."""
    if unit in CALENDAR_UNITS:
        return False
    try:
        ucum.canonical(_ucum(unit))
    except ucum.UcumError:
        return True
    return False


def _ucum(unit: str) -> str:
    return CALENDAR_TO_UCUM.get(unit, unit)


def _time_unit(q: Quantity) -> str:
    unit = UCUM_TO_CALENDAR.get(q.unit, q.unit)
    if unit not in CALENDAR_UNITS:
        raise CqlRuntimeError(f"{q.unit!r} is not a unit of time")
    return unit


__all__ = ["CONTEXT", "dec", "divide_quantities", "in_unit", "integer", "long", "multiply_quantity"]
