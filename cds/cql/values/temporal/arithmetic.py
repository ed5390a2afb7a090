"""Date/time arithmetic: `value + quantity`, `value - quantity`, successor and predecessor.

Rules (CQL 1.5 "Date and Time Arithmetic", Add, Subtract):
- years and months are calendar units: the day is clamped to the end of the resulting month
  (2012-02-29 + 1 year = 2013-02-28);
- above seconds, the decimal part of the amount is ignored;
- a unit finer than the value's precision is first converted to the value's precision with
  the calendar factors (1 year = 365 days, 1 month = 30 days, 1 week = 7 days, ...) and
  truncated: Date(2014) + 25 months = Date(2016), DateTime(2005, 5, 10) + 25 hours adds a day;
- a result outside years 1..9999 raises TemporalError;
- a Time wraps around midnight (the spec calls Time cyclic), but successor/predecessor do not.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from cds.cql.values.temporal.calendar import (
    MS_PER_DAY,
    MS_PER_HOUR,
    MS_PER_MINUTE,
    MS_PER_SECOND,
    civil_from_days,
    days_from_civil,
    days_in_month,
)
from cds.cql.values.temporal.model import (
    MAX_YEAR,
    MIN_YEAR,
    Date,
    DateTime,
    Precision,
    Temporal,
    TemporalError,
    Time,
)
from cds.cql.values.temporal.units import UNIT_MILLISECONDS, unit_name

_DAYS_PER_YEAR = 365
_DAYS_PER_MONTH = 30
_STEP_MILLISECONDS = {
    Precision.DAY: MS_PER_DAY,
    Precision.HOUR: MS_PER_HOUR,
    Precision.MINUTE: MS_PER_MINUTE,
    Precision.SECOND: MS_PER_SECOND,
    Precision.MILLISECOND: 1,
}
_DAYS_PER_UNIT = {"day": 1, "days": 1, "d": 1, "week": 7, "weeks": 7, "wk": 7}
_CALENDAR_UNITS = frozenset({"year", "month"})
_DATE_UNITS = frozenset({"year", "month", "week", "day"})
_WHOLE_UNITS = frozenset({"year", "month", "week", "day", "hour", "minute"})


def add(value: Temporal, amount: int | Decimal, unit: str) -> Temporal:
    """CQL `value + amount unit` (see the module rules)."""
    if type(value) is Date and type(amount) is int and value.day is not None:
        # Fast path for the common "date + n days/weeks" of eligibility windows.
        days = _DAYS_PER_UNIT.get(unit)
        if days is not None:
            assert value.month is not None
            day_number = days_from_civil(value.year, value.month, value.day) + amount * days
            year, month, day = civil_from_days(day_number)
            _check_year(year)
            return Date(year, month, day)
    name = unit_name(unit)
    _check_unit_fits(value, name)
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise TypeError(f"amount must be an int or Decimal, got {amount!r}")
    exact: int | Fraction = int(amount) if name in _WHOLE_UNITS or type(amount) is int else Fraction(amount)
    if name in _CALENDAR_UNITS:
        months = exact * 12 if name == "year" else exact
        assert isinstance(months, int)
        if value.precision == Precision.YEAR:
            return _add_months(value, 12 * _truncate(months, 12))
        return _add_months(value, months)
    milliseconds = exact * UNIT_MILLISECONDS[name]
    precision = value.precision
    if precision == Precision.YEAR:
        return _add_months(value, 12 * _truncate(milliseconds, _DAYS_PER_YEAR * MS_PER_DAY))
    if precision == Precision.MONTH:
        return _add_months(value, _truncate(milliseconds, _DAYS_PER_MONTH * MS_PER_DAY))
    step = _STEP_MILLISECONDS[precision]
    return _add_milliseconds(value, step * _truncate(milliseconds, step), wrap=True)


def subtract(value: Temporal, amount: int | Decimal, unit: str) -> Temporal:
    """CQL `value - amount unit`."""
    return add(value, -amount, unit)


def successor(value: Temporal) -> Temporal:
    """The next value at the value's own precision; TemporalError past the largest value."""
    return _step(value, 1)


def predecessor(value: Temporal) -> Temporal:
    """The previous value at the value's own precision; TemporalError before the smallest."""
    return _step(value, -1)


def _step(value: Temporal, direction: int) -> Temporal:
    precision = value.precision
    if precision == Precision.YEAR:
        return _add_months(value, 12 * direction)
    if precision == Precision.MONTH:
        return _add_months(value, direction)
    return _add_milliseconds(value, direction * _STEP_MILLISECONDS[precision], wrap=False)


def _check_unit_fits(value: Temporal, name: str) -> None:
    if type(value) is Date and name not in _DATE_UNITS:
        raise TemporalError(f"cannot add {name}s to a Date")
    if type(value) is Time and name in _DATE_UNITS:
        raise TemporalError(f"cannot add {name}s to a Time")


def _truncate(numerator: int | Fraction, denominator: int) -> int:
    """numerator / denominator rounded toward zero (CQL "truncating"), exact for both types."""
    if type(numerator) is int:
        quotient = abs(numerator) // denominator
        return quotient if numerator >= 0 else -quotient
    return int(numerator / denominator)


def _add_months(value: Temporal, months: int) -> Temporal:
    assert not isinstance(value, Time)
    if months == 0:
        return value
    month_index = value.year * 12 + (value.month or 1) - 1 + months
    year, month0 = divmod(month_index, 12)
    _check_year(year)
    month = month0 + 1 if value.month is not None else None
    day = value.day
    if day is not None:
        assert month is not None
        day = min(day, days_in_month(year, month))
    if type(value) is Date:
        return Date(year, month, day)
    assert type(value) is DateTime
    return DateTime(year, month, day, value.hour, value.minute, value.second, value.millisecond, value.offset)


def _add_milliseconds(value: Temporal, delta: int, *, wrap: bool) -> Temporal:
    if isinstance(value, Time):
        return _add_to_time(value, delta, wrap=wrap)
    assert value.month is not None and value.day is not None
    day_number = days_from_civil(value.year, value.month, value.day)
    if type(value) is Date:
        year, month, day = civil_from_days(day_number + delta // MS_PER_DAY)
        _check_year(year)
        return Date(year, month, day)
    assert type(value) is DateTime
    day_number, time_of_day = divmod(
        day_number * MS_PER_DAY
        + _time_of_day(value.hour, value.minute, value.second, value.millisecond)
        + delta,
        MS_PER_DAY,
    )
    year, month, day = civil_from_days(day_number)
    _check_year(year)
    hour, minute, second, millisecond = _split_time_of_day(time_of_day)
    return DateTime(
        year,
        month,
        day,
        hour if value.hour is not None else None,
        minute if value.minute is not None else None,
        second if value.second is not None else None,
        millisecond if value.millisecond is not None else None,
        value.offset,
    )


def _add_to_time(value: Time, delta: int, *, wrap: bool) -> Time:
    time_of_day = _time_of_day(value.hour, value.minute, value.second, value.millisecond) + delta
    if not wrap and not 0 <= time_of_day < MS_PER_DAY:
        raise TemporalError(f"{value} has no {'successor' if delta > 0 else 'predecessor'}")
    hour, minute, second, millisecond = _split_time_of_day(time_of_day % MS_PER_DAY)
    return Time(
        hour,
        minute if value.minute is not None else None,
        second if value.second is not None else None,
        millisecond if value.millisecond is not None else None,
    )


def _time_of_day(hour: int | None, minute: int | None, second: int | None, millisecond: int | None) -> int:
    return (
        (hour or 0) * MS_PER_HOUR
        + (minute or 0) * MS_PER_MINUTE
        + (second or 0) * MS_PER_SECOND
        + (millisecond or 0)
    )


def _split_time_of_day(time_of_day: int) -> tuple[int, int, int, int]:
    hour, rest = divmod(time_of_day, MS_PER_HOUR)
    minute, rest = divmod(rest, MS_PER_MINUTE)
    second, millisecond = divmod(rest, MS_PER_SECOND)
    return hour, minute, second, millisecond


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise TemporalError(f"the result falls in year {year}, outside 1..9999")
