"""Comparison and arithmetic with uncertainties: integers known only to lie in [low, high].

`duration in months between @2005 and @2006-07` cannot be one number, so it is the range of
the possible answers. CQL treats such a value like an interval of integers: a comparison is
true when it holds for every possible value, false when it holds for none, and null
otherwise; the sum of two uncertainties is the range of the possible sums, and so on.

A plain integer is the uncertainty [n, n], so every function here takes either.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from cds.cql.values.temporal.model import Uncertainty

Uncertain = int | Uncertainty

_ORDERINGS: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def is_uncertain(value: object) -> bool:
    return type(value) is Uncertainty


def bounds(value: Uncertain) -> tuple[int, int]:
    """(low, high) of an uncertainty; (n, n) of an integer."""
    if type(value) is Uncertainty:
        return value.low, value.high
    return value, value  # type: ignore[return-value]


def uncertainty(low: int, high: int) -> Uncertain:
    """The range [low, high]; a plain integer when the range holds one value."""
    return low if low == high else Uncertainty(low, high)


def order(a: Uncertain, b: Uncertain, comparison: str) -> bool | None:
    """`a < b` (or <=, >, >=) over every possible pair of values.

    The orderings are monotone, so the extreme pairs decide: the comparison holds everywhere
    when it holds at its hardest corner, and nowhere when it fails at its easiest one.

    >>> order(Uncertainty(6, 18), 5, ">"), order(Uncertainty(1, 13), 5, ">"), order(Uncertainty(6, 18), 25, ">")
    (True, None, False)
    """
    holds = _ORDERINGS[comparison]
    a_low, a_high = bounds(a)
    b_low, b_high = bounds(b)
    corners = (holds(a_low, b_low), holds(a_low, b_high), holds(a_high, b_low), holds(a_high, b_high))
    if all(corners):
        return True
    return False if not any(corners) else None


def equal(a: Uncertain, b: Uncertain) -> bool | None:
    """`a = b`: false when the ranges share no value, true only for the same single value.

    >>> equal(Uncertainty(6, 18), 24), equal(Uncertainty(6, 18), 10), equal(7, 7)
    (False, None, True)
    """
    a_low, a_high = bounds(a)
    b_low, b_high = bounds(b)
    if a_high < b_low or b_high < a_low:
        return False
    if a_low == a_high == b_low == b_high:
        return True
    return None


def add(a: Uncertain, b: Uncertain) -> Uncertain:
    a_low, a_high = bounds(a)
    b_low, b_high = bounds(b)
    return uncertainty(a_low + b_low, a_high + b_high)


def subtract(a: Uncertain, b: Uncertain) -> Uncertain:
    a_low, a_high = bounds(a)
    b_low, b_high = bounds(b)
    return uncertainty(a_low - b_high, a_high - b_low)


def multiply(a: Uncertain, b: Uncertain) -> Uncertain:
    """The range of the possible products (signs can swap which corner is lowest)."""
    a_low, a_high = bounds(a)
    b_low, b_high = bounds(b)
    products = (a_low * b_low, a_low * b_high, a_high * b_low, a_high * b_high)
    return uncertainty(min(products), max(products))


def negate(a: Uncertain) -> Uncertain:
    low, high = bounds(a)
    return uncertainty(-high, -low)
