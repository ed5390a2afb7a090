"""`duration in <unit> between` (whole periods) and `difference in <unit> between` (boundaries
crossed), with the uncertainty that imprecise values bring.

Duration: a value is widened to the range of instants it may stand for, down to the unit
(and for Dates and DateTimes at least down to the day, since whole months and years depend
on the day); components finer than that count from zero. The result runs from the shortest
to the longest possible duration. A month is whole when adding it (with end-of-month
clamping, as `+` does) does not pass the end: months between 2014-01-31 and 2014-02-28 is 1.
DateTimes with different offsets are compared as instants, for every unit.

Difference: both values are truncated to the unit (weeks start on Sunday) and the duration
between the truncated values is taken. Offsets are normalised only for hours and finer;
days and coarser count calendar boundaries as written (CQL Difference).

Where the conformance tests disagree (we follow CqlDateTimeOperatorsTest):
- CqlTypesTest DateTimeUncertain expects days between DateTime(2015, 2, 10) and
  DateTime(2015, 3) to be [18, 49]; DateTimeDurationBetweenUncertainInterval expects the
  same shape, days between DateTime(2014, 1, 15) and DateTime(2014, 2), to be [17, 44]
  (which the spec's worked example also gives). We give [19, 49] and [17, 44].
- DurationInDaysA expects 0 days between @2017-03-12T00:00:00-07:00 and
  @2017-03-13T00:00:00-06:00 (23 hours apart), so durations use instants even in days
  although the spec limits offset normalisation to hours and finer.
- TimeDurationBetweenHourDiffPrecision2 expects hours between @T06 and @T07:00:00 to be 1,
  so a value already as precise as the unit is not widened; the spec's informative example
  `days between @2017-08-07T17:00 and @2017-08-14T` = [6, 7] therefore gives 6 here.
"""

from __future__ import annotations

from cds.cql.values.temporal.calendar import (
    MS_PER_DAY,
    MS_PER_HOUR,
    MS_PER_MINUTE,
    MS_PER_SECOND,
    civil_from_days,
    days_from_civil,
    days_in_month,
    weekday_from_sunday,
)
from cds.cql.values.temporal.model import (
    Date,
    DateTime,
    Precision,
    Temporal,
    TemporalError,
    Time,
    Uncertainty,
)
from cds.cql.values.temporal.offsets import at_evaluation_offset, effective_offset
from cds.cql.values.temporal.parts import date_to_datetime
from cds.cql.values.temporal.units import UNIT_MILLISECONDS, UNIT_PRECISION, unit_name

# A value filled out to every component: year, month, day, hour, minute, second, millisecond.
# Component i sits at precision i + 1, for Times too (their date part is a fixed filler).
Point = tuple[int, int, int, int, int, int, int]

_LOWEST = (1, 1, 1, 0, 0, 0, 0)
_HIGHEST = (9999, 12, 31, 23, 59, 59, 999)
_DATE_UNITS = frozenset({"year", "month", "week", "day"})
_TIME_DATE = (1970, 1, 1)


def duration_between(a: Temporal, b: Temporal, unit: str) -> int | Uncertainty:
    """Whole `unit` periods from a to b (negative when b is earlier)."""
    name = unit_name(unit)
    if (
        type(a) is Date
        and type(b) is Date
        and a.day is not None
        and b.day is not None
        and name in _DATE_UNITS
    ):
        # The hot path of age criteria: two full dates stand for one instant each, no widening.
        assert a.month is not None and b.month is not None
        return _whole((a.year, a.month, a.day, 0, 0, 0, 0), (b.year, b.month, b.day, 0, 0, 0, 0), name)
    a, b = _prepared(a, b, name, normalise=True)
    level = UNIT_PRECISION[name]
    if type(a) is not Time:
        level = max(level, Precision.DAY)
    a_low, a_high = _widened(a, level)
    b_low, b_high = _widened(b, level)
    return _result(_whole(a_high, b_low, name), _whole(a_low, b_high, name))


def difference_between(a: Temporal, b: Temporal, unit: str) -> int | Uncertainty:
    """`unit` boundaries crossed from a to b (negative when b is earlier)."""
    name = unit_name(unit)
    a, b = _prepared(a, b, name, normalise=name not in _DATE_UNITS)
    level = UNIT_PRECISION[name]
    a_low, a_high = (_truncated(point, name) for point in _widened(a, level))
    b_low, b_high = (_truncated(point, name) for point in _widened(b, level))
    return _result(_whole(a_high, b_low, name), _whole(a_low, b_high, name))


def _result(low: int, high: int) -> int | Uncertainty:
    return low if low == high else Uncertainty(low, high)


def _prepared(a: Temporal, b: Temporal, name: str, *, normalise: bool) -> tuple[Temporal, Temporal]:
    if type(a) is Date and type(b) is DateTime:
        a = date_to_datetime(a)
    elif type(a) is DateTime and type(b) is Date:
        b = date_to_datetime(b)
    if type(a) is not type(b):
        raise TypeError(f"cannot measure from {type(a).__name__} to {type(b).__name__}")
    if type(a) is Date and name not in _DATE_UNITS:
        raise TemporalError(f"a Date has no {name}s")
    if type(a) is Time and name in _DATE_UNITS:
        raise TemporalError(f"a Time has no {name}s")
    if (
        normalise
        and isinstance(a, DateTime)
        and isinstance(b, DateTime)
        and effective_offset(a) != effective_offset(b)
    ):
        return at_evaluation_offset(a), at_evaluation_offset(b)
    return a, b


def _widened(value: Temporal, level: Precision) -> tuple[Point, Point]:
    """Earliest and latest instants the value may stand for, known down to `level`."""
    parts = _components(value)
    low = _filled(parts, _LOWEST, 0)
    if value.precision >= level:
        return low, low
    return low, _filled(parts, _HIGHEST, level)


def _components(value: Temporal) -> tuple[int | None, ...]:
    if type(value) is Time:
        return (*_TIME_DATE, value.hour, value.minute, value.second, value.millisecond)
    if type(value) is Date:
        return (value.year, value.month, value.day, None, None, None, None)
    assert type(value) is DateTime
    return (
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.millisecond,
    )


def _filled(parts: tuple[int | None, ...], extremes: tuple[int, ...], levels: int) -> Point:
    """Missing components from `extremes` for the first `levels`, the lowest ones after."""
    filled = [
        part if part is not None else (extremes[index] if index < levels else _LOWEST[index])
        for index, part in enumerate(parts)
    ]
    if parts[2] is None and levels > 2:
        filled[2] = days_in_month(filled[0], filled[1])
    return _as_point(filled)


def _as_point(parts: list[int]) -> Point:
    year, month, day, hour, minute, second, millisecond = parts
    return (year, month, day, hour, minute, second, millisecond)


def _truncated(point: Point, name: str) -> Point:
    year, month, day = point[:3]
    if name == "year":
        return (year, 1, 1, 0, 0, 0, 0)
    if name == "month":
        return (year, month, 1, 0, 0, 0, 0)
    if name == "week":
        day_number = days_from_civil(year, month, day)
        year, month, day = civil_from_days(day_number - weekday_from_sunday(day_number))
        return (year, month, day, 0, 0, 0, 0)
    levels = int(UNIT_PRECISION[name])
    return _as_point([*point[:levels], *_LOWEST[levels:]])


def _whole(start: Point, end: Point, name: str) -> int:
    if end < start:
        return -_whole(end, start, name)
    if name == "year":
        return _whole_months(start, end) // 12
    if name == "month":
        return _whole_months(start, end)
    return (_milliseconds(end) - _milliseconds(start)) // UNIT_MILLISECONDS[name]


def _whole_months(start: Point, end: Point) -> int:
    months = (end[0] - start[0]) * 12 + end[1] - start[1]
    year, month0 = divmod(start[0] * 12 + start[1] - 1 + months, 12)
    landed = (year, month0 + 1, min(start[2], days_in_month(year, month0 + 1)), *start[3:])
    return months - 1 if landed > end else months


def _milliseconds(point: Point) -> int:
    year, month, day, hour, minute, second, millisecond = point
    return (
        days_from_civil(year, month, day) * MS_PER_DAY
        + hour * MS_PER_HOUR
        + minute * MS_PER_MINUTE
        + second * MS_PER_SECOND
        + millisecond
    )
