"""The unit of a product or quotient of quantities (CQL Quantity arithmetic)."""

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cds.cql.values.ucum import UcumError, canonical, divide, is_valid, multiply


def test_centimetres_times_centimetres_is_square_centimetres() -> None:
    assert multiply("cm", "cm") == "cm2"  # CQL Multiply1CMBy2CM


def test_a_unit_divided_by_itself_is_one() -> None:
    assert divide("g/cm3", "g/cm3") == "1"  # CQL Divide1Q1Q


def test_dividing_by_one_keeps_the_unit_as_written() -> None:
    assert divide("g/cm3", "1") == "g/cm3"  # CQL Divide1Q1
    assert divide("mg/(24.h)", "1") == "mg/(24.h)"


def test_multiplying_by_one_keeps_the_unit_as_written() -> None:
    assert multiply("g", "1") == "g"
    assert multiply("1", "g") == "g"
    assert multiply("mL/min/{1.73_m2}", "1") == "mL/min/{1.73_m2}"


@pytest.mark.parametrize(
    ("a", "b", "product"),
    [
        ("g/L", "L", "g"),
        ("kg", "m/s2", "kg.m/s2"),
        ("10*3/uL", "10*3/uL", "10*6/uL2"),
        ("{cells}/uL", "uL", "{cells}"),
        ("mg/kg", "kg", "mg"),
        ("m", "/s", "m/s"),
        ("m", "cm", "m.cm"),
    ],
)
def test_products_cancel_and_collect_equal_symbols(a: str, b: str, product: str) -> None:
    assert multiply(a, b) == product


@pytest.mark.parametrize(
    ("a", "b", "quotient"),
    [
        ("g", "L", "g/L"),
        ("mg", "dL", "mg/dL"),
        ("m/s", "s", "m/s2"),
        ("1", "s", "/s"),
        ("1", "kg.d", "1/kg/d"),
        ("mL", "min.{1.73_m2}", "mL/min/{1.73_m2}"),
        ("mg/(24.h)", "mg", "1/24/h"),
    ],
)
def test_quotients_put_each_denominator_unit_after_a_slash(a: str, b: str, quotient: str) -> None:
    assert divide(a, b) == quotient


def test_a_special_unit_times_one_stays_itself() -> None:
    assert multiply("Cel", "1") == "Cel"
    assert divide("[degF]", "1") == "[degF]"


@pytest.mark.parametrize(
    ("operation", "a", "b"),
    [(multiply, "Cel", "h"), (multiply, "[degF]", "[degF]"), (divide, "Cel", "Cel"), (divide, "1", "[pH]")],
)
def test_special_units_take_no_part_in_unit_algebra(
    operation: Callable[[str, str], str], a: str, b: str
) -> None:
    with pytest.raises(UcumError, match=r"non-ratio scale"):
        operation(a, b)


def test_unit_algebra_refuses_invalid_units() -> None:
    with pytest.raises(UcumError, match=r"'beats'"):
        multiply("beats", "/min")


RATIO_UNITS = [
    "1",
    "%",
    "{score}",
    "g",
    "mg",
    "kg",
    "L",
    "dL",
    "uL",
    "cm",
    "m",
    "m2",
    "s",
    "min",
    "h",
    "/min",
    "mg/dL",
    "g/L",
    "mmol/L",
    "10*3/uL",
    "10*9/L",
    "mm[Hg]",
    "[lb_av]",
    "[in_i]",
    "[IU]",
    "m[IU]/mL",
    "mL/min/{1.73_m2}",
    "mg/(24.h)",
    "kg.m/s2",
]
units = st.sampled_from(RATIO_UNITS)


@given(units, units)
def test_the_unit_of_a_product_is_the_product_of_the_units(a: str, b: str) -> None:
    product = multiply(a, b)
    assert is_valid(product)
    (fa, da), (fb, db) = canonical(a), canonical(b)
    assert canonical(product) == (fa * fb, tuple(x + y for x, y in zip(da, db, strict=True)))


@given(units, units)
def test_the_unit_of_a_quotient_is_the_quotient_of_the_units(a: str, b: str) -> None:
    quotient = divide(a, b)
    assert is_valid(quotient)
    (fa, da), (fb, db) = canonical(a), canonical(b)
    assert canonical(quotient) == (fa / fb, tuple(x - y for x, y in zip(da, db, strict=True)))


@given(units)
def test_any_unit_divided_by_itself_is_one(unit: str) -> None:
    assert divide(unit, unit) == "1"
