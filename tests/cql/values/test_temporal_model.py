"""Construction, validation, precision and printing of Date, DateTime and Time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cds.cql.values.temporal import (
    MAX_DATE,
    MIN_DATE,
    UNITS,
    Date,
    DateTime,
    Precision,
    TemporalError,
    Time,
    make_date,
    make_datetime,
    make_time,
)


def test_precision_is_the_finest_component_given() -> None:
    assert Date(2014).precision is Precision.YEAR
    assert Date(2014, 3).precision is Precision.MONTH
    assert Date(2014, 3, 9).precision is Precision.DAY
    assert DateTime(2014, 3, 9).precision is Precision.DAY
    assert DateTime(2014, 3, 9, 10).precision is Precision.HOUR
    assert DateTime(2014, 3, 9, 10, 5, 7).precision is Precision.SECOND
    assert DateTime(2014, 3, 9, 10, 5, 7, 0).precision is Precision.MILLISECOND
    assert Time(10).precision is Precision.HOUR
    assert Time(10, 5, 7, 1).precision is Precision.MILLISECOND


def test_precisions_run_from_coarse_to_fine() -> None:
    assert list(Precision) == sorted(Precision)
    assert Precision.YEAR < Precision.DAY < Precision.MILLISECOND


def test_units_are_the_singular_calendar_words() -> None:
    assert UNITS == ("year", "month", "week", "day", "hour", "minute", "second", "millisecond")


def test_february_29_exists_only_in_leap_years() -> None:
    assert make_date(2024, 2, 29) == Date(2024, 2, 29)
    with pytest.raises(TemporalError):
        make_date(2023, 2, 29)
    with pytest.raises(TemporalError):
        make_date(1900, 2, 29)


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(0, None, None), (10000, None, None), (2014, 13, None), (2014, 0, None), (2014, 4, 31)],
)
def test_dates_outside_the_calendar_are_rejected(year: int, month: int | None, day: int | None) -> None:
    with pytest.raises(TemporalError):
        make_date(year, month, day)


def test_a_component_cannot_follow_a_missing_one() -> None:
    with pytest.raises(TemporalError):
        make_date(2012, None, 1)
    with pytest.raises(TemporalError):
        make_datetime(2012, 1, 1, 12, None, 0, 0)
    with pytest.raises(TemporalError):
        make_time(12, None, 0)


def test_a_time_of_day_needs_a_day() -> None:
    with pytest.raises(TemporalError):
        make_datetime(2012, 1, None, 12)


@pytest.mark.parametrize(
    ("hour", "minute", "second", "millisecond"),
    [(24, 0, 0, 0), (23, 60, 0, 0), (23, 59, 60, 0), (23, 59, 59, 1000), (-1, None, None, None)],
)
def test_times_outside_the_day_are_rejected(
    hour: int, minute: int | None, second: int | None, millisecond: int | None
) -> None:
    with pytest.raises(TemporalError):
        make_time(hour, minute, second, millisecond)


def test_components_must_be_integers() -> None:
    with pytest.raises(TemporalError):
        make_date(True)
    with pytest.raises(TemporalError):
        make_time(10, 30.5)  # type: ignore[arg-type]


def test_offsets_are_kept_as_decimal_hours_within_fourteen_hours() -> None:
    assert make_datetime(2014, 1, 1, 10, offset=-5).offset == Decimal(-5)
    assert make_datetime(2014, 1, 1, 10, offset=Decimal("5.5")).offset == Decimal("5.5")
    with pytest.raises(TemporalError):
        make_datetime(2014, 1, 1, 10, offset=Decimal(15))
    with pytest.raises(TemporalError):
        make_datetime(2014, 1, 1, 10, offset=1.5)  # type: ignore[arg-type]


def test_the_extremes_are_the_first_and_last_days_of_the_range() -> None:
    assert (Date(1, 1, 1), Date(9999, 12, 31)) == (MIN_DATE, MAX_DATE)


def test_str_is_the_cql_tostring_text() -> None:
    assert str(Date(2014, 1, 2)) == "2014-01-02"
    assert str(DateTime(2014, 1, 2, 3, 4, offset=Decimal(1))) == "2014-01-02T03:04+01:00"
    assert str(Time(3, 4, 5, 6)) == "03:04:05.006"


def test_values_are_immutable_and_hashable() -> None:
    # Fields are read-only to mypy (value_class); at run time a value takes no attribute beyond them.
    value = Date(2014, 1, 2)
    with pytest.raises(AttributeError):
        value.era = "CE"  # type: ignore[attr-defined]
    assert len({Date(2014, 1, 2), Date(2014, 1, 2)}) == 1
