"""Adding and subtracting time-valued quantities; successor and predecessor."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cds.cql.values.temporal import (
    MAX_DATE,
    MIN_DATE,
    Date,
    DateTime,
    TemporalError,
    Time,
    add,
    predecessor,
    subtract,
    successor,
)


def test_adding_one_month_to_jan_31_clamps_to_feb_29_in_leap_year() -> None:
    assert add(Date(2024, 1, 31), 1, "month") == Date(2024, 2, 29)


def test_adding_one_month_to_jan_31_clamps_to_feb_28_in_common_year() -> None:
    assert add(Date(2023, 1, 31), 1, "month") == Date(2023, 2, 28)


def test_adding_a_year_to_feb_29_lands_on_feb_28() -> None:
    assert add(DateTime(2012, 2, 29, 10, 30), 1, "year") == DateTime(2013, 2, 28, 10, 30)


def test_subtracting_months_crosses_year_boundaries() -> None:
    assert subtract(Date(2024, 3, 31), 13, "months") == Date(2023, 2, 28)


def test_days_respect_month_and_year_lengths() -> None:
    assert add(Date(2023, 12, 31), 1, "day") == Date(2024, 1, 1)
    assert add(Date(2024, 2, 28), 1, "day") == Date(2024, 2, 29)
    assert subtract(Date(2024, 3, 1), 1, "day") == Date(2024, 2, 29)


def test_hours_roll_over_into_days_and_keep_the_offset() -> None:
    start = DateTime(2014, 12, 31, 23, 30, offset=Decimal(-5))
    assert add(start, 1, "hour") == DateTime(2015, 1, 1, 0, 30, offset=Decimal(-5))


def test_decimal_parts_above_seconds_are_ignored() -> None:
    assert add(DateTime(2014, 1, 1, 10), Decimal("1.9"), "hours") == DateTime(2014, 1, 1, 11)
    assert add(Date(2014, 1, 1), Decimal("-1.5"), "days") == Date(2013, 12, 31)


def test_decimal_seconds_add_milliseconds_when_the_value_has_them() -> None:
    start = DateTime(2014, 1, 1, 10, 0, 0, 0)
    assert add(start, Decimal("1.5"), "seconds") == DateTime(2014, 1, 1, 10, 0, 1, 500)
    assert add(DateTime(2014, 1, 1, 10, 0, 0), Decimal("1.5"), "seconds") == DateTime(2014, 1, 1, 10, 0, 1)


def test_units_finer_than_the_value_convert_with_calendar_factors() -> None:
    assert add(Date(2014), 18, "months") == Date(2015)
    assert add(Date(2014, 6), 59, "days") == Date(2014, 7)
    assert add(Date(2014, 6), 9, "weeks") == Date(2014, 8)
    assert add(DateTime(2014, 6, 1, 10), 90, "minutes") == DateTime(2014, 6, 1, 11)
    assert subtract(Date(2014), 364, "days") == Date(2014)


def test_ucum_and_plural_units_are_accepted() -> None:
    assert add(Date(2014, 1, 1), 2, "wk") == add(Date(2014, 1, 1), 14, "d")
    assert add(Time(10), 2, "h") == Time(12)


@pytest.mark.parametrize("unit", ["mo", "a", "fortnight", "Days"])
def test_units_that_are_not_calendar_or_short_ucum_units_are_errors(unit: str) -> None:
    with pytest.raises(TemporalError):
        add(Date(2014, 1, 1), 1, unit)


def test_dates_take_no_clock_units_and_times_no_calendar_units() -> None:
    with pytest.raises(TemporalError):
        add(Date(2014, 1, 1), 5, "hours")
    with pytest.raises(TemporalError):
        add(Time(10), 1, "day")


def test_amounts_must_be_numbers() -> None:
    with pytest.raises(TypeError):
        add(Date(2014, 1, 1), True, "day")


def test_time_wraps_around_midnight() -> None:
    assert add(Time(23, 30, 0), 1, "hour") == Time(0, 30, 0)
    assert subtract(Time(1, 0, 0), 2, "hours") == Time(23, 0, 0)


def test_results_outside_years_1_to_9999_are_errors() -> None:
    with pytest.raises(TemporalError):
        add(MAX_DATE, 1, "day")
    with pytest.raises(TemporalError):
        subtract(MIN_DATE, 1, "month")
    with pytest.raises(TemporalError):
        add(DateTime(9999, 12, 31, 23), 1, "hour")


def test_successor_steps_at_the_value_s_own_precision() -> None:
    assert successor(Date(2014)) == Date(2015)
    assert successor(Date(2014, 12)) == Date(2015, 1)
    assert successor(DateTime(2014, 12, 31, 23, 59, 59)) == DateTime(2015, 1, 1, 0, 0, 0)
    assert predecessor(Time(10, 0)) == Time(9, 59)
    assert predecessor(DateTime(2014, 3, 1)) == DateTime(2014, 2, 28)


def test_successor_of_the_last_hour_of_the_day_is_an_error() -> None:
    with pytest.raises(TemporalError):
        successor(Time(23))
