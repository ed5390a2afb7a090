"""Taking temporal values apart and putting them together: components, conversions between
Date and DateTime, truncation and the low/high boundaries of an imprecise value."""

from __future__ import annotations

from decimal import Decimal

from cds.cql.values.temporal.calendar import days_in_month
from cds.cql.values.temporal.model import (
    EVALUATION_OFFSET,
    Date,
    DateTime,
    Precision,
    Temporal,
    TemporalError,
    Time,
)
from cds.cql.values.temporal.offsets import at_evaluation_offset, effective_offset

_DATE_NAMES = ("year", "month", "day")
_TIME_NAMES = ("hour", "minute", "second", "millisecond")
_DATETIME_NAMES = _DATE_NAMES + _TIME_NAMES
# Digits a value of each precision has, as CQL Precision() counts them.
_DATE_DIGITS = {Precision.YEAR: 4, Precision.MONTH: 6, Precision.DAY: 8}
_DATETIME_DIGITS = _DATE_DIGITS | {
    Precision.HOUR: 10,
    Precision.MINUTE: 12,
    Precision.SECOND: 14,
    Precision.MILLISECOND: 17,
}
_TIME_DIGITS = {Precision.HOUR: 2, Precision.MINUTE: 4, Precision.SECOND: 6, Precision.MILLISECOND: 9}
_LOWEST = (None, 1, 1, 0, 0, 0, 0)
_HIGHEST = (None, 12, 31, 23, 59, 59, 999)


def component(value: Temporal, name: str) -> int | Decimal | Date | Time | None:
    """CQL `<name> from value`; None when the value is not that precise.

    `timezoneoffset` (or the older `timezone`) of a DateTime without a stated offset is the
    evaluation offset, which is the one such a value carries in CQL.
    """
    if type(value) is DateTime:
        if name in ("timezoneoffset", "timezone"):
            return effective_offset(value)
        if name == "date":
            return date_of(value)
        if name == "time":
            return time_of(value)
        names: tuple[str, ...] = _DATETIME_NAMES
    else:
        names = _DATE_NAMES if type(value) is Date else _TIME_NAMES
    if name not in names:
        raise TemporalError(f"a {type(value).__name__} has no component {name!r}")
    result: int | None = getattr(value, name)
    return result


def date_of(value: DateTime) -> Date:
    """CQL `date from`: the calendar date as written, whatever the offset."""
    return Date(value.year, value.month, value.day)


def time_of(value: DateTime) -> Time | None:
    """CQL `time from`: the time of day at the evaluation offset (spec), None without an hour."""
    value = at_evaluation_offset(value)
    if value.hour is None:
        return None
    return Time(value.hour, value.minute, value.second, value.millisecond)


def date_to_datetime(value: Date) -> DateTime:
    """CQL ToDateTime(Date): no time components, and the evaluation request's offset."""
    return DateTime(value.year, value.month, value.day, offset=EVALUATION_OFFSET.get())


def datetime_to_date(value: DateTime) -> Date:
    """CQL ToDate(DateTime), the same as `date from`."""
    return date_of(value)


def truncate_to(value: Temporal, precision: Precision) -> Temporal:
    """The value without the components finer than `precision` (unchanged if already coarser)."""
    parts, first = _parts(value, precision)
    keep = precision - first + 1
    return _rebuild(value, parts[:keep] + [None] * (len(parts) - keep))


def low_boundary(value: Temporal, precision: Precision) -> Temporal:
    """CQL LowBoundary: the earliest value the input could be, stated to `precision`."""
    return _boundary(value, precision, _LOWEST)


def high_boundary(value: Temporal, precision: Precision) -> Temporal:
    """CQL HighBoundary: the latest value the input could be, stated to `precision`."""
    return _boundary(value, precision, _HIGHEST)


def precision_digits(value: Temporal) -> int:
    """CQL Precision(): digits the value is stated to (@2014 -> 4, @T10:30 -> 4)."""
    return _digits_table(value)[value.precision]


def precision_for_digits(value: Temporal, digits: int) -> Precision | None:
    """The precision CQL's digit count names for this type (LowBoundary(@2014, 6) -> MONTH)."""
    for precision, count in _digits_table(value).items():
        if count == digits:
            return precision
    return None


def _digits_table(value: Temporal) -> dict[Precision, int]:
    if type(value) is Time:
        return _TIME_DIGITS
    return _DATE_DIGITS if type(value) is Date else _DATETIME_DIGITS


def _boundary(value: Temporal, precision: Precision, extremes: tuple[int | None, ...]) -> Temporal:
    parts, first = _parts(value, precision)
    if value.precision >= precision:
        return truncate_to(value, precision)
    skip = first - 1  # Time components start at the hour
    for index in range(precision - first + 1):
        if parts[index] is None:
            parts[index] = extremes[skip + index]
    if type(value) is not Time and parts[2] == 31:
        # The highest day depends on the month it lands in.
        year, month = parts[0], parts[1]
        assert year is not None and month is not None
        parts[2] = days_in_month(year, month)
    return _rebuild(value, parts)


def _parts(value: Temporal, precision: Precision) -> tuple[list[int | None], Precision]:
    if type(value) is Time:
        if precision < Precision.HOUR:
            raise TemporalError(f"a Time has no {precision.name.lower()}")
        return [value.hour, value.minute, value.second, value.millisecond], Precision.HOUR
    if type(value) is Date:
        if precision > Precision.DAY:
            raise TemporalError(f"a Date has no {precision.name.lower()}")
        return [value.year, value.month, value.day], Precision.YEAR
    assert type(value) is DateTime
    parts = [value.year, value.month, value.day, value.hour, value.minute, value.second]
    return [*parts, value.millisecond], Precision.YEAR


def _rebuild(value: Temporal, parts: list[int | None]) -> Temporal:
    if type(value) is Time:
        hour = parts[0]
        assert hour is not None
        return Time(hour, parts[1], parts[2], parts[3])
    year = parts[0]
    assert year is not None
    if type(value) is Date:
        return Date(year, parts[1], parts[2])
    assert type(value) is DateTime
    month, day, hour, minute, second, millisecond = parts[1:]
    return DateTime(year, month, day, hour, minute, second, millisecond, value.offset)
