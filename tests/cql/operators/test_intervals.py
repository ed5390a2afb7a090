"""Interval operators, through CQL text: boundaries (open, closed, null), membership and inclusion
(at a precision too), timing relations, union / intersect / except, width and size, collapse and
expand; with properties checking integer intervals against the sets of integers they stand for."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds.cql import evaluate_expression
from cds.cql.errors import CqlError, CqlRuntimeError
from cds.cql.operators import intervals as ops
from cds.cql.values import temporal
from cds.cql.values.interval import Interval
from cds.cql.values.quantity import Quantity
from cds.cql.values.temporal import Date, DateTime, Time

examples = settings(max_examples=200, deadline=None)


def cql(text: str) -> Any:
    return evaluate_expression(text, as_of="2024-03-01")


# ------------------------------------------------------------------------------------ boundaries
def test_start_and_end_of_a_closed_interval_are_its_boundaries() -> None:
    assert cql("start of Interval[1, 10]") == 1
    assert cql("end of Interval[@2020-01-01, @2020-02-01]") == Date(2020, 2, 1)


def test_an_open_boundary_stands_for_the_next_point_inside() -> None:
    assert cql("start of Interval(1, 10]") == 2
    assert cql("end of Interval[1.0, 2.0)") == Decimal("1.99999999")
    assert cql("start of Interval(@2020-01-01, @2020-02-01]") == Date(2020, 1, 2)
    assert cql("end of Interval[@T10:00, @T11:00)") == Time(10, 59)


def test_a_closed_null_boundary_is_the_extreme_of_the_point_type() -> None:
    assert cql("start of Interval[null, 5]") == -(2**31)
    assert cql("end of Interval[@2020-01-01, null]") == Date(9999, 12, 31)
    assert cql("end of Interval[@2020-01-01T00:00:00, null]") == DateTime(
        9999, 12, 31, 23, 59, 59, 999, Decimal(0)
    )


def test_a_closed_null_quantity_boundary_takes_the_unit_of_the_other() -> None:
    assert cql("start of Interval[null, 10 'mg']") == Quantity(
        Decimal("-99999999999999999999.99999999"), "mg"
    )
    assert cql("5 'mg' in Interval[null, 1 'g']") is True


def test_an_open_null_boundary_is_unknown() -> None:
    assert cql("start of Interval(null, 5]") is None
    assert cql("end of Interval[1, null)") is None


def test_an_unknown_end_still_decides_what_lies_before_the_start() -> None:
    assert cql("@2019-01-01 in Interval[@2020-01-01, null)") is False
    assert cql("@2030-01-01 in Interval[@2020-01-01, null)") is None


def test_an_interval_of_two_untyped_nulls_acts_as_null() -> None:
    assert cql("5 in Interval[null, null]") is False
    assert cql("Interval[null, null] overlaps Interval[1, 10]") is None
    assert cql("start of Interval[null, null]") is None


def test_an_interval_whose_start_follows_its_end_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError):
        cql("Interval[5, 3]")
    with pytest.raises(CqlRuntimeError):
        cql("Interval[5, 5)")


# ------------------------------------------------------------------------------------ membership
def test_a_point_between_or_on_closed_boundaries_is_in_the_interval() -> None:
    assert cql("1 in Interval[1, 10]") is True
    assert cql("10 in Interval[1, 10]") is True
    assert cql("11 in Interval[1, 10]") is False
    assert cql("Interval[1, 10] contains 5") is True


def test_an_open_boundary_leaves_its_own_value_out() -> None:
    assert cql("10 in Interval[1, 10)") is False
    assert cql("1.00000001 in Interval(1.0, 2.0]") is True


def test_a_null_point_is_unknown_and_a_null_interval_contains_nothing() -> None:
    assert cql("null in Interval[1, 10]") is None
    assert cql("Interval[1, 10] contains null") is None
    assert cql("5 in (null as Interval<Integer>)") is False
    assert cql("(null as Interval<Integer>) contains 5") is False


def test_a_date_less_precise_than_the_boundaries_is_unknown_where_they_fall_inside_it() -> None:
    assert cql("@2012 in Interval[@2012-03-01, @2012-12-31]") is None
    assert cql("@2011 in Interval[@2012-03-01, @2012-12-31]") is False


def test_membership_at_a_precision_compares_only_that_far() -> None:
    assert cql("@2023-05-03T10:00:00 in Interval[@2023-05-01, @2023-05-03]") is None
    assert cql("@2023-05-03T10:00:00 in day of Interval[@2023-05-01, @2023-05-03]") is True


def test_quantities_are_compared_across_units() -> None:
    assert cql("500 'mg' in Interval[0.1 'g', 1 'g']") is True
    assert cql("2 'g' in Interval[100 'mg', 1 'g']") is False


def test_properly_in_leaves_out_both_boundaries() -> None:
    assert cql("1 properly included in Interval[1, 10]") is False
    assert cql("2 properly included in Interval[1, 10]") is True
    assert cql("Interval[1, 10] properly includes 10") is False


# ------------------------------------------------------------------------------------- inclusion
def test_an_interval_includes_one_that_lies_within_it() -> None:
    assert cql("Interval[1, 10] includes Interval[4, 10]") is True
    assert cql("Interval[4, 10] included in Interval[1, 10]") is True
    assert cql("Interval[4, 11] during Interval[1, 10]") is False


def test_proper_inclusion_needs_the_intervals_to_differ() -> None:
    assert cql("Interval[1, 10] properly includes Interval[1, 10]") is False
    assert cql("Interval[1, 10] properly includes Interval[1, 9]") is True
    assert cql("Interval[2, 10] properly included in Interval[1, 10]") is True


def test_inclusion_of_a_null_interval_is_unknown() -> None:
    assert cql("Interval[1, 10] includes (null as Interval<Integer>)") is None


def test_an_unbounded_window_includes_everything_of_its_type() -> None:
    assert cql("Interval[null as Integer, null as Integer] properly includes Interval[1, 10]") is True
    assert cql("Interval(null, 5] included in Interval[null, 10]") is True


def test_an_unknown_start_is_not_known_to_be_inside_a_bounded_window() -> None:
    assert cql("Interval(null, 5] included in Interval[1, 10]") is None


def test_inclusion_at_a_precision_reads_dates_to_that_precision() -> None:
    window = "Interval[@2023-05-01, @2023-05-03]"
    stay = "Interval[@2023-05-01T10:00:00, @2023-05-03T10:00:00]"
    assert cql(f"{stay} during {window}") is None
    assert cql(f"{stay} during day of {window}") is True


def test_dates_mixed_with_datetimes_compare_as_datetimes() -> None:
    assert (
        cql("Interval[@2020-01-01, null] includes Interval[@2020-02-01T10:00:00, @2020-03-01T00:00:00]")
        is True
    )


def test_a_choice_operand_holding_an_interval_is_taken_whole_by_during() -> None:
    window = "Interval[@2019-01-01T00:00:00, @2021-01-01T00:00:00]"
    mixed = "{Interval[@2020-01-01T00:00:00, @2022-02-01T00:00:00], @2020-01-05T00:00:00}"
    assert cql(f"{mixed} X return X during {window}") == [False, True]
    assert cql(f"{mixed} X return {window} includes X") == [False, True]


def test_a_choice_operand_holding_a_point_is_no_interval_to_overlap() -> None:
    window = "Interval[@2019-01-01T00:00:00, @2021-01-01T00:00:00]"
    mixed = "{Interval[@2020-01-01T00:00:00, @2020-02-01T00:00:00], @2020-01-05T00:00:00}"
    assert cql(f"{mixed} X return X overlaps {window}") == [True, None]


# --------------------------------------------------------------------------- before, after, same
def test_before_means_ending_before_the_other_starts() -> None:
    assert cql("Interval[1, 10] before Interval[11, 20]") is True
    assert cql("Interval[1, 11] before Interval[11, 20]") is False
    assert cql("Interval[1, 10] before 11") is True
    assert cql("9 before Interval[10, 20]") is True


def test_after_means_starting_after_the_other_ends() -> None:
    assert cql("Interval[11, 20] after Interval[1, 10]") is True
    assert cql("12 after Interval[1, 10]") is True
    assert cql("Interval[11, 20] after 11") is False


def test_on_or_before_and_on_or_after_allow_the_boundaries_to_touch() -> None:
    assert cql("Interval[4, 6] on or before 6") is True
    assert cql("Interval[6, 10] on or after 6") is True
    assert cql("Interval[@2012-12-01, @2013-12-01] on or after month of @2012-11-15") is True
    assert cql("@2012-11-15 on or after month of Interval[@2012-12-01, @2013-12-01]") is False


def test_same_as_compares_both_ends_at_the_precision() -> None:
    assert cql("Interval[@2012-01-01, @2012-02-01] same month as Interval[@2012-01-31, @2012-02-28]") is True
    assert cql("Interval[@2012-01-01, @2012-02-01] same day as Interval[@2012-01-31, @2012-02-28]") is False


def test_timing_with_a_null_operand_is_unknown() -> None:
    assert cql("(null as Integer) before Interval[1, 10]") is None
    assert cql("Interval[@2012-12-01, @2013-12-01] on or after (null as Interval<Date>)") is None


# ----------------------------------------------------------------------------- meets, overlaps
def test_intervals_meet_when_one_ends_just_before_the_other_starts() -> None:
    assert cql("Interval[1, 10] meets Interval[11, 20]") is True
    assert cql("Interval[11, 20] meets Interval[1, 10]") is True
    assert cql("Interval[1, 10] meets Interval[12, 20]") is False
    assert cql("Interval[1, 10] meets Interval[10, 20]") is False


def test_meets_before_and_after_name_which_side_comes_first() -> None:
    assert cql("Interval[1, 10] meets before Interval[11, 20]") is True
    assert cql("Interval[1, 10] meets after Interval[11, 20]") is False
    assert cql("Interval[11, 20] meets after Interval[1, 10]") is True


def test_decimals_meet_at_the_eight_place_step() -> None:
    assert cql("Interval[3.01, 5.00000001] meets Interval[5.00000002, 8.50]") is True
    assert cql("Interval[3.01, 5.00000001] meets Interval[5.5, 8.50]") is False


def test_dates_meet_at_their_own_precision_or_the_given_one() -> None:
    assert cql("Interval[@2012-01-07, @2012-01-14] meets Interval[@2012-01-15, @2012-01-25]") is True
    assert cql("Interval[@2012-01, @2012-02] meets Interval[@2012-03, @2012-05]") is True
    day_end = "Interval[@2012-01-07T00:00:00, @2012-01-14T23:59:59]"
    assert cql(f"{day_end} meets Interval[@2012-01-15T08:00:00, @2012-01-25T00:00:00]") is False
    assert cql(f"{day_end} meets day of Interval[@2012-01-15T08:00:00, @2012-01-25T00:00:00]") is True


def test_meeting_an_unknown_boundary_is_unknown_unless_out_of_reach() -> None:
    assert cql("Interval(null, 5] meets Interval(null, 15)") is None
    assert cql("Interval(null, 5] meets after Interval[11, null)") is False


def test_a_precision_the_point_type_lacks_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError):
        cql("Interval[@T10:00, @T11:00] meets day of Interval[@T11:01, @T12:00]")
    with pytest.raises(CqlRuntimeError):
        cql("@2020-01-01 in hour of Interval[@2019-01-01, @2021-01-01]")


def test_nothing_meets_after_the_largest_value() -> None:
    assert cql("Interval[1, maximum Integer] meets before Interval[1, 5]") is False


def test_overlapping_intervals_share_a_point() -> None:
    assert cql("Interval[1, 10] overlaps Interval[10, 15]") is True
    assert cql("Interval[1, 10) overlaps Interval[10, 15]") is False
    assert cql("Interval[4, 11) overlaps Interval(9, 20]") is True
    assert cql("Interval[1, 5] overlaps Interval(null, 3]") is True


def test_overlap_of_imprecise_dates_is_unknown_where_the_precision_cannot_tell() -> None:
    assert (
        cql(
            "Interval[DateTime(2012, 2, 25), DateTime(2012, 3, 26)] overlaps Interval[DateTime(2012, 1, 10), DateTime(2012, 2)]"
        )
        is None
    )
    assert (
        cql(
            "Interval[DateTime(2012), DateTime(2013, 3)] overlaps Interval[DateTime(2012, 2), DateTime(2013, 2)]"
        )
        is True
    )


def test_overlaps_before_and_after_name_which_interval_sticks_out() -> None:
    assert cql("Interval[1, 10] overlaps before Interval[4, 10]") is True
    assert cql("Interval[4, 10] overlaps before Interval[4, 10]") is False
    assert cql("Interval[4, 15] overlaps after Interval[1, 10]") is True
    assert cql("Interval[4, 10] overlaps after Interval[4, 11)") is False


def test_starts_and_ends_share_one_boundary_and_stay_within_the_other() -> None:
    assert cql("Interval[4, 10] starts Interval[4, 15]") is True
    assert cql("Interval[4, 16] starts Interval[4, 15]") is False
    assert cql("Interval[5, 15] ends Interval[4, 15]") is True
    assert cql("Interval[3, 15] ends Interval[4, 15]") is False
    assert cql("Interval[1, 10] ends Interval(null, null)") is None


# ---------------------------------------------------------------------- union, intersect, except
def test_union_of_overlapping_or_meeting_intervals_spans_both() -> None:
    assert cql("Interval[1, 10] union Interval[4, 15]") == Interval(1, 15)
    assert cql("Interval[@2020-01-01, @2020-01-31] union Interval[@2020-02-01, @2020-02-10]") == Interval(
        Date(2020, 1, 1), Date(2020, 2, 10)
    )


def test_union_of_separate_intervals_is_null() -> None:
    assert cql("Interval[1, 10] union Interval[12, 15]") is None


def test_union_keeps_the_boundaries_it_takes_from_its_operands() -> None:
    result = cql("Interval[1, 5) union Interval[3, 10)")
    assert (result.low, result.high, result.low_closed, result.high_closed) == (1, 10, True, False)


def test_intersect_is_the_shared_part_or_null() -> None:
    assert cql("Interval[1, 10] intersect Interval[4, 15]") == Interval(4, 10)
    assert cql("Interval[1, 10] intersect Interval[11, 20]") is None


def test_intersect_with_an_unknown_end_leaves_the_end_unknown() -> None:
    result = cql("Interval[1, 10] intersect Interval[5, null)")
    assert (result.low, result.high, result.low_closed, result.high_closed) == (5, None, True, False)


def test_except_cuts_away_the_overlapping_part() -> None:
    assert cql("Interval[1, 10] except Interval[4, 10]") == Interval(1, 3)
    assert cql("Interval[1.0, 10.0] except Interval[4.0, 10.0]") == Interval(
        Decimal(1), Decimal("3.99999999")
    )
    assert cql("Interval[@2012-01-07, @2012-01-16] except Interval[@2012-01-05, @2012-01-12]") == Interval(
        Date(2012, 1, 13), Date(2012, 1, 16)
    )


def test_except_of_a_separate_interval_is_the_first_unchanged() -> None:
    assert cql("Interval[1, 10] except Interval[20, 30]") == Interval(1, 10)


def test_except_is_null_when_nothing_or_two_pieces_remain() -> None:
    assert cql("Interval[3, 4] except Interval[1, 10]") is None
    assert cql("Interval[1, 10] except Interval[3, 7]") is None


# ------------------------------------------------------------------------ width, size, point from
def test_width_is_end_minus_start() -> None:
    assert cql("width of Interval[1, 10]") == 9
    assert cql("width of Interval[4.0, 15.0]") == Decimal("11.0")
    assert cql("width of Interval[5 'mg', 1 'g']") == Quantity(Decimal(995), "mg")
    assert cql("width of (null as Interval<Integer>)") is None


def test_width_of_dates_is_not_defined() -> None:
    with pytest.raises(CqlError):
        cql("width of Interval[@2020-01-01, @2020-02-01]")


def test_size_counts_the_points_of_the_interval() -> None:
    assert cql("Size(Interval[1, 10])") == 10
    assert cql("Size(Interval[1.0, 2.0])") == Decimal("1.00000001")


def test_point_from_a_unit_interval_is_its_point_and_an_error_otherwise() -> None:
    assert cql("point from Interval[1.0 'cm', 1.0 'cm']") == Quantity(Decimal("1.0"), "cm")
    assert cql("point from Interval[null, null]") is None
    with pytest.raises(CqlRuntimeError):
        cql("point from Interval[1, 2]")


# -------------------------------------------------------------------------------------- collapse
def test_collapse_merges_overlapping_and_meeting_intervals_in_order() -> None:
    result = cql("collapse { Interval[12, 19], Interval[1, 5], Interval[3, 7], Interval[8, 10] }")
    assert result == [Interval(1, 10), Interval(12, 19)]


def test_collapse_drops_nulls_and_keeps_null_lists_null() -> None:
    assert cql("collapse { Interval[5, 8], null, Interval[1, 3] }") == [Interval(1, 3), Interval(5, 8)]
    assert cql("collapse (null as List<Interval<Integer>>)") is None
    assert cql("collapse { Interval(null, null) }") == []


def test_collapse_joins_dates_that_meet_at_their_coarsest_precision() -> None:
    result = cql("collapse { Interval[@2012-01, @2012-02], Interval[@2012-03-01, @2012-04-01] }")
    assert result == [Interval(Date(2012, 1), Date(2012, 4, 1))]


def test_collapse_per_a_quantity_joins_intervals_within_that_gap() -> None:
    separate = "{ Interval[@2023-01-01, @2023-02-01], Interval[@2023-02-10, @2023-03-01] }"
    assert len(cql(f"collapse {separate} per week")) == 2
    close = "{ Interval[@2023-01-01, @2023-02-01], Interval[@2023-02-07, @2023-03-01] }"
    assert cql(f"collapse {close} per week") == [Interval(Date(2023, 1, 1), Date(2023, 3, 1))]


def test_collapse_of_numbers_per_a_time_unit_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError):
        cql("collapse { Interval[1, 2], Interval[4, 5] } per 1 day")


def test_collapse_into_an_ongoing_interval_keeps_it_ongoing() -> None:
    result = cql("collapse { Interval[@2020-01-01, null], Interval[@2021-01-01, @2021-02-01] }")
    assert len(result) == 1 and result[0].low == Date(2020, 1, 1) and result[0].high is None


# ---------------------------------------------------------------------------------------- expand
def test_expand_integers_gives_unit_intervals_per_step() -> None:
    assert cql("expand Interval[1, 5]") == [1, 2, 3, 4, 5]
    assert cql("expand { Interval[1, 10) } per 2") == [
        Interval(1, 2),
        Interval(3, 4),
        Interval(5, 6),
        Interval(7, 8),
    ]


def test_expand_dates_per_calendar_unit() -> None:
    days = cql("expand { Interval[@2018-01-01, @2018-01-04] } per 2 days")
    assert days == [
        Interval(Date(2018, 1, 1), Date(2018, 1, 2)),
        Interval(Date(2018, 1, 3), Date(2018, 1, 4)),
    ]
    assert cql("expand Interval[@2020-01-01, @2020-01-20] per week") == [Date(2020, 1, 1), Date(2020, 1, 8)]


def test_expand_cuts_boundaries_finer_than_the_step() -> None:
    assert cql("expand Interval[@T10:00, @T12:30] per hour") == [Time(10), Time(11), Time(12)]
    assert cql("expand { Interval[@2023-01-01, @2023-03-15] } per month")[-1] == Interval(
        Date(2023, 3), Date(2023, 3)
    )


def test_expand_of_boundaries_coarser_than_the_step_is_empty() -> None:
    assert cql("expand { Interval[@T10, @T10] } per minute") == []


def test_expand_of_an_integer_per_a_decimal_step_reaches_through_the_integer() -> None:
    points = cql("expand Interval[10, 10] per 0.1")
    assert points == [Decimal("10.0") + Decimal("0.1") * k for k in range(10)]


def test_expand_of_nulls_and_unbounded_intervals() -> None:
    assert cql("expand null") is None
    assert cql("expand { null }") == []
    assert cql("expand { Interval[1, null] }") is None


# ------------------------------------------------------------------------ properties (integers)
@st.composite
def integer_intervals(draw: st.DrawFn) -> tuple[Interval, set[int]]:
    """An Integer interval with random open / closed boundaries, and the integers it holds."""
    first = draw(st.integers(-20, 20))
    last = draw(st.integers(first, first + 12))
    low_closed, high_closed = draw(st.booleans()), draw(st.booleans())
    low = first if low_closed else first - 1
    high = last if high_closed else last + 1
    return Interval(low, high, low_closed, high_closed, "Integer"), set(range(first, last + 1))


def _runs(points: set[int]) -> bool:
    return not points or max(points) - min(points) + 1 == len(points)


def _holds(iv: Interval | None) -> set[int]:
    assert iv is not None
    return set(range(ops.interval_start(iv), ops.interval_end(iv) + 1))


@examples
@given(integer_intervals(), st.integers(-25, 40))
def test_membership_agrees_with_the_set_of_points(pair: tuple[Interval, set[int]], x: int) -> None:
    iv, points = pair
    assert ops.in_(x, iv) is (x in points)
    assert ops.proper_in(x, iv) is (min(points) < x < max(points))


@examples
@given(integer_intervals(), integer_intervals())
def test_relations_agree_with_the_sets_of_points(
    a: tuple[Interval, set[int]], b: tuple[Interval, set[int]]
) -> None:
    (x, xs), (y, ys) = a, b
    assert ops.includes(x, y) is (ys <= xs)
    assert ops.proper_includes(x, y) is (ys < xs)
    assert ops.overlaps(x, y) is bool(xs & ys)
    assert ops.before(x, y) is (max(xs) < min(ys))
    assert ops.meets(x, y) is (not xs & ys and (max(xs) + 1 == min(ys) or max(ys) + 1 == min(xs)))
    assert ops.same_as(x, y) is (xs == ys)


@examples
@given(integer_intervals(), integer_intervals())
def test_set_operations_agree_with_the_sets_of_points(
    a: tuple[Interval, set[int]], b: tuple[Interval, set[int]]
) -> None:
    (x, xs), (y, ys) = a, b
    # Each operation is an interval holding exactly the resulting points when they form one
    # unbroken run, and null otherwise (no points, or two runs).
    for result, expected in (
        (ops.union(x, y), xs | ys),
        (ops.intersect(x, y), xs & ys),
        (ops.except_(x, y), xs - ys),
    ):
        if expected and _runs(expected):
            assert _holds(result) == expected
        else:
            assert result is None


@examples
@given(st.lists(integer_intervals(), max_size=6))
def test_collapse_covers_the_same_points_with_separate_sorted_runs(
    pairs: list[tuple[Interval, set[int]]],
) -> None:
    result = ops.collapse([iv for iv, _ in pairs])
    assert result is not None
    covered = [_holds(iv) for iv in result]
    assert set().union(*covered) == set().union(*(points for _, points in pairs))
    for earlier, later in itertools.pairwise(covered):
        assert max(earlier) + 1 < min(later)  # neither overlapping nor meeting, in order


@examples
@given(st.lists(integer_intervals(), max_size=4))
def test_expand_lists_every_point_once_in_order(pairs: list[tuple[Interval, set[int]]]) -> None:
    pieces = ops.expand([iv for iv, _ in pairs])
    assert pieces is not None
    assert all(piece.low == piece.high for piece in pieces)
    assert [piece.low for piece in pieces] == sorted(set().union(*(points for _, points in pairs)))


@examples
@given(integer_intervals())
def test_width_and_size_count_the_points(pair: tuple[Interval, set[int]]) -> None:
    iv, points = pair
    assert ops.width(iv) == max(points) - min(points)
    assert ops.size(iv) == len(points)


def _as_dates(iv: Interval) -> Interval:
    """The same interval over days from 2019-12-25 (so that runs cross a month and a year end)."""

    def day(n: int) -> Date:
        added = temporal.add(Date(2019, 12, 25), n, "day")
        assert isinstance(added, Date)
        return added

    return Interval(day(iv.low), day(iv.high), iv.low_closed, iv.high_closed, "Date")


@examples
@given(integer_intervals(), integer_intervals())
def test_date_intervals_relate_as_the_days_they_hold(
    a: tuple[Interval, set[int]], b: tuple[Interval, set[int]]
) -> None:
    (x, _), (y, _) = a, b
    dx, dy = _as_dates(x), _as_dates(y)
    for relation in (ops.includes, ops.overlaps, ops.meets, ops.before, ops.starts, ops.ends):
        assert relation(dx, dy) is relation(x, y)


@examples
@given(st.integers(-20, 20), st.integers(-25, 25))
def test_with_an_unknown_start_only_the_end_and_beyond_are_known(end: int, x: int) -> None:
    # The unknown start lies somewhere up to the end, so the end itself is surely inside.
    unknown_start = Interval(None, end, False, True, "Integer")
    assert ops.in_(x, unknown_start) is (False if x > end else True if x == end else None)


_days = st.builds(
    lambda d, cut: temporal.Date(2020, *([1, d][:cut] + [None] * (2 - cut))),
    st.integers(1, 9),
    st.sampled_from([0, 1, 2, 2, 2]),
)
_stamps = st.builds(
    lambda d, h, off, cut: temporal.DateTime(2020, *([1, d, h, 0][:cut] + [None] * (4 - cut)), offset=off),
    st.integers(1, 9),
    st.sampled_from([0, 12, 23]),
    st.sampled_from([None, Decimal("0"), Decimal("-5"), Decimal("9")]),
    st.sampled_from([1, 2, 3, 3, 4]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.tuples(_days, _days, _days), st.tuples(_stamps, _stamps, _stamps)),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, "year", "month", "day", "hour"]),
)
def test_a_date_in_a_window_answers_as_the_general_containment(
    points: tuple[Any, Any, Any], low_closed: bool, high_closed: bool, precision: str | None
) -> None:
    low, high, point = points
    if ops.compare(low, high) not in (-1, 0):
        return  # not a valid window
    iv = Interval(low, high, low_closed, high_closed, type(point).__name__)
    try:
        general: Any = False if ops.is_void(iv) else ops._contains(iv, point, precision, proper=False)
    except CqlRuntimeError as exc:
        general = str(exc)
    try:
        fast: Any = ops.in_(
            point, Interval(low, high, low_closed, high_closed, type(point).__name__), precision
        )
    except CqlRuntimeError as exc:
        fast = str(exc)
    assert fast == general
