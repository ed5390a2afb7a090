"""Components, Date/DateTime conversions, truncation, boundaries and offsets."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from cds.cql.values.temporal import (
    EVALUATION_OFFSET,
    MIN_DATETIME,
    Date,
    DateTime,
    Precision,
    TemporalError,
    Time,
    compare,
    component,
    date_of,
    date_to_datetime,
    datetime_to_date,
    high_boundary,
    low_boundary,
    precision_digits,
    precision_for_digits,
    time_of,
    truncate_to,
    with_offset,
)


@pytest.fixture
def evaluated_at_plus_two() -> Iterator[None]:
    token = EVALUATION_OFFSET.set(Decimal(2))
    yield
    EVALUATION_OFFSET.reset(token)


def test_components_missing_from_the_value_are_null() -> None:
    assert component(Date(2014), "month") is None
    assert component(DateTime(2014, 1, 1), "hour") is None
    assert component(Time(10), "second") is None
    assert component(DateTime(2014, 1, 1), "time") is None


def test_components_a_type_does_not_have_are_errors() -> None:
    with pytest.raises(TemporalError):
        component(Date(2014, 1, 1), "hour")
    with pytest.raises(TemporalError):
        component(Time(10), "year")
    with pytest.raises(TemporalError):
        component(DateTime(2014), "week")


def test_an_unstated_offset_reads_as_the_evaluation_offset(evaluated_at_plus_two: None) -> None:
    assert component(DateTime(2014, 1, 1, 10), "timezoneoffset") == Decimal(2)
    assert component(DateTime(2014, 1, 1, 10, offset=Decimal(-3)), "timezoneoffset") == Decimal(-3)


def test_date_from_keeps_the_written_date() -> None:
    assert date_of(DateTime(2014, 1, 1, 23, 30, offset=Decimal(-7))) == Date(2014, 1, 1)
    assert datetime_to_date(DateTime(2014, 5)) == Date(2014, 5)


def test_time_from_is_read_at_the_evaluation_offset(evaluated_at_plus_two: None) -> None:
    assert time_of(DateTime(2014, 1, 1, 23, 30, offset=Decimal(0))) == Time(1, 30)
    assert time_of(DateTime(2014, 1, 1, 23, 30)) == Time(23, 30)


def test_todatetime_of_a_date_takes_the_evaluation_offset(evaluated_at_plus_two: None) -> None:
    assert date_to_datetime(Date(2014, 1)) == DateTime(2014, 1, offset=Decimal(2))


def test_truncation_drops_finer_components_only() -> None:
    value = DateTime(2014, 1, 2, 3, 4, 5, 6, Decimal(1))
    assert truncate_to(value, Precision.DAY) == DateTime(2014, 1, 2, offset=Decimal(1))
    assert truncate_to(Date(2014, 1), Precision.DAY) == Date(2014, 1)
    assert truncate_to(Time(3, 4, 5), Precision.HOUR) == Time(3)


def test_high_boundary_lands_on_the_last_day_of_the_month() -> None:
    assert high_boundary(Date(2024, 2), Precision.DAY) == Date(2024, 2, 29)
    assert high_boundary(Date(2023, 2), Precision.DAY) == Date(2023, 2, 28)
    assert high_boundary(DateTime(2014), Precision.DAY) == DateTime(2014, 12, 31)


def test_low_boundary_is_the_first_instant() -> None:
    assert low_boundary(DateTime(2014, 6), Precision.MILLISECOND) == DateTime(2014, 6, 1, 0, 0, 0, 0)
    assert low_boundary(Time(10), Precision.MINUTE) == Time(10, 0)


def test_boundaries_keep_the_offset_and_truncate_finer_values() -> None:
    value = DateTime(2014, 6, 15, 10, offset=Decimal(-4))
    assert high_boundary(value, Precision.MINUTE) == DateTime(2014, 6, 15, 10, 59, offset=Decimal(-4))
    assert low_boundary(value, Precision.MONTH) == DateTime(2014, 6, offset=Decimal(-4))


def test_boundary_precisions_a_type_lacks_are_errors() -> None:
    with pytest.raises(TemporalError):
        high_boundary(Date(2014), Precision.HOUR)
    with pytest.raises(TemporalError):
        low_boundary(Time(10), Precision.DAY)


def test_precision_digits_name_precisions_per_type() -> None:
    assert precision_digits(DateTime(2014, 1, 1, 10)) == 10
    assert precision_for_digits(Date(2014), 6) is Precision.MONTH
    assert precision_for_digits(Time(10), 9) is Precision.MILLISECOND
    assert precision_for_digits(Date(2014), 10) is None


def test_with_offset_moves_the_clock_not_the_instant() -> None:
    value = DateTime(2014, 1, 1, 23, 30, offset=Decimal(0))
    moved = with_offset(value, Decimal("5.5"))
    assert moved == DateTime(2014, 1, 2, 5, 0, offset=Decimal("5.5"))
    assert compare(moved, value) == 0


def test_with_offset_of_a_date_precision_value_only_restates_the_offset() -> None:
    assert with_offset(DateTime(2014, 1, 1), Decimal(3)) == DateTime(2014, 1, 1, offset=Decimal(3))


def test_with_offset_past_the_first_year_is_an_error() -> None:
    with pytest.raises(TemporalError):
        with_offset(MIN_DATETIME, Decimal(-1))
