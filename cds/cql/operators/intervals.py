"""Interval operators (CQL 1.5, Interval Operators): boundaries, membership, inclusion, timing
relations, union / intersect / except, width and size, collapse and expand.

Every operator reads an interval through its starting and ending points (the Start and End
operators): an open boundary's point is the successor / predecessor of its value, a closed null
boundary is the minimum / maximum of the point type, and an open null boundary is unknown - a point
somewhere between the type's minimum (or maximum) and the interval's other end. Such a point is a
`_Span`; comparing with it is true or false when the whole span lies on one side, null otherwise.
With a precision (`included in day of`), dates and times are compared down to it only.

An interval with two null boundaries and no known point type (`Interval[null, null]`) is treated as
null, as the conformance suite has it (`5 in Interval[null, null]` is false, `Interval[null, null]
overlaps Interval[1, 10]` null).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from ..errors import CqlRuntimeError
from ..models import runtime_type
from ..values import temporal
from ..values.interval import Interval
from ..values.quantity import Quantity
from ..values.temporal import Precision
from .arithmetic import add_quantity, in_unit, subtract_quantity
from .comparison import compare, compare_for_sort
from .ordinal import (
    CONTEXT,
    DECIMAL_MAX,
    DECIMAL_STEP,
    dec,
    decimal_places,
    integer,
    long,
    max_value,
    min_value,
    predecessor,
    successor,
)
from .registry import operator

Truth = bool | None
_TEMPORAL = (temporal.Date, temporal.DateTime, temporal.Time)
# Expanding more points than this is almost certainly a mistake (an unbounded window per second).
_MOST_EXPANDED = 1_000_000


@dataclass(frozen=True, slots=True)
class _Span:
    """An uncertain point: known only to lie between `low` and `high` (an open null boundary)."""

    low: Any
    high: Any


# ------------------------------------------------------------------------------------ three-valued
def _all(results: Iterable[Truth]) -> Truth:
    unknown = False
    for r in results:
        if r is False:
            return False
        unknown = unknown or r is None
    return None if unknown else True


def _any(results: Iterable[Truth]) -> Truth:
    unknown = False
    for r in results:
        if r is True:
            return True
        unknown = unknown or r is None
    return None if unknown else False


def _not(result: Truth) -> Truth:
    return None if result is None else not result


# -------------------------------------------------------------------------------------- boundaries
def point_type_of(iv: Interval) -> str | None:
    """The interval's point type name (Integer, Date, ...), from its declaration or its values."""
    if iv.point_type:
        return iv.point_type
    value = iv.low if iv.low is not None else iv.high
    if value is None:
        return None
    found = runtime_type(value)
    return getattr(found, "simple", None)


def is_void(iv: Any) -> bool:
    """Null, `Interval[null, null]` of unknown point type (read as null, see the module notes), or
    not an interval at all: an operand of a choice type (FHIR onset[x]) that holds something else
    reads as null here, as CQL's `as` would make it."""
    if not isinstance(iv, Interval):
        return True
    return iv.low is None and iv.high is None and point_type_of(iv) is None


def _limit(iv: Interval, kind: str | None, lowest: bool) -> Any:
    """The point type's minimum or maximum; for quantities, in the unit of the other boundary."""
    if kind == "Quantity":
        other = iv.high if lowest else iv.low
        if not isinstance(other, Quantity):
            return None
        return Quantity(-DECIMAL_MAX if lowest else DECIMAL_MAX, other.unit)
    return min_value(kind) if lowest else max_value(kind)


def _low_point(iv: Interval, kind: str | None) -> Any:
    """The start when the low boundary is a value or a closed null."""
    if iv.low is None:
        return _limit(iv, kind, lowest=True)
    return iv.low if iv.low_closed else successor(iv.low, kind)


def _high_point(iv: Interval, kind: str | None) -> Any:
    if iv.high is None:
        return _limit(iv, kind, lowest=False)
    return iv.high if iv.high_closed else predecessor(iv.high, kind)


def _start(iv: Interval) -> Any:
    """The starting point: a value, a `_Span` (open null), or None (unknown point type)."""
    bounds = iv.bounds
    if bounds is None:
        bounds = (_compute_start(iv), _compute_end(iv))
        object.__setattr__(iv, "bounds", bounds)  # a cache of a frozen value's derived data
    return bounds[0]


def _end(iv: Interval) -> Any:
    bounds = iv.bounds
    if bounds is None:
        bounds = (_compute_start(iv), _compute_end(iv))
        object.__setattr__(iv, "bounds", bounds)
    return bounds[1]


def _compute_start(iv: Interval) -> Any:
    kind = point_type_of(iv)
    if iv.low is not None or iv.low_closed:
        return _low_point(iv, kind)
    lowest, highest = _limit(iv, kind, lowest=True), _limit(iv, kind, lowest=False)
    if lowest is None:
        return None
    end = _high_point(iv, kind) if iv.high is not None or iv.high_closed else highest
    return _Span(lowest, highest if end is None else end)


def _compute_end(iv: Interval) -> Any:
    kind = point_type_of(iv)
    if iv.high is not None or iv.high_closed:
        return _high_point(iv, kind)
    lowest, highest = _limit(iv, kind, lowest=True), _limit(iv, kind, lowest=False)
    if highest is None:
        return None
    start = _low_point(iv, kind) if iv.low is not None or iv.low_closed else lowest
    return _Span(lowest if start is None else start, highest)


def interval_start(iv: Interval) -> Any:
    """CQL `start of`: the starting point, or None when it is unknown (an open null boundary)."""
    point = _start(iv)
    return None if isinstance(point, _Span) else point


def interval_end(iv: Interval) -> Any:
    """CQL `end of`: the ending point, or None when it is unknown."""
    point = _end(iv)
    return None if isinstance(point, _Span) else point


def interval_check(iv: Interval) -> None:
    """An interval whose start is after its end is an error (CQL: invalid interval)."""
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


# ------------------------------------------------------------------------------ point comparisons
def _precision(word: str | None) -> Precision | None:
    if word is None:
        return None
    try:
        return _PRECISIONS[word]
    except KeyError:
        pass
    try:
        return Precision[word.upper()]
    except KeyError:
        raise CqlRuntimeError(f"{word!r} is not a precision for comparing dates and times") from None


_PRECISIONS = {p.name.lower(): p for p in Precision}


def _order(a: Any, b: Any, precision: Precision | None) -> int | None:
    """-1 / 0 / 1 for two plain points, or None when unknown; dates and times at `precision`."""
    if precision is not None and isinstance(a, _TEMPORAL) and isinstance(b, _TEMPORAL):
        try:
            return temporal.compare_at(a, b, precision)
        except temporal.TemporalError as exc:
            raise CqlRuntimeError(str(exc)) from None
    return compare(a, b)


def _ends(point: Any) -> tuple[Any, Any]:
    return (point.low, point.high) if isinstance(point, _Span) else (point, point)


def _le(a: Any, b: Any, precision: Precision | None = None) -> Truth:
    """a <= b, three-valued; spans answer only when wholly on one side."""
    if a is None or b is None:
        return None
    if not isinstance(a, _Span) and not isinstance(b, _Span):
        c = _order(a, b, precision)
        return None if c is None else c <= 0
    (a_low, a_high), (b_low, b_high) = _ends(a), _ends(b)
    c = _order(a_high, b_low, precision)
    if c is not None and c <= 0:
        return True
    c = _order(a_low, b_high, precision)
    return False if c is not None and c > 0 else None


def _lt(a: Any, b: Any, precision: Precision | None = None) -> Truth:
    """a < b, three-valued."""
    if a is None or b is None:
        return None
    if not isinstance(a, _Span) and not isinstance(b, _Span):
        c = _order(a, b, precision)
        return None if c is None else c < 0
    (a_low, a_high), (b_low, b_high) = _ends(a), _ends(b)
    c = _order(a_high, b_low, precision)
    if c is not None and c < 0:
        return True
    c = _order(a_low, b_high, precision)
    return False if c is not None and c >= 0 else None


def _eq(a: Any, b: Any, precision: Precision | None = None) -> Truth:
    """a = b, three-valued; a span equals nothing for certain, but differs from what it cannot reach."""
    if a is None or b is None:
        return None
    if not isinstance(a, _Span) and not isinstance(b, _Span):
        c = _order(a, b, precision)
        return None if c is None else c == 0
    if _lt(a, b, precision) is True or _lt(b, a, precision) is True:
        return False
    return None


def _step(point: Any, forward: bool, precision: Precision | None = None) -> Any:
    """Successor / predecessor; at a precision, a finer date or time is first cut to it.
    A span moves both ends, staying at the type's limits (its width keeps it uncertain)."""
    if isinstance(point, _Span):
        return _Span(
            _step_within(point.low, forward, precision), _step_within(point.high, forward, precision)
        )
    point = _cut(point, precision)
    return successor(point) if forward else predecessor(point)


def _cut(point: Any, precision: Precision | None) -> Any:
    """A date or time finer than `precision` without its finer components (`meets day of`)."""
    if precision is None or not isinstance(point, _TEMPORAL) or point.precision <= precision:
        return point
    try:
        return temporal.truncate_to(point, precision)
    except temporal.TemporalError as exc:
        raise CqlRuntimeError(str(exc)) from None


def _following(point: Any, precision: Precision | None) -> Any:
    """The point after `point` (at `precision`); None past the type's maximum."""
    if isinstance(point, _Span):
        return _step(point, True, precision)
    cut = _cut(point, precision)
    try:
        return successor(cut)
    except CqlRuntimeError:
        return None


def _step_within(value: Any, forward: bool, precision: Precision | None) -> Any:
    try:
        return _step(value, forward, precision)
    except CqlRuntimeError:
        return value


# --------------------------------------------------------------------------------- start and end
@operator("Start", "(Interval<T>) -> T")
def start(iv: Interval) -> Any:
    return None if is_void(iv) else interval_start(iv)


@operator("End", "(Interval<T>) -> T")
def end(iv: Interval) -> Any:
    return None if is_void(iv) else interval_end(iv)


@operator("PointFrom", "(Interval<T>) -> T")
def point_from(iv: Interval) -> Any:
    """The single point of a unit interval; an error for any other interval."""
    if is_void(iv):
        return None
    first, last = _start(iv), _end(iv)
    if _eq(first, last) is not True:
        raise CqlRuntimeError(f"point from needs a unit interval, not {iv!r}")
    return first


# ------------------------------------------------------------------------------------ membership
def _contains(iv: Interval, point: Any, precision: str | None, proper: bool) -> Truth:
    if isinstance(point, Interval):
        # An operand of a choice type that holds an interval: `during` / `includes` take it whole.
        return _includes(iv, point, precision, proper)
    if not proper:
        # The usual case (a date during a window): _le's plain-point path inlined for both ends.
        start, end = _start(iv), _end(iv)
        plain = not isinstance(point, _Span) and not isinstance(start, _Span) and not isinstance(end, _Span)
        if start is not None and end is not None and plain:
            if precision is None:
                low, high = compare(start, point), compare(point, end)
            else:
                at = _precision(precision)
                low, high = _order(start, point, at), _order(point, end, at)
            after_start = None if low is None else low <= 0
            before_end = None if high is None else high <= 0
            if after_start is False or before_end is False:
                return False
            return None if after_start is None or before_end is None else True
    at = _precision(precision)
    below = _lt if proper else _le
    return _all((below(_start(iv), point, at), below(point, _end(iv), at)))


@operator("Contains", "(Interval<T>, T) -> Boolean", nulls="pass")
def contains(iv: Any, point: Any, precision: str | None = None) -> Truth:
    """Start <= point <= end. A null interval contains nothing (false); a null point is unknown."""
    if is_void(iv):
        return False
    return None if point is None else _contains(iv, point, precision, proper=False)


@operator("In", "(T, Interval<T>) -> Boolean", nulls="pass")
def in_(point: Any, iv: Any, precision: str | None = None) -> Truth:
    if point is None:
        return None
    kind = type(point)
    if (kind is temporal.Date or kind is temporal.DateTime) and type(iv) is Interval:
        # A date in a window, for every row of a query: _contains' plain-point path without the
        # generic dispatch, when both boundary points are values of the point's own type.
        bounds = iv.bounds
        start, end = bounds if bounds is not None else (_start(iv), _end(iv))
        if type(start) is kind and type(end) is kind:
            if (
                point.day is not None
                and start.day is not None
                and end.day is not None
                and (
                    precision == "day"
                    or (
                        precision is None
                        and (
                            kind is temporal.Date
                            or (point.hour is None and start.hour is None and end.hour is None)
                        )
                    )
                )
            ):
                # Whole dates (the common FHIR date and the day-precision window), or any values to
                # the day: compared as (year, month, day), as temporal.compare and compare_at do.
                day = (point.year, point.month, point.day)
                return (start.year, start.month, start.day) <= day <= (end.year, end.month, end.day)
            if precision is None:
                low, high = temporal.compare(start, point), temporal.compare(point, end)
            else:
                at = _precision(precision)
                assert at is not None
                try:
                    low, high = temporal.compare_at(start, point, at), temporal.compare_at(point, end, at)
                except temporal.TemporalError as exc:
                    raise CqlRuntimeError(str(exc)) from None
            if (low is not None and low > 0) or (high is not None and high > 0):
                return False
            return None if low is None or high is None else True
    return False if is_void(iv) else _contains(iv, point, precision, proper=False)


@operator("ProperContains", "(Interval<T>, T) -> Boolean", nulls="pass")
def proper_contains(iv: Any, point: Any, precision: str | None = None) -> Truth:
    """Start < point < end."""
    if is_void(iv):
        return False
    return None if point is None else _contains(iv, point, precision, proper=True)


@operator("ProperIn", "(T, Interval<T>) -> Boolean", nulls="pass")
def proper_in(point: Any, iv: Any, precision: str | None = None) -> Truth:
    if point is None:
        return None
    return False if is_void(iv) else _contains(iv, point, precision, proper=True)


# ------------------------------------------------------------------------------------- inclusion
def _includes(a: Interval, b: Interval, precision: str | None, proper: bool) -> Truth:
    if is_void(a) or is_void(b):
        return None
    at = _precision(precision)
    sa, ea, sb, eb = _start(a), _end(a), _start(b), _end(b)
    covers = _all((_le(sa, sb, at), _le(eb, ea, at)))
    if not proper:
        return covers
    return _all((covers, _not(_all((_eq(sa, sb, at), _eq(ea, eb, at))))))


@operator("Includes", "(Interval<T>, Interval<T>) -> Boolean")
def includes(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    return _includes(a, b, precision, proper=False)


@operator("IncludedIn", "(Interval<T>, Interval<T>) -> Boolean")
def included_in(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    return _includes(b, a, precision, proper=False)


@operator("ProperIncludes", "(Interval<T>, Interval<T>) -> Boolean")
def proper_includes(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    """Includes, and the two are not the same interval."""
    return _includes(a, b, precision, proper=True)


@operator("ProperIncludedIn", "(Interval<T>, Interval<T>) -> Boolean")
def proper_included_in(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    return _includes(b, a, precision, proper=True)


# The point forms: `includes` / `included in` of a point are `contains` / `in` (the timing phrase
# picks those when it sees a point; these serve operands whose type is known only at run time).
operator("Includes", "(Interval<T>, T) -> Boolean", nulls="pass")(contains)
operator("IncludedIn", "(T, Interval<T>) -> Boolean", nulls="pass")(in_)
operator("ProperIncludes", "(Interval<T>, T) -> Boolean", nulls="pass")(proper_contains)
operator("ProperIncludedIn", "(T, Interval<T>) -> Boolean", nulls="pass")(proper_in)


# --------------------------------------------------------------------------- before, after, same
# With a point on either side, the point stands for the unit interval [point, point] (CQL 1.5).
_MIXED = (
    "(Interval<T>, Interval<T>) -> Boolean",
    "(Interval<T>, T) -> Boolean",
    "(T, Interval<T>) -> Boolean",
    # Numeric points (`start of A before start of B` on Integer intervals); dates and times have their
    # own point forms in datetime.py.
    "(Integer, Integer) -> Boolean",
    "(Long, Long) -> Boolean",
    "(Decimal, Decimal) -> Boolean",
    "(Quantity, Quantity) -> Boolean",
)


def _bounds(value: Any) -> tuple[Any, Any] | None:
    """(start, end) of an interval, or of a point read as a unit interval; None for a void one."""
    if isinstance(value, Interval):
        return None if is_void(value) else (_start(value), _end(value))
    return value, value


def _relate(a: Any, b: Any) -> tuple[tuple[Any, Any], tuple[Any, Any]] | None:
    first, second = _bounds(a), _bounds(b)
    return None if first is None or second is None else (first, second)


@operator("Before", *_MIXED)
def before(a: Any, b: Any, precision: str | None = None) -> Truth:
    """a ends before b starts."""
    pair = _relate(a, b)
    return None if pair is None else _lt(pair[0][1], pair[1][0], _precision(precision))


@operator("After", *_MIXED)
def after(a: Any, b: Any, precision: str | None = None) -> Truth:
    """a starts after b ends."""
    pair = _relate(a, b)
    return None if pair is None else _lt(pair[1][1], pair[0][0], _precision(precision))


@operator("SameOrBefore", *_MIXED)
def same_or_before(a: Any, b: Any, precision: str | None = None) -> Truth:
    """a ends on or before b starts."""
    pair = _relate(a, b)
    return None if pair is None else _le(pair[0][1], pair[1][0], _precision(precision))


@operator("SameOrAfter", *_MIXED)
def same_or_after(a: Any, b: Any, precision: str | None = None) -> Truth:
    """a starts on or after b ends."""
    pair = _relate(a, b)
    return None if pair is None else _le(pair[1][1], pair[0][0], _precision(precision))


@operator("SameAs", *_MIXED)
def same_as(a: Any, b: Any, precision: str | None = None) -> Truth:
    """a and b start at the same point and end at the same point."""
    pair = _relate(a, b)
    if pair is None:
        return None
    (sa, ea), (sb, eb) = pair
    at = _precision(precision)
    return _all((_eq(sa, sb, at), _eq(ea, eb, at)))


# ---------------------------------------------------------------------- meets, overlaps, starts
def _points(a: Interval, b: Interval) -> tuple[Any, Any, Any, Any] | None:
    if is_void(a) or is_void(b):
        return None
    return _start(a), _end(a), _start(b), _end(b)


def _meets_before(a: Interval, b: Interval, at: Precision | None) -> Truth:
    """The point after a's end is b's start."""
    first_end, second_start = _end(a), _start(b)
    if first_end is None or second_start is None:
        return None
    following = _following(first_end, at)
    if following is None:
        return False  # nothing follows the type's maximum
    return _eq(following, second_start, at)


@operator("MeetsBefore", "(Interval<T>, Interval<T>) -> Boolean")
def meets_before(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    return None if is_void(a) or is_void(b) else _meets_before(a, b, _precision(precision))


@operator("MeetsAfter", "(Interval<T>, Interval<T>) -> Boolean")
def meets_after(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    return None if is_void(a) or is_void(b) else _meets_before(b, a, _precision(precision))


@operator("Meets", "(Interval<T>, Interval<T>) -> Boolean")
def meets(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    if is_void(a) or is_void(b):
        return None
    at = _precision(precision)
    return _any((_meets_before(a, b, at), _meets_before(b, a, at)))


@operator("Overlaps", "(Interval<T>, Interval<T>) -> Boolean")
def overlaps(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    """a starts on or before b ends, and ends on or after b starts."""
    points = _points(a, b)
    if points is None:
        return None
    sa, ea, sb, eb = points
    at = _precision(precision)
    return _all((_le(sa, eb, at), _le(sb, ea, at)))


@operator("OverlapsBefore", "(Interval<T>, Interval<T>) -> Boolean")
def overlaps_before(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    """a starts before b starts and ends on or after b starts."""
    points = _points(a, b)
    if points is None:
        return None
    sa, ea, sb, _ = points
    at = _precision(precision)
    return _all((_lt(sa, sb, at), _le(sb, ea, at)))


@operator("OverlapsAfter", "(Interval<T>, Interval<T>) -> Boolean")
def overlaps_after(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    """a ends after b ends and starts on or before b ends."""
    points = _points(a, b)
    if points is None:
        return None
    sa, ea, _, eb = points
    at = _precision(precision)
    return _all((_lt(eb, ea, at), _le(sa, eb, at)))


@operator("Starts", "(Interval<T>, Interval<T>) -> Boolean")
def starts(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    """a starts where b starts and ends on or before b ends."""
    points = _points(a, b)
    if points is None:
        return None
    sa, ea, sb, eb = points
    at = _precision(precision)
    return _all((_eq(sa, sb, at), _le(ea, eb, at)))


@operator("Ends", "(Interval<T>, Interval<T>) -> Boolean")
def ends(a: Interval, b: Interval, precision: str | None = None) -> Truth:
    """a starts on or after b starts and ends where b ends."""
    points = _points(a, b)
    if points is None:
        return None
    sa, ea, sb, eb = points
    at = _precision(precision)
    return _all((_le(sb, sa, at), _eq(ea, eb, at)))


# ---------------------------------------------------------------------- union, intersect, except
# A boundary as an Interval holds it: its value (None for null) and whether it is closed. Results
# keep their operands' own boundaries where they can, so open ends and null ends survive.
Bound = tuple[Any, bool]
_UNKNOWN: Bound = (None, False)


def _low(iv: Interval) -> Bound:
    return iv.low, iv.low_closed


def _high(iv: Interval) -> Bound:
    return iv.high, iv.high_closed


def _pick(first_wins: Truth, first: Bound, second: Bound, points: tuple[Any, Any]) -> Bound:
    """The first boundary when `first_wins`, the second when not; when unknown, an open null
    boundary stays unknown, and between imprecise dates the first is kept."""
    if first_wins is not None:
        return first if first_wins else second
    if any(p is None or isinstance(p, _Span) for p in points):
        return _UNKNOWN
    return first


def _closed(point: Any) -> Bound:
    return _UNKNOWN if point is None or isinstance(point, _Span) else (point, True)


def _build(low: Bound, high: Bound, a: Interval, b: Interval) -> Interval:
    return Interval(low[0], high[0], low[1], high[1], point_type_of(a) or point_type_of(b))


def _overlaps(a: Interval, b: Interval) -> Truth:
    sa, ea, sb, eb = _start(a), _end(a), _start(b), _end(b)
    return _all((_le(sa, eb), _le(sb, ea)))


@operator("Union", "(Interval<T>, Interval<T>) -> Interval<T>")
def union(a: Interval, b: Interval) -> Interval | None:
    """From the earlier start to the later end; null unless the two overlap or meet."""
    if is_void(a) or is_void(b):
        return None
    if _any((_overlaps(a, b), _meets_before(a, b, None), _meets_before(b, a, None))) is not True:
        return None
    sa, ea, sb, eb = _start(a), _end(a), _start(b), _end(b)
    low = _pick(_le(sa, sb), _low(a), _low(b), (sa, sb))
    high = _pick(_le(eb, ea), _high(a), _high(b), (ea, eb))
    return _build(low, high, a, b)


@operator("Intersect", "(Interval<T>, Interval<T>) -> Interval<T>")
def intersect(a: Interval, b: Interval) -> Interval | None:
    """From the later start to the earlier end; null unless the two overlap."""
    if is_void(a) or is_void(b) or _overlaps(a, b) is not True:
        return None
    sa, ea, sb, eb = _start(a), _end(a), _start(b), _end(b)
    low = _pick(_le(sb, sa), _low(a), _low(b), (sa, sb))
    high = _pick(_le(ea, eb), _high(a), _high(b), (ea, eb))
    return _build(low, high, a, b)


@operator("Except", "(Interval<T>, Interval<T>) -> Interval<T>")
def except_(a: Interval, b: Interval) -> Interval | None:
    """The part of a outside b; null when that is empty, unknown, or two pieces."""
    if is_void(a) or is_void(b):
        return None
    overlap = _overlaps(a, b)
    if overlap is not True:
        return a if overlap is False else None
    sa, ea, sb, eb = _start(a), _end(a), _start(b), _end(b)
    before, after = _lt(sa, sb), _lt(eb, ea)
    if before is None or after is None or before == after:
        return None
    if before:
        return _build(_low(a), _closed(_step(sb, False)), a, b)
    return _build(_closed(_step(eb, True)), _high(a), a, b)


# -------------------------------------------------------------------------------- width and size
_NUMERIC_INTERVALS = (
    "(Interval<Integer>) -> Integer",
    "(Interval<Long>) -> Long",
    "(Interval<Decimal>) -> Decimal",
    "(Interval<Quantity>) -> Quantity",
)


def _exact_points(iv: Interval) -> tuple[Any, Any] | None:
    if is_void(iv):
        return None
    first, last = _start(iv), _end(iv)
    if first is None or last is None or isinstance(first, _Span) or isinstance(last, _Span):
        return None
    return first, last


def _difference(high: Any, low: Any, kind: str | None) -> Any:
    if isinstance(high, Quantity):
        return subtract_quantity(high, low)
    if isinstance(high, Decimal) or isinstance(low, Decimal):
        return dec(CONTEXT.subtract(Decimal(high), Decimal(low)))
    return long(high - low) if kind == "Long" else integer(high - low)


@operator("Width", *_NUMERIC_INTERVALS)
def width(iv: Interval) -> Any:
    """End minus start (not defined for dates and times, which have duration and difference)."""
    points = _exact_points(iv)
    return None if points is None else _difference(points[1], points[0], point_type_of(iv))


@operator("Size", *_NUMERIC_INTERVALS)
def size(iv: Interval) -> Any:
    """Width plus the size of one point (1 for Integer, the 8-place step for Decimal)."""
    points = _exact_points(iv)
    if points is None:
        return None
    kind = point_type_of(iv)
    after_end = successor(points[1], kind)
    return _difference(after_end, points[0], kind)


# -------------------------------------------------------------------------------------- collapse
def _sort_key(iv: Interval) -> Any:
    point = _start(iv)
    return point.low if isinstance(point, _Span) else point


def _by_start(a: Interval, b: Interval) -> int:
    return compare_for_sort(_sort_key(a), _sort_key(b))


def _coarsest(intervals: list[Interval]) -> Precision | None:
    """The coarsest precision among date/time boundaries (None when the points are not temporal)."""
    found = [v.precision for iv in intervals for v in (iv.low, iv.high) if isinstance(v, _TEMPORAL)]
    return min(found) if found else None


def _time_unit(per: Quantity) -> tuple[Decimal, str] | None:
    """A per quantity as an amount of a calendar unit (weeks as days); None if not a time unit."""
    try:
        unit = temporal.unit_name(per.unit)
    except temporal.TemporalError:
        return None
    return (per.value * 7, "day") if unit == "week" else (per.value, unit)


def _plus(point: Any, per: Quantity) -> Any:
    """point + per; a span moves both ends. Past the type's range the point itself is kept."""
    if point is None:
        return None
    if isinstance(point, _Span):
        return _Span(_plus(point.low, per), _plus(point.high, per))
    if isinstance(point, _TEMPORAL):
        time = _time_unit(per)
        if time is None:
            raise CqlRuntimeError(f"cannot step dates and times per {per.value} '{per.unit}'")
        try:
            return temporal.add(point, time[0], time[1])
        except temporal.TemporalError:
            return point
    if isinstance(point, Quantity):
        return add_quantity(point, per)
    if per.unit != "1":
        raise CqlRuntimeError(f"cannot step numbers per '{per.unit}'")
    return CONTEXT.add(Decimal(point), per.value)


def _collapse_precision(intervals: list[Interval], per: Quantity | None) -> Precision | None:
    if per is None:
        return _coarsest(intervals)
    time = _time_unit(per) if any(isinstance(iv.low or iv.high, _TEMPORAL) for iv in intervals) else None
    return None if time is None else Precision[time[1].upper()]


def _reach(point: Any, per: Quantity | None, precision: Precision | None) -> Any:
    """Where an interval's end reaches: a next interval starting there (or before) joins it."""
    if per is not None:
        return _plus(point, per)
    try:
        return _step(point, True, precision)
    except CqlRuntimeError:
        return point  # at the type's maximum: every later start is within reach


@operator("Collapse", "(List<Interval<T>>, Quantity) -> List<Interval<T>>", nulls="pass")
def collapse(intervals: list[Interval | None] | None, per: Quantity | None = None) -> list[Interval] | None:
    """Intervals that overlap or meet (or lie within `per` of each other) merged, ordered by start.
    Null entries are dropped; without `per`, dates and times meet at their coarsest precision."""
    if intervals is None:
        return None
    return collapse_intervals([iv for iv in intervals if iv is not None and not is_void(iv)], per)


def collapse_intervals(intervals: list[Interval], per: Quantity | None = None) -> list[Interval]:
    ordered = sorted(intervals, key=functools.cmp_to_key(_by_start))
    precision = _collapse_precision(ordered, per)
    merged: list[Interval] = []
    for iv in ordered:
        last = merged[-1] if merged else None
        if last is not None and _le(_start(iv), _reach(_end(last), per, precision), precision) is True:
            high = _pick(_le(_end(iv), _end(last)), _high(last), _high(iv), (_end(last), _end(iv)))
            merged[-1] = _build(_low(last), high, last, iv)
        else:
            merged.append(iv)
    return merged


# ---------------------------------------------------------------------------------------- expand
@operator("Expand", "(List<Interval<T>>, Quantity) -> List<Interval<T>>", nulls="pass")
def expand(intervals: list[Interval | None] | None, per: Quantity | None = None) -> list[Interval] | None:
    """Unit intervals of size `per` covering the (collapsed) intervals, in order. Boundaries finer
    than `per` are cut to it; an interval coarser than `per` adds nothing (`Interval[@T10, @T10]
    per minute`); an interval with a null boundary cannot be expanded (null)."""
    if intervals is None:
        return None
    present = [iv for iv in intervals if iv is not None and not is_void(iv)]
    out: list[Interval] = []
    for iv in collapse_intervals(present):
        pieces = _expand_one(iv, per)
        if pieces is None:
            return None
        out += pieces
        if len(out) > _MOST_EXPANDED:
            raise CqlRuntimeError(f"expand would make more than {_MOST_EXPANDED} intervals")
    return out


@operator("Expand", "(Interval<T>, Quantity) -> List<T>", nulls="pass")
def expand_points(iv: Interval | None, per: Quantity | None = None) -> list[Any] | None:
    """The single-interval form (CQL 1.5): the start of each unit interval."""
    if is_void(iv):
        return None
    pieces = expand([iv], per)
    return None if pieces is None else [piece.low for piece in pieces]


def _expand_one(iv: Interval, per: Quantity | None) -> list[Interval] | None:
    if iv.low is None or iv.high is None:
        return None
    first, last = _start(iv), _end(iv)
    if isinstance(first, _TEMPORAL):
        return _expand_temporal(first, last, per, iv.point_type)
    if isinstance(first, Quantity):
        return _expand_quantity(first, last, per, iv.point_type)
    return _expand_numbers(first, last, per, iv.point_type)


def _expand_temporal(first: Any, last: Any, per: Quantity | None, kind: str | None) -> list[Interval] | None:
    step = _temporal_step(first, per)
    if step is None:
        return None
    amount, unit, precision = step
    if first.precision < precision or last.precision < precision:
        return []  # coarser than the step: adding `per` would not move it
    current, stop = temporal.truncate_to(first, precision), temporal.truncate_to(last, precision)
    # Past the largest value (or round the clock, for times) the last piece runs to the end.
    limit = temporal.truncate_to(max_value(type(first).__name__), precision)
    out: list[Interval] = []
    while len(out) <= _MOST_EXPANDED:
        following = _add_or_none(current, amount, unit)
        wrapped = following is None or temporal.compare(following, current) != 1
        top = limit if wrapped else temporal.predecessor(following)
        if temporal.compare(top, stop) == 1:
            break
        out.append(Interval(current, top, True, True, kind))
        if wrapped:
            break
        current = following
    return out


def _temporal_step(first: Any, per: Quantity | None) -> tuple[int, str, Precision] | None:
    """The step as a whole number of a unit the point type has; None when there is none."""
    time = (Decimal(1), first.precision.name.lower()) if per is None else _time_unit(per)
    if time is None or time[0] <= 0 or time[0] != time[0].to_integral_value():
        return None
    precision = Precision[time[1].upper()]
    if isinstance(first, temporal.Date) and precision > Precision.DAY:
        return None
    if isinstance(first, temporal.Time) and precision < Precision.HOUR:
        return None
    return int(time[0]), time[1], precision


def _add_or_none(value: Any, amount: int, unit: str) -> Any:
    try:
        return temporal.add(value, amount, unit)
    except temporal.TemporalError:
        return None


def _expand_quantity(
    first: Quantity, last: Quantity, per: Quantity | None, kind: str | None
) -> list[Interval] | None:
    step = Decimal(1) if per is None else (per.value if per.unit == "1" else in_unit(per, first.unit))
    if step is None or last.unit != first.unit:
        return None
    pieces = _number_pieces(first.value, last.value, step)
    if pieces is None:
        return None
    unit = first.unit
    return [Interval(Quantity(lo, unit), Quantity(hi, unit), True, True, kind) for lo, hi in pieces]


def _expand_numbers(first: Any, last: Any, per: Quantity | None, kind: str | None) -> list[Interval] | None:
    if per is not None and per.unit != "1":
        return None
    step = Decimal(1) if per is None else per.value
    pieces = _number_pieces(first, last, step)
    if pieces is None:
        return None
    whole = isinstance(first, int) and decimal_places(step) == 0
    if whole:
        return [Interval(int(lo), int(hi), True, True, kind) for lo, hi in pieces]
    return [Interval(lo, hi, True, True, "Decimal") for lo, hi in pieces]


def _number_pieces(first: Any, last: Any, step: Decimal) -> list[tuple[Decimal, Decimal]] | None:
    """[lo, lo + step - unit] pieces from `first` to `last`, at the step's decimal places (its unit):
    a start is cut down to those places, an end stands for every value that shows its digits
    (integer 10 at one place reaches 10.9, the decimal 12.5 at none is cut to 12)."""
    if step <= 0:
        return None
    places = decimal_places(step)
    unit = Decimal(1).scaleb(-places)
    low = Decimal(first).quantize(unit, rounding=ROUND_FLOOR, context=CONTEXT)
    high = _highest_at(Decimal(last), places, unit)
    pieces: list[tuple[Decimal, Decimal]] = []
    current = low
    while (top := CONTEXT.subtract(CONTEXT.add(current, step), unit)) <= high:
        pieces.append((current, top))
        if len(pieces) > _MOST_EXPANDED:
            raise CqlRuntimeError(f"expand would make more than {_MOST_EXPANDED} intervals")
        current = CONTEXT.add(current, step)
    return pieces


def _highest_at(value: Decimal, places: int, unit: Decimal) -> Decimal:
    own = decimal_places(value)
    if own >= places:
        return value.quantize(unit, rounding=ROUND_FLOOR, context=CONTEXT)
    reach = CONTEXT.subtract(CONTEXT.add(value, Decimal(1).scaleb(-own)), unit)
    return reach.quantize(unit, context=CONTEXT)


__all__ = [
    "DECIMAL_STEP",
    "Interval",
    "collapse_intervals",
    "interval_check",
    "interval_end",
    "interval_start",
]
