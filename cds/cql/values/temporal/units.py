"""The time units date/time arithmetic and duration/difference accept, and their sizes."""

from __future__ import annotations

from cds.cql.values.temporal.calendar import MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND
from cds.cql.values.temporal.model import Precision, TemporalError

# Calendar keywords (singular and plural) and the UCUM definite-duration units of a week
# or less; CQL forbids the UCUM units above weeks ('mo', 'a') in date/time arithmetic.
_NAMES = {
    "year": "year",
    "years": "year",
    "month": "month",
    "months": "month",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "day": "day",
    "days": "day",
    "d": "day",
    "hour": "hour",
    "hours": "hour",
    "h": "hour",
    "minute": "minute",
    "minutes": "minute",
    "min": "minute",
    "second": "second",
    "seconds": "second",
    "s": "second",
    "millisecond": "millisecond",
    "milliseconds": "millisecond",
    "ms": "millisecond",
}

# Lengths of the units with a fixed length (years and months have none).
UNIT_MILLISECONDS = {
    "week": 7 * MS_PER_DAY,
    "day": MS_PER_DAY,
    "hour": MS_PER_HOUR,
    "minute": MS_PER_MINUTE,
    "second": MS_PER_SECOND,
    "millisecond": 1,
}

# The precision a unit counts at; a week is counted in days.
UNIT_PRECISION = {
    "year": Precision.YEAR,
    "month": Precision.MONTH,
    "week": Precision.DAY,
    "day": Precision.DAY,
    "hour": Precision.HOUR,
    "minute": Precision.MINUTE,
    "second": Precision.SECOND,
    "millisecond": Precision.MILLISECOND,
}


def unit_name(unit: str) -> str:
    """The singular CQL word for a time unit.

    >>> unit_name('days'), unit_name('min'), unit_name('year')
    ('day', 'minute', 'year')
    """
    try:
        return _NAMES[unit]
    except KeyError:
        raise TemporalError(f"{unit!r} is not a date/time unit") from None
