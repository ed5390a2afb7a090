"""Precision-aware comparison: =, ~, ordering, comparison at a precision, offsets."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from cds.cql.values.temporal import (
    EVALUATION_OFFSET,
    Date,
    DateTime,
    Precision,
    TemporalError,
    Time,
    compare,
    compare_at,
    equal,
    equivalent,
)


@pytest.fixture
def evaluated_at_minus_five() -> Iterator[None]:
    token = EVALUATION_OFFSET.set(Decimal(-5))
    yield
    EVALUATION_OFFSET.reset(token)


def test_dates_order_by_year_then_month_then_day() -> None:
    assert compare(Date(2014, 1, 2), Date(2014, 1, 3)) == -1
    assert compare(Date(2014, 2, 1), Date(2014, 1, 31)) == 1
    assert compare(Date(2013, 12, 31), Date(2014, 1, 1)) == -1
    assert compare(Date(2014, 1, 2), Date(2014, 1, 2)) == 0


def test_values_that_differ_before_either_stops_are_ordered() -> None:
    assert compare(Date(2013), Date(2014, 5, 6)) == -1
    assert compare(Date(2014, 6), Date(2014, 5, 6)) == 1


def test_values_agreeing_as_far_as_the_coarser_goes_are_unordered() -> None:
    assert compare(Date(2014), Date(2014, 5)) is None
    assert compare(DateTime(2012, 1, 1), DateTime(2012, 1, 1, 12)) is None
    assert compare(Time(10), Time(10, 30)) is None


def test_equal_precision_values_stopping_together_are_equal() -> None:
    assert compare(Date(2014), Date(2014)) == 0
    assert equal(Time(10, 30), Time(10, 30)) is True


def test_equality_is_unknown_and_equivalence_false_across_precisions() -> None:
    assert equal(Date(2012, 1), Date(2012)) is None
    assert equivalent(Date(2012, 1), Date(2012)) is False
    assert equal(Date(2012, 1), Date(2013)) is False


def test_missing_milliseconds_count_as_zero() -> None:
    # CQL 1.5: seconds and milliseconds compare as one decimal.
    whole = DateTime(2024, 11, 15, 12, 30, 0)
    assert equal(DateTime(2024, 11, 15, 12, 30, 0, 0), whole) is True
    assert equal(DateTime(2024, 11, 15, 12, 30, 0, 500), whole) is False
    assert compare(DateTime(2024, 11, 15, 12, 30, 0, 500), whole) == 1
    assert equivalent(Time(15, 59, 59), Time(15, 59, 59, 0)) is True
    assert compare(Time(15, 59, 59), Time(15, 59, 59, 999)) == -1


def test_missing_seconds_still_make_the_comparison_unknown() -> None:
    assert equal(DateTime(2024, 11, 15, 12, 30, 0, 500), DateTime(2024, 11, 15, 12, 30)) is None


def test_datetimes_at_different_offsets_compare_as_instants() -> None:
    assert equal(
        DateTime(2014, 1, 1, 10, 0, offset=Decimal(1)), DateTime(2014, 1, 1, 9, 0, offset=Decimal(0))
    )
    assert (
        compare(DateTime(2014, 1, 1, 10, 0, offset=Decimal(2)), DateTime(2014, 1, 1, 9, 0, offset=Decimal(0)))
        == -1
    )


def test_offsets_across_midnight_and_half_hours() -> None:
    late_east = DateTime(2014, 1, 2, 1, 15, offset=Decimal("5.5"))
    assert equal(late_east, DateTime(2014, 1, 1, 19, 45, offset=Decimal(0))) is True


def test_an_unstated_offset_is_the_evaluation_offset(evaluated_at_minus_five: None) -> None:
    local = DateTime(2014, 1, 1, 10, 0)
    assert equal(local, DateTime(2014, 1, 1, 15, 0, offset=Decimal(0))) is True
    assert equal(local, DateTime(2014, 1, 1, 10, 0, offset=Decimal(-5))) is True


def test_unstated_offsets_compare_field_by_field(evaluated_at_minus_five: None) -> None:
    assert compare(DateTime(2014, 1, 1, 23), DateTime(2014, 1, 2, 0)) == -1


def test_a_date_meeting_a_datetime_becomes_a_datetime() -> None:
    assert equal(Date(2012, 1, 1), DateTime(2012, 1, 1, 12)) is None
    assert compare(Date(2012, 1, 2), DateTime(2012, 1, 1, 12)) == 1
    assert equivalent(DateTime(2012, 1, 1), Date(2012, 1, 1)) is True


def test_dates_and_times_do_not_compare() -> None:
    with pytest.raises(TypeError):
        compare(Date(2012), Time(10))


def test_comparison_at_a_precision_ignores_finer_components() -> None:
    assert compare_at(Date(2012, 1, 1), Date(2012, 1, 31), Precision.MONTH) == 0
    assert compare_at(Time(23, 55, 22, 555), Time(23, 55, 25, 900), Precision.MINUTE) == 0
    assert compare_at(DateTime(2012, 1, 1, 8), DateTime(2012, 1, 1, 9), Precision.DAY) == 0


def test_comparison_at_a_precision_one_value_lacks_is_unknown() -> None:
    assert compare_at(Date(2012, 1, 1), Date(2012, 1), Precision.DAY) is None
    assert compare_at(Date(2012), Date(2012), Precision.MONTH) is None


def test_explicit_millisecond_precision_needs_milliseconds_on_both() -> None:
    assert compare_at(Time(10, 0, 0), Time(10, 0, 0, 0), Precision.MILLISECOND) is None
    assert compare_at(Time(10, 0, 0), Time(10, 0, 0, 0), Precision.SECOND) == 0


def test_day_comparisons_use_each_value_s_own_calendar_day() -> None:
    # Offsets are normalised only for hours and finer (CQL Same As).
    east = DateTime(2022, 2, 22, 0, 30, offset=Decimal(5))
    utc = DateTime(2022, 2, 22, 12, 0, offset=Decimal(0))
    assert compare_at(east, utc, Precision.DAY) == 0
    assert compare_at(east, utc, Precision.HOUR) == -1


def test_precisions_a_type_does_not_have_are_errors() -> None:
    with pytest.raises(TemporalError):
        compare_at(Date(2012, 1, 1), Date(2012, 1, 1), Precision.HOUR)
    with pytest.raises(TemporalError):
        compare_at(Time(10), Time(10), Precision.DAY)
