"""Aggregate functions: nulls ignored, empty lists give null, Quantities in the first one's unit."""

from __future__ import annotations

import statistics
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds.cql import CqlRuntimeError, evaluate_expression
from cds.cql.operators.aggregates import mode
from cds.cql.values.code import Code
from cds.cql.values.quantity import Quantity

examples = settings(max_examples=80, deadline=None)
EIGHT_PLACES = Decimal("0.00000001")


def cql(text: str) -> Any:
    return evaluate_expression(text)


def cql_list(values: list[Any]) -> str:
    return "{" + ", ".join("null" if v is None else str(v) for v in values) + "}"


# ---------------------------------------------------------------------------------------- count
def test_count_ignores_nulls() -> None:
    assert cql("Count({15, 5, null, 1})") == 3


def test_count_of_a_null_list_is_zero() -> None:
    assert cql("Count(null as List<Integer>)") == 0


# ------------------------------------------------------------------------------------- sum, product
def test_sum_ignores_nulls() -> None:
    assert cql("Sum({null, 1, null})") == 1


def test_sum_of_an_empty_list_is_null() -> None:
    assert cql("Sum({} as List<Integer>)") is None


def test_sum_of_quantities_is_in_the_first_unit() -> None:
    assert cql("Sum({1 'mg', 2 'g'})") == Quantity(Decimal(2001), "mg")
    assert cql("Sum({1 'ml', 2 'ml'})").unit == "ml"


def test_sum_of_quantities_whose_units_do_not_convert_is_null() -> None:
    assert cql("Sum({1 'mg', 2 'm'})") is None


def test_sum_beyond_the_integer_range_is_an_error_but_fits_a_long() -> None:
    with pytest.raises(CqlRuntimeError):
        cql("Sum({2147483647, 1})")
    assert cql("Sum({2147483647L, 1L})") == 2147483648


def test_product_multiplies_and_ignores_nulls() -> None:
    assert cql("Product({5L, null, 4L, 5L})") == 100
    assert cql("Product({1.5, 2.0})") == Decimal("3.0")


def test_product_of_quantities_multiplies_their_units() -> None:
    assert cql("Product({2 'cm', 3 'cm'})") == Quantity(Decimal(6), "cm2")


# ---------------------------------------------------------------------------------------- min, max
def test_min_and_max_order_strings_and_dates() -> None:
    assert cql("Min({'hi', 'bye', 'zebra'})") == "bye"
    assert cql("Max({@2012-10-05, @2012-09-05, null})") == cql("@2012-10-05")


def test_min_compares_quantities_across_units() -> None:
    assert cql("Min({1 'g', 500 'mg'})") == Quantity(Decimal(500), "mg")


def test_max_of_dates_that_cannot_be_ordered_is_unknown() -> None:
    assert cql("Max({@2012, @2012-05-01})") is None


def test_min_of_only_nulls_is_null() -> None:
    assert cql("Min({null as Integer, null})") is None


# ---------------------------------------------------------------------------------- statistics
def test_avg_of_integers_is_a_decimal() -> None:
    assert cql("Avg({1, 2})") == Decimal("1.5")


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert cql("Median({6.0, 5.0, 4.0, 3.0, 2.0, 1.0})") == Decimal("3.5")
    assert cql("Median({3, 1, 2})") == Decimal(2)


def test_mode_picks_the_most_frequent_and_the_first_of_a_tie() -> None:
    assert cql("Mode({2, 1, 8, 2, 9, 1, 9, 9})") == 9
    assert cql("Mode({1, 2, 2, 1})") == 1


def test_mode_counts_equal_codes_and_equal_dates_together() -> None:
    snomed = "http://snomed.info/sct"
    assert mode([Code("1", snomed), Code("2", snomed), Code("2", snomed)]) == Code("2", snomed)
    assert cql("Mode({@2012-01-01, @2012-02-01, @2012-02-01})") == cql("@2012-02-01")


def test_standard_deviations_are_held_to_eight_decimal_places() -> None:
    assert cql("StdDev({1.0, 2.0, 3.0, 4.0, 5.0})") == Decimal("1.58113883")
    assert cql("PopulationStdDev({1.0, 2.0, 3.0, 4.0, 5.0})") == Decimal("1.41421356")


def test_variance_of_quantities_keeps_their_unit() -> None:
    assert cql("Variance({1.0 'mg', 2.0 'mg', 3.0 'mg', 4.0 'mg', 5.0 'mg'})") == Quantity(
        Decimal("2.5"), "mg"
    )


def test_sample_variance_of_one_value_is_null_but_population_variance_is_zero() -> None:
    assert cql("Variance({4.0})") is None
    assert cql("PopulationVariance({4.0})") == 0


def test_statistics_of_only_nulls_are_null() -> None:
    assert cql("StdDev({null as Quantity, null as Quantity})") is None
    assert cql("Avg({null as Decimal})") is None


def test_geometric_mean_is_the_nth_root_of_the_product() -> None:
    assert cql("GeometricMean({2.0, 8.0})") == Decimal(4)
    assert cql("GeometricMean({-2.0, 8.0})") is None


# ------------------------------------------------------------------------------------ booleans
def test_all_true_ignores_nulls_and_is_true_of_nothing() -> None:
    assert cql("AllTrue({null, true, true})") is True
    assert cql("AllTrue({true, false})") is False
    assert cql("AllTrue(null)") is True


def test_any_true_ignores_nulls_and_is_false_of_nothing() -> None:
    assert cql("AnyTrue({null, true})") is True
    assert cql("AnyTrue({null, false})") is False
    assert cql("AnyTrue({})") is False


# ----------------------------------------------------------------------------------- properties
numbers = st.lists(st.one_of(st.none(), st.integers(-1000, 1000)), max_size=12)
decimals = st.lists(
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=12,
)


@examples
@given(numbers)
def test_sum_and_count_agree_with_python_over_the_present_values(xs: list[int | None]) -> None:
    present = [x for x in xs if x is not None]
    assert cql(f"Count({cql_list(xs)})") == len(present)
    assert cql(f"Sum({cql_list(xs)} as List<Integer>)") == (sum(present) if present else None)


@examples
@given(numbers)
def test_min_and_max_bound_every_present_value(xs: list[int | None]) -> None:
    present = [x for x in xs if x is not None]
    low, high = cql(f"Min({cql_list(xs)} as List<Integer>)"), cql(f"Max({cql_list(xs)} as List<Integer>)")
    if not present:
        assert low is None and high is None
    else:
        assert (low, high) == (min(present), max(present))


@examples
@given(decimals)
def test_mean_median_and_population_variance_agree_with_python_statistics(xs: list[Decimal]) -> None:
    text = cql_list(xs)
    assert cql(f"Avg({text})") == statistics.mean(xs).quantize(EIGHT_PLACES)
    assert cql(f"Median({text})") == statistics.median(xs)
    assert cql(f"PopulationVariance({text})") == statistics.pvariance(xs).quantize(EIGHT_PLACES)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # Regression (found by fuzzing a medication's month-precision start): Sum raised a TypeError.
        ("Sum({ days between @2026-02 and @2026-03-15, 10 }) > 20", True),
        ("Sum({ days between @2026-02 and @2026-03-15, 10 }) > 40", None),
        ("Sum({ days between @2026-02 and @2026-03-15, 10 }) > 60", False),
        ("Sum({ days between @2026-02 and @2026-03-15, days between @2026-01 and @2026-02-10 }) >= 25", True),
        ("Sum({ days between @2026-02 and @2026-03-15, null }) < 43", True),
    ],
)
def test_a_sum_of_uncertain_integers_is_the_range_of_possible_sums(expression: str, expected: Any) -> None:
    assert evaluate_expression(expression) is expected
