"""Timezone offsets: the offset a DateTime really has, and re-expressing it at another one."""

from __future__ import annotations

from decimal import Decimal

from cds.cql.values.temporal.calendar import (
    MS_PER_DAY,
    MS_PER_HOUR,
    MS_PER_MINUTE,
    MS_PER_SECOND,
    civil_from_days,
    days_from_civil,
)
from cds.cql.values.temporal.model import (
    EVALUATION_OFFSET,
    MAX_YEAR,
    MIN_YEAR,
    DateTime,
    TemporalError,
)


def effective_offset(value: DateTime) -> Decimal:
    """The stated offset, or the evaluation request's offset when none was stated (CQL rule)."""
    return value.offset if value.offset is not None else EVALUATION_OFFSET.get()


def shift_unchecked(value: DateTime, target: Decimal) -> DateTime:
    """The same instant at offset `target`, keeping the value's precision.

    Only values with an hour can move; coarser values just take the new offset. The year may
    leave 1..9999 (comparisons of the extremes need that); `with_offset` checks the range.
    Components the value lacks count as zero and stay absent, so a shift by a fractional hour
    of an hour-precision value truncates to the hour.
    """
    minutes = int((target - effective_offset(value)) * 60)
    if value.hour is None or minutes == 0:
        return _with_offset_field(value, target)
    assert value.month is not None and value.day is not None
    day_number = days_from_civil(value.year, value.month, value.day)
    time_of_day = (
        value.hour * MS_PER_HOUR
        + (value.minute or 0) * MS_PER_MINUTE
        + (value.second or 0) * MS_PER_SECOND
        + (value.millisecond or 0)
    )
    day_number, time_of_day = divmod(
        day_number * MS_PER_DAY + time_of_day + minutes * MS_PER_MINUTE, MS_PER_DAY
    )
    year, month, day = civil_from_days(day_number)
    hour, rest = divmod(time_of_day, MS_PER_HOUR)
    minute, rest = divmod(rest, MS_PER_MINUTE)
    second, millisecond = divmod(rest, MS_PER_SECOND)
    return DateTime(
        year,
        month,
        day,
        hour,
        minute if value.minute is not None else None,
        second if value.second is not None else None,
        millisecond if value.millisecond is not None else None,
        target,
    )


def with_offset(value: DateTime, offset: Decimal) -> DateTime:
    """The same instant expressed at `offset`; TemporalError if that leaves years 1..9999."""
    shifted = shift_unchecked(value, Decimal(offset))
    if not MIN_YEAR <= shifted.year <= MAX_YEAR:
        raise TemporalError(f"{value} at offset {offset} is outside years 1..9999")
    return shifted


def at_evaluation_offset(value: DateTime) -> DateTime:
    """The value moved to the evaluation offset when its own offset differs (unchecked)."""
    target = EVALUATION_OFFSET.get()
    if value.hour is None or effective_offset(value) == target:
        return value
    return shift_unchecked(value, target)


def _with_offset_field(value: DateTime, offset: Decimal) -> DateTime:
    return DateTime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.millisecond,
        offset,
    )
