"""Date and time operators, through CQL text: selectors, the clock, components, comparisons of
points (at a precision too), duration and difference, uncertainties, the evaluation offset and
timing phrases on points."""

from __future__ import annotations

from datetime import date as py_date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds.cql import evaluate_expression
from cds.cql.errors import CqlError
from cds.cql.operators import datetime as ops
from cds.cql.values import temporal
from cds.cql.values.cql_text import to_cql, to_json
from cds.cql.values.temporal import Date, DateTime, Time, Uncertainty, uncertainty

examples = settings(max_examples=150, deadline=None)


def cql(text: str, as_of: str | DateTime | None = "2024-03-01") -> Any:
    return evaluate_expression(text, as_of=as_of)


# ----------------------------------------------------------------------------------- selectors
def test_date_selector_builds_a_day_precision_date() -> None:
    assert cql("Date(2014, 1, 15)") == Date(2014, 1, 15)


def test_a_null_component_stops_the_value_at_the_components_before_it() -> None:
    assert cql("Date(2014, null, 3)") == Date(2014)
    assert cql("DateTime(2014, 1, 1, null, 30)").precision == temporal.Precision.DAY


def test_a_selector_with_a_null_year_is_null() -> None:
    assert cql("DateTime(null, 1, 1)") is None


def test_a_day_past_the_end_of_the_month_is_an_error() -> None:
    with pytest.raises(CqlError, match="day 30"):
        cql("Date(2014, 2, 30)")


def test_february_29_exists_only_in_leap_years() -> None:
    assert cql("Date(2024, 2, 29)") == Date(2024, 2, 29)
    with pytest.raises(CqlError):
        cql("Date(2023, 2, 29)")


def test_time_selector_keeps_its_precision() -> None:
    assert cql("Time(23, 59)") == Time(23, 59)


def test_a_stated_timezone_offset_is_kept() -> None:
    assert cql("DateTime(2000, 1, 1, 8, 0, 0, 0, -7)").offset == Decimal(-7)


# ---------------------------------------------------------------------------- evaluation offset
def test_a_datetime_without_an_offset_prints_without_one() -> None:
    assert cql("ToString(DateTime(2000, 1, 1, 15, 25, 25, 300))") == "2000-01-01T15:25:25.300"
    assert cql("ToString(@2000-01-01T15:25)") == "2000-01-01T15:25"


def test_a_datetime_without_an_offset_takes_the_evaluation_offset() -> None:
    at_plus_five = DateTime(2024, 3, 1, 12, 0, 0, 0, Decimal(5))
    assert cql("timezoneoffset from @2014-01-01T10:00", as_of=at_plus_five) == Decimal(5)
    assert cql("timezoneoffset from DateTime(2014, 1, 1, 10)", as_of=at_plus_five) == Decimal(5)
    assert cql("@2014-01-01T10:00 = @2014-01-01T05:00Z", as_of=at_plus_five) is True


def test_the_same_literal_follows_each_evaluations_offset() -> None:
    text = "@2014-01-01T10:00 = @2014-01-01T10:00Z"
    assert cql(text, as_of=DateTime(2024, 1, 1, 0, 0, 0, 0, Decimal(0))) is True
    assert cql(text, as_of=DateTime(2024, 1, 1, 0, 0, 0, 0, Decimal(-3))) is False


# ---------------------------------------------------------------------------------- the clock
def test_now_is_fixed_for_the_whole_evaluation() -> None:
    assert cql("Now() = Now()") is True
    assert cql("TimeOfDay() = TimeOfDay()") is True


def test_today_is_the_date_of_the_as_of_day() -> None:
    assert cql("Today()") == Date(2024, 3, 1)
    assert cql("Today() same day as @2024-03-01") is True


# ---------------------------------------------------------------------------------- components
def test_components_of_a_full_datetime() -> None:
    value = "DateTime(2003, 10, 29, 20, 50, 33, 955)"
    parts = ["year", "month", "day", "hour", "minute", "second", "millisecond"]
    assert [cql(f"{p} from {value}") for p in parts] == [2003, 10, 29, 20, 50, 33, 955]


def test_a_component_finer_than_the_value_is_null() -> None:
    assert cql("month from @2014") is None
    assert cql("hour from @2015-02-10T") is None
    assert cql("minute from @T10") is None


def test_a_date_has_no_hour() -> None:
    with pytest.raises(CqlError):
        cql("hour from @2014-01-01")


def test_date_from_keeps_the_calendar_date_as_written() -> None:
    assert cql("date from @2024-01-01T23:00-05:00") == Date(2024, 1, 1)


def test_time_from_a_datetime() -> None:
    assert cql("time from @2024-01-01T10:30:15.250Z") == Time(10, 30, 15, 250)


def test_component_of_null_is_null() -> None:
    assert cql("year from (null as Date)") is None


# --------------------------------------------------------------------------------- comparisons
def test_same_day_as_ignores_the_time_of_day() -> None:
    assert cql("@2024-01-10T08:00 same day as @2024-01-10T23:00") is True


def test_same_as_without_precision_compares_every_component() -> None:
    assert cql("@2024-01-10T08:00 same as @2024-01-10T08:01") is False


def test_before_day_of_is_false_on_the_same_day() -> None:
    assert cql("@2024-01-10T08:00 before day of @2024-01-10T23:00") is False
    assert cql("@2024-01-10T08:00 before @2024-01-10T23:00") is True


def test_same_day_or_before_and_after() -> None:
    assert cql("@2024-01-10 same day or before @2024-01-10") is True
    assert cql("@2024-01-11 same day or before @2024-01-10") is False
    assert cql("@2024-01-11 same day or after @2024-01-10") is True


def test_comparing_past_the_less_precise_value_is_unknown() -> None:
    assert cql("@2012-01 same day as @2012-01-05") is None
    assert cql("@2012-01 before @2012-01-05") is None


def test_values_that_differ_before_the_precision_runs_out_are_ordered() -> None:
    assert cql("@2012-01 before @2012-02-05") is True
    assert cql("DateTime(2005, 10, 10) after day of DateTime(2005, 9)") is True


def test_a_date_compared_with_a_datetime_is_read_as_a_datetime() -> None:
    assert cql("@2024-01-10 same day as @2024-01-10T22:00") is True
    assert cql("@2024-01-10 on or after day of @2024-01-10T23:00") is True


def test_offsets_are_normalised_for_hour_precision() -> None:
    assert cql("@2024-01-10T10:00+01:00 same hour as @2024-01-10T09:00Z") is True


def test_comparison_with_null_is_null() -> None:
    assert cql("null same day as @2024-01-10") is None
    assert cql("@2024-01-10 before (null as Date)") is None


def test_a_precision_finer_than_a_date_is_an_error() -> None:
    with pytest.raises(CqlError, match="no hour"):
        cql("@2024-01-01 same hour as @2024-01-01")


def test_times_compare_at_a_precision() -> None:
    assert cql("@T10:00 same hour as @T10:59") is True
    assert cql("@T10:00 before minute of @T10:59") is True


# ------------------------------------------------------------------------ duration, difference
def test_years_between_counts_whole_years() -> None:
    assert cql("years between @2006-03-10 and @2024-03-09") == 17
    assert cql("years between @2006-03-10 and @2024-03-10") == 18


def test_a_duration_is_negative_when_the_second_value_is_earlier() -> None:
    assert cql("years between @2024-05-01 and @2000-05-02") == -23


def test_adding_whole_months_clamps_to_the_end_of_the_month() -> None:
    assert cql("months between @2014-01-31 and @2014-02-28") == 1


def test_a_leap_day_birthday_turns_a_year_older_on_february_28() -> None:
    assert cql("years between @2004-02-29 and @2022-02-28") == 18


def test_difference_counts_boundaries_crossed() -> None:
    assert cql("difference in years between @2023-12-31 and @2024-01-01") == 1
    assert cql("years between @2023-12-31 and @2024-01-01") == 0


def test_weeks_start_on_sunday_for_difference() -> None:
    assert cql("difference in weeks between @2024-01-06 and @2024-01-07") == 1
    assert cql("weeks between @2024-01-06 and @2024-01-07") == 0


def test_duration_between_null_is_null() -> None:
    assert cql("years between null and @2024-01-01") is None


def test_hours_between_dates_is_an_error() -> None:
    with pytest.raises(CqlError):
        cql("hours between @2024-01-01 and @2024-01-02")


def test_duration_of_an_interval() -> None:
    assert cql("duration in days of Interval[@2024-01-01, @2024-01-31]") == 30


# ------------------------------------------------------------------------------- uncertainties
def test_an_imprecise_value_gives_a_range_of_durations() -> None:
    assert cql("months between DateTime(2005) and DateTime(2006, 5)") == Uncertainty(4, 16)
    assert cql("days between DateTime(2014, 1, 15) and DateTime(2014, 2)") == Uncertainty(17, 44)


def test_an_uncertain_duration_is_greater_when_every_possible_value_is() -> None:
    assert cql("months between DateTime(2005) and DateTime(2006, 7) > 5") is True
    assert cql("months between DateTime(2005) and DateTime(2006, 2) > 5") is None
    assert cql("months between DateTime(2005) and DateTime(2006, 7) > 25") is False


def test_an_uncertain_age_decides_eligibility_only_when_every_birthday_agrees() -> None:
    assert cql("years between @2000 and @2024-06-01 >= 18") is True
    assert cql("years between @2000 and @2024-06-01 >= 24") is None
    assert cql("years between @2000 and @2024-06-01 < 23") is False


def test_an_uncertain_duration_equals_nothing_outside_its_range() -> None:
    assert cql("months between DateTime(2005) and DateTime(2006, 7) = 24") is False
    assert cql("months between DateTime(2005) and DateTime(2006, 7) = 10") is None


def test_or_equal_comparisons_hold_at_the_edge_of_the_range() -> None:
    # [6, 18] <= 18 holds for every possible value, [6, 18] >= 18 for only one of them.
    assert cql("months between DateTime(2005) and DateTime(2006, 7) <= 18") is True
    assert cql("months between DateTime(2005) and DateTime(2006, 7) >= 18") is None


def test_arithmetic_on_an_uncertain_duration_moves_the_whole_range() -> None:
    assert cql("(months between DateTime(2005) and DateTime(2006, 5)) + 1") == Uncertainty(5, 17)
    assert cql("-(months between DateTime(2005) and DateTime(2006, 5))") == Uncertainty(-16, -4)


# ------------------------------------------------------------------- timing phrases on points
def test_an_exact_offset_before_is_the_same_point() -> None:
    assert cql("@2024-01-10 3 days before @2024-01-13") is True
    assert cql("@2024-01-10 3 days before @2024-01-14") is False


def test_or_more_before_includes_the_offset_point() -> None:
    assert cql("@2024-01-10 3 days or more before @2024-01-13") is True
    assert cql("@2024-01-11 3 days or more before @2024-01-13") is False


def test_more_than_before_excludes_the_offset_point() -> None:
    assert cql("@2024-01-10 more than 3 days before @2024-01-13") is False
    assert cql("@2024-01-09 more than 3 days before @2024-01-13") is True


def test_or_more_after() -> None:
    assert cql("@2024-01-16 3 days or more after @2024-01-13") is True
    assert cql("@2024-01-15 3 days or more after @2024-01-13") is False


def test_on_or_before_and_before_or_on_are_the_same() -> None:
    assert cql("@2024-01-10 on or before @2024-01-10") is True
    assert cql("@2024-01-10 before or on @2024-01-10") is True
    assert cql("@2024-01-10 before @2024-01-10") is False


def test_or_less_before_is_the_window_up_to_but_not_at_the_anchor() -> None:
    assert cql("@2024-01-10 3 days or less before @2024-01-13") is True
    assert cql("@2024-01-10 3 days or less before @2024-01-14") is False
    assert cql("@2024-01-10 3 days or less before @2024-01-10") is False
    assert cql("@2024-01-10 3 days or less on or before @2024-01-10") is True


def test_less_than_before_leaves_out_the_offset_point() -> None:
    assert cql("@2024-01-10 less than 3 days before @2024-01-13") is False
    assert cql("@2024-01-11 less than 3 days before @2024-01-13") is True


def test_or_less_after_is_the_window_after_the_anchor() -> None:
    assert cql("@2024-01-15 3 days or less after @2024-01-12") is True
    assert cql("@2024-01-16 3 days or less after @2024-01-12") is False


def test_within_reaches_the_offset_on_both_sides() -> None:
    assert cql("@2024-01-10 within 3 days of @2024-01-13") is True
    assert cql("@2024-01-16 within 3 days of @2024-01-13") is True
    assert cql("@2024-01-10 within 3 days of @2024-01-14") is False
    assert cql("@2024-01-10 properly within 3 days of @2024-01-13") is False


def test_a_window_with_a_closed_end_at_a_null_anchor_is_false_not_unbounded() -> None:
    assert cql("@2024-01-10 3 days or less before (null as Date)") is False
    assert cql("@2024-01-10 within 3 days of (null as Date)") is False


def test_an_open_window_at_a_null_anchor_is_unknown() -> None:
    assert cql("@2024-01-10 less than 3 days before (null as Date)") is None
    assert cql("@2024-01-10 properly within 3 days of (null as Date)") is None


def test_an_interval_ending_in_the_window_before_another_starts() -> None:
    phrase = "ends 3 days or less before start of Interval[@2024-01-07, @2024-01-09]"
    assert cql(f"Interval[@2024-01-01, @2024-01-05] {phrase}") is True
    assert cql(f"Interval[@2024-01-01, @2024-01-03] {phrase}") is False


def test_an_offset_phrase_against_null_is_null() -> None:
    assert cql("@2024-01-10 3 days or more before (null as Date)") is None


# ------------------------------------------------------------------------ properties (direct)
day_dates = st.dates(min_value=py_date(1900, 1, 1), max_value=py_date(2100, 12, 31)).map(
    lambda d: Date(d.year, d.month, d.day)
)
partial_dates = st.one_of(
    day_dates, day_dates.map(lambda d: Date(d.year, d.month)), day_dates.map(lambda d: Date(d.year))
)
precisions = st.sampled_from(["year", "month", "day"])


@examples
@given(partial_dates, partial_dates, st.one_of(st.none(), precisions))
def test_before_is_after_with_the_operands_swapped(a: Date, b: Date, precision: str | None) -> None:
    assert ops.before(a, b, precision) == ops.after(b, a, precision)


@examples
@given(partial_dates, partial_dates, st.one_of(st.none(), precisions))
def test_same_or_before_is_before_or_same_as(a: Date, b: Date, precision: str | None) -> None:
    before, same = ops.before(a, b, precision), ops.same_as(a, b, precision)
    expected = True if before or same else (None if before is None or same is None else False)
    assert ops.same_or_before(a, b, precision) == expected


@examples
@given(day_dates, st.integers(min_value=-5000, max_value=5000))
def test_days_between_a_date_and_that_date_plus_n_days_is_n(a: Date, n: int) -> None:
    later = temporal.add(a, n, "day")
    assert ops.duration_between(a, later, precision="day") == n
    assert ops.difference_between(a, later, precision="day") == n


@examples
@given(day_dates, day_dates)
def test_whole_years_never_exceed_the_years_crossed(a: Date, b: Date) -> None:
    duration = ops.duration_between(a, b, precision="year")
    difference = ops.difference_between(a, b, precision="year")
    assert isinstance(duration, int) and isinstance(difference, int)
    assert abs(duration) <= abs(difference) <= abs(duration) + 1


@examples
@given(partial_dates, day_dates)
def test_a_duration_range_holds_every_duration_of_the_values_it_could_be(a: Date, b: Date) -> None:
    result = ops.duration_between(a, b, precision="day")
    low, high = uncertainty.bounds(result)
    first = temporal.low_boundary(a, temporal.Precision.DAY)
    last = temporal.high_boundary(a, temporal.Precision.DAY)
    assert low == ops.duration_between(last, b, precision="day")
    assert high == ops.duration_between(first, b, precision="day")


# ------------------------------------------------------------------- properties: uncertainties
ranges = st.tuples(st.integers(-20, 20), st.integers(0, 6)).map(lambda p: (p[0], p[0] + p[1]))


def _as_value(bounds: tuple[int, int]) -> int | Uncertainty:
    return uncertainty.uncertainty(*bounds)


def _possible(bounds: tuple[int, int]) -> range:
    return range(bounds[0], bounds[1] + 1)


def _over_all(results: list[bool]) -> bool | None:
    return True if all(results) else (False if not any(results) else None)


@examples
@given(ranges, ranges, st.sampled_from(["<", "<=", ">", ">="]))
def test_an_uncertain_comparison_is_decided_only_when_every_pair_agrees(
    a: tuple[int, int], b: tuple[int, int], comparison: str
) -> None:
    check = {"<": int.__lt__, "<=": int.__le__, ">": int.__gt__, ">=": int.__ge__}[comparison]
    expected = _over_all([check(x, y) for x in _possible(a) for y in _possible(b)])
    assert uncertainty.order(_as_value(a), _as_value(b), comparison) == expected


@examples
@given(ranges, ranges)
def test_uncertain_equality_is_decided_only_when_every_pair_agrees(
    a: tuple[int, int], b: tuple[int, int]
) -> None:
    expected = _over_all([x == y for x in _possible(a) for y in _possible(b)])
    assert uncertainty.equal(_as_value(a), _as_value(b)) == expected


@examples
@given(ranges, ranges, st.sampled_from(["add", "subtract", "multiply"]))
def test_uncertain_arithmetic_spans_exactly_the_possible_results(
    a: tuple[int, int], b: tuple[int, int], operation: str
) -> None:
    apply = {"add": int.__add__, "subtract": int.__sub__, "multiply": int.__mul__}[operation]
    possible = [apply(x, y) for x in _possible(a) for y in _possible(b)]
    result = getattr(uncertainty, operation)(_as_value(a), _as_value(b))
    assert uncertainty.bounds(result) == (min(possible), max(possible))


def test_a_range_of_one_value_is_a_plain_integer() -> None:
    assert uncertainty.add(Uncertainty(1, 3), Uncertainty(-3, -1)) == Uncertainty(-2, 2)
    assert uncertainty.subtract(Uncertainty(1, 3), Uncertainty(1, 3)) == Uncertainty(-2, 2)
    assert uncertainty.uncertainty(4, 4) == 4


def test_an_uncertain_duration_is_shown_as_the_range_of_its_values() -> None:
    assert to_cql(Uncertainty(4, 16)) == "Interval[4, 16]"
    assert to_json(Uncertainty(4, 16)) == {"low": 4, "high": 16}
