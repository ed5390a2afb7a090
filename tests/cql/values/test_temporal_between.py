"""Duration (whole periods) and difference (boundaries crossed) between temporal values."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from cds.cql.values.temporal import (
    EVALUATION_OFFSET,
    Date,
    DateTime,
    TemporalError,
    Time,
    Uncertainty,
    difference_between,
    duration_between,
)


@pytest.fixture
def evaluated_at_minus_seven() -> Iterator[None]:
    token = EVALUATION_OFFSET.set(Decimal(-7))
    yield
    EVALUATION_OFFSET.reset(token)


def test_a_year_passes_only_on_the_anniversary() -> None:
    assert duration_between(Date(2012, 3, 10), Date(2013, 3, 9), "years") == 0
    assert duration_between(Date(2012, 3, 10), Date(2013, 3, 10), "years") == 1


def test_time_of_day_counts_towards_whole_years() -> None:
    start, end = DateTime(2012, 3, 10, 10, 20), DateTime(2013, 3, 10, 9, 20)
    assert duration_between(start, end, "years") == 0


def test_duration_is_negative_when_the_end_comes_first() -> None:
    assert duration_between(Date(2013, 3, 10), Date(2012, 3, 10), "years") == -1
    assert duration_between(Date(2012, 3, 12), Date(2012, 3, 10), "days") == -2


def test_a_month_from_the_31st_ends_on_the_last_day_of_a_shorter_month() -> None:
    # Consistent with `+`: 2014-01-31 + 1 month = 2014-02-28.
    assert duration_between(Date(2014, 1, 31), Date(2014, 2, 28), "months") == 1
    assert duration_between(Date(2014, 1, 31), Date(2014, 2, 27), "months") == 0


def test_someone_born_on_feb_29_turns_one_on_feb_28() -> None:
    assert duration_between(Date(2012, 2, 29), Date(2013, 2, 28), "years") == 1


def test_days_between_a_day_and_a_month_ranges_over_that_month() -> None:
    # CqlTypesTest DateTimeUncertain expects [18, 49] here; see the `between` module notes.
    assert duration_between(DateTime(2015, 2, 10), DateTime(2015, 3), "days") == Uncertainty(19, 49)


def test_days_between_two_months_run_from_shortest_to_longest() -> None:
    # Spec example: [days between @2012-01-31 and @2012-02-01, days between @2012-01-01 and @2012-02-29].
    assert duration_between(Date(2012, 1), Date(2012, 2), "days") == Uncertainty(1, 59)


def test_known_values_give_a_plain_integer() -> None:
    assert duration_between(DateTime(2012, 1, 1, 1, 0, 0), DateTime(2012, 1, 1, 2, 0, 0, 0), "hours") == 1


def test_milliseconds_between_a_second_and_a_millisecond_value_are_uncertain() -> None:
    assert duration_between(Time(10, 0, 0), Time(10, 0, 1, 0), "milliseconds") == Uncertainty(1, 1000)


def test_weeks_are_seven_whole_days() -> None:
    assert duration_between(Date(2024, 1, 1), Date(2024, 1, 14), "weeks") == 1
    assert duration_between(Date(2024, 1, 1), Date(2024, 1, 15), "weeks") == 2


def test_a_date_meeting_a_datetime_is_measured_as_a_datetime() -> None:
    assert duration_between(Date(2024, 1, 1), DateTime(2024, 1, 3, 12), "days") == 2


def test_difference_counts_boundaries_not_whole_periods() -> None:
    assert duration_between(Date(2012, 12, 31), Date(2013, 1, 1), "years") == 0
    assert difference_between(Date(2012, 12, 31), Date(2013, 1, 1), "years") == 1
    assert difference_between(Date(2012, 1, 1), Date(2012, 2, 1), "months") == 1


def test_difference_in_months_against_a_year_ranges_over_the_year() -> None:
    # Spec example: difference in months between @2012-01-02 and @2012 is [0, 11].
    assert difference_between(Date(2012, 1, 2), Date(2012), "months") == Uncertainty(0, 11)


def test_weeks_start_on_sunday_for_difference() -> None:
    saturday, sunday = Date(2024, 1, 6), Date(2024, 1, 7)
    assert difference_between(saturday, sunday, "weeks") == 1
    assert difference_between(sunday, Date(2024, 1, 13), "weeks") == 0


def test_difference_in_days_reads_each_calendar_day_as_written(evaluated_at_minus_seven: None) -> None:
    late_utc = DateTime(2024, 1, 1, 23, 0, offset=Decimal(0))
    early_tokyo = DateTime(2024, 1, 2, 1, 0, offset=Decimal(9))
    assert difference_between(late_utc, early_tokyo, "days") == 1
    assert difference_between(late_utc, early_tokyo, "hours") == -7


def test_duration_uses_instants_whatever_the_offsets() -> None:
    # The clocks read 26 hours apart, the instants are 17 hours apart.
    start = DateTime(2024, 1, 1, 23, 0, offset=Decimal(0))
    assert duration_between(start, DateTime(2024, 1, 3, 1, 0, offset=Decimal(9)), "days") == 0


@pytest.mark.parametrize(
    ("start", "end", "unit"),
    [(Date(2024, 1, 1), Date(2024, 1, 2), "hours"), (Time(10), Time(11), "days")],
)
def test_units_the_type_lacks_are_errors(start: Date | Time, end: Date | Time, unit: str) -> None:
    with pytest.raises(TemporalError):
        duration_between(start, end, unit)
    with pytest.raises(TemporalError):
        difference_between(start, end, unit)


def test_dates_and_times_cannot_be_measured_against_each_other() -> None:
    with pytest.raises(TypeError):
        duration_between(Date(2024), Time(10), "hours")
