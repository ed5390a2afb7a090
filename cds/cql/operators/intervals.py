"""Interval operators. Boundaries follow CQL: an open boundary's point is the successor / predecessor
of its value; a closed null boundary is the minimum / maximum of the point type (unbounded); an open
null boundary is unknown."""

from __future__ import annotations

from typing import Any

from ..errors import CqlRuntimeError
from ..values.interval import Interval
from .ordinal import max_value, min_value, predecessor, successor
from .registry import operator


def interval_start(iv: Interval) -> Any:
    if iv.low is None:
        return min_value(iv.point_type) if iv.low_closed else None
    return iv.low if iv.low_closed else successor(iv.low, iv.point_type)


def interval_end(iv: Interval) -> Any:
    if iv.high is None:
        return max_value(iv.point_type) if iv.high_closed else None
    return iv.high if iv.high_closed else predecessor(iv.high, iv.point_type)


def interval_check(iv: Interval) -> None:
    """An interval whose start is after its end is an error (CQL: invalid interval)."""
    from .comparison import compare

    if iv.low is None or iv.high is None:
        return
    if iv.low_closed and iv.high_closed:
        c = compare(iv.low, iv.high)
    else:
        try:
            c = compare(interval_start(iv), interval_end(iv))
        except CqlRuntimeError:
            c = 1
    if c is not None and c > 0:
        raise CqlRuntimeError(
            "Invalid Interval - the ending boundary must be greater than or equal to the starting boundary"
        )


@operator("Start", "(Interval<T>) -> T")
def start(iv: Interval) -> Any:
    return interval_start(iv)


@operator("End", "(Interval<T>) -> T")
def end(iv: Interval) -> Any:
    return interval_end(iv)
