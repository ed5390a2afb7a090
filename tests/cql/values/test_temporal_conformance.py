"""The official CQL conformance tests (cql-tests, CqlDateTimeOperatorsTest and the Date/Time
parts of the comparison, type, arithmetic and string suites) that the temporal API can
express on its own, named after the tests. Literal text goes through our parsers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cds.cql.values.temporal import (
    MAX_DATE,
    MAX_DATETIME,
    MAX_TIME,
    MIN_DATE,
    MIN_DATETIME,
    MIN_TIME,
    DateTime,
    Precision,
    Temporal,
    TemporalError,
    Uncertainty,
    add,
    compare,
    compare_at,
    component,
    date_of,
    difference_between,
    duration_between,
    equal,
    equivalent,
    high_boundary,
    low_boundary,
    make_datetime,
    make_time,
    parse_datetime,
    parse_time,
    precision_digits,
    predecessor,
    subtract,
    successor,
    to_string,
)
from cds.cql.values.temporal import (
    parse_date as _parse_date,
)

dt = make_datetime


def lit(text: str) -> Temporal:
    """A CQL date/time literal ('@2014-01-01', '@2014-01-01T10', '@T10:30') as a value."""
    assert text.startswith("@")
    body = text[1:]
    parsed = (
        parse_time(body)
        if body.startswith("T")
        else (parse_datetime(body) if "T" in body else _parse_date(body))
    )
    assert parsed is not None, text
    return parsed


ADD = [
    ("DateTimeAdd5Years", dt(2005, 10, 10), 5, "years", "@2005-10-10T", "@2010-10-10T"),
    ("DateTimeAdd5Months", dt(2005, 5, 10), 5, "months", None, "@2005-10-10T"),
    ("DateTimeAddMonthsOverflow", dt(2005, 5, 10), 10, "months", None, "@2006-03-10T"),
    ("DateTimeAddThreeWeeks", dt(2018, 5, 2), 3, "weeks", None, dt(2018, 5, 23)),
    ("DateTimeAddYearInWeeks", dt(2018, 5, 23), 52, "weeks", None, dt(2019, 5, 22)),
    ("DateTimeLeapDayAddYearInWeeks", dt(2023, 3, 2), 52, "weeks", None, dt(2024, 2, 29)),
    ("DateTimeLeapYearAddYearInWeeks", dt(2024, 2, 28), 52, "weeks", None, dt(2025, 2, 26)),
    ("DateTimeAdd5Days", dt(2005, 5, 10), 5, "days", None, "@2005-05-15T"),
    ("DateTimeAddDaysOverflow", dt(2016, 6, 10), 21, "days", None, "@2016-07-01T"),
    ("DateTimeAdd5Hours", dt(2005, 5, 10, 5), 5, "hours", None, "@2005-05-10T10"),
    (
        "DateTimeAdd5HoursWithLeftMinPrecisionSecond",
        dt(2005, 5, 10, 5, 20, 30),
        5,
        "hours",
        None,
        "@2005-05-10T10:20:30",
    ),
    ("DateTimeAdd5HoursWithLeftMinPrecisionDay", dt(2005, 5, 10), 5, "hours", None, dt(2005, 5, 10)),
    ("DateTimeAdd5HoursWithLeftMinPrecisionDayOverflow", dt(2005, 5, 10), 25, "hours", None, dt(2005, 5, 11)),
    ("DateAdd2YearsAsMonths", "@2014", 24, "months", None, "@2016"),
    ("DateAdd2YearsAsMonthsRem1", "@2014", 25, "months", None, "@2016"),
    ("DateAdd33Days", "@2014-06", 33, "days", None, "@2014-07"),
    ("DateAdd1Year", "@2014-06", 1, "year", None, "@2015-06"),
    ("DateTimeAddHoursOverflow", dt(2016, 6, 10, 5), 19, "hours", None, "@2016-06-11T00"),
    ("DateTimeAdd5Minutes", dt(2005, 5, 10, 5, 5), 5, "minutes", None, "@2005-05-10T05:10"),
    ("DateTimeAddMinutesOverflow", dt(2016, 6, 10, 5, 5), 55, "minutes", None, "@2016-06-10T06:00"),
    ("DateTimeAdd5Seconds", dt(2005, 5, 10, 5, 5, 5), 5, "seconds", None, "@2005-05-10T05:05:10"),
    ("DateTimeAddSecondsOverflow", dt(2016, 6, 10, 5, 5, 5), 55, "seconds", None, "@2016-06-10T05:06:00"),
    (
        "DateTimeAdd5Milliseconds",
        dt(2005, 5, 10, 5, 5, 5, 5),
        5,
        "milliseconds",
        None,
        "@2005-05-10T05:05:05.010",
    ),
    (
        "DateTimeAddMillisecondsOverflow",
        dt(2016, 6, 10, 5, 5, 5, 5),
        995,
        "milliseconds",
        None,
        "@2016-06-10T05:05:06.000",
    ),
    ("DateTimeAddLeapYear", dt(2012, 2, 29), 1, "year", None, "@2013-02-28T"),
    ("DateTimeAdd2YearsByMonths", dt(2014), 24, "months", None, "@2016T"),
    ("DateTimeAdd2YearsByDays", dt(2014), 730, "days", None, "@2016T"),
    ("DateTimeAdd2YearsByDaysRem5Days", dt(2014), 735, "days", None, "@2016T"),
    ("TimeAdd5Hours", "@T15:59:59.999", 5, "hours", None, "@T20:59:59.999"),
    ("TimeAdd1Minute", "@T15:59:59.999", 1, "minute", None, "@T16:00:59.999"),
    ("TimeAdd1Second", "@T15:59:59.999", 1, "seconds", None, "@T16:00:00.999"),
    ("TimeAdd1Millisecond", "@T15:59:59.999", 1, "milliseconds", None, "@T16:00:00.000"),
    ("TimeAdd5hoursByMinute", "@T15:59:59.999", 300, "minutes", None, "@T20:59:59.999"),
    ("DateTimeSubtract5Years", dt(2005, 10, 10), -5, "years", None, "@2000-10-10T"),
    ("DateTimeSubtract5Months", dt(2005, 6, 10), -5, "months", None, "@2005-01-10T"),
    ("DateTimeSubtractMonthsUnderflow", dt(2005, 5, 10), -6, "months", None, "@2004-11-10T"),
    ("DateTimeSubtractThreeWeeks", dt(2018, 5, 23), -3, "weeks", None, dt(2018, 5, 2)),
    ("DateTimeSubtractYearInWeeks", dt(2018, 5, 23), -52, "weeks", None, dt(2017, 5, 24)),
    ("DateTimeLeapDaySubtractYearInWeeks", dt(2024, 2, 29), -52, "weeks", None, dt(2023, 3, 2)),
    ("DateTimeLeapYearSubtractYearInWeeks", dt(2024, 3, 1), -52, "weeks", None, dt(2023, 3, 3)),
    ("DateTimeSubtract5Days", dt(2005, 5, 10), -5, "days", None, "@2005-05-05T"),
    ("DateTimeSubtractDaysUnderflow", dt(2016, 6, 10), -11, "days", None, "@2016-05-30T"),
    ("DateTimeSubtract5Hours", dt(2005, 5, 10, 10), -5, "hours", None, "@2005-05-10T05"),
    ("DateTimeSubtractHoursUnderflow", dt(2016, 6, 10, 5), -6, "hours", None, "@2016-06-09T23"),
    ("DateTimeSubtract5Minutes", dt(2005, 5, 10, 5, 10), -5, "minutes", None, "@2005-05-10T05:05"),
    ("DateTimeSubtractMinutesUnderflow", dt(2016, 6, 10, 5, 5), -6, "minutes", None, "@2016-06-10T04:59"),
    ("DateTimeSubtract5Seconds", dt(2005, 5, 10, 5, 5, 10), -5, "seconds", None, "@2005-05-10T05:05:05"),
    ("DateTimeSubtract1YearInSeconds", dt(2016, 5), -31535999, "seconds", None, dt(2015, 5)),
    (
        "DateTimeSubtract15HourPrecisionSecond",
        dt(2016, 10, 1, 10, 20, 30),
        -15,
        "hours",
        None,
        "@2016-09-30T19:20:30",
    ),
    (
        "DateTimeSubtractSecondsUnderflow",
        dt(2016, 6, 10, 5, 5, 5),
        -6,
        "seconds",
        None,
        "@2016-06-10T05:04:59",
    ),
    (
        "DateTimeSubtract5Milliseconds",
        dt(2005, 5, 10, 5, 5, 5, 10),
        -5,
        "milliseconds",
        None,
        "@2005-05-10T05:05:05.005",
    ),
    (
        "DateTimeSubtractMillisecondsUnderflow",
        dt(2016, 6, 10, 5, 5, 5, 5),
        -6,
        "milliseconds",
        None,
        "@2016-06-10T05:05:04.999",
    ),
    ("DateTimeSubtract2YearsAsMonths", dt(2014), -24, "months", None, "@2012T"),
    ("DateTimeSubtract2YearsAsMonthsRem1", dt(2014), -25, "months", None, "@2012T"),
    ("DateSubtract2YearsAsMonths", "@2014", -24, "months", None, "@2012"),
    ("DateSubtract2YearsAsMonthsRem1", "@2014", -25, "months", None, "@2012"),
    ("DateSubtract33Days", "@2014-06", -33, "days", None, "@2014-05"),
    ("DateSubtract1Year", "@2014-06", -1, "year", None, "@2013-06"),
    ("TimeSubtract5Hours", "@T15:59:59.999", -5, "hours", None, "@T10:59:59.999"),
    ("TimeSubtract1Minute", "@T15:59:59.999", -1, "minutes", None, "@T15:58:59.999"),
    ("TimeSubtract1Second", "@T15:59:59.999", -1, "seconds", None, "@T15:59:58.999"),
    ("TimeSubtract1Millisecond", "@T15:59:59.0", -1, "milliseconds", None, "@T15:59:58.999"),
    ("TimeSubtract5hoursByMinute", "@T15:59:59.999", -300, "minutes", None, "@T10:59:59.999"),
]


def _value(spec: Temporal | str) -> Temporal:
    return lit(spec) if isinstance(spec, str) else spec


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [pytest.param(s, n, u, e, id=name) for name, s, n, u, _, e in ADD],
)
def test_add_and_subtract(start: Temporal | str, amount: int, unit: str, expected: Temporal | str) -> None:
    value = _value(start)
    result = add(value, amount, unit) if amount >= 0 else subtract(value, -amount, unit)
    assert result == _value(expected)


def test_time_add_5_hours_then_1_minute() -> None:
    # TimeAdd5Hours1Minute / TimeSubtract5Hours1Minute
    start = lit("@T15:59:59.999")
    assert add(add(start, 5, "hours"), 1, "minutes") == lit("@T21:00:59.999")
    assert subtract(subtract(start, 5, "hours"), 1, "minutes") == lit("@T10:58:59.999")


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        pytest.param(8000, "years", id="DateTimeAddInvalidYears"),
        pytest.param(-2005, "years", id="DateTimeSubtractInvalidYears"),
    ],
)
def test_arithmetic_leaving_the_years_is_an_error(amount: int, unit: str) -> None:
    with pytest.raises(TemporalError):
        add(dt(2005, 10, 10), amount, unit)


PRECISE_ORDER = [
    # (name, left, right, precision or None, expected compare result)
    ("DateTimeAfterYearTrue", dt(2005, 10, 10), dt(2004, 10, 10), Precision.YEAR, 1),
    ("DateTimeAfterYearFalse", dt(2004, 11, 10), dt(2004, 10, 10), Precision.YEAR, 0),
    ("DateTimeAfterMonthTrue", dt(2004, 12, 10), dt(2004, 11, 10), Precision.MONTH, 1),
    ("DateTimeAfterMonthFalse", dt(2004, 9, 10), dt(2004, 10, 10), Precision.MONTH, -1),
    ("DateTimeAfterDayTrue2", dt(2004, 12, 9), dt(2003, 10, 10), Precision.DAY, 1),
    ("DateTimeAfterHourFalse", dt(2004, 10, 10, 20), dt(2004, 10, 10, 21), Precision.HOUR, -1),
    ("DateTimeAfterMinuteTrue", dt(2004, 10, 10, 20, 30), dt(2004, 10, 10, 20, 29), Precision.MINUTE, 1),
    (
        "DateTimeAfterSecondTrue",
        dt(2004, 10, 10, 20, 30, 15),
        dt(2004, 10, 10, 20, 30, 14),
        Precision.SECOND,
        1,
    ),
    (
        "DateTimeAfterMillisecondTrue",
        dt(2004, 10, 10, 20, 30, 15, 512),
        dt(2004, 10, 10, 20, 30, 15, 510),
        Precision.MILLISECOND,
        1,
    ),
    ("DateTimeAfterUncertain", dt(2005, 10, 10), dt(2005, 9), Precision.DAY, 1),
    (
        "AfterTimezoneTrue",
        "@2012-03-10T10:20:00.999+07:00",
        "@2012-03-10T08:20:00.999+06:00",
        Precision.HOUR,
        1,
    ),
    (
        "AfterTimezoneFalse",
        "@2012-03-10T10:20:00.999+07:00",
        "@2012-03-10T10:20:00.999+06:00",
        Precision.HOUR,
        -1,
    ),
    (
        "BeforeTimezoneFalse",
        "@2012-03-10T10:20:00.999+07:00",
        "@2012-03-10T09:20:00.999+06:00",
        Precision.HOUR,
        0,
    ),
    ("TimeAfterHourTrue", "@T15:59:59.999", "@T14:59:59.999", Precision.HOUR, 1),
    ("TimeAfterMillisecondFalse", "@T15:59:59.998", "@T15:59:59.999", Precision.MILLISECOND, -1),
    ("TimeAfterTimeCstor", make_time(12, 30), make_time(11, 55), Precision.HOUR, 1),
    ("TimeBeforeMinuteFalse", "@T15:59:59.999", "@T15:59:59.999", Precision.MINUTE, 0),
    ("DateTimeSameAsMonthTrue", dt(2014, 12), dt(2014, 12), Precision.MONTH, 0),
    ("DateTimeSameAsNull", dt(2014, 10), dt(2014, 10, 12), Precision.DAY, None),
    (
        "DateTimeSameAsMillisecondFalse",
        dt(2014, 10, 10, 20, 55, 45, 500),
        dt(2014, 10, 10, 21, 55, 45, 501),
        Precision.MILLISECOND,
        -1,
    ),
    (
        "SameAsTimezoneTrue",
        "@2012-03-10T10:20:00.999+07:00",
        "@2012-03-10T09:20:00.999+06:00",
        Precision.HOUR,
        0,
    ),
    (
        "SameAsTimezoneFalse",
        "@2012-03-10T10:20:00.999+07:00",
        "@2012-03-10T10:20:00.999+06:00",
        Precision.HOUR,
        -1,
    ),
    ("TimeSameAsSecondTrue", "@T23:55:25.555", "@T23:55:25.900", Precision.SECOND, 0),
    ("TimeSameAsMillisFalse", "@T23:25:25.555", "@T23:25:25.554", Precision.MILLISECOND, 1),
    ("DateTimeSameOrAfterNull1", dt(2014, 12, 20), dt(2014, 12), Precision.DAY, None),
    ("DateTimeSameOrBeforeNull1", dt(2014, 12, 20), dt(2014, 12, 20, 15), Precision.MINUTE, None),
    (
        "SameOrBeforeTimezoneTrue",
        "@2012-03-10T09:20:00.999+07:00",
        "@2012-03-10T10:20:00.999+06:00",
        Precision.HOUR,
        -1,
    ),
    ("TimeSameOrBeforeMinuteFalse0", "@T23:10:25.555", "@T22:15:25.900", Precision.MINUTE, 1),
    ("DateTimeDayCompare", "@2022-02-22T00:00:00.000-05:00", "@2022-02-22T04:59:00.000Z", Precision.DAY, 0),
    (
        "DateTimeIncludedInPrecisionNull",
        "@2017-09-01T00:00:00",
        "@2017-09-01T00:00:00.000",
        Precision.MILLISECOND,
        None,
    ),
    ("DateTimeIncludedInPrecisionTrue", "@2017-09-01T00:00:00", "@2017-09-01T00:00:00.000", Precision.DAY, 0),
]


@pytest.mark.parametrize(
    ("left", "right", "precision", "expected"),
    [pytest.param(left, right, p, e, id=name) for name, left, right, p, e in PRECISE_ORDER],
)
def test_comparison_at_a_precision(
    left: Temporal | str, right: Temporal | str, precision: Precision, expected: int | None
) -> None:
    assert compare_at(_value(left), _value(right), precision) == expected


ORDER = [
    ("DateTimeGreaterTrue", dt(2012, 2, 12), dt(2012, 2, 10), 1),
    ("TimeGreaterTrue", "@T10:00:00.001", "@T10:00:00.000", 1),
    ("UncertaintyGreaterNull", dt(2014), dt(2014, 2, 15), None),
    ("UncertaintyGreaterTrue", dt(2015), dt(2014, 2, 15), 1),
    ("UncertaintyGreaterFalse", dt(2013), dt(2014, 2, 15), -1),
    ("DateTimeLessEqFalse", dt(2012, 2, 12, 1, 0, 0, 0), dt(2012, 2, 12, 0, 0, 0, 0), 1),
    ("TimeLessFalse", "@T10:10:00.000", "@T10:00:00.001", 1),
    ("OnOrAfterTrue", "@2017-12-20T11:00:00.000", "@2017-12-20T11:00:00.000", 0),
    ("Issue32DateTime", "@2017-12-21T02:00:00.0", "@2017-12-20T11:00:00.0", 1),
]


@pytest.mark.parametrize(
    ("left", "right", "expected"), [pytest.param(lhs, rhs, e, id=name) for name, lhs, rhs, e in ORDER]
)
def test_comparison(left: Temporal | str, right: Temporal | str, expected: int | None) -> None:
    assert compare(_value(left), _value(right)) == expected


EQUALITY = [
    ("DateTimeEqJanJan", dt(2014, 1, 5, 5, 0, 0, 0, 0), dt(2014, 1, 5, 5, 0, 0, 0, 0), True),
    ("DateTimeEqJanJuly", dt(2014, 1, 5, 5, 0, 0, 0, 0), dt(2014, 7, 5, 5, 0, 0, 0, 0), False),
    ("DateTimeEqMissingArg", dt(2015, 1, 5, 5, 0, 0), dt(2015, 1, 5, 5, 0, 0), True),
    ("DateTimeEqTrue", dt(2001, 1, 1), dt(2001, 1, 1), True),
    ("DateTimeUTC", "@2014-01-25T14:30:14.559+01:00", "@2014-01-25T14:30:14.559+01:00", True),
    ("TimeEq10A10P", "@T10:00:00.000", "@T22:00:00.000", False),
    ("TupleEqTimeFalse", "@T05:15:15.541", "@T05:15:15.540", False),
]


@pytest.mark.parametrize(
    ("left", "right", "expected"), [pytest.param(lhs, rhs, e, id=name) for name, lhs, rhs, e in EQUALITY]
)
def test_equality_and_equivalence(left: Temporal | str, right: Temporal | str, expected: bool) -> None:
    assert equal(_value(left), _value(right)) is expected
    assert equivalent(_value(left), _value(right)) is expected


DURATION = [
    ("DateTimeDurationBetweenYear", dt(2005), dt(2010), "years", Uncertainty(4, 5)),
    ("DateTimeDurationBetweenYearOffset", dt(2005, 5), dt(2010, 4), "years", 4),
    ("DateTimeDurationBetweenMonth", "@2014-01-31", "@2014-02-01", "months", 0),
    ("DateTimeDurationBetweenDaysDiffYears", dt(2010, 10, 12, 12, 5), dt(2008, 8, 15, 8, 8), "days", -788),
    ("DateTimeDurationBetweenUncertainInterval", dt(2014, 1, 15), dt(2014, 2), "days", Uncertainty(17, 44)),
    ("DateTimeDurationBetweenUncertainInterval2", dt(2005), dt(2006, 5), "months", Uncertainty(4, 16)),
    ("DateTimeDurationBetweenMonthUncertain", dt(2005), dt(2006, 7), "months", Uncertainty(6, 18)),
    ("DateTimeDurationBetweenMonthUncertain2", dt(2005), dt(2006, 2), "months", Uncertainty(1, 13)),
    ("DurationInWeeks", "@2012-03-10T22:05:09", "@2012-03-20T07:19:33", "weeks", 1),
    ("DurationInWeeks2", "@2012-03-10T22:05:09", "@2012-03-24T07:19:33", "weeks", 1),
    ("DurationInWeeks3", "@2012-03-10T06:05:09", "@2012-03-24T07:19:33", "weeks", 2),
    ("TimeDurationBetweenHour", "@T20:26:15.555", "@T23:25:15.555", "hours", 2),
    ("TimeDurationBetweenHourDiffPrecision2", "@T06", "@T07:00:00", "hours", 1),
    ("TimeDurationBetweenMinute", "@T23:20:16.555", "@T23:25:15.555", "minutes", 4),
    ("TimeDurationBetweenSecond", "@T23:25:10.556", "@T23:25:15.555", "seconds", 4),
    ("TimeDurationBetweenMillis", "@T23:25:25.555", "@T23:25:25.560", "milliseconds", 5),
    ("DurationInHoursA", "@2017-03-12T01:00:00-07:00", "@2017-03-12T03:00:00-06:00", "hours", 1),
    ("DurationInMinutesA", "@2017-11-05T01:30:00-06:00", "@2017-11-05T01:15:00-07:00", "minutes", 45),
    ("DurationInDaysA", "@2017-03-12T00:00:00-07:00", "@2017-03-13T00:00:00-06:00", "days", 0),
    (
        "DurationInHoursAA",
        dt(2017, 3, 12, 1, 0, 0, 0, Decimal("-7.0")),
        dt(2017, 3, 12, 3, 0, 0, 0, Decimal("-6.0")),
        "hours",
        1,
    ),
    (
        "DurationInDaysAA",
        dt(2017, 3, 12, 0, 0, 0, 0, Decimal("-7.0")),
        dt(2017, 3, 13, 0, 0, 0, 0, Decimal("-6.0")),
        "days",
        0,
    ),
]


@pytest.mark.parametrize(
    ("start", "end", "unit", "expected"),
    [pytest.param(s, e, u, x, id=name) for name, s, e, u, x in DURATION],
)
def test_duration_between(
    start: Temporal | str, end: Temporal | str, unit: str, expected: int | Uncertainty
) -> None:
    assert duration_between(_value(start), _value(end), unit) == expected


def test_duration_in_years_between_dates_of_datetimes() -> None:
    # DurationInYears: years between (date from @2012-03-10T10:20:00) and (date from @2013-03-10T09:20:00)
    start, end = lit("@2012-03-10T10:20:00"), lit("@2013-03-10T09:20:00")
    assert isinstance(start, DateTime) and isinstance(end, DateTime)
    assert duration_between(date_of(start), date_of(end), "years") == 1


DIFFERENCE = [
    ("DateTimeDifferenceYear", dt(2000), dt(2005, 12), "years", 5),
    ("DateTimeDifferenceMonth", dt(2000, 2), dt(2000, 10), "months", 8),
    ("DateTimeDifferenceDay", dt(2000, 10, 15, 10, 30), dt(2000, 10, 25, 10, 0), "days", 10),
    ("DateTimeDifferenceHour", dt(2000, 4, 1, 12), dt(2000, 4, 1, 20), "hours", 8),
    ("DateTimeDifferenceMinute", dt(2005, 12, 10, 5, 16), dt(2005, 12, 10, 5, 25), "minutes", 9),
    ("DateTimeDifferenceSecond", dt(2000, 10, 10, 10, 5, 45), dt(2000, 10, 10, 10, 5, 50), "seconds", 5),
    (
        "DateTimeDifferenceMillisecond",
        dt(2000, 10, 10, 10, 5, 45, 500, Decimal("-6.0")),
        dt(2000, 10, 10, 10, 5, 45, 900, Decimal("-7.0")),
        "milliseconds",
        3600400,
    ),
    ("DateTimeDifferenceWeeks", dt(2000, 10, 15), dt(2000, 10, 28), "weeks", 1),
    ("DateTimeDifferenceWeeks2", dt(2000, 10, 15), dt(2000, 10, 29), "weeks", 2),
    ("DateTimeDifferenceWeeks3", "@2012-03-10T22:05:09", "@2012-03-24T07:19:33", "weeks", 2),
    ("DateTimeDifferenceNegative", dt(2016), dt(1998), "years", -18),
    ("DateTimeDifferenceUncertain", dt(2005), dt(2006, 7), "months", Uncertainty(7, 18)),
    ("TimeDifferenceHour", "@T20", "@T23:25:15.555", "hours", 3),
    ("TimeDifferenceMinute", "@T20:20:15.555", "@T20:25:15.555", "minutes", 5),
    ("TimeDifferenceSecond", "@T20:20:15.555", "@T20:20:20.555", "seconds", 5),
    ("TimeDifferenceMillis", "@T20:20:15.555", "@T20:20:15.550", "milliseconds", -5),
    ("DifferenceInHoursA", "@2017-03-12T01:00:00-07:00", "@2017-03-12T03:00:00-06:00", "hours", 1),
    ("DifferenceInMinutesA", "@2017-11-05T01:30:00-06:00", "@2017-11-05T01:15:00-07:00", "minutes", 45),
    ("DifferenceInDaysA", "@2017-03-12T00:00:00-07:00", "@2017-03-13T00:00:00-06:00", "days", 1),
    (
        "DifferenceInDaysAA",
        dt(2017, 3, 12, 0, 0, 0, 0, Decimal("-7.0")),
        dt(2017, 3, 13, 0, 0, 0, 0, Decimal("-6.0")),
        "days",
        1,
    ),
]


@pytest.mark.parametrize(
    ("start", "end", "unit", "expected"),
    [pytest.param(s, e, u, x, id=name) for name, s, e, u, x in DIFFERENCE],
)
def test_difference_between(
    start: Temporal | str, end: Temporal | str, unit: str, expected: int | Uncertainty
) -> None:
    assert difference_between(_value(start), _value(end), unit) == expected


COMPONENTS = [
    ("DateTimeComponentFromYear", "year", 2003),
    ("DateTimeComponentFromMonth", "month", 10),
    ("DateTimeComponentFromDay", "day", 29),
    ("DateTimeComponentFromHour", "hour", 20),
    ("DateTimeComponentFromMinute", "minute", 50),
    ("DateTimeComponentFromSecond", "second", 33),
    ("DateTimeComponentFromMillisecond", "millisecond", 955),
    ("DateTimeComponentFromTimezone", "timezoneoffset", Decimal("1.00")),
    ("DateTimeComponentFromTimezoneOffset", "timezone", Decimal("1.00")),
]


@pytest.mark.parametrize(("name", "expected"), [pytest.param(n, e, id=test) for test, n, e in COMPONENTS])
def test_component_from_datetime(name: str, expected: int | Decimal) -> None:
    assert component(dt(2003, 10, 29, 20, 50, 33, 955, 1), name) == expected


def test_component_from_time_and_date_from_datetime() -> None:
    # TimeComponentFrom*, DateTimeComponentFromDate, DateTimeComponentFromMonthMinBoundary
    time = lit("@T23:20:15.555")
    assert [component(time, n) for n in ("hour", "minute", "second", "millisecond")] == [23, 20, 15, 555]
    assert component(dt(2003, 10, 29, 20, 50, 33, 955, 1), "date") == lit("@2003-10-29")
    assert component(dt(2003, 1, 29, 20, 50, 33, 955), "month") == 1


def test_hour_from_a_datetime_without_time_is_null() -> None:
    # DateTimeTimeUnspecified, ToDateTimeTimeUnspecified
    assert component(lit("@2015-02-10T"), "hour") is None


LITERALS = [
    ("DateTimeYear", dt(2003), "@2003T"),
    ("DateTimeMonth", dt(2003, 10), "@2003-10T"),
    ("DateTimeMillisecond", dt(2003, 10, 29, 20, 50, 33, 955), "@2003-10-29T20:50:33.955"),
    ("DateTimeAA", dt(2017, 3, 12, 1, 0, 0, 0, Decimal("-7.0")), "@2017-03-12T01:00:00.000-07:00"),
    ("DateTimeMin", dt(1, 1, 1, 0, 0, 0, 0), "@0001-01-01T00:00:00.000"),
    ("DateTimeMax", dt(9999, 12, 31, 23, 59, 59, 999), "@9999-12-31T23:59:59.999"),
    ("TimeAllMin", make_time(0, 0, 0, 0), "@T00:00:00.000"),
    ("TimeMillisParsing", make_time(23, 59, 59, 100), "@T23:59:59.10000"),
    ("ToDateTime1", parse_datetime("2014-01-01"), "@2014-01-01T"),
    ("ToDateTime2", parse_datetime("2014-01-01T12:05"), "@2014-01-01T12:05"),
    ("ToDateTime4", parse_datetime("2014-01-01T12:05:05.955+01:30"), "@2014-01-01T12:05:05.955+01:30"),
    ("ToDateTime5", parse_datetime("2014-01-01T12:05:05.955-01:15"), "@2014-01-01T12:05:05.955-01:15"),
    ("ToDateTime6", parse_datetime("2014-01-01T12:05:05.955Z"), "@2014-01-01T12:05:05.955+00:00"),
    ("ToTime1", parse_time("T14:30:00.0"), "@T14:30:00.000"),
    ("ToTime2", parse_time("T14:30:00.0+05:30"), "@T14:30:00.000"),
    ("ToTime4", parse_time("T14:30:00.0Z"), "@T14:30:00.000"),
    ("DateTimeMinValue", MIN_DATETIME, "@0001-01-01T00:00:00.000Z"),
    ("DateTimeMaxValue", MAX_DATETIME, "@9999-12-31T23:59:59.999Z"),
    ("DateMinValue", MIN_DATE, "@0001-01-01"),
    ("DateMaxValue", MAX_DATE, "@9999-12-31"),
    ("TimeMinValue", MIN_TIME, "@T00:00:00.000"),
    ("TimeMaxValue", MAX_TIME, "@T23:59:59.999"),
]


@pytest.mark.parametrize(("value", "literal"), [pytest.param(v, text, id=name) for name, v, text in LITERALS])
def test_values_match_their_literals(value: Temporal | None, literal: str) -> None:
    assert value is not None
    assert equal(value, lit(literal)) is True


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2014/01/01", id="StringToDateTimeMalformed"),
        pytest.param("2014/01/01T12:05:05.955Z", id="ToDateTimeMalformed"),
    ],
)
def test_malformed_datetime_strings_do_not_convert(text: str) -> None:
    assert parse_datetime(text) is None


def test_malformed_time_string_does_not_convert() -> None:
    # ToTimeMalformed
    assert parse_time("T14-30-00.0") is None


@pytest.mark.parametrize(
    ("components"),
    [
        pytest.param((10000, 12, 31, 23, 59, 59, 999), id="DateTimeUpperBoundExcept"),
        pytest.param((0, 1, 1, 0, 0, 0, 0), id="DateTimeLowerBoundExcept"),
    ],
)
def test_datetimes_outside_the_years_are_invalid(components: tuple[int, ...]) -> None:
    with pytest.raises(TemporalError):
        make_datetime(*components)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("T24:59:59.999", id="TimeUpperBoundHours"),
        pytest.param("T23:60:59.999", id="TimeUpperBoundMinutes"),
        pytest.param("T23:59:60.999", id="TimeUpperBoundSeconds"),
    ],
)
def test_times_outside_the_day_are_invalid(text: str) -> None:
    with pytest.raises(TemporalError):
        parse_time(text)


TO_STRING = [
    ("DateTimeToString1", dt(2000, 1, 1), "2000-01-01"),
    ("DateTimeToString2", dt(2000, 1, 1, 15, 25, 25, 300), "2000-01-01T15:25:25.300"),
    ("DateTimeToString3", dt(2000, 1, 1, 8, 25, 25, 300, -7), "2000-01-01T08:25:25.300-07:00"),
    ("TimeToString1", make_time(9, 30, 1, 3), "09:30:01.003"),
]


@pytest.mark.parametrize(("value", "text"), [pytest.param(v, t, id=n) for n, v, t in TO_STRING])
def test_to_string(value: Temporal, text: str) -> None:
    assert to_string(value) == text


BOUNDARIES = [
    ("LowBoundaryDateMonth", "@2014", Precision.MONTH, low_boundary, "@2014-01"),
    (
        "LowBoundaryDateTimeMillisecond",
        "@2014-01-01T08",
        Precision.MILLISECOND,
        low_boundary,
        "@2014-01-01T08:00:00.000",
    ),
    ("LowBoundaryTimeMillisecond", "@T10:30", Precision.MILLISECOND, low_boundary, "@T10:30:00.000"),
    ("HighBoundaryDateMonth", "@2014", Precision.MONTH, high_boundary, "@2014-12"),
    (
        "HighBoundaryDateTimeMillisecond",
        "@2014-01-01T08",
        Precision.MILLISECOND,
        high_boundary,
        "@2014-01-01T08:59:59.999",
    ),
    ("HighBoundaryTimeMillisecond", "@T10:30", Precision.MILLISECOND, high_boundary, "@T10:30:59.999"),
]


@pytest.mark.parametrize(
    ("start", "precision", "operation", "expected"),
    [pytest.param(s, p, op, e, id=n) for n, s, p, op, e in BOUNDARIES],
)
def test_boundaries(start: str, precision: Precision, operation: object, expected: str) -> None:
    assert callable(operation)
    assert operation(lit(start), precision) == lit(expected)


@pytest.mark.parametrize(
    ("literal", "digits"),
    [
        pytest.param("@2014", 4, id="PrecisionYear"),
        pytest.param("@2014-01-05T10:30:00.000", 17, id="PrecisionDateTimeMilliseconds"),
        pytest.param("@T10:30", 4, id="PrecisionTimeMinutes"),
        pytest.param("@T10:30:00.000", 9, id="PrecisionTimeMilliseconds"),
    ],
)
def test_precision_digits(literal: str, digits: int) -> None:
    assert precision_digits(lit(literal)) == digits


def test_successor_and_predecessor() -> None:
    # SuccessorOfJan12000, SuccessorOfNoon, PredecessorOfJan12000, PredecessorOfNoon
    assert successor(dt(2000, 1, 1)) == lit("@2000-01-02T")
    assert successor(lit("@T12:00:00.000")) == lit("@T12:00:00.001")
    assert predecessor(dt(2000, 1, 1)) == lit("@1999-12-31T")
    assert predecessor(lit("@T12:00:00.000")) == lit("@T11:59:59.999")


@pytest.mark.parametrize(
    ("operation", "value"),
    [
        pytest.param(successor, MAX_DATETIME, id="SuccessorOverflowDt"),
        pytest.param(successor, MAX_TIME, id="SuccessorOverflowT"),
        pytest.param(predecessor, dt(1, 1, 1, 0, 0, 0, 0), id="PredecessorUnderflowDt"),
        pytest.param(predecessor, MIN_TIME, id="PredecessorUnderflowT"),
    ],
)
def test_no_successor_or_predecessor_past_the_range(operation: object, value: Temporal) -> None:
    assert callable(operation)
    with pytest.raises(TemporalError):
        operation(value)
