"""Equality (`=`), equivalence (`~`) and ordering (`<`, `<=`, `>`, `>=`) over every CQL value.

Equality is three-valued (null when an operand or a part of it is null, or when date/time precisions
make the answer uncertain); equivalence is never null (null ~ null is true); ordering returns
-1 / 0 / 1, or None when unknown.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..models import FhirObject
from ..values import temporal, ucum
from ..values.code import Code, Concept
from ..values.interval import Interval
from ..values.quantity import CALENDAR_TO_UCUM, Quantity, Ratio
from ..values.temporal import uncertainty
from .registry import operator

_TEMPORAL = (temporal.Date, temporal.DateTime, temporal.Time)
_TEMPORAL_TYPES = frozenset(_TEMPORAL)
_WS = re.compile(r"\s+")


def _is_number(v: Any) -> bool:
    return isinstance(v, int | Decimal) and not isinstance(v, bool)


# --------------------------------------------------------------------------------- quantities
def _ucum_unit(unit: str) -> str:
    return CALENDAR_TO_UCUM.get(unit, unit)


def quantity_compare(a: Quantity, b: Quantity) -> int | None:
    """Compare two quantities after unit conversion; None if the units are not commensurable."""
    if a.unit == b.unit:
        return (a.value > b.value) - (a.value < b.value)
    if a.unit in ("year", "month") or b.unit in ("year", "month"):
        return None  # calendar years and months have no fixed length
    try:
        bv = ucum.convert(b.value, _ucum_unit(b.unit), _ucum_unit(a.unit))
    except ucum.UcumError:
        return None
    return (a.value > bv) - (a.value < bv)


def _round_to_least_precise(a: Decimal, b: Decimal) -> tuple[Decimal, Decimal]:
    """Both values rounded to the precision of the less precise one, counted in significant decimal
    places (trailing zeros are not significant: 1.001 ~ 1.000 compares at whole units), never coarser
    than units (12 ~ 10 stays false)."""
    ea, eb = _places(a), _places(b)
    q = Decimal(1).scaleb(min(max(ea, eb), 0))
    return a.quantize(q), b.quantize(q)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return exponent


# ------------------------------------------------------------------------------------ equality
def equal(a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    if type(a) is str and type(b) is str:  # the usual case (status = 'final'): the branch below, first
        return a == b
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b if isinstance(a, bool) and isinstance(b, bool) else False
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, _TEMPORAL) and isinstance(b, _TEMPORAL):
        return _temporal_equal(a, b)
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        c = quantity_compare(a, b)
        return None if c is None else c == 0
    if isinstance(a, list) and isinstance(b, list):
        # CQL 1.5 list equality: null elements at the same position count as equal.
        return _all_equal(a, b, nulls_match=True)
    if isinstance(a, Interval) and isinstance(b, Interval):
        return _interval_equal(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return False
        return _all_equal([a[k] for k in a], [b[k] for k in a], nulls_match=True, in_order=True)
    if isinstance(a, Code) and isinstance(b, Code):
        return (a.code, a.system, a.version, a.display) == (b.code, b.system, b.version, b.display)
    if isinstance(a, Concept | Code) and isinstance(b, Concept | Code):
        ca, cb = _concept(a), _concept(b)
        if ca.display != cb.display:
            return False
        return _all_equal(list(ca.codes), list(cb.codes))
    if isinstance(a, Ratio) and isinstance(b, Ratio):
        n = equal(a.numerator, b.numerator)
        d = equal(a.denominator, b.denominator)
        if n is False or d is False:
            return False
        return None if n is None or d is None else True
    if isinstance(a, FhirObject) and isinstance(b, FhirObject):
        return a.type == b.type and a.data == b.data
    if uncertainty.is_uncertain(a) or uncertainty.is_uncertain(b):
        return uncertainty.equal(a, b)
    return False


def _temporal_equal(a: Any, b: Any) -> bool | None:
    try:
        return temporal.equal(a, b)
    except TypeError:
        return False


def _all_equal(
    xs: list[Any], ys: list[Any], nulls_match: bool = False, in_order: bool = False
) -> bool | None:
    """Element-wise equality. Lists: any difference makes false, else any unknown makes null. Tuples
    (`in_order`): the first element that is not equal decides, false or null, as the reference engines
    compare (`{null, 'John'} = {1, 'James'}` is null, `{1, 'John'} = {2, null}` is false)."""
    if len(xs) != len(ys):
        return False
    unknown = False
    for x, y in zip(xs, ys, strict=True):
        if nulls_match and x is None and y is None:
            continue
        e = equal(x, y)
        if e is False:
            return False
        if e is None:
            if in_order:
                return None
            unknown = True
    return None if unknown else True


def _interval_equal(a: Interval, b: Interval) -> bool | None:
    from .intervals import interval_end, interval_start

    lo = equal(interval_start(a), interval_start(b))
    hi = equal(interval_end(a), interval_end(b))
    if lo is False or hi is False:
        return False
    if lo is None or hi is None:
        if a.low is None and b.low is None and a.low_closed == b.low_closed and hi is True:
            return None
        return None
    return True


def _concept(v: Code | Concept) -> Concept:
    return v if isinstance(v, Concept) else Concept((v,))


# ---------------------------------------------------------------------------------- equivalence
def equivalent(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if _is_number(a) and _is_number(b):
        if isinstance(a, Decimal) or isinstance(b, Decimal):
            x, y = _round_to_least_precise(Decimal(a), Decimal(b))
            return x == y
        return bool(a == b)
    if isinstance(a, str) and isinstance(b, str):
        return _WS.sub(" ", a).casefold() == _WS.sub(" ", b).casefold()
    if isinstance(a, _TEMPORAL) and isinstance(b, _TEMPORAL):
        try:
            return temporal.equivalent(a, b)
        except TypeError:
            return False
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        return _quantity_equivalent(a, b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equivalent(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Interval) and isinstance(b, Interval):
        from .intervals import interval_end, interval_start

        return equivalent(interval_start(a), interval_start(b)) and equivalent(
            interval_end(a), interval_end(b)
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(equivalent(a[k], b[k]) for k in a)
    if isinstance(a, Code) and isinstance(b, Code):
        return a.code == b.code and a.system == b.system
    if isinstance(a, Concept | Code) and isinstance(b, Concept | Code):
        return any(equivalent(x, y) for x in _concept(a).codes for y in _concept(b).codes)
    if isinstance(a, Ratio) and isinstance(b, Ratio):
        return _ratio_equivalent(a, b)
    if isinstance(a, FhirObject) and isinstance(b, FhirObject):
        return a.type == b.type and a.data == b.data
    return False


# Equivalence (not equality) reads calendar durations at their conventional lengths: a year is 'a',
# 12 months or 365 days, a month is 'mo' or 30 days (CQL 1.5, "Quantities").
_CALENDAR_DAYS = {"year": Decimal(365), "month": Decimal(30), "a": Decimal(365), "mo": Decimal(30)}
_CALENDAR_MONTHS = {"year": Decimal(12), "a": Decimal(12), "month": Decimal(1), "mo": Decimal(1)}


def _calendar_equivalent(a: Quantity, b: Quantity) -> bool:
    for table in (_CALENDAR_MONTHS, _CALENDAR_DAYS):
        if a.unit in table and b.unit in table:
            return _equivalent_values(a.value * table[a.unit], b.value * table[b.unit])
    days = {"week": Decimal(7), "day": Decimal(1), "wk": Decimal(7), "d": Decimal(1)}
    for calendar, other in ((a, b), (b, a)):
        if calendar.unit in _CALENDAR_DAYS and other.unit in days:
            return _equivalent_values(
                calendar.value * _CALENDAR_DAYS[calendar.unit], other.value * days[other.unit]
            )
    return False


def _equivalent_values(x: Decimal, y: Decimal) -> bool:
    rx, ry = _round_to_least_precise(x, y)
    return rx == ry


def _quantity_equivalent(a: Quantity, b: Quantity) -> bool:
    if a.unit == b.unit:
        x, y = _round_to_least_precise(a.value, b.value)
        return x == y
    if a.unit in ("year", "month") or b.unit in ("year", "month"):
        return _calendar_equivalent(a, b)
    try:
        bv = ucum.convert(b.value, _ucum_unit(b.unit), _ucum_unit(a.unit))
    except ucum.UcumError:
        return False
    x, y = _round_to_least_precise(a.value, bv)
    return x == y


def _ratio_equivalent(a: Ratio, b: Ratio) -> bool:
    from .arithmetic import divide_quantities

    qa = divide_quantities(a.numerator, a.denominator)
    qb = divide_quantities(b.numerator, b.denominator)
    return qa is not None and qb is not None and equivalent(qa, qb)


# ------------------------------------------------------------------------------------ ordering
def compare(a: Any, b: Any) -> int | None:
    """-1 / 0 / 1, or None when unknown (null, uncertain precision, incommensurable units)."""
    if a is None or b is None:
        return None
    kind = type(a)
    if kind is type(b):
        # Same exact type, the usual case in a `where` clause: one dispatch instead of the chain below.
        if kind is int or kind is Decimal or kind is str:
            return (a > b) - (a < b)  # type: ignore[no-any-return]
        if kind in _TEMPORAL_TYPES:
            return temporal.compare(a, b)
        if kind is Quantity:
            return quantity_compare(a, b)
    if _is_number(a) and _is_number(b):
        return (a > b) - (a < b)  # type: ignore[no-any-return]
    if isinstance(a, str) and isinstance(b, str):
        return (a > b) - (a < b)
    if isinstance(a, _TEMPORAL) and isinstance(b, _TEMPORAL):
        try:
            return temporal.compare(a, b)
        except TypeError:
            return None
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        return quantity_compare(a, b)
    if isinstance(a, bool) and isinstance(b, bool):
        return (a > b) - (a < b)
    return None


def compare_for_sort(a: Any, b: Any) -> int:
    """A total order for `sort`: nulls first, then CQL ordering (uncertain counts as equal)."""
    if a is None or b is None:
        return 0 if a is None and b is None else (-1 if a is None else 1)
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            c = compare_for_sort(a.get(k), b.get(k))
            if c:
                return c
        return 0
    order = compare(a, b)
    if order is None and isinstance(a, _TEMPORAL) and isinstance(b, _TEMPORAL):
        # Equal as far as the less precise goes: it sorts first (CqlListOperatorsTest SortDatesAsc).
        return (a.precision > b.precision) - (a.precision < b.precision)
    return order or 0


# ----------------------------------------------------------------------------------- operators
@operator("Equal", "(T, T) -> Boolean", nulls="pass")
def _equal(a: Any, b: Any) -> bool | None:
    return equal(a, b)


# The operators' implementations, for the compiler's inline forms.
equal_operator = _equal


@operator("Equivalent", "(T, T) -> Boolean", nulls="pass")
def _equivalent(a: Any, b: Any) -> bool:
    return equivalent(a, b)


_ORDERED = ["Integer", "Long", "Decimal", "String", "Date", "DateTime", "Time", "Quantity"]


def _ordered(name: str) -> list[str]:
    return [f"({x}, {x}) -> Boolean" for x in _ORDERED]


def _uncertain_order(a: Any, b: Any, comparison: str) -> bool | None:
    """An uncertainty (from `months between` imprecise dates) compares like an interval of integers."""
    if uncertainty.is_uncertain(a) or uncertainty.is_uncertain(b):
        return uncertainty.order(a, b, comparison)
    return None


@operator("Less", *_ordered("Less"))
def _less(a: Any, b: Any) -> bool | None:
    c = compare(a, b)
    if c is None:
        return _uncertain_order(a, b, "<")
    return c < 0


@operator("LessOrEqual", *_ordered("LessOrEqual"))
def _less_or_equal(a: Any, b: Any) -> bool | None:
    c = compare(a, b)
    if c is None:
        return _uncertain_order(a, b, "<=")
    return c <= 0


@operator("Greater", *_ordered("Greater"))
def _greater(a: Any, b: Any) -> bool | None:
    c = compare(a, b)
    if c is None:
        return _uncertain_order(a, b, ">")
    return c > 0


@operator("GreaterOrEqual", *_ordered("GreaterOrEqual"))
def _greater_or_equal(a: Any, b: Any) -> bool | None:
    c = compare(a, b)
    if c is None:
        return _uncertain_order(a, b, ">=")
    return c >= 0


less, less_or_equal, greater, greater_or_equal = _less, _less_or_equal, _greater, _greater_or_equal
