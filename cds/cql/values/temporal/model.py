"""The CQL temporal value types (Date, DateTime, Time), their precisions and validation.

Constructors do not validate, so the evaluator can build values cheaply from data it has
already checked; `make_date`, `make_datetime` and `make_time` validate and raise
`TemporalError`.
"""

from __future__ import annotations

from contextvars import ContextVar
from decimal import Decimal
from enum import IntEnum

from cds.cql.values.frozen import value_class
from cds.cql.values.temporal.calendar import days_in_month

MIN_YEAR = 1
MAX_YEAR = 9999
# CQL allows -13..+14; real offsets stay inside +-14 hours.
MAX_OFFSET_HOURS = Decimal(14)

UNITS = ("year", "month", "week", "day", "hour", "minute", "second", "millisecond")

# CQL: a DateTime without a stated offset takes the offset of the evaluation request.
# The evaluator sets this once per evaluation.
EVALUATION_OFFSET: ContextVar[Decimal] = ContextVar("EVALUATION_OFFSET", default=Decimal(0))


class TemporalError(ValueError):
    """A date/time value or operation result outside what CQL can represent."""


class Precision(IntEnum):
    """Precisions a temporal value can carry, coarse to fine."""

    YEAR = 1
    MONTH = 2
    DAY = 3
    HOUR = 4
    MINUTE = 5
    SECOND = 6
    MILLISECOND = 7


@value_class()
class Date:
    """A CQL Date: a calendar date known to year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def __str__(self) -> str:
        from cds.cql.values.temporal.text import to_string

        return to_string(self)


@value_class()
class DateTime:
    """A CQL DateTime; `offset` is hours east of UTC, None when the source did not state one."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    millisecond: int | None = None
    offset: Decimal | None = None

    @property
    def precision(self) -> Precision:
        if self.hour is None:
            if self.day is not None:
                return Precision.DAY
            return Precision.MONTH if self.month is not None else Precision.YEAR
        if self.millisecond is not None:
            return Precision.MILLISECOND
        if self.second is not None:
            return Precision.SECOND
        return Precision.MINUTE if self.minute is not None else Precision.HOUR

    def __str__(self) -> str:
        from cds.cql.values.temporal.text import to_string

        return to_string(self)


@value_class()
class Time:
    """A CQL Time of day, known to hour, minute, second or millisecond precision."""

    hour: int
    minute: int | None = None
    second: int | None = None
    millisecond: int | None = None

    @property
    def precision(self) -> Precision:
        if self.millisecond is not None:
            return Precision.MILLISECOND
        if self.second is not None:
            return Precision.SECOND
        return Precision.MINUTE if self.minute is not None else Precision.HOUR

    def __str__(self) -> str:
        from cds.cql.values.temporal.text import to_string

        return to_string(self)


Temporal = Date | DateTime | Time


@value_class()
class Uncertainty:
    """An integer known only to lie in [low, high] (CQL "uncertainty", from imprecise dates)."""

    low: int
    high: int


MIN_DATE = Date(1, 1, 1)
MAX_DATE = Date(9999, 12, 31)
# The spec lets the extremes carry a constant offset; the conformance tests expect UTC.
MIN_DATETIME = DateTime(1, 1, 1, 0, 0, 0, 0, Decimal(0))
MAX_DATETIME = DateTime(9999, 12, 31, 23, 59, 59, 999, Decimal(0))
MIN_TIME = Time(0, 0, 0, 0)
MAX_TIME = Time(23, 59, 59, 999)


def make_date(year: int, month: int | None = None, day: int | None = None) -> Date:
    """A validated Date: range of each component, real calendar day, no gaps in precision."""
    _check_date_part(year, month, day)
    return Date(year, month, day)


def make_datetime(
    year: int,
    month: int | None = None,
    day: int | None = None,
    hour: int | None = None,
    minute: int | None = None,
    second: int | None = None,
    millisecond: int | None = None,
    offset: Decimal | int | None = None,
) -> DateTime:
    """A validated DateTime (see `make_date`; the offset must lie within +-14 hours)."""
    _check_date_part(year, month, day)
    if hour is not None and day is None:
        raise TemporalError("a DateTime with a time must have a day")
    _check_time_part(hour, minute, second, millisecond)
    if offset is not None:
        if isinstance(offset, bool) or not isinstance(offset, int | Decimal):
            raise TemporalError(f"timezone offset must be a number, got {offset!r}")
        offset = Decimal(offset)
        if not offset.is_finite() or abs(offset) > MAX_OFFSET_HOURS:
            raise TemporalError(f"timezone offset {offset} is outside -14..+14 hours")
    return DateTime(year, month, day, hour, minute, second, millisecond, offset)


def make_time(
    hour: int, minute: int | None = None, second: int | None = None, millisecond: int | None = None
) -> Time:
    """A validated Time (00:00:00.000 to 23:59:59.999, no gaps in precision)."""
    if hour is None:
        raise TemporalError("a Time needs an hour")
    _check_time_part(hour, minute, second, millisecond)
    return Time(hour, minute, second, millisecond)


def _check_date_part(year: int, month: int | None, day: int | None) -> None:
    _check_contiguous((year, month, day))
    _check_range("year", year, MIN_YEAR, MAX_YEAR)
    if month is not None:
        _check_range("month", month, 1, 12)
        if day is not None:
            _check_range("day", day, 1, days_in_month(year, month))


def _check_time_part(
    hour: int | None, minute: int | None, second: int | None, millisecond: int | None
) -> None:
    _check_contiguous((hour, minute, second, millisecond))
    for name, value, high in (
        ("hour", hour, 23),
        ("minute", minute, 59),
        ("second", second, 59),
        ("millisecond", millisecond, 999),
    ):
        if value is not None:
            _check_range(name, value, 0, high)


def _check_contiguous(components: tuple[int | None, ...]) -> None:
    # A component may only be stated when every coarser one is (no "2012, null, 1").
    seen_missing = False
    for value in components:
        if value is None:
            seen_missing = True
        elif seen_missing:
            raise TemporalError("a component is given below a missing one")


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TemporalError(f"{name} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise TemporalError(f"{name} {value} is outside {low}..{high}")
