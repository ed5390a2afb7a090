"""Reading and writing temporal values as text (CQL literals, ToString, ToDate/ToDateTime/ToTime).

Parsers return None when the text is not in a date/time format (CQL conversions then give
null) and raise TemporalError when it is in the format but names an impossible value.
"""

from __future__ import annotations

import re
from decimal import Decimal

from cds.cql.values.temporal.calendar import days_in_month
from cds.cql.values.temporal.model import (
    MAX_OFFSET_HOURS,
    MIN_YEAR,
    Date,
    DateTime,
    Temporal,
    TemporalError,
    Time,
    make_date,
    make_datetime,
    make_time,
)

_TIME = r"(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
_OFFSET = r"(Z|[+-]\d{2}(?::?\d{2})?)"
_DATETIME_RE = re.compile(rf"(\d{{4}})(?:-(\d{{2}})(?:-(\d{{2}}))?)?(?:(T)(?:{_TIME})?{_OFFSET}?)?")
_TIME_RE = re.compile(rf"T?{_TIME}{_OFFSET}?")


def parse_date(text: str) -> Date | None:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; as ToDate does, a time part after it is ignored."""
    match = _DATETIME_RE.fullmatch(text)
    if match is None or not _time_part_is_anchored(match):
        return None
    year, month, day = match.group(1, 2, 3)
    return make_date(int(year), _int(month), _int(day))


def parse_datetime(text: str) -> DateTime | None:
    """'YYYY[-MM[-DD]][T[hh[:mm[:ss[.f+]]]][Z|(+|-)hh[:mm]]]' (literal text without '@').

    Fractions of a second keep their first three digits (milliseconds are the finest step).
    """
    fast = _common_datetime(text)
    return fast if fast is not None else _general_datetime(text)


def _general_datetime(text: str) -> DateTime | None:
    match = _DATETIME_RE.fullmatch(text)
    if match is None or not _time_part_is_anchored(match):
        return None
    year, month, day, _, hour, minute, second, fraction, offset = match.groups()
    return make_datetime(
        int(year),
        _int(month),
        _int(day),
        _int(hour),
        _int(minute),
        _int(second),
        _milliseconds(fraction),
        _offset(offset),
    )


def _common_datetime(text: str) -> DateTime | None:
    """The shapes FHIR data mostly holds, read without the regular expression and the general checks:
    'YYYY-MM-DDT' (a FHIR date read as a DateTime) and 'YYYY-MM-DDThh:mm:ss' with 'Z' or '+hh:mm'.
    None for anything else or anything out of range: the general path then answers (or raises)."""
    n = len(text)
    if not (n == 11 or n == 20 or n == 25) or not text.isascii():
        return None
    if text[4] != "-" or text[7] != "-" or text[10] != "T":
        return None
    year, month, day = text[0:4], text[5:7], text[8:10]
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        return None
    y, m, d = int(year), int(month), int(day)
    if not (y >= MIN_YEAR and 1 <= m <= 12 and 1 <= d <= days_in_month(y, m)):
        return None
    if n == 11:
        return DateTime(y, m, d)
    if text[13] != ":" or text[16] != ":":
        return None
    hour, minute, second = text[11:13], text[14:16], text[17:19]
    if not (hour.isdigit() and minute.isdigit() and second.isdigit()):
        return None
    hh, mi, ss = int(hour), int(minute), int(second)
    if hh > 23 or mi > 59 or ss > 59:
        return None
    zone = text[19:]
    if n == 20:
        if zone != "Z":
            return None
    elif not (zone[0] in "+-" and zone[3] == ":" and zone[1:3].isdigit() and zone[4:6].isdigit()):
        return None
    if n == 25 and int(zone[4:6]) > 59:
        return None
    offset = _offset(zone)
    assert offset is not None
    if abs(offset) > MAX_OFFSET_HOURS:
        return None
    return DateTime(y, m, d, hh, mi, ss, None, offset)


def parse_time(text: str) -> Time | None:
    """'hh[:mm[:ss[.f+]]]', optionally after a 'T'.

    A trailing offset is accepted and dropped: the conformance tests expect
    ToTime('T14:30:00.0+05:30') to be @T14:30:00.000 (Time has no offset in CQL 1.5).
    """
    match = _TIME_RE.fullmatch(text)
    if match is None:
        return None
    hour, minute, second, fraction, _ = match.groups()
    return make_time(int(hour), _int(minute), _int(second), _milliseconds(fraction))


def to_string(value: Temporal) -> str:
    """CQL ToString: '2014-01-02', '2014-01-02T10:30:00.000-05:00', '10:30:00.000'.

    A DateTime without a time prints as its date (ToString(DateTime(2000, 1, 1)) is
    '2000-01-01'), and an offset is printed only when one was stated.
    """
    if isinstance(value, Time):
        return _time_text(value.hour, value.minute, value.second, value.millisecond)
    text = _date_text(value.year, value.month, value.day)
    if type(value) is DateTime and value.hour is not None:
        text += "T" + _time_text(value.hour, value.minute, value.second, value.millisecond)
        if value.offset is not None:
            text += offset_text(value.offset)
    return text


def to_literal(value: Temporal) -> str:
    """The CQL literal for the value: '@2014-01-02', '@2014-01-02T', '@2014-01-02T10:30+01:00', '@T10:30'."""
    if type(value) is Time:
        return "@T" + to_string(value)
    if type(value) is DateTime and value.hour is None:
        return "@" + to_string(value) + "T"
    return "@" + to_string(value)


def offset_text(offset: Decimal) -> str:
    """'+hh:mm' / '-hh:mm' for an offset in hours.

    >>> offset_text(Decimal('-5')), offset_text(Decimal('5.5')), offset_text(Decimal('0'))
    ('-05:00', '+05:30', '+00:00')
    """
    minutes = int(abs(offset) * 60)
    sign = "-" if offset < 0 else "+"
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _time_part_is_anchored(match: re.Match[str]) -> bool:
    # An hour needs a full date before the 'T' ('2014T10' is not a DateTime).
    return match.group(5) is None or match.group(3) is not None


def _date_text(year: int, month: int | None, day: int | None) -> str:
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def _time_text(hour: int, minute: int | None, second: int | None, millisecond: int | None) -> str:
    text = f"{hour:02d}"
    if minute is not None:
        text += f":{minute:02d}"
        if second is not None:
            text += f":{second:02d}"
            if millisecond is not None:
                text += f".{millisecond:03d}"
    return text


def _int(digits: str | None) -> int | None:
    return None if digits is None else int(digits)


def _milliseconds(fraction: str | None) -> int | None:
    return None if fraction is None else int((fraction + "00")[:3])


def _offset(text: str | None) -> Decimal | None:
    if text is None:
        return None
    if text == "Z":
        return Decimal(0)
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if minutes > 59:
        raise TemporalError(f"timezone offset {text} has more than 59 minutes")
    value = Decimal(hours) + Decimal(minutes) / Decimal(60)
    return -value if text[0] == "-" else value
