"""Properties of date arithmetic and comparison over generated values."""

from __future__ import annotations

from calendar import monthrange
from datetime import date as py_date
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cds.cql.values.temporal import (
    Date,
    DateTime,
    Precision,
    add,
    compare,
    compare_at,
    difference_between,
    duration_between,
    equal,
    make_date,
    parse_datetime,
    subtract,
    to_literal,
)

# Per-test settings: a loaded profile would change every other suite's Hypothesis runs.
examples = settings(max_examples=120, deadline=None)

day_dates = st.dates(min_value=py_date(1800, 1, 1), max_value=py_date(2200, 12, 31)).map(
    lambda d: Date(d.year, d.month, d.day)
)
partial_dates = st.one_of(
    day_dates,
    day_dates.map(lambda d: Date(d.year, d.month)),
    day_dates.map(lambda d: Date(d.year)),
)
datetimes = st.builds(
    DateTime,
    year=st.integers(1900, 2100),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    second=st.integers(0, 59),
    millisecond=st.integers(0, 999),
)
day_counts = st.integers(-40_000, 40_000)
month_counts = st.integers(-2_000, 2_000)


@examples
@given(day_dates, day_counts)
def test_adding_then_subtracting_days_returns_the_date(start: Date, days: int) -> None:
    assert subtract(add(start, days, "days"), days, "days") == start


@examples
@given(day_dates, day_counts)
def test_adding_days_agrees_with_the_python_calendar(start: Date, days: int) -> None:
    assert start.month is not None and start.day is not None
    expected = py_date(start.year, start.month, start.day) + timedelta(days=days)
    assert add(start, days, "days") == Date(expected.year, expected.month, expected.day)


@examples
@given(day_dates, day_counts)
def test_duration_in_days_between_d_and_d_plus_n_days_is_n(start: Date, days: int) -> None:
    assert duration_between(start, add(start, days, "days"), "days") == days
    assert difference_between(start, add(start, days, "days"), "days") == days


@examples
@given(day_dates, month_counts)
def test_month_arithmetic_never_produces_an_invalid_date(start: Date, months: int) -> None:
    result = add(start, months, "months")
    assert isinstance(result, Date) and result.month is not None and result.day is not None
    assert start.day is not None
    assert make_date(result.year, result.month, result.day) == result
    # The day is kept, or clamped to the last day of the landing month.
    assert result.day == min(start.day, monthrange(result.year, result.month)[1])


@examples
@given(day_dates, month_counts)
def test_duration_in_months_between_d_and_d_plus_n_months_is_n(start: Date, months: int) -> None:
    assert duration_between(start, add(start, months, "months"), "months") == months


@examples
@given(partial_dates, partial_dates)
def test_compare_is_antisymmetric(a: Date, b: Date) -> None:
    forward, backward = compare(a, b), compare(b, a)
    assert forward == (None if backward is None else -backward)


@examples
@given(day_dates, day_dates, day_dates)
def test_compare_is_transitive_for_full_dates(a: Date, b: Date, c: Date) -> None:
    if compare(a, b) == -1 and compare(b, c) == -1:
        assert compare(a, c) == -1


@examples
@given(partial_dates, partial_dates)
def test_equality_is_unknown_exactly_when_compare_is(a: Date, b: Date) -> None:
    order = compare(a, b)
    assert equal(a, b) == (None if order is None else order == 0)


@examples
@given(datetimes, datetimes)
def test_datetime_order_agrees_with_duration_sign(a: DateTime, b: DateTime) -> None:
    order = compare(a, b)
    milliseconds = duration_between(a, b, "milliseconds")
    assert isinstance(milliseconds, int)
    assert order == (milliseconds < 0) - (milliseconds > 0)


@examples
@given(datetimes, st.sampled_from(list(Precision)))
def test_a_value_is_the_same_as_itself_at_every_precision(value: DateTime, precision: Precision) -> None:
    assert compare_at(value, value, precision) == 0


@examples
@given(datetimes, st.integers(-(10**9), 10**9))
def test_adding_then_subtracting_milliseconds_returns_the_datetime(value: DateTime, amount: int) -> None:
    assert subtract(add(value, amount, "milliseconds"), amount, "milliseconds") == value


@examples
@given(datetimes)
def test_datetime_literals_round_trip(value: DateTime) -> None:
    assert parse_datetime(to_literal(value)[1:]) == value
