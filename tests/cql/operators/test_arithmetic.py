"""Arithmetic operators: Integer, Long, Decimal and Quantity arithmetic, rounding, powers and logarithms,
and the ordinal operators (successor, predecessor, Precision, LowBoundary, HighBoundary)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds.cql import CqlRuntimeError, evaluate_expression
from cds.cql.operators import arithmetic, ordinal
from cds.cql.values import temporal
from cds.cql.values.quantity import Quantity

examples = settings(max_examples=150, deadline=None)
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1

integers = st.integers(INT_MIN, INT_MAX)
longs = st.integers(LONG_MIN, LONG_MAX)
decimals = st.decimals(-(10**12), 10**12, places=8, allow_nan=False, allow_infinity=False)
nonzero_decimals = decimals.filter(lambda d: d != 0)


def cql(text: str) -> Any:
    return evaluate_expression(text)


def places(value: Decimal) -> int:
    return ordinal.decimal_places(value)


# ------------------------------------------------------------------------ Integer, Long, Decimal
def test_integer_addition_stays_integer() -> None:
    assert cql("1 + 1") == 2
    assert type(cql("1 + 1")) is int


def test_mixing_integer_and_decimal_gives_a_decimal() -> None:
    assert cql("1 + 2.0") == Decimal("3.0")
    assert cql("2 - 1.1") == Decimal("0.9")


def test_mixing_integer_and_long_gives_a_long() -> None:
    assert cql("1 * 1L") == 1
    assert cql("3L - 1") == 2


def test_integer_overflow_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError, match="Integer overflow"):
        cql("2147483647 + 1")
    with pytest.raises(CqlRuntimeError, match="Integer overflow"):
        cql("-2147483648 - 1")


def test_long_overflow_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError, match="Long overflow"):
        cql("9223372036854775807L + 1L")


def test_negating_the_minimum_integer_overflows() -> None:
    with pytest.raises(CqlRuntimeError, match="Integer overflow"):
        cql("-(minimum Integer)")


def test_abs_of_the_minimum_integer_overflows() -> None:
    with pytest.raises(CqlRuntimeError, match="Integer overflow"):
        cql("Abs(minimum Integer)")


def test_decimal_results_are_rounded_half_up_to_eight_places() -> None:
    assert cql("1.0 / 3.0") == Decimal("0.33333333")
    assert cql("2.0 / 3.0") == Decimal("0.66666667")


def test_decimal_arithmetic_keeps_thirty_six_digits_exact() -> None:
    assert cql("10 * 1000000000000000000000000000.00000000 - 0.00000001") == Decimal(
        "9999999999999999999999999999.99999999"
    )


def test_decimal_overflow_beyond_ten_to_the_28_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError, match="Decimal overflow"):
        cql("9999999999999999999999999999.0 * 2.0")


def test_integer_division_by_zero_is_null() -> None:
    assert cql("1 / 0") is None
    assert cql("2 div 0") is None
    assert cql("0 mod 0") is None


def test_dividing_integers_gives_a_decimal() -> None:
    assert cql("10 / 4") == Decimal("2.5")


def test_null_operand_gives_null() -> None:
    assert cql("1 + null") is None
    assert cql("null * 2.0") is None
    assert cql("Abs(null as Integer)") is None


# --------------------------------------------------------------------------------- div and mod
def test_truncated_division_rounds_toward_zero() -> None:
    assert cql("10 div 3") == 3
    assert cql("-10 div 3") == -3
    assert cql("10 div -3") == -3
    assert cql("-10.1 div 3.1") == Decimal("-3")


def test_modulo_takes_the_sign_of_the_dividend() -> None:
    assert cql("10 mod 3") == 1
    assert cql("-10 mod 3") == -1
    assert cql("10 mod -3") == 1
    assert cql("3.5 mod 3") == Decimal("0.5")


def test_quantity_div_and_mod_keep_the_left_unit() -> None:
    assert cql("10.0 'g' div 5.0 'g'") == Quantity(Decimal(2), "g")
    assert cql("3.5 'cm' mod 3 'cm'") == Quantity(Decimal("0.5"), "cm")
    assert cql("10.0 'g' mod 0.0 'g'") is None


# ------------------------------------------------------------------------------------ quantities
def test_adding_quantities_of_one_unit_adds_values() -> None:
    assert cql("1 'g/cm3' + 1 'g/cm3'") == Quantity(Decimal(2), "g/cm3")


def test_adding_quantities_uses_the_finer_unit() -> None:
    result = cql("1 'm' + 1 'cm'")
    assert result.unit == "cm" and result.value == 101


def test_adding_quantities_of_different_dimensions_is_null() -> None:
    assert cql("1 'cm' + 1 'cm2'") is None


def test_adding_quantities_in_different_special_units_is_null() -> None:
    assert cql("1 'Cel' + 1 '[degF]'") is None
    assert cql("1 'Cel' + 1 'Cel'") == Quantity(Decimal(2), "Cel")


def test_calendar_years_and_months_add_in_months() -> None:
    result = cql("1 year + 6 months")
    assert result.unit == "month" and result.value == 18


def test_calendar_years_do_not_add_to_days() -> None:
    assert cql("1 year + 1 day") is None


def test_multiplying_quantities_multiplies_units() -> None:
    assert cql("1.0 'cm' * 2.0 'cm'") == Quantity(Decimal(2), "cm2")


def test_dividing_quantities_of_one_unit_gives_unit_one() -> None:
    assert cql("1 'g/cm3' / 1 'g/cm3'") == Quantity(Decimal(1), "1")


def test_dividing_a_quantity_by_zero_is_null() -> None:
    assert cql("1 'g' / 0 'g'") is None


def test_abs_and_negate_keep_the_unit() -> None:
    assert cql("Abs(-1.0 'cm')") == Quantity(Decimal(1), "cm")
    assert cql("-(1 'cm')") == Quantity(Decimal(-1), "cm")


# ---------------------------------------------------------------------------- whole numbers, round
def test_ceiling_floor_and_truncate_give_integers() -> None:
    assert cql("Ceiling(1.1)") == 2
    assert cql("Floor(-1.1)") == -2
    assert cql("Truncate(-1.9)") == -1
    assert type(cql("Floor(1.9)")) is int


def test_ceiling_beyond_the_integer_range_is_null() -> None:
    assert cql("Ceiling(2147483647.2)") is None
    assert cql("Floor(-2147483648.2)") is None
    assert cql("Ceiling(-2147483648.2)") == INT_MIN


def test_round_goes_half_away_from_zero() -> None:
    assert cql("Round(0.5)") == 1
    assert cql("Round(-0.5)") == -1
    assert cql("Round(-1.5)") == -2
    assert cql("Round(-0.4)") == 0


def test_round_to_a_precision_keeps_that_many_places() -> None:
    assert cql("Round(3.14159, 2)") == Decimal("3.14")
    assert cql("Round(2.125, 2)") == Decimal("2.13")


def test_round_with_null_precision_rounds_to_a_whole_number() -> None:
    assert cql("Round(2.5, null)") == 3


def test_round_of_a_quantity_keeps_its_unit() -> None:
    assert cql("Round(2.54 'cm')") == Quantity(Decimal(3), "cm")


# ---------------------------------------------------------------------------------- powers, logs
def test_integer_power_is_an_integer() -> None:
    assert cql("2^4") == 16
    assert type(cql("Power(2, 2)")) is int
    assert cql("Power(0, 0)") == 1


def test_integer_power_with_a_negative_exponent_is_a_decimal() -> None:
    assert cql("Power(2, -2)") == Decimal("0.25")
    assert cql("Power(10, -8)") == Decimal("0.00000001")


def test_integer_power_overflow_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError, match="overflow"):
        cql("Power(2, 31)")
    with pytest.raises(CqlRuntimeError, match="overflow"):
        cql("Power(10, 1000000)")


def test_decimal_power_of_a_fraction() -> None:
    assert cql("Power(4.0, 0.5)") == 2
    assert cql("2.0^-2.0") == Decimal("0.25")


def test_zero_to_a_negative_power_is_null() -> None:
    assert cql("Power(0.0, -1.0)") is None


def test_a_negative_number_to_a_fractional_power_is_null() -> None:
    assert cql("Power(-8.0, 0.5)") is None


def test_exp_and_ln_round_to_eight_places() -> None:
    assert cql("Exp(1)") == Decimal("2.71828183")
    assert cql("Ln(1000)") == Decimal("6.90775528")
    assert cql("Exp(0)") == 1


def test_exp_overflow_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError, match="overflow"):
        cql("Exp(1000)")


def test_ln_of_zero_is_an_error_and_of_a_negative_is_null() -> None:
    with pytest.raises(CqlRuntimeError):
        cql("Ln(0)")
    assert cql("Ln(-1)") is None


def test_log_of_powers_of_the_base_is_exact() -> None:
    assert cql("Log(16, 2)") == 4
    assert cql("Log(0.125, 2)") == -3
    assert cql("Log(1, 100)") == 0


def test_log_with_base_one_is_null() -> None:
    assert cql("Log(2, 1)") is None
    assert cql("Log(1, 1)") is None


# ---------------------------------------------------------------------------- successor, predecessor
def test_successor_of_a_decimal_adds_the_eight_place_step() -> None:
    assert cql("successor of 1.01") == Decimal("1.01000001")
    assert cql("predecessor of 1.0") == Decimal("0.99999999")


def test_successor_of_an_integer_and_a_long() -> None:
    assert cql("successor of 1") == 2
    assert cql("predecessor of 1L") == 0


def test_successor_of_the_maximum_integer_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError):
        cql("successor of maximum Integer")


def test_successor_of_a_quantity_keeps_its_unit() -> None:
    assert cql("predecessor of 1.0 'cm'") == Quantity(Decimal("0.99999999"), "cm")


def test_successor_of_a_date_steps_at_its_precision() -> None:
    assert cql("successor of @2014-01-31") == temporal.Date(2014, 2, 1)
    assert cql("successor of @2014") == temporal.Date(2015)


def test_successor_past_the_last_time_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError):
        cql("successor of @T23:59:59.999")


# --------------------------------------------------------------------------- precision, boundaries
def test_precision_counts_the_decimal_places_as_written() -> None:
    assert cql("Precision(1.58700)") == 5
    assert cql("Precision(12)") == 0


def test_precision_of_dates_and_times_counts_digits() -> None:
    assert cql("Precision(@2014)") == 4
    assert cql("Precision(@2014-01-05T10:30:00.000)") == 17
    assert cql("Precision(@T10:30)") == 4


def test_decimal_boundaries_pad_with_zeros_and_nines() -> None:
    assert cql("LowBoundary(1.587, 8)") == Decimal("1.587")
    assert cql("HighBoundary(1.587, 8)") == Decimal("1.58799999")
    assert cql("HighBoundary(1.587, 5)") == Decimal("1.58799")


def test_decimal_boundaries_of_a_negative_value_mirror() -> None:
    assert cql("LowBoundary(-1.587, 8)") == Decimal("-1.58799999")
    assert cql("HighBoundary(-1.587, 8)") == Decimal("-1.587")


def test_decimal_boundaries_at_fewer_places_round_outwards() -> None:
    assert cql("LowBoundary(1.587, 2)") == Decimal("1.58")
    assert cql("HighBoundary(1.587, 2)") == Decimal("1.59")
    assert cql("LowBoundary(-1.587, 0)") == -2


def test_decimal_boundary_with_null_precision_uses_eight_places() -> None:
    assert cql("HighBoundary(1.58888, null)") == Decimal("1.58888999")


def test_decimal_boundary_beyond_eight_places_is_null() -> None:
    assert cql("LowBoundary(1.5, 9)") is None


def test_date_boundaries_fill_the_missing_components() -> None:
    assert cql("LowBoundary(@2014, 6)") == temporal.Date(2014, 1)
    assert cql("HighBoundary(@2014-02, 8)") == temporal.Date(2014, 2, 28)
    assert cql("HighBoundary(@T10:30, 9)") == temporal.Time(10, 30, 59, 999)


def test_a_date_boundary_at_a_digit_count_the_type_lacks_is_null() -> None:
    assert cql("LowBoundary(@2014, 5)") is None


# ------------------------------------------------------------------------------------- properties
@examples
@given(integers, integers)
def test_adding_then_subtracting_an_integer_gives_it_back(a: int, b: int) -> None:
    if INT_MIN <= a + b <= INT_MAX:
        assert arithmetic.subtract_integer(arithmetic.add_integer(a, b), b) == a
    else:
        with pytest.raises(CqlRuntimeError):
            arithmetic.add_integer(a, b)


@examples
@given(integers, integers)
def test_integer_products_outside_the_range_raise(a: int, b: int) -> None:
    if INT_MIN <= a * b <= INT_MAX:
        assert arithmetic.multiply_integer(a, b) == a * b
    else:
        with pytest.raises(CqlRuntimeError, match="Integer overflow"):
            arithmetic.multiply_integer(a, b)


@examples
@given(longs, longs)
def test_long_sums_outside_the_range_raise(a: int, b: int) -> None:
    if LONG_MIN <= a + b <= LONG_MAX:
        assert arithmetic.add_long(a, b) == a + b
    else:
        with pytest.raises(CqlRuntimeError, match="Long overflow"):
            arithmetic.add_long(a, b)


@examples
@given(decimals, decimals)
def test_decimal_sum_and_difference_are_exact_at_eight_places(a: Decimal, b: Decimal) -> None:
    assert arithmetic.subtract_decimal(arithmetic.add_decimal(a, b), b) == a


@examples
@given(decimals, nonzero_decimals)
def test_decimal_results_have_at_most_eight_places(a: Decimal, b: Decimal) -> None:
    for result in (
        arithmetic.multiply_decimal(a, b),
        arithmetic.divide_decimal(a, b),
        arithmetic.modulo_decimal(a, b),
        arithmetic.add_decimal(a, b),
    ):
        assert result is not None and places(result) <= 8


@examples
@given(decimals, nonzero_decimals)
def test_a_quotient_is_within_half_a_step_of_the_true_quotient(a: Decimal, b: Decimal) -> None:
    quotient = arithmetic.divide_decimal(a, b)
    assert quotient is not None
    exact = ordinal.CONTEXT.divide(a, b)
    assert abs(ordinal.CONTEXT.subtract(quotient, exact)) <= Decimal("0.000000005")


@examples
@given(integers, integers.filter(lambda b: b != 0))
def test_truncated_quotient_and_remainder_rebuild_the_dividend(a: int, b: int) -> None:
    quotient = arithmetic.truncated_divide_integer(a, b)
    remainder = arithmetic.modulo_integer(a, b)
    assert quotient is not None and remainder is not None
    assert quotient * b + remainder == a
    assert remainder == 0 or (remainder < 0) == (a < 0)
    assert abs(remainder) < abs(b)


@examples
@given(decimals)
def test_round_is_within_half_and_symmetric_about_zero(x: Decimal) -> None:
    rounded = arithmetic.round_decimal(x)
    negated = arithmetic.round_decimal(-x)
    assert rounded is not None and negated is not None
    assert abs(rounded - x) <= Decimal("0.5")
    assert negated == -rounded


@examples
@given(st.decimals(-(10**9), 10**9, places=8, allow_nan=False, allow_infinity=False))
def test_ceiling_and_floor_bracket_the_value(x: Decimal) -> None:
    ceiling, floor = arithmetic.ceiling(x), arithmetic.floor(x)
    assert ceiling is not None and floor is not None
    assert floor <= x <= ceiling
    assert ceiling - floor == (0 if x == int(x) else 1)


@examples
@given(decimals)
def test_successor_and_predecessor_of_a_decimal_undo_each_other(x: Decimal) -> None:
    assert ordinal.predecessor(ordinal.successor(x)) == x
    assert ordinal.successor(x) > x


@examples
@given(decimals, st.integers(0, 8))
def test_a_decimal_lies_between_its_boundaries(x: Decimal, precision: int) -> None:
    low = ordinal.decimal_boundary(x, precision, low=True)
    high = ordinal.decimal_boundary(x, precision, low=False)
    assert low is not None and high is not None
    assert low <= high
    assert places(low) == precision and places(high) == precision
    if precision >= places(x):
        assert low <= x <= high
